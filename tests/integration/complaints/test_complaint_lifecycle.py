"""A complaint resolved on day 3 (late) with its callback, a repair called back within a
working day, and a month's statistics checked against numbers worked out by hand."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from checklists.actors import Actor
from server.services.accounts.users import actor_of
from server.services import complaints
from server.services.errors import Forbidden, Invalid


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "+08:00").astimezone(UTC)


def intake(store, actor, site, category="environment", unit="3-2-301", when="2026-12-01T09:00"):
    return complaints.intake(store, actor, {
        "site_id": site, "unit": unit, "channel": "phone", "category": category,
        "description": "楼道垃圾三天未清", "photos": [], "repair": None,
        "resident": {"name": "王芳", "phone": "13800001111"}}, at(when))


def callback(resolved=True, satisfaction=4, next_on=None):
    return {"quality": "good", "service_effect": "good", "satisfaction": satisfaction,
            "shortcomings": None, "suggestions": "早点处理", "remarks": None,
            "resolved": resolved, "next_callback_on": next_on}


@pytest.fixture
def people(team):
    site = team.site_a["id"]
    return (site, actor_of(team.users["supervisor"]), actor_of(team.users["engineer"]),
            team.users["engineer"]["id"])


def handled(store, people, category="environment", resolved_on="2026-12-02T10:00",
            when="2026-12-01T09:00", validity="valid"):
    site, sup, eng, eng_id = people
    doc = intake(store, sup, site, category=category, when=when)
    doc = complaints.classify(store, sup, doc["id"], {"validity": validity, "severity":
                              "ordinary", "reason": "不属物业范围", "due_at": None}, at(when))
    if validity == "invalid":
        return doc
    complaints.assign(store, sup, doc["id"], eng_id, at(when))
    return complaints.resolve(store, eng, doc["id"], "已清运", at(resolved_on))


def test_resolved_on_day_three_is_late_and_its_callback_closes_it(app_store, people):
    site, sup, eng, _ = people
    doc = handled(app_store, people, resolved_on="2026-12-03T10:00")
    assert doc["deadline_at"] == "2026-12-03T01:00:00Z"        # received + 2 days
    assert (doc["status"], doc["on_time"], doc["clock"]["overdue"]) == ("resolved", False, True)
    done = complaints.callback(app_store, sup, doc["id"], callback(), at("2026-12-04T09:00"))
    assert done["status"] == "closed"
    assert done["callbacks"][0]["satisfaction"] == 4


def test_an_unresolved_callback_reopens_with_the_next_date(app_store, people):
    site, sup, eng, _ = people
    doc = handled(app_store, people)
    reopened = complaints.callback(app_store, sup, doc["id"],
                                   callback(False, 2, date(2026, 12, 9)), at("2026-12-03T09:00"))
    assert (reopened["status"], reopened["next_callback_on"]) == ("assigned", "2026-12-09")


def test_a_repair_callback_is_due_within_one_working_day(app_store, people):
    doc = handled(app_store, people, category="repair", resolved_on="2026-12-04T15:00")  # Fri
    assert doc["callback_due_at"] == "2026-12-07T07:00:00Z"                    # Mon 15:00


def test_a_major_complaint_alerts_the_manager_at_once(app_store, people, team):
    site, sup, eng, _ = people
    doc = intake(app_store, sup, site)
    doc = complaints.classify(app_store, sup, doc["id"], {
        "validity": "valid", "severity": "major", "reason": None,
        "due_at": at("2026-12-05T18:00")}, at("2026-12-01T09:10"))
    assert doc["escalated"] and doc["five_clear"]["reported"]["done"]
    assert doc["deadline_at"] == "2026-12-05T10:00:00Z"
    alerts = complaints.list_alerts(app_store, sup)
    assert [a["complaint_id"] for a in alerts] == [doc["id"]]
    assert "resident" not in alerts[0]


def test_bad_steps_are_refused_naming_the_field_and_change_nothing(app_store, people, team):
    site, sup, eng, eng_id = people
    doc = intake(app_store, sup, site)
    with pytest.raises(Invalid) as err:                      # a callback before resolution
        complaints.callback(app_store, sup, doc["id"], callback(), at("2026-12-01T10:00"))
    assert "status" in err.value.messages
    with pytest.raises(Invalid) as err:                      # a deadline before receipt
        complaints.classify(app_store, sup, doc["id"], {
            "validity": "valid", "severity": "serious", "reason": None,
            "due_at": at("2026-11-30T09:00")}, at("2026-12-01T10:00"))
    assert "due_at" in err.value.messages
    complaints.classify(app_store, sup, doc["id"], {"validity": "valid", "severity": "ordinary",
                        "reason": None, "due_at": None}, at("2026-12-01T10:00"))
    with pytest.raises(Invalid) as err:                      # guards do not handle complaints
        complaints.assign(app_store, sup, doc["id"], team.users["guard"]["id"],
                          at("2026-12-01T10:00"))
    assert "assignee_user_id" in err.value.messages
    with pytest.raises(Forbidden):                           # nor take them in
        intake(app_store, actor_of(team.users["guard"]), site)
    assert complaints.get_complaint(app_store, sup, doc["id"], at("2026-12-01T11:00"))["v"] == 2


def test_a_complaint_for_a_unit_of_another_site_is_refused(app_store, people, team):
    site, sup, eng, _ = people
    admin = Actor("adm", "admin", set())
    complaints.set_units(app_store, admin, site, ["1-1-101"])
    complaints.set_units(app_store, admin, team.site_b["id"], ["3-2-301"])
    with pytest.raises(Invalid) as err:
        intake(app_store, sup, site, unit="3-2-301")
    assert "unit" in err.value.messages
    assert complaints.list_complaints(app_store, sup, site, at("2026-12-01T11:00")) == []


def test_monthly_statistics_by_hand(app_store, people):
    site, sup, eng, _ = people
    on_time = handled(app_store, people)                                      # environment
    late = handled(app_store, people, resolved_on="2026-12-04T10:00")         # environment
    handled(app_store, people, category="repair", when="2026-12-10T09:00",
            resolved_on="2026-12-11T09:00")
    handled(app_store, people, category="fees", validity="invalid")
    handled(app_store, people, when="2026-11-30T09:00")                       # November
    complaints.callback(app_store, sup, on_time["id"], callback(satisfaction=5),
                        at("2026-12-03T09:00"))
    complaints.callback(app_store, sup, late["id"], callback(satisfaction=2),
                        at("2026-12-05T09:00"))
    stats = complaints.monthly(app_store, sup, site, "2026-12")
    # 4 received in December: 3 valid of 4 classified; 2 of 3 resolved on time;
    # callbacks 5 and 2: mean 3.5, one of two satisfied
    assert stats["total"] == 4
    assert stats["by_category"]["environment"] == 2 and stats["by_category"]["fees"] == 1
    assert (stats["valid"], stats["invalid"], stats["valid_rate"]) == (3, 1, 0.75)
    assert (stats["resolved"], stats["on_time"], stats["on_time_rate"]) == (3, 2, 0.6667)
    assert (stats["satisfaction_mean"], stats["satisfied_rate"]) == (3.5, 0.5)
