"""Ticket rules: field merge by version, role and arrival; the state machine; comments."""
from __future__ import annotations

import pytest

from sync import tickets
from checklists.actors import Actor
from sync.context import MutationContext
from sync.errors import Rejected

GUARD = Actor("u-g", "guard", {"s1"}, "d-g")
ENGINEER = Actor("u-e", "engineer", {"s1"}, "d-e")
SUPERVISOR = Actor("u-s", "supervisor", {"s1"}, "d-s")
ADMIN = Actor("u-a", "admin", {"s1"}, "d-a")


def ctx(actor, mid=1, at="2026-11-23T08:00:00+00:00"):
    return MutationContext(actor, f"c-{actor.user_id}", mid, None, at)


def fresh(**fields):
    return tickets.new_ticket({"ticket_id": "t1", "site_id": "s1", "title": "Leak", **fields},
                              ctx(SUPERVISOR))


def test_new_ticket_versions_its_fields():
    t = fresh(description="wet", priority="high")
    assert t["status"] == "open" and t["v"] == 1
    assert t["fv"] == {"title": 1, "description": 1, "priority": 1}
    assert t["fw"]["title"]["role"] == "supervisor"


def test_edit_from_current_version_applies_and_bumps():
    t = tickets.edit(fresh(), {"work_notes": "seal replaced"}, {"work_notes": 0}, ctx(GUARD))
    assert t["work_notes"] == "seal replaced" and t["fv"]["work_notes"] == 1
    assert t["conflicts"] == []


def test_edit_does_not_mutate_its_input():
    original = fresh()
    tickets.edit(original, {"title": "x"}, {"title": 1}, ctx(SUPERVISOR))
    assert original["title"] == "Leak" and original["fv"]["title"] == 1


def test_stale_edit_by_non_owner_loses_and_is_kept():
    t = tickets.edit(fresh(), {"title": "Burst pipe"}, {"title": 1}, ctx(SUPERVISOR, 1))
    t = tickets.edit(t, {"title": "Small drip"}, {"title": 1}, ctx(GUARD, 2))
    assert t["title"] == "Burst pipe" and t["fv"]["title"] == 2
    [conflict] = t["conflicts"]
    assert conflict["field"] == "title" and conflict["lost_value"] == "Small drip"
    assert conflict["lost_by"]["by"] == "u-g" and conflict["kept_value"] == "Burst pipe"


def test_stale_edit_by_owner_wins_and_overwritten_value_is_kept():
    t = tickets.edit(fresh(), {"work_notes": "office guess"}, {"work_notes": 0},
                     ctx(SUPERVISOR, 1))
    t = tickets.edit(t, {"work_notes": "valve swapped"}, {"work_notes": 0}, ctx(ENGINEER, 2))
    assert t["work_notes"] == "valve swapped" and t["fv"]["work_notes"] == 2
    assert [(c["lost_value"], c["kept_value"]) for c in t["conflicts"]] == [
        ("office guess", "valve swapped")]


def test_stale_edit_same_role_later_arrival_wins():
    t = tickets.edit(fresh(), {"cause": "rust"}, {"cause": 0}, ctx(GUARD, 1))
    t = tickets.edit(t, {"cause": "frost"}, {"cause": 0}, ctx(ENGINEER, 2))
    assert t["cause"] == "frost"
    assert [c["lost_value"] for c in t["conflicts"]] == ["rust"]


def test_shared_field_is_arrival_order_whatever_the_roles():
    t = tickets.edit(fresh(), {"description": "sup"}, {"description": 0}, ctx(SUPERVISOR, 1))
    t = tickets.edit(t, {"description": "guard"}, {"description": 0}, ctx(GUARD, 2))
    assert t["description"] == "guard"
    assert [c["lost_value"] for c in t["conflicts"]] == ["sup"]


def test_stale_edit_to_the_same_value_is_no_conflict():
    t = tickets.edit(fresh(), {"cause": "rust"}, {"cause": 0}, ctx(GUARD, 1))
    again = tickets.edit(t, {"cause": "rust"}, {"cause": 0}, ctx(ENGINEER, 2))
    assert again == t


def test_edit_from_a_future_version_is_rejected():
    with pytest.raises(Rejected) as info:
        tickets.edit(fresh(), {"title": "x"}, {"title": 7}, ctx(SUPERVISOR))
    assert info.value.code == "invalid_base_version" and info.value.details["current"] == 1


def test_edit_needs_a_base_version_for_each_field():
    with pytest.raises(Rejected, match="base_fv lacks the edited fields: cause"):
        tickets.edit(fresh(), {"cause": "x"}, {}, ctx(GUARD))


@pytest.mark.parametrize("path", [
    ["in_progress", "done", "verified", "closed"],
    ["in_progress", "done", "reopened", "in_progress", "done"],
    ["closed"],
])
def test_valid_paths(path):
    t, state = fresh(), "open"
    for n, to in enumerate(path):
        t = tickets.move(t, state, to, ctx(SUPERVISOR, n))
        state = to
    assert t["status"] == path[-1]
    assert [(h["from"], h["to"]) for h in t["history"]] == list(zip(["open", *path], path))


def test_move_from_a_state_the_ticket_is_not_in_is_rejected_with_current():
    with pytest.raises(Rejected) as info:
        tickets.move(fresh(), "in_progress", "done", ctx(GUARD))
    assert info.value.code == "invalid_transition" and info.value.details["current"] == "open"


def test_move_not_in_the_machine_is_rejected():
    with pytest.raises(Rejected, match="cannot move from open to done"):
        tickets.move(fresh(), "open", "done", ctx(GUARD))


def test_move_to_the_current_state_is_a_duplicate():
    t = tickets.move(fresh(), "open", "in_progress", ctx(GUARD))
    assert tickets.move(t, "open", "in_progress", ctx(ENGINEER)) is None


@pytest.mark.parametrize("target", sorted(tickets.SUPERVISOR_ONLY_TARGETS))
@pytest.mark.parametrize("actor, allowed", [(GUARD, False), (ENGINEER, False),
                                            (SUPERVISOR, True), (ADMIN, True)])
def test_close_and_verify_are_supervisor_only(target, actor, allowed):
    t = tickets.move(tickets.move(fresh(), "open", "in_progress", ctx(GUARD)),
                     "in_progress", "done", ctx(GUARD))
    if allowed:
        assert tickets.move(t, "done", target, ctx(actor))["status"] == target
    else:
        with pytest.raises(Rejected) as info:
            tickets.move(t, "done", target, ctx(actor))
        assert info.value.code == "forbidden"


def test_closed_is_terminal():
    t = tickets.move(fresh(), "open", "closed", ctx(SUPERVISOR))
    for to in tickets.STATES - {"closed"}:
        with pytest.raises(Rejected):
            tickets.move(t, "closed", to, ctx(SUPERVISOR))


def test_comments_are_add_only_and_idempotent():
    c = {"comment_id": "k1", "text": "wet", "photos": []}
    t = tickets.add_comment(fresh(), c, ctx(GUARD))
    assert [x["id"] for x in t["comments"]] == ["k1"]
    assert tickets.add_comment(t, c, ctx(GUARD)) is None
    with pytest.raises(Rejected) as info:
        tickets.add_comment(t, {**c, "text": "dry"}, ctx(GUARD))
    assert info.value.code == "id_conflict"
