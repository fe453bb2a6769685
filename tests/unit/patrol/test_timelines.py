"""Hand-built nights with their verdicts written out.

The 22:00 round of 2 Nov 2026 (Asia/Shanghai): may start from 21:55, late
after 22:15, missed at 23:00. The route walks 北门 → 1栋 → 2栋 → 地下车库 →
南门, 100 m apart: the first scan within 5 ± 5 min of the start, then each
2 ± 1 min after the one before.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from checklists.patrol import (
    explain_record, generate_occurrences, judge_round, load_round_result, overdue_occurrences,
)
from tests.unit.patrol.builders import (
    checkpoints, context, local, occurrence_at, result, route, route_doc, scan, schedule, walk,
)

ROUTE = route()
SCHEDULE = schedule()
OCC = occurrence_at(SCHEDULE, "22:00")
ON_TIME_WALK = ["22:05", "22:07", "22:09", "22:11", "22:13"]


def statuses(verdict) -> list[str]:
    return [c.status for c in verdict.checkpoints]


def codes(verdict) -> list[str]:
    return [line["code"] for line in verdict.to_dict()["lines"]]


def test_a_punctual_round_is_completed_on_time_and_says_so_line_by_line():
    verdict = judge_round(ROUTE, OCC, result(OCC, walk(ON_TIME_WALK), "22:02", "22:14"), context())
    assert (verdict.status, verdict.start_status, verdict.punctuality) == (
        "completed", "start_on_time", 100.0)
    assert statuses(verdict) == ["on_time"] * 5
    assert [g.verdict for g in verdict.gaps] == ["ok"] * 4
    assert verdict.flags == ()
    lines = verdict.to_dict()["lines"]
    assert lines[0]["zh"] == "巡更完成: 5/5个巡更点, 准时率100%"
    assert lines[1]["en"] == "started on time (22:02, scheduled 22:00, grace 15 min)"
    assert lines[2]["zh"] == "第1点「北门」22:05到达, 准时 (应在22:02–22:12)"
    assert lines[3]["en"] == "#2 1栋 at 22:07: on time (22:06–22:08)"


def test_a_late_start_is_late_though_the_walk_itself_keeps_its_pace():
    times = ["22:36", "22:38", "22:40", "22:42", "22:44"]
    verdict = judge_round(ROUTE, OCC, result(OCC, walk(times), "22:31", "22:45"), context())
    assert verdict.start_status == "start_late"
    assert statuses(verdict) == ["on_time"] * 5
    start_line = verdict.to_dict()["lines"][1]
    assert start_line["code"] == "start_late"
    assert start_line["numbers"]["minutes"] == 31.0
    assert start_line["zh"] == "迟开始31分钟 (22:31, 计划22:00, 宽限15分钟)"


def test_with_absolute_windows_a_late_start_makes_every_checkpoint_late():
    windows = [{"checkpoint_id": f"cp{n}", "open_min": 2 * n, "close_min": 2 * n + 10}
               for n in range(1, 6)]
    sched = schedule(timing={"mode": "window", "windows": windows})
    occ = occurrence_at(sched, "22:00")
    times = ["22:36", "22:38", "22:40", "22:42", "22:44"]
    verdict = judge_round(ROUTE, occ, result(occ, walk(times), "22:31"), context())
    assert statuses(verdict) == ["late"] * 5
    assert [c.off_s for c in verdict.checkpoints] == [24 * 60.0] * 5
    assert verdict.punctuality == 0.0
    assert verdict.to_dict()["lines"][2]["en"] == "#1 北门 at 22:36: 24 min late (22:02–22:12)"


def test_a_skipped_checkpoint_is_missed_and_the_round_partial():
    times = ["22:05", "22:07", "22:11", "22:13"]
    verdict = judge_round(ROUTE, OCC, result(OCC, walk(times, tags=[1, 2, 4, 5]), "22:02"),
                          context())
    assert verdict.status == "partial"
    assert statuses(verdict) == ["on_time", "on_time", "missed", "on_time", "on_time"]
    assert verdict.punctuality == 80.0
    # 1栋 → 地下车库 skips 2栋: expected 2 walks (4 ± 2 min), took 4
    gap = verdict.gaps[1]
    assert (gap.from_id, gap.to_id, gap.seconds, gap.expected_s, gap.tolerance_s, gap.verdict) == (
        "cp2", "cp4", 240.0, 240, 120, "ok")
    assert "第3点「2栋」漏巡" in [ln["zh"] for ln in verdict.to_dict()["lines"]]


def test_a_route_walked_in_reverse_is_out_of_order_but_every_checkpoint_was_visited():
    verdict = judge_round(ROUTE, OCC, result(OCC, walk(ON_TIME_WALK, tags=[5, 4, 3, 2, 1]), "22:02"),
                          context())
    assert verdict.status == "completed"
    # one visit can be in route order; the other four are blamed
    assert statuses(verdict) == ["on_time"] + ["out_of_order"] * 4
    assert verdict.punctuality == 20.0


def test_an_any_order_route_walked_in_reverse_is_on_time():
    any_order = route(order="any")
    verdict = judge_round(any_order, OCC, result(OCC, walk(ON_TIME_WALK, tags=[5, 4, 3, 2, 1]),
                                                 "22:02"), context())
    assert statuses(verdict) == ["on_time"] * 5
    assert verdict.checkpoint("cp5").expected_from is None       # may start anywhere
    assert [g.verdict for g in verdict.gaps] == ["ok"] * 4


def test_one_stray_scan_does_not_condemn_the_whole_walk():
    times = ["22:05", "22:07", "22:09", "22:11", "22:13"]
    verdict = judge_round(ROUTE, OCC, result(OCC, walk(times, tags=[4, 1, 2, 3, 5]), "22:02"),
                          context())
    assert statuses(verdict)[3] == "out_of_order"
    assert statuses(verdict).count("out_of_order") == 1


def test_a_device_clock_40_minutes_fast_is_corrected_and_flagged():
    scans = walk(ON_TIME_WALK, device_shift_min=40)
    fast = result(OCC, scans, "22:02", "22:14", device_shift_min=40)
    site = context()
    verdict = judge_round(ROUTE, OCC, fast, site.with_round(clock_offset_s=-2400))
    assert (verdict.status, verdict.start_status) == ("completed", "start_on_time")
    assert statuses(verdict) == ["on_time"] * 5
    assert verdict.flags[0].code == "clock_skew"
    assert verdict.flags[0].evidence == {"minutes": -40.0, "seconds": -2400}
    skew = [ln for ln in verdict.to_dict()["lines"] if ln["code"] == "clock_skew"][0]
    assert skew["en"] == "device clock off by -40 min (measured at sync); every time corrected"
    # uncorrected, the same round would look 40 minutes late
    naive = judge_round(ROUTE, OCC, fast, site)
    assert naive.start_status == "start_late"


def test_a_teleport_between_checkpoints_is_impossible_travel_with_its_evidence():
    scans = walk(["22:05", "22:07", "22:07:30"], tags=[1, 2, 5])
    verdict = judge_round(ROUTE, OCC, result(OCC, scans, "22:02"), context())
    travel = [f for f in verdict.flags if f.code == "impossible_travel"]
    assert len(travel) == 1
    assert travel[0].evidence == {"from": "1栋", "to": "南门", "distance_m": 300.0,
                                  "seconds": 30.0, "speed_kmh": 36.0}
    assert statuses(verdict) == ["on_time", "on_time", "missed", "missed", "early"]
    assert [g.verdict for g in verdict.gaps] == ["ok", "short"]


def test_a_scan_whose_fix_is_far_beyond_radius_and_accuracy_is_flagged():
    far = {"lat": 31.2000, "lon": 121.4100, "accuracy_m": 15}       # ~950 m east
    near = {"lat": 31.2009, "lon": 121.4003, "accuracy_m": 25}      # ~29 m: within 20 m + 25 m
    scans = walk(ON_TIME_WALK)
    scans[0]["gps"], scans[1]["gps"] = far, near
    verdict = judge_round(ROUTE, OCC, result(OCC, scans, "22:02"), context())
    [flag] = [f for f in verdict.flags if f.code == "gps_outside"]
    assert flag.checkpoint_id == "cp1"
    assert flag.evidence["radius_m"] == 20 and flag.evidence["accuracy_m"] == 15.0
    assert 940 < flag.evidence["distance_m"] < 960


def test_a_manual_code_counts_for_its_checkpoint_but_is_flagged():
    scans = walk(ON_TIME_WALK)
    scans[2]["method"] = "manual"
    verdict = judge_round(ROUTE, OCC, result(OCC, scans, "22:02"), context())
    assert statuses(verdict) == ["on_time"] * 5
    assert verdict.checkpoint("cp3").manual is True
    assert [f.code for f in verdict.flags] == ["manual_entry"]
    manual = [ln for ln in verdict.to_dict()["lines"] if ln["code"] == "manual"][0]
    assert manual["zh"] == "第3点「2栋」为手工输入编码「TAG-3」, 非扫码, 需复核"


def test_a_round_arriving_two_days_after_being_marked_missed_keeps_both_facts():
    assert overdue_occurrences([OCC], set(), local("22:59")) == []
    [missed] = overdue_occurrences([OCC], set(), local("23:00"))
    assert missed.status == "missed"
    assert overdue_occurrences([missed], set(), local("23:30")) == []      # idempotent
    received = local("+2 23:30")
    verdict = judge_round(ROUTE, missed, result(OCC, walk(ON_TIME_WALK), "22:02", "22:14"),
                          context(marked_missed_at=local("23:00"), received_at=received))
    assert (verdict.status, verdict.punctuality) == ("completed", 100.0)     # its own times
    assert verdict.was_marked_missed and verdict.late_arrival
    assert [f.code for f in verdict.flags] == ["late_submission"]
    assert verdict.flags[0].evidence == {"hours": 49.3}
    assert codes(verdict)[:3] == ["round_completed", "was_marked_missed", "late_arrival"]


def test_without_a_result_a_round_is_not_started_then_missed():
    before = judge_round(ROUTE, OCC, None, context(now=local("22:30")))
    assert (before.status, before.punctuality, before.checkpoints) == ("not_started", None, ())
    after = judge_round(ROUTE, OCC, None, context(now=local("23:00")))
    assert after.status == "missed" and after.punctuality == 0.0
    assert statuses(after) == ["missed"] * 5
    assert after.to_dict()["lines"][0]["zh"] == "漏巡: 截止23:00前没有巡更记录 (0/5)"


def test_scans_of_another_route_and_unknown_codes_are_unexpected_not_errors():
    scans = walk(ON_TIME_WALK)
    scans.insert(2, scan("TAG-9", "22:08"))
    scans.insert(3, scan("NO-SUCH-TAG", "22:08:30", method="manual"))
    verdict = judge_round(ROUTE, OCC, result(OCC, scans, "22:02"), context())
    assert statuses(verdict) == ["on_time"] * 5
    assert [(u.tag, u.checkpoint_id) for u in verdict.unexpected] == [
        ("TAG-9", "cp9"), ("NO-SUCH-TAG", None)]
    assert [(f.code, f.evidence) for f in verdict.flags] == [("unexpected_scans", {"count": 2})]
    lines = {ln["code"]: ln for ln in verdict.to_dict()["lines"]}
    assert lines["unexpected_tag"]["zh"] == "22:08扫了本路线以外的巡更点「泳池」(TAG-9)"
    assert lines["unknown_tag"]["en"] == "22:08: code NO-SUCH-TAG is no checkpoint of this site"


def test_scans_out_of_time_order_are_sorted_and_flagged():
    scans = walk(ON_TIME_WALK)
    scans[1], scans[2] = scans[2], scans[1]
    verdict = judge_round(ROUTE, OCC, result(OCC, scans, "22:02"), context())
    assert statuses(verdict) == ["on_time"] * 5
    assert verdict.flags[0].code == "scans_out_of_time_order"
    assert verdict.flags[0].evidence == {"scan": 2, "count": 1}


def test_rapid_duplicate_scans_are_flagged_and_count_once():
    scans = walk(ON_TIME_WALK)
    scans.insert(1, scan("TAG-1", "22:05:20"))
    scans.insert(2, scan("TAG-1", "22:05:50"))
    verdict = judge_round(ROUTE, OCC, result(OCC, scans, "22:02"), context())
    assert verdict.scanned == 5 and statuses(verdict) == ["on_time"] * 5
    [flag] = verdict.flags
    assert (flag.code, flag.evidence) == ("rapid_duplicate", {"tag": "TAG-1", "repeats": 2,
                                                              "seconds": 20.0})


def test_photo_exif_far_from_its_scan_missing_photo_and_short_dwell():
    ctx = context(checkpoints=checkpoints(cp2={"photo_required": True},
                                          cp4={"photo_required": True}))
    dwelling = route(stops=[{**s, "min_dwell_s": 60} for s in route_doc()["stops"]])
    visits = {"cp2": {"photos": [{"sha256": "a" * 64, "exif_time": "2026-11-02T21:30:00"}],
                      "done_at": local("22:07:20").isoformat()}}
    verdict = judge_round(dwelling, OCC, result(OCC, walk(ON_TIME_WALK), "22:02", "22:14",
                                               visits=visits), ctx)
    assert {f.code: f.checkpoint_id for f in verdict.flags} == {
        "photo_missing": "cp4", "photo_time_far": "cp2"}
    assert [f.evidence for f in verdict.flags if f.code == "photo_time_far"][0]["minutes"] == 37.0
    assert [c.short_dwell for c in verdict.checkpoints] == [False, True, False, False, False]
    assert verdict.checkpoint("cp2").dwell_s == 20.0


def test_a_stored_record_renders_the_same_explanation():
    verdict = judge_round(ROUTE, OCC, result(OCC, walk(ON_TIME_WALK[:3]), "22:20"), context())
    record = verdict.to_record()
    assert "lines" not in record
    stored = json.loads(json.dumps(record))
    assert explain_record(stored) == verdict.to_dict()
    assert datetime.fromisoformat(record["started_at"]) == local("22:20")


def test_a_round_crossing_midnight():
    sched = schedule(rrule="FREQ=DAILY;BYHOUR=23;BYMINUTE=50", deadline_min=40)
    occ = occurrence_at(sched, "23:50")
    assert occ.local_start.isoformat() == "2026-11-02T23:50:00"
    times = ["23:55", "23:57", "23:59", "+1 00:01", "+1 00:03"]
    verdict = judge_round(ROUTE, occ, result(occ, walk(times), "23:51"), context())
    assert statuses(verdict) == ["on_time"] * 5
    late = judge_round(ROUTE, occ, result(occ, walk(times[:4] + ["+1 00:31"]), "23:51"), context())
    assert late.checkpoints[4].status == "late"
    assert late.checkpoints[4].off_s == 60.0 * 27            # 00:31 vs 00:04 at the latest
    assert timedelta(minutes=40) == occ.deadline - occ.start


def test_a_berlin_round_through_the_autumn_clock_change_is_judged_on_real_time():
    sched = schedule(timezone="Europe/Berlin", rrule="FREQ=DAILY;BYHOUR=2;BYMINUTE=30",
                     dtstart="2026-10-01T02:30")
    [occ] = generate_occurrences(sched, datetime.fromisoformat("2026-10-25T00:00:00+00:00"),
                                 timedelta(hours=3))
    # 02:30 happens twice that night: the round is the first (CEST, 00:30 UTC)
    assert occ.start.isoformat() == "2026-10-25T00:30:00+00:00"
    # the guard walks through 03:00 CEST, when clocks go back to 02:00 CET
    times = ["02:52:00+02:00", "02:54:00+02:00", "02:56:00+02:00", "02:58:00+02:00",
             "02:00:00+01:00"]
    scans = [{"tag": f"TAG-{n}", "at": f"2026-10-25T{t}", "method": "nfc"}
             for n, t in enumerate(times, 1)]
    doc = {"id": "r-berlin", "occurrence_id": occ.id, "route_id": "night-walk", "route_version": 1,
           "started_at": "2026-10-25T02:44:00+02:00", "scans": scans}
    verdict = judge_round(ROUTE, occ, load_round_result(doc), context())
    assert statuses(verdict) == ["on_time"] * 5
    assert not verdict.flags                                # no "scans out of time order"
    lines = verdict.to_dict()["lines"]
    assert lines[1]["en"] == "started on time (02:44, scheduled 02:30, grace 15 min)"
    assert lines[-1]["zh"] == "「地下车库」→「南门」用时2分钟, 正常 (预计2±1分钟)"
    assert [ln["numbers"]["at"] for ln in lines if ln["code"] == "on_time"] == [
        "02:52", "02:54", "02:56", "02:58", "02:00"]
