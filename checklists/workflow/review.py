"""Review of a synced result: its states, who may move it, and the append-only log.

A result arrives ``submitted``; a supervisor or admin *of its site* moves it
to ``approved``, ``has_issues`` or ``rejected`` (a reason is required to
reject). The inspector never reviews their own result, whatever their role:
a supervisor who inspected needs a colleague. Every move names the state it
was made from, so two reviewers (or a phone that reviewed offline) cannot
overwrite each other unseen: a stale or illegal move raises ``IllegalMove``
carrying the moves allowed now.

Re-review: ``has_issues`` is not final -- once the issues are dealt with (a
re-inspection closes them out, or the inspector explains) it moves on to
``approved`` or ``rejected``. ``approved`` and ``rejected`` are final: a
corrected inspection is a *new* result (an amendment) and gets its own
review, so a verdict on evidence is never silently replaced.

The log is append-only: a move returns the review with one entry added and
never changes an earlier one. Each entry says who (user, username, role),
when, from, to, why, and through which door (``via``: a web ``session``, an
API ``token`` of a device, or a ``sync`` mutation with its ref).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from checklists.actors import Actor

SUBMITTED, APPROVED, HAS_ISSUES, REJECTED = "submitted", "approved", "has_issues", "rejected"
STATES = (SUBMITTED, APPROVED, HAS_ISSUES, REJECTED)
MOVES: dict[str, tuple[str, ...]] = {
    SUBMITTED: (APPROVED, HAS_ISSUES, REJECTED),
    HAS_ISSUES: (APPROVED, REJECTED),
    APPROVED: (),
    REJECTED: (),
}
REASON_REQUIRED = frozenset({REJECTED})
MAX_REASON = 2000


class ReviewError(Exception):
    """A review that cannot be made; subclasses say why."""


class NotAllowed(ReviewError):
    """The actor may not review this result (role, or their own inspection)."""


class IllegalMove(ReviewError):
    """The move does not start from the current state or is not a move from it.

    ``allowed`` lists the moves possible now (``[]`` when the review is final).
    """

    def __init__(self, message: str, current: str, allowed: tuple[str, ...]):
        super().__init__(message)
        self.current, self.allowed = current, list(allowed)


class BadReview(ReviewError):
    """The move itself is malformed; ``field`` names what to fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Door:
    """How the move reached the server: ``session`` | ``token`` | ``sync``."""

    via: str
    device_id: str | None = None
    mutation: str | None = None  # ``<client_id>#<id>`` of a sync mutation

    @classmethod
    def of_request(cls, actor: Actor) -> "Door":
        """A web request: a session has no device; a bearer token is a device's."""
        return cls("session") if actor.device_id is None else cls("token", actor.device_id)

    def to_record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"via": self.via}
        if self.device_id is not None:
            out["device_id"] = self.device_id
        if self.mutation is not None:
            out["mutation"] = self.mutation
        return out


def current_state(review: Mapping[str, Any] | None) -> str:
    return (review or {}).get("state", SUBMITTED)


def allowed_moves(review: Mapping[str, Any] | None) -> tuple[str, ...]:
    return MOVES[current_state(review)]


def check_reviewer(actor: Actor, *, site_id: str, inspector_id: str) -> None:
    """Raise ``NotAllowed`` unless ``actor`` supervises ``site_id`` and did not inspect."""
    if not actor.supervises:
        raise NotAllowed(f"reviewing results needs the role supervisor or admin; "
                         f"you are {actor.role}")
    if not actor.works_at(site_id):
        raise NotAllowed(f"you do not work at site {site_id}")
    if actor.user_id == inspector_id:
        raise NotAllowed("you inspected this result: someone else must review it")


def move(review: Mapping[str, Any] | None, *, actor: Actor, site_id: str, inspector_id: str,
         from_state: str, to_state: str, reason: str | None, at: str, door: Door,
         superseded_by: tuple[str, ...] = ()) -> dict[str, Any]:
    """The review after ``actor`` moves it ``from_state`` -> ``to_state`` at ``at``.

    Checks in the order a caller can act on: who may review, then whether the
    move is well-formed, then whether it fits the current state.
    """
    check_reviewer(actor, site_id=site_id, inspector_id=inspector_id)
    for field, state in (("from", from_state), ("to", to_state)):
        if state not in STATES:
            raise BadReview(field, f"unknown review state {state!r}; one of {', '.join(STATES)}")
    reason = (reason or "").strip() or None
    if to_state in REASON_REQUIRED and reason is None:
        raise BadReview("reason", f"a reason is required to move a result to {to_state}")
    if reason is not None and len(reason) > MAX_REASON:
        raise BadReview("reason", f"a reason is at most {MAX_REASON} characters")
    current = current_state(review)
    if superseded_by:
        raise IllegalMove(f"this result was corrected by {superseded_by[-1]}: review that "
                          f"version", current, ())
    allowed = MOVES[current]
    if from_state != current:
        raise IllegalMove(f"the result is {current}, not {from_state} (someone reviewed it "
                          f"meanwhile)", current, allowed)
    if to_state not in allowed:
        raise IllegalMove(f"a {current} result cannot move to {to_state}", current, allowed)
    entry = {"at": at, "by": actor.user_id, "username": actor.username, "role": actor.role,
             "from": from_state, "to": to_state, "reason": reason, **door.to_record()}
    return {"state": to_state, "log": [*(review or {}).get("log", ()), entry]}
