"""The issue's hand-built nights through the whole server stack.

Set up through the API as a supervisor, planned by the server's pass, pushed
by the guard's device through sync, read back through the API with each
verdict explained. The verdicts are those of ``tests/unit/patrol/
test_timelines.py`` (the pure judge), plus what only the server knows: the
round arrived weeks after the night (``late_submission``) and the device
clock offset it measured at the push.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.unit.patrol.builders import local, scan, walk

ON_TIME_WALK = ["22:05", "22:07", "22:09", "22:11", "22:13"]


def round_args(occurrence: dict, scans: list[dict], started: str, finished: str | None = None,
               round_id: str = "round-1", shift_min: float = 0) -> dict:
    shift = timedelta(minutes=shift_min)
    return {"id": round_id, "occurrence_id": occurrence["id"], "route_id": "night-walk",
            "route_version": 1, "started_at": (local(started) + shift).isoformat(),
            "finished_at": None if finished is None else (local(finished) + shift).isoformat(),
            "scans": scans}


def judged(patrol_site, guard_device, scans, started, *, local_start="2026-11-02T22:00",
           sent_at=None, **kw) -> dict:
    occurrence = patrol_site.occurrence(local_start)
    [answer] = guard_device.push(round_args(occurrence, scans, started, **kw), sent_at=sent_at)
    assert answer["status"] == "applied", answer
    [walked] = [r for r in patrol_site.rounds(local_start[:10]) if r["id"] == "round-1"]
    return walked["verdict"]


def statuses(verdict: dict) -> list[str]:
    return [c["status"] for c in verdict["checkpoints"]]


def flag_codes(verdict: dict) -> list[str]:
    return [f["code"] for f in verdict["flags"]]


def test_a_punctual_round_is_completed_and_explained_in_both_languages(patrol_site, guard_device):
    verdict = judged(patrol_site, guard_device, walk(ON_TIME_WALK), "22:02", finished="22:14")
    assert (verdict["status"], verdict["start_status"], verdict["punctuality"]) == (
        "completed", "start_on_time", 100.0)
    assert statuses(verdict) == ["on_time"] * 5
    assert flag_codes(verdict) == ["late_submission"]       # pushed weeks after the night
    lines = verdict["lines"]
    assert lines[0]["zh"] == "巡更完成: 5/5个巡更点, 准时率100%"
    assert "第1点「北门」22:05到达, 准时 (应在22:02–22:12)" in [ln["zh"] for ln in lines]
    assert patrol_site.occurrence("2026-11-02T22:00")["round_id"] == "round-1"


def test_a_late_start(patrol_site, guard_device):
    times = ["22:36", "22:38", "22:40", "22:42", "22:44"]
    verdict = judged(patrol_site, guard_device, walk(times), "22:31", finished="22:45")
    assert verdict["start_status"] == "start_late"
    start = [ln for ln in verdict["lines"] if ln["code"] == "start_late"][0]
    assert start["zh"] == "迟开始31分钟 (22:31, 计划22:00, 宽限15分钟)"


def test_a_skipped_checkpoint(patrol_site, guard_device):
    verdict = judged(patrol_site, guard_device, walk(["22:05", "22:07", "22:11", "22:13"],
                                                     tags=[1, 2, 4, 5]), "22:02")
    assert (verdict["status"], verdict["punctuality"]) == ("partial", 80.0)
    assert statuses(verdict) == ["on_time", "on_time", "missed", "on_time", "on_time"]
    assert "第3点「2栋」漏巡" in [ln["zh"] for ln in verdict["lines"]]


def test_a_route_walked_in_reverse(patrol_site, guard_device):
    verdict = judged(patrol_site, guard_device, walk(ON_TIME_WALK, tags=[5, 4, 3, 2, 1]), "22:02")
    assert verdict["status"] == "completed"
    assert statuses(verdict) == ["on_time"] + ["out_of_order"] * 4


def test_a_device_clock_40_minutes_fast_is_measured_at_the_push_and_corrected(
        patrol_site, guard_device):
    fast = datetime.now(UTC) + timedelta(minutes=40)          # what the device says it is
    verdict = judged(patrol_site, guard_device, walk(ON_TIME_WALK, device_shift_min=40), "22:02",
                     finished="22:14", shift_min=40, sent_at=fast)
    assert (verdict["status"], verdict["start_status"]) == ("completed", "start_on_time")
    assert statuses(verdict) == ["on_time"] * 5
    [skew] = [f for f in verdict["flags"] if f["code"] == "clock_skew"]
    assert skew["evidence"]["minutes"] == -40.0
    assert round(verdict["clock_offset_s"]) == -2400


def test_a_teleport_between_checkpoints(patrol_site, guard_device):
    verdict = judged(patrol_site, guard_device, walk(["22:05", "22:07", "22:07:30"],
                                                     tags=[1, 2, 5]), "22:02")
    [travel] = [f for f in verdict["flags"] if f["code"] == "impossible_travel"]
    assert travel["evidence"] == {"from": "1栋", "to": "南门", "distance_m": 300.0,
                                  "seconds": 30.0, "speed_kmh": 36.0}


def test_a_manual_code_counts_but_is_flagged(patrol_site, guard_device):
    scans = walk(ON_TIME_WALK)
    scans[2]["method"] = "manual"
    verdict = judged(patrol_site, guard_device, scans, "22:02")
    assert statuses(verdict) == ["on_time"] * 5
    assert flag_codes(verdict) == ["manual_entry", "late_submission"]


def test_a_round_crossing_midnight_belongs_to_the_day_it_started(patrol_site, guard_device):
    times = ["+1 00:05", "+1 00:07", "+1 00:09", "+1 00:11", "+1 00:13"]
    verdict = judged(patrol_site, guard_device, walk(times), "+1 00:02",
                     local_start="2026-11-03T00:00")
    assert statuses(verdict) == ["on_time"] * 5
    assert patrol_site.rounds("2026-11-02") == []


@pytest.mark.parametrize("bad, field", [
    ({"gps": {"lat": 200, "lon": 121.4, "accuracy_m": 5}}, "scans[0].gps.lat"),
    ({"gps": {"lat": 31.2, "lon": 121.4, "accuracy_m": 1e9}}, "scans[0].gps.accuracy_m"),
    ({"at": "2026-11-02T22:05:00"}, "scans[0].at"),
    ({"method": "telepathy"}, "scans[0].method"),
])
def test_a_round_that_cannot_be_judged_is_rejected_naming_the_field(
        patrol_site, guard_device, bad, field):
    scans = walk(ON_TIME_WALK)
    scans[0].update(bad)
    occurrence = patrol_site.occurrence("2026-11-02T22:00")
    [answer] = guard_device.push(round_args(occurrence, scans, "22:02"))
    assert answer["status"] == "rejected"
    assert answer["error"]["code"] == "invalid_args"
    assert field in answer["error"]["errors"]
    assert patrol_site.occurrence("2026-11-02T22:00")["round_id"] is None


def test_unknown_tags_and_scans_out_of_order_are_flagged_not_refused(patrol_site, guard_device):
    scans = walk(ON_TIME_WALK)
    scans[1], scans[2] = scans[2], scans[1]
    scans.append(scan("NO-SUCH-TAG", "22:14", method="manual"))
    verdict = judged(patrol_site, guard_device, scans, "22:02")
    assert statuses(verdict) == ["on_time"] * 5
    assert flag_codes(verdict)[:2] == ["scans_out_of_time_order", "unexpected_scans"]
    assert [u["tag"] for u in verdict["unexpected"]] == ["NO-SUCH-TAG"]
