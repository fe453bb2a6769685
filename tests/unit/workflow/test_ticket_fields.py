"""Ticket fields: merge by version, role and arrival; edits of one origin chain; comments."""
from __future__ import annotations

import pytest

from checklists.actors import Actor
from checklists.workflow import Acting, TicketRefused
from checklists.workflow import ticket_fields as tf

GUARD = Actor("u-g", "guard", {"s1"}, "d-g")
ENGINEER = Actor("u-e", "engineer", {"s1"}, "d-e")
SUPERVISOR = Actor("u-s", "supervisor", {"s1"}, "d-s")


def by(actor, mid=1, origin=None, at="2026-11-23T08:00:00+00:00"):
    return Acting(actor, at, f"c-{actor.user_id}#{mid}", origin=origin or f"c-{actor.user_id}")


def fresh(**fields):
    return tf.new_ticket({"ticket_id": "t1", "site_id": "s1", "title": "Leak", **fields},
                         by(SUPERVISOR))


def test_new_ticket_versions_its_fields():
    t = fresh(description="wet", priority="high")
    assert t["status"] == "open" and t["v"] == 1
    assert t["fv"] == {"title": 1, "description": 1, "priority": 1}
    assert t["fw"]["title"]["role"] == "supervisor"


def test_edit_from_current_version_applies_and_does_not_mutate_its_input():
    original = fresh()
    t = tf.edit(original, {"work_notes": "seal replaced"}, {"work_notes": 0}, by(GUARD))
    assert t["work_notes"] == "seal replaced" and t["fv"]["work_notes"] == 1
    assert t["conflicts"] == [] and "work_notes" not in original


def test_stale_edit_by_non_owner_loses_and_is_kept():
    t = tf.edit(fresh(), {"title": "Burst pipe"}, {"title": 1}, by(SUPERVISOR, 1))
    t = tf.edit(t, {"title": "Small drip"}, {"title": 1}, by(GUARD, 2))
    assert t["title"] == "Burst pipe" and t["fv"]["title"] == 2
    [conflict] = t["conflicts"]
    assert (conflict["lost_value"], conflict["kept_value"]) == ("Small drip", "Burst pipe")
    assert conflict["lost_by"]["by"] == "u-g"


def test_stale_edit_by_owner_wins_and_overwritten_value_is_kept():
    t = tf.edit(fresh(), {"work_notes": "office guess"}, {"work_notes": 0}, by(SUPERVISOR, 1))
    t = tf.edit(t, {"work_notes": "valve swapped"}, {"work_notes": 0}, by(ENGINEER, 2))
    assert t["work_notes"] == "valve swapped"
    assert [(c["lost_value"], c["kept_value"]) for c in t["conflicts"]] == [
        ("office guess", "valve swapped")]


def test_shared_field_is_arrival_order_whatever_the_roles():
    t = tf.edit(fresh(), {"description": "sup"}, {"description": 0}, by(SUPERVISOR, 1))
    t = tf.edit(t, {"description": "guard"}, {"description": 0}, by(GUARD, 2))
    assert t["description"] == "guard" and [c["lost_value"] for c in t["conflicts"]] == ["sup"]


def test_a_devices_second_offline_edit_chains_onto_its_first():
    """Bug (b): both edits were made from version 0 offline; the second is no conflict."""
    t = tf.edit(fresh(), {"work_notes": "isolated the valve"}, {"work_notes": 0},
                by(ENGINEER, 1))
    t = tf.edit(t, {"work_notes": "valve replaced"}, {"work_notes": 0}, by(ENGINEER, 2))
    assert t["work_notes"] == "valve replaced" and t["fv"]["work_notes"] == 2
    assert t["conflicts"] == []


def test_another_origin_of_the_same_user_still_conflicts():
    t = tf.edit(fresh(), {"cause": "rust"}, {"cause": 0}, by(ENGINEER, 1, origin="phone"))
    t = tf.edit(t, {"cause": "frost"}, {"cause": 0}, by(ENGINEER, 1, origin="laptop"))
    assert t["cause"] == "frost" and [c["lost_value"] for c in t["conflicts"]] == ["rust"]


def test_a_chain_does_not_swallow_someone_elses_edit_in_between():
    t = tf.edit(fresh(), {"cause": "rust"}, {"cause": 0}, by(ENGINEER, 1))
    t = tf.edit(t, {"cause": "frost"}, {"cause": 1}, by(GUARD, 1))
    t = tf.edit(t, {"cause": "rust again"}, {"cause": 0}, by(ENGINEER, 2))
    assert [c["lost_value"] for c in t["conflicts"]] == ["frost"]


def test_edit_from_a_future_version_is_refused():
    with pytest.raises(TicketRefused) as info:
        tf.edit(fresh(), {"title": "x"}, {"title": 7}, by(SUPERVISOR))
    assert info.value.code == "invalid_base_version" and info.value.details["current"] == 1


def test_edit_needs_a_base_version_for_each_field():
    with pytest.raises(TicketRefused, match="base_fv lacks the edited fields: cause"):
        tf.edit(fresh(), {"cause": "x"}, {}, by(GUARD))


def test_only_supervisors_name_the_responsible_person():
    with pytest.raises(TicketRefused) as info:
        tf.edit(fresh(), {"responsible": "u-e"}, {"responsible": 0}, by(ENGINEER))
    assert info.value.field == "responsible"
    t = tf.edit(fresh(), {"responsible": "u-e", "direct_supervisor": "u-s"},
                {"responsible": 0, "direct_supervisor": 0}, by(SUPERVISOR))
    assert (t["responsible"], t["direct_supervisor"]) == ("u-e", "u-s")


def test_the_written_explanation_is_the_assignees():
    t = fresh(assignee="u-e")
    with pytest.raises(TicketRefused):
        tf.edit(t, {"written_explanation": "x"}, {"written_explanation": 0}, by(GUARD))
    done = tf.edit(t, {"written_explanation": "材料未到"}, {"written_explanation": 0},
                   by(ENGINEER))
    assert done["written_explanation"] == "材料未到"


def test_comments_are_add_only_and_idempotent():
    c = {"comment_id": "k1", "text": "wet", "photos": []}
    t = tf.add_comment(fresh(), c, by(GUARD))
    assert [x["id"] for x in t["comments"]] == ["k1"]
    assert tf.add_comment(t, c, by(GUARD)) is None
    with pytest.raises(TicketRefused) as info:
        tf.add_comment(t, {**c, "text": "dry"}, by(GUARD))
    assert info.value.code == "id_conflict"


def test_photos_are_add_only_by_hash():
    t = tf.attach_photos(fresh(), ["a" * 64, "b" * 64, "a" * 64])
    assert t["photos"] == ["a" * 64, "b" * 64]
    assert tf.attach_photos(t, ["b" * 64]) is None
