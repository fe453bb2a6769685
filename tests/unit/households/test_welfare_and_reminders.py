"""Welfare checks (not seen for N days -> the seed's procedure) and the due-date reminders."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from checklists.households import (
    WelfareStepRefused, close_task, open_task, record_step, reminders, welfare_checks_due,
)

from .builders import elderly_body, rental_body, stored

NOW = datetime(2026, 11, 15, 9, 0, tzinfo=timezone.utc)
SIGNED = {"summary": "入室勘察", "signatures": [
    {"party": "property", "name": "主管"}, {"party": "family", "name": "王小明"},
    {"party": "authority", "name": "社区"}]}


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


def test_elderly_not_seen_for_n_days_gets_a_welfare_check():
    elderly = stored(elderly_body(), "h1")  # welfare_after_days: 3
    patient = stored(elderly_body(categories=["high_risk_illness"], welfare_after_days=5), "h2")
    rental = stored(rental_body(), "h3")
    last_seen = {"h1": days_ago(3), "h2": days_ago(4.9), "h3": days_ago(30)}
    due = welfare_checks_due([elderly, patient, rental], last_seen, NOW)
    assert [(d["household_id"], d["days_unseen"]) for d in due] == [("h1", 3)]
    assert welfare_checks_due([elderly], {"h1": days_ago(2.9)}, NOW) == []


def test_never_seen_is_due_and_a_going_out_notice_excuses():
    elderly = stored(elderly_body(), "h1")
    assert [d["last_seen"] for d in welfare_checks_due([elderly], {}, NOW)] == [None]
    away = stored(elderly_body(going_out_notices=[{"from": "2026-11-10", "to": "2026-11-15"}]),
                  "h2")
    assert welfare_checks_due([away], {"h2": days_ago(10)}, NOW) == []
    back = stored(elderly_body(going_out_notices=[{"from": "2026-11-01", "to": "2026-11-14"}]),
                  "h3")
    assert len(welfare_checks_due([back], {"h3": days_ago(10)}, NOW)) == 1


def new_task():
    return open_task("t1", stored(elderly_body(), "h1"), "sup", NOW, "not seen for 3 days")


def walk(task, *steps):
    for step, outcome in steps:
        task = record_step(task, step, outcome, "sup", NOW,
                           supervised_by="社区居委会" if step == "supervised_entry" else None)
    return task


def test_answered_knock_closes_without_an_incident_record():
    task = close_task(walk(new_task(), ("knock", "answered")), "found well", "sup", NOW)
    assert task["state"] == "closed" and task["incident_record"] is None
    assert "王" not in str(new_task())  # the task names the place, not the people


def test_the_procedure_runs_in_the_seeds_order():
    with pytest.raises(WelfareStepRefused) as caught:
        walk(new_task(), ("ask_neighbours", "abnormal"))
    assert "step" in caught.value.errors
    with pytest.raises(WelfareStepRefused):  # the door was answered: no need to ask around
        walk(new_task(), ("knock", "answered"), ("ask_neighbours", "abnormal"))
    with pytest.raises(WelfareStepRefused) as caught:
        walk(new_task(), ("knock", "no_answer"), ("ask_neighbours", "abnormal"),
             ("supervised_entry", "nobody_normal"))
    assert "step" in caught.value.errors
    with pytest.raises(WelfareStepRefused) as caught:
        walk(new_task(), ("knock", "maybe"))
    assert "outcome" in caught.value.errors


def test_an_emergency_call_is_never_refused():
    assert walk(new_task(), ("call_120", "called"))["steps"][0]["step"] == "call_120"


def test_entry_needs_a_supervisor_and_closing_needs_three_signatures():
    task = walk(new_task(), ("knock", "no_answer"), ("ask_neighbours", "abnormal"),
                ("call_family", "away_no_contact"))
    with pytest.raises(WelfareStepRefused) as caught:
        record_step(task, "supervised_entry", "seriously_ill", "sup", NOW)
    assert "supervised_by" in caught.value.errors
    task = walk(task, ("supervised_entry", "seriously_ill"))
    with pytest.raises(WelfareStepRefused) as caught:
        close_task(task, "hospital", "sup", NOW, SIGNED)
    assert "call_120" in str(caught.value.errors["steps"])
    task = walk(task, ("call_120", "called"))
    with pytest.raises(WelfareStepRefused) as caught:
        close_task(task, "hospital", "sup", NOW)
    assert "incident_record" in caught.value.errors
    two = {"summary": "x", "signatures": SIGNED["signatures"][:2]}
    with pytest.raises(WelfareStepRefused) as caught:
        close_task(task, "hospital", "sup", NOW, two)
    assert "incident_record.signatures" in caught.value.errors
    closed = close_task(task, "hospital", "sup", NOW, SIGNED)
    assert closed["incident_record"] == SIGNED
    with pytest.raises(WelfareStepRefused) as caught:
        record_step(closed, "knock", "answered", "sup", NOW)
    assert "state" in caught.value.errors


def kinds(found):
    return [(r["kind"], r["state"], r.get("household_id")) for r in found]


def test_pass_expiry_reminded_a_week_either_side():
    rental = stored(rental_body(), "h1")  # pass expires 2026-11-20
    reviewed = date(2026, 11, 1)
    assert kinds(reminders([rental], date(2026, 11, 12), reviewed)) == []
    assert kinds(reminders([rental], date(2026, 11, 13), reviewed)) == [
        ("pass_expiry", "upcoming", "h1")]
    assert kinds(reminders([rental], date(2026, 11, 27), reviewed)) == [
        ("pass_expiry", "due", "h1"), ("monthly_update", "upcoming", None)]
    assert kinds(reminders([rental], date(2026, 11, 28), reviewed)) == [
        ("monthly_update", "upcoming", None)]


def test_monthly_update_stays_due_until_done():
    assert kinds(reminders([], date(2026, 11, 15), None)) == [("monthly_update", "due", None)]
    assert kinds(reminders([], date(2027, 1, 20), date(2026, 11, 1))) == [
        ("monthly_update", "overdue", None)]


def test_due_date_and_long_stays():
    pregnant = stored(elderly_body(categories=["late_pregnancy"], due_date="2026-11-20",
                                   occupants=[]), "h1")
    staying = stored(rental_body(helpers=[], relatives_staying=[
        {"name": "表哥", "since": "2026-11-01"},
        {"name": "表妹", "since": "2026-11-01", "until": "2026-11-10"},
        {"name": "舅舅", "since": "2026-11-01", "registered": True}]), "h2")
    found = reminders([pregnant, staying], date(2026, 11, 15), date(2026, 11, 1))
    assert kinds(found) == [("stay_registration", "upcoming", "h2"), ("due_date", "upcoming", "h1")]
    assert found[0]["stay"] == 0
