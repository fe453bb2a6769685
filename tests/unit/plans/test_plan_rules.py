"""Plan rules: loading (bad input named by field), due times, occurrence states and closing."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from checklists import plans
from checklists.plans.matching import candidate_ids, fulfilment_time, summary
from checklists.plans.templates import TEMPLATES, template_plan

SHANGHAI = "Asia/Shanghai"


def plan_doc(**over) -> dict:
    doc = {"id": "p1", "site_id": "s1", "name": "weekly", "checklist_id": "cs-supervision",
           "rrule": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
           "dtstart": "2026-11-30T09:00", "timezone": SHANGHAI,
           "assignee_role": "supervisor", "due_offset": {"days": 4, "hours": 9}}
    return doc | over


def at(text: str) -> datetime:
    """A Shanghai wall-clock time as an aware UTC moment."""
    return datetime.fromisoformat(text + "+08:00").astimezone(UTC)


def errors_of(**over) -> dict:
    with pytest.raises(plans.PlanInvalid) as err:
        plans.load_plan(plan_doc(**over))
    return err.value.errors


def test_self_inspection_is_due_monday_of_the_second_week_before_end_of_work():
    doc = plan_doc(**template_plan("self-inspection"), dtstart="2026-12-01T08:00")
    plan = plans.load_plan(doc)
    occs = plans.generate(plan, at("2026-11-30T00:00"), timedelta(days=200))
    dues = [o["due_at"] for o in occs[:3]]
    # Dec 2026 starts on a Tuesday: the second week opens Monday the 7th;
    # Jan 2027 starts on a Friday: Monday the 4th; Feb 2027 on a Monday: the 8th
    assert dues == ["2026-12-07T10:00:00Z", "2027-01-04T10:00:00Z", "2027-02-08T10:00:00Z"]
    assert occs[0]["closes_at"] == "2027-01-01T00:00:00Z"  # until the next month's start


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_loads(key):
    assert plans.load_plan(plan_doc(**template_plan(key))).template == key


def test_states_follow_the_clock_and_a_late_result_closes_as_late():
    plan = plans.load_plan(plan_doc())
    occ = plans.generate(plan, at("2026-11-30T00:00"), timedelta(days=7))[0]
    assert occ["id"] == "p1.20261130T0900"
    assert plans.state_at(occ, at("2026-11-30T08:59")) == plans.UPCOMING
    assert plans.state_at(occ, at("2026-12-04T17:59")) == plans.DUE
    assert plans.state_at(occ, at("2026-12-04T18:00")) == plans.OVERDUE
    assert plans.state_at(occ, at("2026-12-07T09:00")) == plans.MISSED
    assert plans.clock_left(occ, at("2026-12-04T17:00")) == 3600
    done = plans.close(occ, "r1", at("2026-12-05T10:00"), {"by": "u1"})
    assert (done["status"], done["late"], done["result_id"]) == ("done", True, "r1")
    assert plans.close(done, "r2", at("2026-12-05T11:00"), {}) is None  # first result wins
    assert plans.advanced(done, at("2027-01-01T00:00")) is None


def test_a_missed_occurrence_still_takes_its_result_as_late():
    occ = plans.generate(plans.load_plan(plan_doc()), at("2026-11-30T00:00"), timedelta(days=7))[0]
    missed = plans.advanced(occ, at("2026-12-08T00:00"))
    assert missed["status"] == plans.MISSED
    assert plans.close(missed, "r1", at("2026-12-08T00:00"), {})["late"] is True


def test_matching_finds_the_occurrence_a_moment_falls_in():
    doc = plans.load_plan(plan_doc()).to_doc()
    ids = candidate_ids([summary(doc)], "cs-supervision", at("2026-12-03T15:00"))
    assert ids == ["p1.20261130T0900"]
    assert candidate_ids([summary(doc)], "quality-monthly", at("2026-12-03T15:00")) == []


def test_fulfilment_time_is_the_corrected_device_time_never_after_receipt():
    received = "2026-12-05T02:00:00Z"
    assert fulfilment_time("2026-12-04T09:00:00+08:00", 60_000, received) == \
        datetime(2026, 12, 4, 1, 1, tzinfo=UTC)
    assert fulfilment_time("2026-12-09T09:00:00+08:00", None, received) == \
        datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    assert fulfilment_time(None, None, received) == datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("over, field", [
    ({"rrule": "FREQ=MINUTELY;INTERVAL=5"}, "rrule"),            # absurd numbers
    ({"rrule": "FREQ=HOURLY"}, "rrule"),
    ({"rrule": "FREQ=DAILY;COUNT=0"}, "rrule"),
    ({"rrule": "FREQ=DAILY;UNTIL=20261101T000000"}, "rrule"),   # ends before it starts
    ({"rrule": "every monday"}, "rrule"),
    ({"due_offset": {}}, "due_offset"),                          # due at the start
    ({"due_offset": {"days": -1}}, "due_offset"),                # due before the start
    ({"due_offset": {"hours": 1}, "due_time": "08:00"}, "due_offset"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"assignee_user_id": "u1"}, "assignee_user_id"),             # both a user and a role
    ({"assignee_role": None}, "assignee_user_id"),                # neither
    ({"due_time": "25:00"}, "due_time"),
    ({"surprise": 1}, "surprise"),
])
def test_bad_plans_are_refused_naming_the_field(over, field):
    assert field in errors_of(**over)
