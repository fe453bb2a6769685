"""Occurrence listings read a window of starts (by the store's index), not a site's
every occurrence since its first plan; a window the caller gets wrong is a 422."""
from __future__ import annotations

from checklists.actors import Actor
from server.services import plans

from .conftest import at

CREATED = at("2026-01-01T00:00")


def daily(site_id):
    return {"site_id": site_id, "name": "daily check", "checklist_id": "daily-round",
            "rrule": "FREQ=DAILY;BYHOUR=9;BYMINUTE=0", "dtstart": "2026-01-01T09:00",
            "assignee_role": "supervisor", "due_offset": {"hours": 9}}


def test_a_year_of_daily_occurrences_is_listed_by_window(app_store, team, published):
    site = team.site_a["id"]
    planner = Actor(team.users["supervisor"]["id"], "supervisor", {site})
    plans.create_plan(app_store, planner, daily(site), CREATED)
    for month in range(1, 13):                                   # the cron job over a year
        plans.refresh(app_store, at(f"2026-{month:02d}-01T00:00"))
    now = at("2026-12-15T12:00")
    listed = plans.list_occurrences(app_store, planner, site, now)
    starts = [o["local_start"] for o in listed]
    # 62 days back (Oct 14 12:00) to what the last refresh generated (40 days after Dec 1)
    assert starts[0] == "2026-10-15T09:00" and starts[-1] == "2027-01-09T09:00"
    assert len(starts) == 17 + 30 + 31 + 9 and starts == sorted(starts)
    week = plans.list_occurrences(app_store, planner, site, now, state="missed",
                                  start_from=at("2026-12-01T00:00"),
                                  start_to=at("2026-12-08T00:00"))
    assert [o["local_start"][:10] for o in week] == [f"2026-12-0{d}" for d in range(1, 8)]


def test_occurrences_page_over_the_api(client, team, published):
    sup, site = team.headers["supervisor"], team.site_a["id"]
    client.post("/api/v1/plans", headers=sup, json=daily(site) | {"dtstart": "2026-11-01T09:00"})
    url = f"/api/v1/plans/occurrences?site={site}&limit=7"
    seen, cursor = [], None
    while True:
        body = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=sup).get_json()
        seen.append(len(body["items"]))
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert max(seen) == 7 and len(seen) > 2
    for query in ("&from=2026-12-10T00:00:00Z&to=2026-12-01T00:00:00Z",
                  "&from=2026-01-01T00:00:00Z&to=2027-03-01T00:00:00Z"):
        r = client.get(url + query, headers=sup)
        assert r.status_code == 422 and "to" in r.get_json()["errors"]["query"]
    r = client.get(url + "&from=yesterday", headers=sup)
    assert r.status_code == 422 and "from" in r.get_json()["errors"]["query"]
