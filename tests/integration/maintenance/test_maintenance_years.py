"""The maintenance plan over three years on the supervisor's list (the store, the site's
calendar): the 2- and 3-yearly tasks fall due when they should, a floating site's task
counts from its late completion."""
from __future__ import annotations

from datetime import UTC, date, datetime

from server.services import maintenance
from server.services.accounts.users import actor_of


def overdue(store, actor, site, day: str) -> set[str]:
    now = datetime.fromisoformat(day + "T12:00+08:00").astimezone(UTC)
    return {t["item_id"] for t in maintenance.list_tasks(store, actor, site, now, overdue=True)}


def test_three_years_of_the_plan(app_store, team):
    site = team.site_a["id"]
    sup, eng = actor_of(team.users["supervisor"]), actor_of(team.users["engineer"])
    maintenance.create_tasks(app_store, sup, site, date(2027, 1, 15), "fixed")
    two, three = f"{site}.mp.common.repaint", f"{site}.mp.common.replaster"
    assert {"mp.common.repaint", "mp.common.replaster"} <= overdue(app_store, sup, site,
                                                                   "2027-01-16")
    assert not {"mp.common.repaint", "mp.common.replaster"} & overdue(app_store, sup, site,
                                                                      "2027-01-15")
    for task in (two, three):                                   # done late, in March
        maintenance.complete_task(app_store, eng, task, {"done_on": date(2027, 3, 1)})
    for day, expected in (("2028-06-01", set()), ("2029-01-16", {"mp.common.repaint"}),
                          ("2030-01-16", {"mp.common.repaint", "mp.common.replaster"})):
        found = overdue(app_store, sup, site, day) & {"mp.common.repaint",
                                                      "mp.common.replaster"}
        assert found == expected, day
    maintenance.complete_task(app_store, eng, two, {"done_on": date(2029, 2, 1)})
    assert "mp.common.repaint" not in overdue(app_store, sup, site, "2030-01-16")


def test_a_floating_site_counts_from_the_late_completion(app_store, team):
    site = team.site_a["id"]
    sup, eng = actor_of(team.users["supervisor"]), actor_of(team.users["engineer"])
    maintenance.create_tasks(app_store, sup, site, date(2027, 1, 15), "floating")
    drains = f"{site}.mp.roof.drains"                           # half-yearly
    maintenance.complete_task(app_store, eng, drains, {"done_on": date(2027, 3, 1)})
    assert "mp.roof.drains" not in overdue(app_store, sup, site, "2027-08-31")
    assert "mp.roof.drains" in overdue(app_store, sup, site, "2027-09-02")
