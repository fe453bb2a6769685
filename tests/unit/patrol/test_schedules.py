"""Occurrence generation on the site's clock (with and without DST) and regeneration."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklists.patrol import (
    MAX_ROUNDS_PER_DAY, Occurrence, PatrolInvalid, generate_occurrences, load_schedule,
    reconcile_occurrences,
)
from tests.unit.patrol.builders import schedule, schedule_doc


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def starts(occurrences) -> list[tuple[str, str]]:
    return [(o.local_start.strftime("%m-%d %H:%M"), o.start.strftime("%m-%d %H:%MZ"))
            for o in occurrences]


def test_night_rounds_every_two_hours_in_shanghai_cross_midnight_with_fixed_offsets():
    occ = generate_occurrences(schedule(), utc(2026, 11, 2, 12), timedelta(days=1))
    assert starts(occ) == [("11-02 22:00", "11-02 14:00Z"), ("11-03 00:00", "11-02 16:00Z"),
                           ("11-03 02:00", "11-02 18:00Z"), ("11-03 04:00", "11-02 20:00Z"),
                           ("11-03 06:00", "11-02 22:00Z")]
    first = occ[0]
    assert first.id == "night.v1.20261102T2200"
    assert (first.opens, first.late_after, first.deadline) == (
        utc(2026, 11, 2, 13, 55), utc(2026, 11, 2, 14, 15), utc(2026, 11, 2, 15))
    assert first.assignees.guards == ("guard-wang",)


def test_berlin_autumn_night_keeps_each_wall_clock_round_and_the_repeated_hour_once():
    sched = schedule(timezone="Europe/Berlin", dtstart="2026-10-01T22:00")
    occ = generate_occurrences(sched, utc(2026, 10, 24, 12), timedelta(days=1))
    # clocks go back at 03:00 CEST on 25 Oct: 02:00 happens twice, the round is the first one
    assert starts(occ) == [("10-24 22:00", "10-24 20:00Z"), ("10-25 00:00", "10-24 22:00Z"),
                           ("10-25 02:00", "10-25 00:00Z"), ("10-25 04:00", "10-25 03:00Z"),
                           ("10-25 06:00", "10-25 05:00Z")]


def test_berlin_spring_night_moves_the_skipped_hour_forward_rfc5545_style():
    sched = schedule(timezone="Europe/Berlin", rrule="FREQ=DAILY;BYHOUR=22,0,2,3,4;BYMINUTE=30",
                     dtstart="2027-03-01T22:30")
    occ = generate_occurrences(sched, utc(2027, 3, 27, 12), timedelta(days=1))
    # 02:30 does not exist on 28 Mar: read with the offset before the gap = 03:30 CEST,
    # the same instant as the 03:30 round, which is kept once
    assert starts(occ) == [("03-27 22:30", "03-27 21:30Z"), ("03-28 00:30", "03-27 23:30Z"),
                           ("03-28 02:30", "03-28 01:30Z"), ("03-28 04:30", "03-28 02:30Z")]


def test_generation_is_deterministic_and_windowed():
    since = utc(2026, 11, 3, 0)
    week = generate_occurrences(schedule(), since)
    assert week == generate_occurrences(schedule(), since)
    assert len(week) == 35 and len({o.id for o in week}) == 35
    assert all(since <= o.start < since + timedelta(days=7) for o in week)
    assert [Occurrence.from_doc(o.to_doc()) for o in week] == week


def test_a_rule_producing_too_many_rounds_a_day_is_refused_naming_the_field():
    with pytest.raises(PatrolInvalid) as err:
        load_schedule(schedule_doc(rrule="FREQ=MINUTELY;INTERVAL=5"))
    assert list(err.value.errors) == ["rrule"]
    assert f"more than {MAX_ROUNDS_PER_DAY} rounds" in err.value.errors["rrule"][0]
    load_schedule(schedule_doc(rrule="FREQ=MINUTELY;INTERVAL=15"))      # 96 a day: allowed


@pytest.mark.parametrize("rule, message", [
    ("FREQ=SOMETIMES", "not a valid RRULE"),
    ("BYHOUR=22", "needs FREQ="),
    ("FREQ=DAILY;BYHOUR=25", "not a valid RRULE"),
    ("FREQ=DAILY\nDTSTART:20260101T000000", "only the RRULE value"),
    ("FREQ=DAILY;UNTIL=20261231T000000Z", "without Z"),
])
def test_invalid_rules_are_refused_with_the_reason(rule, message):
    with pytest.raises(PatrolInvalid) as err:
        load_schedule(schedule_doc(rrule=rule))
    assert message in err.value.errors["rrule"][0]


def test_bad_schedule_fields_are_each_named():
    with pytest.raises(PatrolInvalid) as err:
        load_schedule(schedule_doc(timezone="Mars/Olympus", grace_min=30, deadline_min=20,
                                   assignees={"guards": ["a"], "post": "gate"}))
    assert set(err.value.errors) == {"assignees", "deadline_min", "timezone"}
    with pytest.raises(PatrolInvalid) as err:
        load_schedule(schedule_doc(dtstart="2026-11-01T22:00+08:00", timing={"mode": "window"}))
    assert set(err.value.errors) == {"dtstart", "timing.windows"}


def test_a_schedule_document_round_trips():
    sched = schedule(timing={"mode": "window", "windows": [
        {"checkpoint_id": "cp1", "open_min": 0, "close_min": 10}]}, assignees={"post": "east-gate"})
    assert load_schedule(sched.to_doc()) == sched


def test_an_occurrence_document_round_trips_with_windows_and_a_post():
    sched = schedule(assignees={"post": "east-gate"}, timing={"mode": "window", "windows": [
        {"checkpoint_id": "cp1", "open_min": 0, "close_min": 10}]})
    [occ] = generate_occurrences(sched, utc(2026, 11, 2, 14), timedelta(minutes=1))
    assert Occurrence.from_doc(json.loads(json.dumps(occ.to_doc()))) == occ
    assert occ.to_doc()["assignees"] == {"post": "east-gate"}


def week_of(sched, since):
    return generate_occurrences(sched, since)


def test_regenerating_the_same_version_changes_nothing():
    since = utc(2026, 11, 3, 0)
    old = week_of(schedule(), since)
    plan = reconcile_occurrences(old, set(), schedule(), since)
    assert (plan.add, plan.cancel) == ((), ())
    assert plan.keep == tuple(old)


def test_an_edit_keeps_rounds_with_scans_and_past_ones_and_never_doubles_a_time():
    generated_at = utc(2026, 11, 3, 0)
    old = week_of(schedule(), generated_at)
    now = utc(2026, 11, 4, 0)                                   # a day later
    past = [o for o in old if o.start < now]
    scanned = next(o for o in old if o.start >= now)            # a round under way with scans
    edited = schedule(version=2, rrule="FREQ=DAILY;BYHOUR=22,1,4;BYMINUTE=0")
    plan = reconcile_occurrences(old, {scanned.id}, edited, now)
    assert set(plan.keep) == set(past) | {scanned}
    assert all(o.status == "cancelled" for o in plan.cancel)
    assert {o.id for o in plan.cancel} == {o.id for o in old} - {o.id for o in plan.keep}
    assert all(o.schedule_version == 2 for o in plan.add)
    # the 22:00 slot of the scanned round is not planned again by version 2
    active = list(plan.keep) + list(plan.add)
    assert len({o.slot for o in active}) == len(active)
    assert scanned.slot not in {o.slot for o in plan.add}
    assert len([o for o in plan.add if o.local_start.hour == 1]) == 7


def test_cancelled_rounds_stay_cancelled_and_are_not_offered_again():
    since = utc(2026, 11, 3, 0)
    v1 = week_of(schedule(), since)
    v2 = schedule(version=2, rrule="FREQ=DAILY;BYHOUR=23;BYMINUTE=0")
    first = reconcile_occurrences(v1, set(), v2, since)
    stored = list(first.keep) + list(first.cancel) + list(first.add)
    again = reconcile_occurrences(stored, set(), v2, since)
    assert again.add == () and again.cancel == ()


hours = st.lists(st.integers(0, 23), min_size=1, max_size=6, unique=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hours, hours, st.integers(0, 6 * 24), st.data())
def test_reconciling_any_edit_loses_no_scanned_round_and_doubles_no_time(old_hours, new_hours,
                                                                         hours_later, data):
    generated_at = utc(2026, 11, 3, 0)
    rule = "FREQ=DAILY;BYMINUTE=0;BYHOUR="
    old = week_of(schedule(rrule=rule + ",".join(map(str, old_hours))), generated_at)
    scanned = set(data.draw(st.lists(st.sampled_from([o.id for o in old]), max_size=5))
                  if old else [])
    now = generated_at + timedelta(hours=hours_later)
    edited = schedule(version=2, rrule=rule + ",".join(map(str, new_hours)))
    plan = reconcile_occurrences(old, scanned, edited, now)
    active = list(plan.keep) + list(plan.add)
    assert len({o.slot for o in active}) == len(active)                   # one round per time
    assert scanned <= {o.id for o in plan.keep}                           # scanned rounds kept
    assert {o.id for o in old} == {o.id for o in plan.keep} | {o.id for o in plan.cancel}
    assert all(o.start >= now for o in plan.cancel)                       # history untouched
    wanted = {o.slot for o in generate_occurrences(edited, now)}
    assert wanted <= {o.slot for o in active}                             # the new plan is served


def test_a_shorter_horizon_cancels_none_of_the_rounds_planned_further_ahead():
    since = utc(2026, 11, 3, 0)
    old = week_of(schedule(), since)
    plan = reconcile_occurrences(old, set(), schedule(), since, timedelta(days=2))
    assert (plan.add, plan.cancel) == ((), ())
    # an edit still cancels the old version's rounds beyond the new horizon
    edited = schedule(version=2, rrule="FREQ=DAILY;BYHOUR=23;BYMINUTE=0")
    plan = reconcile_occurrences(old, set(), edited, since, timedelta(days=2))
    assert len(plan.cancel) == 35 and len(plan.add) == 2
