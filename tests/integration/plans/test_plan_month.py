"""A month of a site's plans: one monthly inspection missed, one weekly one late; the
occurrences reach the assignee's device, and bad plans or references are refused whole."""
from __future__ import annotations

from checklists.actors import Actor
from server.services import plans

from .conftest import FieldPhone, at

CREATED = at("2026-11-30T00:00")


def weekly(site_id, user_id):
    return {"site_id": site_id, "name": "weekly check", "checklist_id": "daily-round",
            "rrule": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", "dtstart": "2026-11-30T09:00",
            "assignee_user_id": user_id, "due_offset": {"days": 4, "hours": 9}}


def states(store, planner, site_id, now, plan_id):
    return {o["local_start"]: (o["state"], o["late"])
            for o in plans.list_occurrences(store, planner, site_id, now)
            if o["plan_id"] == plan_id and o["local_start"] < "2027"}


def test_a_month_with_a_missed_monthly_and_a_late_weekly(app, app_store, team, published):
    site = team.site_a["id"]
    engineer = team.users["engineer"]
    planner = Actor(team.users["supervisor"]["id"], "supervisor", {site})
    week = plans.create_plan(app_store, planner, weekly(site, engineer["id"]), CREATED)
    month = plans.create_plan(app_store, planner, {
        "site_id": site, "template": "self-inspection", "checklist_id": "daily-round",
        "dtstart": "2026-12-01T08:00"}, CREATED)
    phone = FieldPhone(app, app_store, engineer)
    # week 1 names its occurrence; weeks 2-4 are matched by plan, checklist and time
    answer = phone.submit("r-w1", site, at("2026-12-02T10:00"),
                          occurrence_id=f"{week['id']}.20261130T0900")
    assert answer["status"] == "applied"
    phone.submit("r-w2", site, at("2026-12-12T10:00"))          # due Fri 11th 18:00: late
    phone.submit("r-w3", site, at("2026-12-16T10:00"))
    phone.submit("r-w4", site, at("2026-12-25T17:59"))
    # the engineer is no supervisor: the self-inspection stays open and is missed
    assert plans.refresh(app_store, at("2027-01-02T00:00"))["advanced"] > 0
    now = at("2027-01-02T00:00")
    assert states(app_store, planner, site, now, week["id"]) == {
        "2026-11-30T09:00": ("done", False), "2026-12-07T09:00": ("done", True),
        "2026-12-14T09:00": ("done", False), "2026-12-21T09:00": ("done", False),
        "2026-12-28T09:00": ("overdue", None)}          # due Fri Jan 1st 18:00
    assert states(app_store, planner, site, now, month["id"])["2026-12-01T08:00"] == \
        ("missed", None)
    occ = app_store.get_doc("plan_occurrences", f"{week['id']}.20261207T0900")
    assert (occ["result_id"], occ["done_at"]) == ("r-w2", "2026-12-12T02:00:00Z")


def test_refresh_twice_changes_nothing_more(app_store, team, published):
    site = team.site_a["id"]
    planner = Actor(team.users["supervisor"]["id"], "supervisor", {site})
    plans.create_plan(app_store, planner, weekly(site, team.users["engineer"]["id"]), CREATED)
    first = plans.refresh(app_store, at("2026-12-20T00:00"))
    assert first["generated"] > 0
    assert plans.refresh(app_store, at("2026-12-20T00:00")) == \
        {"plans": 1, "generated": 0, "advanced": 0}


def test_occurrences_reach_only_the_assignees_device(client, app_store, team, published):
    site = team.site_a["id"]
    planner = Actor(team.users["supervisor"]["id"], "supervisor", {site})
    week = plans.create_plan(app_store, planner, weekly(site, team.users["engineer"]["id"]),
                             CREATED)

    def pulled(headers):
        body = client.post("/api/v1/sync/pull", headers=headers, json={
            "client_id": "c-" + headers["Authorization"][-6:], "schema_version": 1,
            "cursors": {}, "limit": 500}).get_json()
        return {c["id"] for b in body["buckets"] for c in b["changes"]
                if c["type"] == "plan_occurrences"}

    assert f"{week['id']}.20261130T0900" in pulled(team.headers["engineer"])
    assert pulled(team.headers["guard"]) == set()


def test_a_named_occurrence_of_another_site_rejects_the_result(app, app_store, team, published):
    site = team.site_a["id"]
    planner = Actor(team.users["supervisor"]["id"], "supervisor", {site})
    week = plans.create_plan(app_store, planner, weekly(site, team.users["engineer"]["id"]),
                             CREATED)
    guard_b = FieldPhone(app, app_store, team.guard_b)
    answer = guard_b.submit("r-x", team.site_b["id"], at("2026-12-02T10:00"),
                            occurrence_id=f"{week['id']}.20261130T0900")
    assert answer["status"] == "rejected"
    assert "occurrence_id" in answer["error"]["errors"]
    assert app_store.get_doc("results", "r-x") is None          # nothing half-applied
    assert app_store.get_doc("plan_occurrences",
                             f"{week['id']}.20261130T0900")["status"] == "upcoming"
