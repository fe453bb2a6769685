"""The ticket state machine: who may move, evidence, from-state, old ``done``, the clock."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from checklists.actors import Actor
from checklists.workflow import Acting, IllegalMove, TicketRefused
from checklists.workflow import ticket_fields as tf
from checklists.workflow import tickets as rules

GUARD = Actor("u-g", "guard", {"s1"}, "d-g")
ENGINEER = Actor("u-e", "engineer", {"s1"}, "d-e")
OTHER_ENGINEER = Actor("u-e2", "engineer", {"s1"}, "d-e2")
SUPERVISOR = Actor("u-s", "supervisor", {"s1"}, "d-s")
SUPERVISOR2 = Actor("u-s2", "supervisor", {"s1"})
AT = "2026-11-23T08:00:00+00:00"
PHOTO = "ab" * 32


def by(actor, at=AT):
    return Acting(actor, at, origin=actor.user_id)


def fresh(**fields):
    return tf.new_ticket({"ticket_id": "t1", "site_id": "s1", "title": "Leak",
                          "assignee": "u-e", **fields}, by(SUPERVISOR))


def fixed(**fields):
    t = rules.move(fresh(**fields), "open", "in_progress", by(ENGINEER))
    return rules.move(t, "in_progress", "fixed", by(ENGINEER), note="换阀门", photos=[PHOTO])


def test_the_whole_loop_records_each_step_and_the_fix():
    t = rules.move(fixed(), "fixed", "verified", by(SUPERVISOR))
    t = rules.move(t, "verified", "closed", by(SUPERVISOR))
    assert [(h["from"], h["to"]) for h in t["history"]] == [
        ("open", "in_progress"), ("in_progress", "fixed"), ("fixed", "verified"),
        ("verified", "closed")]
    assert t["fix"] == {"by": "u-e", "at": AT, "note": "换阀门", "photos": [PHOTO]}
    assert t["history"][1]["photos"] == [PHOTO]


def test_a_fix_needs_a_photo_and_a_note():
    t = rules.move(fresh(), "open", "in_progress", by(ENGINEER))
    with pytest.raises(TicketRefused) as info:
        rules.move(t, "in_progress", "fixed", by(ENGINEER), note="done")
    assert (info.value.code, info.value.field) == ("evidence_required", "photos")
    with pytest.raises(TicketRefused) as info:
        rules.move(t, "in_progress", "fixed", by(ENGINEER), note=" ", photos=[PHOTO])
    assert info.value.field == "note"


def test_only_the_assignee_works_an_assigned_ticket():
    with pytest.raises(IllegalMove) as info:
        rules.move(fresh(), "open", "in_progress", by(OTHER_ENGINEER))
    assert info.value.code == "forbidden" and info.value.allowed == []


def test_the_fixer_cannot_verify_their_own_fix_but_another_supervisor_can():
    t = rules.move(fresh(assignee="u-s"), "open", "in_progress", by(SUPERVISOR))
    t = rules.move(t, "in_progress", "fixed", by(SUPERVISOR), note="ok", photos=[PHOTO])
    with pytest.raises(IllegalMove) as info:
        rules.move(t, "fixed", "verified", by(SUPERVISOR))
    assert "fixer" in info.value.message and info.value.allowed == ["reopened"]
    assert rules.move(t, "fixed", "verified", by(SUPERVISOR2))["status"] == "verified"


@pytest.mark.parametrize("actor", [GUARD, ENGINEER])
def test_field_roles_cannot_verify(actor):
    with pytest.raises(IllegalMove) as info:
        rules.move(fixed(), "fixed", "verified", by(actor))
    assert info.value.code == "forbidden"


def test_an_illegal_move_on_a_ticket_already_in_the_target_state_is_refused():
    """Bug (a): an engineer's done→closed on a closed ticket was answered duplicate."""
    closed = rules.move(rules.move(fixed(), "fixed", "verified", by(SUPERVISOR)),
                        "verified", "closed", by(SUPERVISOR))
    with pytest.raises(IllegalMove) as info:
        rules.move(closed, "done", "closed", by(ENGINEER))
    assert info.value.current == "closed" and info.value.allowed == []


def test_the_same_legal_move_made_twice_is_a_duplicate():
    t = rules.move(fresh(), "open", "in_progress", by(ENGINEER))
    assert rules.move(t, "open", "in_progress", by(SUPERVISOR)) is None


