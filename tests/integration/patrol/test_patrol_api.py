"""Setting up patrols through the API: who may, what is refused (422 naming the field),
versions, schedule edits that keep walked rounds, and exactly-once rounds."""
from __future__ import annotations

from datetime import timedelta

from checklists.actors import Actor
from server.services.patrol.missed import patrol_pass
from server.services.patrol.schedules import save_schedule
from tests.unit.patrol.builders import walk

from .site_setup import API, PLANNED_FROM, GuardDevice, checkpoint_body
from .test_round_timelines import ON_TIME_WALK, round_args


def errors_of(response) -> dict:
    assert response.status_code == 422, response.get_json()
    return response.get_json()["errors"]["json"]


def test_checkpoints_need_a_supervisor_and_a_free_tag(client, team, patrol_site):
    site = patrol_site.site_id
    r = patrol_site.post(f"/sites/{site}/checkpoints", checkpoint_body(1) | {"id": "x"},
                         headers=team.headers["guard"])
    assert r.status_code == 403
    taken = patrol_site.post(f"/sites/{site}/checkpoints", checkpoint_body(2) | {"id": "cp7"})
    assert errors_of(taken) == {"tag": ["tag 'TAG-2' is already on checkpoint cp2"]}
    again = patrol_site.post(f"/sites/{site}/checkpoints", checkpoint_body(2))
    assert again.status_code == 409
    bad = patrol_site.post(f"/sites/{site}/checkpoints", {"name": "x", "tag": "T", "lat": 91,
                                                           "lon": 0})
    assert "lat" in errors_of(bad)
    listed = patrol_site.get(f"/sites/{site}/checkpoints", headers=team.headers["guard"])
    assert [c["name"] for c in listed["items"]][:2] == ["1栋", "2栋"]
    other = client.get(f"{API}/sites/{site}/checkpoints", headers=team.guard_b_headers)
    assert other.status_code == 403


def test_a_checkpoint_on_a_route_cannot_be_deleted_one_off_it_can(patrol_site):
    site = patrol_site.site_id
    assert patrol_site.client.delete(f"{API}/sites/{site}/checkpoints/cp3",
                                     headers=patrol_site.boss).status_code == 409
    assert patrol_site.client.delete(f"{API}/sites/{site}/checkpoints/cp9",
                                     headers=patrol_site.boss).status_code == 204


def test_editing_a_route_publishes_its_next_version_and_keeps_the_old(patrol_site):
    body = {"name": "夜巡路线(短)", "order": "any",
            "stops": [{"checkpoint_id": "cp1"}, {"checkpoint_id": "cp5"}]}
    r = patrol_site.client.put(f"{API}/routes/night-walk", json=body, headers=patrol_site.boss)
    assert r.status_code == 200 and r.get_json()["id"] == "night-walk@2"
    assert patrol_site.get("/routes/night-walk")["route"]["version"] == 2
    assert len(patrol_site.get("/routes/night-walk", version=1)["route"]["stops"]) == 5
    unknown = patrol_site.client.put(f"{API}/routes/night-walk", headers=patrol_site.boss, json={
        "name": "x", "stops": [{"checkpoint_id": "cp1"}, {"checkpoint_id": "nowhere"}]})
    assert list(errors_of(unknown)) == ["stops[1].checkpoint_id"]


def test_absurd_or_invalid_schedules_are_refused_naming_the_field(patrol_site):
    site = patrol_site.site_id
    for fields, field in [({"rrule": "FREQ=MINUTELY;INTERVAL=5"}, "rrule"),
                          ({"rrule": "FREQ=SOMETIMES"}, "rrule"),
                          ({"timezone": "Mars/Olympus"}, "timezone"),
                          ({"id": "n2", "route_id": "no-route"}, "route_id")]:
        r = patrol_site.post(f"/sites/{site}/schedules", patrol_site.schedule_body(**fields))
        assert field in errors_of(r), fields


def test_a_schedule_edit_keeps_the_walked_round_and_replans_the_others(
        patrol_site, guard_device):
    walked = patrol_site.occurrence("2026-11-02T22:00")
    [answer] = guard_device.push(round_args(walked, walk(ON_TIME_WALK), "22:02"))
    assert answer["status"] == "applied"
    # edited on the morning of 2 Nov (the service, with its clock given)
    boss = Actor(patrol_site.team.users["supervisor"]["id"], "supervisor",
                 {patrol_site.site_id})
    save_schedule(patrol_site.store, boss, patrol_site.schedule_body(
        rrule="FREQ=DAILY;BYHOUR=22,1,4;BYMINUTE=0"), schedule_id="night", now=PLANNED_FROM,
        horizon=timedelta(days=3), default_timezone="Asia/Shanghai")
    day = patrol_site.get(f"/sites/{patrol_site.site_id}/occurrences", day="2026-11-02")["items"]
    by_status = {}
    for o in day:
        by_status.setdefault(o["status"], []).append(o["id"])
    assert by_status["scheduled"] == ["night.v1.20261102T2200"]     # walked: kept, no twin
    assert "night.v1.20261102T0200" not in by_status.get("cancelled", [])   # before the edit
    night = patrol_site.get(f"/sites/{patrol_site.site_id}/occurrences", day="2026-11-03")
    starts = {(o["local_start"][11:], o["status"]) for o in night["items"]}
    assert ("01:00", "scheduled") in starts and ("02:00", "cancelled") in starts


