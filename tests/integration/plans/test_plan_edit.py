"""Editing a plan: occurrences not yet started are regenerated from the edited plan; the
started, done, overdue and missed ones stay as they were (and still take their results);
a bad edit is a 422 naming the field and changes nothing."""
from __future__ import annotations

import pytest

from checklists.actors import Actor
from server.services import plans
from server.services.errors import Invalid

from .conftest import FieldPhone, at
from .test_plan_month import CREATED, weekly

OCC = "plan_occurrences"


def by_start(store, planner, site, now):
    return {o["local_start"]: o for o in plans.list_occurrences(store, planner, site, now)}


def test_an_edit_replaces_only_what_has_not_started(app, app_store, team, published):
    site, engineer = team.site_a["id"], team.users["engineer"]
    planner = Actor(team.users["supervisor"]["id"], "supervisor", {site})
    week = plans.create_plan(app_store, planner, weekly(site, engineer["id"]), CREATED)
    phone = FieldPhone(app, app_store, engineer)
    phone.submit("r-w1", site, at("2026-12-02T10:00"))
    edit_at = at("2026-12-12T10:00")           # week 2 (Mon 7th, due Fri 11th) is overdue
    edited = plans.update_plan(app_store, planner, week["id"], {
        "rrule": "FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=0", "assignee_role": "supervisor",
        "due_time": "17:00"}, edit_at)
    assert (edited["version"], edited["series"], edited["assignee_user_id"]) == (2, 1, None)
    seen = by_start(app_store, planner, site, edit_at)
    assert seen["2026-11-30T09:00"]["state"] == "done"            # kept, with its result
    assert seen["2026-12-07T09:00"]["state"] == "overdue"         # kept, still the engineer's
    assert seen["2026-12-07T09:00"]["id"] == f"{week['id']}.20261207T0900"
    assert "2026-12-14T09:00" not in seen                          # the old Mondays are gone
    tuesday = seen["2026-12-15T09:00"]
    assert tuesday["id"] == f"{week['id']}~1.20261215T0900"
    assert (tuesday["assignee_role"], tuesday["due_at"]) == ("supervisor", "2026-12-19T09:00:00Z")
    assert app_store.get(OCC, tuesday["id"]).bucket == f"site:{site}"
    # the overdue Monday still takes the engineer's late result; the supervisor's Tuesday
    phone.submit("r-w2", site, at("2026-12-13T10:00"))
    FieldPhone(app, app_store, team.users["supervisor"]).submit("r-t1", site,
                                                                 at("2026-12-15T10:00"))
    seen = by_start(app_store, planner, site, at("2026-12-15T11:00"))
    assert (seen["2026-12-07T09:00"]["result_id"], seen["2026-12-07T09:00"]["late"]) == (
        "r-w2", True)
    assert (seen["2026-12-15T09:00"]["result_id"], seen["2026-12-15T09:00"]["late"]) == (
        "r-t1", False)
    plans.refresh(app_store, at("2026-12-20T00:00"))               # refresh keeps the series
    assert all("~1." in o["id"] for start, o in by_start(
        app_store, planner, site, at("2026-12-20T00:00")).items() if start > "2026-12-13")


def test_pausing_and_resuming_a_plan(app_store, team, published):
    site = team.site_a["id"]
    planner = Actor(team.users["supervisor"]["id"], "supervisor", {site})
    week = plans.create_plan(app_store, planner, weekly(site, team.users["engineer"]["id"]),
                             CREATED)
    plans.update_plan(app_store, planner, week["id"], {"active": False}, at("2026-12-12T10:00"))
    seen = by_start(app_store, planner, site, at("2026-12-12T10:00"))
    assert {o["state"] for s, o in seen.items() if s > "2026-12-13"} == {"cancelled"}
    plans.update_plan(app_store, planner, week["id"], {"active": True}, at("2026-12-19T10:00"))
    seen = by_start(app_store, planner, site, at("2026-12-19T10:00"))
    assert seen["2026-12-21T09:00"]["id"] == f"{week['id']}~2.20261221T0900"
    assert seen["2026-12-21T09:00"]["state"] == "upcoming"


@pytest.mark.parametrize("changes, field", [
    ({"rrule": "FREQ=MINUTELY"}, "rrule"),
    ({"rrule": "FREQ=WEEKLY;COUNT=0"}, "rrule"),
    ({"due_offset": {}}, "due_offset"),
    ({"assignee_user_id": "nobody"}, "assignee_user_id"),
    ({"checklist_id": "other"}, "checklist_id"),
])
def test_a_bad_edit_names_the_field_and_changes_nothing(app_store, team, published, changes,
                                                        field):
    site = team.site_a["id"]
    planner = Actor(team.users["supervisor"]["id"], "supervisor", {site})
    week = plans.create_plan(app_store, planner, weekly(site, team.users["engineer"]["id"]),
                             CREATED)
    before = {r.id: r.seq for r in app_store.scan(OCC)}
    with pytest.raises(Invalid) as err:
        plans.update_plan(app_store, planner, week["id"], changes, at("2026-12-12T10:00"))
    assert field in err.value.messages
    assert app_store.get_doc("plans", week["id"]) == week
    assert {r.id: r.seq for r in app_store.scan(OCC)} == before


def test_patch_over_the_api(client, team, published):
    sup, site = team.headers["supervisor"], team.site_a["id"]
    plan = client.post("/api/v1/plans", headers=sup, json={
        "site_id": site, "template": "manager-weekly", "checklist_id": "daily-round",
        "dtstart": "2026-11-30T09:00"}).get_json()
    r = client.patch(f"/api/v1/plans/{plan['id']}", headers=sup, json={
        "assignee_user_id": team.users["engineer"]["id"], "due_time": "12:00"})
    assert r.status_code == 200, r.get_json()
    assert (r.get_json()["assignee_user_id"], r.get_json()["assignee_role"]) == (
        team.users["engineer"]["id"], None)
    r = client.patch(f"/api/v1/plans/{plan['id']}", headers=sup, json={"rrule": "FREQ=HOURLY"})
    assert r.status_code == 422 and "rrule" in r.get_json()["errors"]["json"]
    r = client.patch(f"/api/v1/plans/{plan['id']}", headers=sup, json={"site_id": "x"})
    assert r.status_code == 422 and "site_id" in r.get_json()["errors"]["json"]
    assert client.patch(f"/api/v1/plans/{plan['id']}", headers=team.headers["guard"],
                        json={"active": False}).status_code == 403
    assert client.patch(f"/api/v1/plans/{plan['id']}", headers=team.guard_b_headers,
                        json={"active": False}).status_code == 403
    assert client.get(f"/api/v1/plans/{plan['id']}", headers=sup).get_json()["version"] == 2


@pytest.mark.parametrize("word", ["templates", "occurrences"])
def test_the_blueprints_own_words_are_not_plan_ids(client, word):
    """``/plans/templates`` once matched ``/plans/<plan_id>`` too, and its ``Allow`` offered
    PATCH (found by the OpenAPI fuzz)."""
    allowed = client.open(f"/api/v1/plans/{word}", method="OPTIONS").headers["Allow"]
    assert "PATCH" not in allowed and "GET" in allowed
    assert "PATCH" in client.open("/api/v1/plans/some-plan", method="OPTIONS").headers["Allow"]