def test_a_stale_from_state_is_refused_with_the_allowed_moves():
    t = rules.move(fresh(), "open", "in_progress", by(ENGINEER))
    with pytest.raises(IllegalMove) as info:
        rules.move(t, "open", "disputed", by(ENGINEER), note="not ours")
    assert info.value.code == "stale_state"
    assert (info.value.current, info.value.allowed) == ("in_progress", ["fixed", "disputed"])


def test_a_move_outside_the_machine_names_the_allowed_ones():
    with pytest.raises(IllegalMove) as info:
        rules.move(fresh(), "open", "verified", by(SUPERVISOR))
    assert info.value.code == "invalid_transition"
    assert info.value.allowed == ["in_progress", "closed"]  # a supervisor is no assignee


def test_a_dispute_is_the_assignees_with_a_reason_and_a_supervisor_resolves_it():
    with pytest.raises(IllegalMove):
        rules.move(fresh(), "open", "disputed", by(GUARD), note="x")
    with pytest.raises(TicketRefused, match="reason"):
        rules.move(fresh(), "open", "disputed", by(ENGINEER))
    t = rules.move(fresh(), "open", "disputed", by(ENGINEER), note="not a defect")
    assert rules.allowed_moves(t, by(ENGINEER)) == []
    assert rules.move(t, "disputed", "open", by(SUPERVISOR))["status"] == "open"


def test_closed_is_terminal():
    t = rules.move(fresh(), "open", "closed", by(SUPERVISOR))
    for to in rules.STATES - {"closed"}:
        with pytest.raises(IllegalMove):
            rules.move(t, "closed", to, by(SUPERVISOR))


def test_old_done_tickets_read_as_fixed_and_keep_what_was_stored():
    old = {**fresh(), "status": "done", "v": 3,
           "history": [{"from": "open", "to": "in_progress", "by": "u-e", "at": AT},
                        {"from": "in_progress", "to": "done", "by": "u-e", "at": AT,
                         "note": "sealed"}]}
    read = rules.read_ticket(old)
    assert read["status"] == "fixed" and read["status_stored_as"] == "done"
    assert read["history"][1]["to"] == "fixed" and read["history"][1]["note"] == "sealed"
    assert old["status"] == "done"  # the stored document is untouched
    assert rules.fixer(read) == "u-e"
    verified = rules.move(old, "done", "verified", by(SUPERVISOR))
    assert verified["status"] == "verified" and "status_stored_as" not in verified


# -- the clock -----------------------------------------------------------------------

def at(day, hour=8):
    return datetime(2026, 11, day, hour, tzinfo=timezone.utc)


def test_overdue_until_the_work_is_fixed():
    t = fresh(due_at=at(25).isoformat())
    assert not rules.overdue(t, at(25)) and rules.overdue(t, at(26))
    assert not rules.overdue(fixed(due_at=at(25).isoformat()), at(26))


def test_age_counts_days_open_until_verified_or_closed():
    t = fresh()
    assert rules.age_days(t, at(23)) == 0 and rules.age_days(t, at(30)) == 7
    closed = rules.move(t, "open", "closed", by(SUPERVISOR, at(25).isoformat()))
    assert rules.age_days(closed, at(30)) == 2


def test_work_past_due_or_missing_the_next_inspection_needs_a_written_explanation():
    late = fresh(due_at=at(20).isoformat())
    with pytest.raises(TicketRefused) as info:
        rules.move(late, "open", "in_progress", by(ENGINEER))
    assert (info.value.code, info.value.field) == ("explanation_required",
                                                   "written_explanation")
    misses = fresh(due_at=at(30).isoformat(), next_inspection_at=at(28).isoformat())
    assert rules.explanation_required(misses, at(23))
    explained = tf.edit(misses, {"written_explanation": "配件需订货, 先做临时围挡"},
                        {"written_explanation": 0}, by(ENGINEER))
    assert rules.move(explained, "open", "in_progress", by(ENGINEER))["status"] == "in_progress"
    on_time = fresh(due_at=at(27).isoformat(), next_inspection_at=at(28).isoformat())
    assert rules.clock(on_time, at(23)) == {"overdue": False, "age_days": 0,
                                            "explanation_required": False}


def test_odd_stored_times_give_no_clock_rather_than_an_error():
    odd = {**fresh(), "due_at": "soon", "created": {"at": "2026"}}
    assert rules.clock(odd, at(23)) == {"overdue": False, "age_days": 0,
                                        "explanation_required": False}