def test_a_round_is_taken_once_and_only_from_its_guard(
        client, team, accounts, patrol_site, guard_device):
    occurrence = patrol_site.occurrence("2026-11-02T22:00")
    args = round_args(occurrence, walk(ON_TIME_WALK), "22:02")
    other_guard = accounts.user("guard", site_ids=[team.site_a["id"]])
    [stranger] = GuardDevice(client, accounts.headers(other_guard)).push(args)
    assert (stranger["status"], stranger["error"]["code"]) == ("rejected", "not_assigned")
    assert "occurrence_id" in stranger["error"]["errors"]
    [elsewhere] = GuardDevice(client, team.guard_b_headers).push(args)
    assert elsewhere["error"]["code"] == "not_found"
    first, again = guard_device.push(args, args)
    assert (first["status"], again["status"]) == ("applied", "duplicate")  # a resend
    [replayed] = guard_device.push(args)
    assert replayed["status"] == "duplicate"
    [clash] = guard_device.push({**args, "started_at": "2026-11-02T22:03:00+08:00"})
    assert clash["error"]["code"] == "id_conflict"
    [second] = guard_device.push({**args, "id": "round-2"})
    assert second["error"]["code"] == "already_submitted"
    assert "occurrence_id" in second["error"]["errors"]
    assert [r["id"] for r in patrol_site.rounds()] == ["round-1"]


def test_guards_see_their_own_rounds_supervisors_every_one(client, team, patrol_site, guard_device):
    occurrence = patrol_site.occurrence("2026-11-02T22:00")
    guard_device.push(round_args(occurrence, walk(ON_TIME_WALK), "22:02"))
    mine = patrol_site.get(f"/sites/{patrol_site.site_id}/rounds", day="2026-11-02",
                           headers=team.headers["guard"])
    assert [r["id"] for r in mine["items"]] == ["round-1"]
    engineer = patrol_site.get(f"/sites/{patrol_site.site_id}/rounds", day="2026-11-02",
                               headers=team.headers["engineer"])
    assert engineer["items"] == []
    month = patrol_site.get(f"/guards/{patrol_site.guard_id}/punctuality", month="2026-11")
    assert (month["rounds"], month["stops"], month["stops_on_time"], month["punctuality"]) == (
        1, 5, 5, 100.0)
    nosy = client.get(f"{API}/guards/{team.users['supervisor']['id']}/punctuality",
                      query_string={"month": "2026-11"}, headers=team.headers["guard"])
    assert nosy.status_code == 403
    flagged = patrol_site.get(f"/sites/{patrol_site.site_id}/flagged", month="2026-11")
    assert [r["id"] for r in flagged["items"]] == ["round-1"]         # late_submission


def test_a_posts_round_is_walked_by_whichever_guard_holds_the_post(
        client, team, accounts, patrol_site):
    body = patrol_site.schedule_body(id="gate", assignees={"post": "east-gate"},
                                     rrule="FREQ=DAILY;BYHOUR=9;BYMINUTE=0")
    assert patrol_site.post(f"/sites/{patrol_site.site_id}/schedules", body).status_code == 201
    patrol_pass(patrol_site.store, PLANNED_FROM, timedelta(days=1))
    occurrence = patrol_site.occurrence("2026-11-02T09:00")
    args = round_args(occurrence, walk(ON_TIME_WALK), "22:02") | {"id": "gate-round"}
    [engineer] = GuardDevice(client, team.headers["engineer"]).push(args)
    assert engineer["error"]["code"] == "not_assigned"
    on_duty = accounts.user("guard", site_ids=[team.site_a["id"]])
    [walked] = GuardDevice(client, accounts.headers(on_duty)).push(args)
    assert walked["status"] == "applied"


def test_a_round_waits_for_its_photos_and_a_resend_names_them(patrol_site, guard_device):
    occurrence = patrol_site.occurrence("2026-11-02T22:00")
    sha = "ab" * 32
    args = round_args(occurrence, walk(ON_TIME_WALK), "22:02") | {
        "visits": {"cp2": {"photos": [{"sha256": sha}]}}}
    [first] = guard_device.push(args)
    assert (first["status"], first["missing_photos"]) == ("applied", [sha])
    [again] = guard_device.push(args)
    assert (again["status"], again["missing_photos"]) == ("duplicate", [sha])
    [walked] = patrol_site.rounds()
    assert (walked["media"], walked["photos"]) == ("pending", [{"sha256": sha, "item": "cp2"}])
