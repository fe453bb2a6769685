"""The review rules alone: who may move a result, which moves exist, the log only grows."""
import pytest

from checklists.actors import Actor
from checklists.workflow import review as rules

AT = "2026-11-29T08:00:00+00:00"
SUP = Actor("u-sup", "supervisor", {"A"}, username="sup")
ADMIN = Actor("u-admin", "admin", set())
WEB = rules.Door("session")


def move(review, from_state, to_state, *, actor=SUP, reason=None, inspector="u-eng", **kw):
    return rules.move(review, actor=actor, site_id="A", inspector_id=inspector,
                      from_state=from_state, to_state=to_state, reason=reason, at=AT,
                      door=kw.pop("door", WEB), **kw)


def test_a_first_move_and_a_re_review_append_to_the_log():
    first = move(None, "submitted", "has_issues", reason="  缺照片 ")
    second = move(first, "has_issues", "approved", actor=ADMIN,
                  door=rules.Door("sync", "dev-1", "client#7"))
    assert second["state"] == "approved"
    assert second["log"][0] == first["log"][0]  # earlier entries unchanged
    assert first["log"][0] == {"at": AT, "by": "u-sup", "username": "sup", "role": "supervisor",
                               "from": "submitted", "to": "has_issues", "reason": "缺照片",
                               "via": "session"}
    assert second["log"][1] | {"via": "sync", "device_id": "dev-1", "mutation": "client#7",
                               "reason": None} == second["log"][1]
    assert len(first["log"]) == 1  # the input is not mutated


@pytest.mark.parametrize("actor, message", [
    (Actor("u-g", "guard", {"A"}), "supervisor or admin"),
    (Actor("u-e", "engineer", {"A"}), "supervisor or admin"),
    (Actor("u-s2", "supervisor", {"B"}), "do not work at site A"),
    (Actor("u-eng", "supervisor", {"A"}), "you inspected"),
    (Actor("u-eng", "admin", set()), "you inspected"),
])
def test_who_may_not_review(actor, message):
    with pytest.raises(rules.NotAllowed, match=message):
        move(None, "submitted", "approved", actor=actor)


def test_reject_needs_a_reason_and_states_must_exist():
    with pytest.raises(rules.BadReview) as no_reason:
        move(None, "submitted", "rejected", reason="   ")
    assert no_reason.value.field == "reason"
    with pytest.raises(rules.BadReview) as unknown:
        move(None, "open", "approved")
    assert unknown.value.field == "from"
    with pytest.raises(rules.BadReview):
        move(None, "submitted", "rejected", reason="x" * (rules.MAX_REASON + 1))


@pytest.mark.parametrize("state, allowed", [
    ("submitted", ["approved", "has_issues", "rejected"]),
    ("has_issues", ["approved", "rejected"]), ("approved", []), ("rejected", [])])
def test_stale_and_illegal_moves_name_the_moves_allowed_now(state, allowed):
    review = {"state": state, "log": []}
    stale_from = next(s for s in rules.STATES if s != state)
    with pytest.raises(rules.IllegalMove) as err:
        move(review, stale_from, "approved")
    assert (err.value.current, err.value.allowed) == (state, allowed)
    with pytest.raises(rules.IllegalMove) as same:
        move(review, state, state, reason="again")
    assert same.value.allowed == allowed


def test_a_superseded_version_is_not_reviewed():
    with pytest.raises(rules.IllegalMove, match="corrected by r-2") as err:
        move(None, "submitted", "approved", superseded_by=("r-2",))
    assert err.value.allowed == []


def test_door_of_a_request():
    assert rules.Door.of_request(SUP).to_record() == {"via": "session"}
    phone = Actor("u", "supervisor", {"A"}, device_id="dev-9")
    assert rules.Door.of_request(phone).to_record() == {"via": "token", "device_id": "dev-9"}
