"""Rectification tickets: the state machine, who may move a ticket, and its clock.

Workflow (seed 000 §4.4, seed 004's 整改 → 复验 → 消项)::

    open ──> in_progress ──> fixed ──> verified ──> closed
      │           │            └──> reopened ──> in_progress ...
      └───────────┴──> disputed ──> open | closed

* ``fixed`` is the assignee's move and carries the evidence: a photo and a note.
* ``verified`` is a supervisor's, never the fixer's (someone else checks the work).
* ``disputed`` is the assignee's or the responsible person's; a supervisor
  resolves it back to ``open`` or ``closed``. ``closed`` is terminal.
* A move names the state it was made from. Role and from-state are checked
  before idempotence: the same legal move already made is a duplicate (two
  devices did it), but an illegal one is refused with its reason even when
  the ticket happens to be in the target state.
* 书面说明: a ticket that will miss the next inspection (due after it) or is
  past due needs a written explanation before work on it moves on.

Stored tickets older than this machine say ``done`` where it says ``fixed``;
``read_ticket`` maps them when read, leaving every stored value in place.
Every function returns a new document and never mutates its input.
"""
from __future__ import annotations

import copy
from datetime import datetime, timezone

from .acting import Acting
from .errors import IllegalMove, TicketRefused

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "disputed", "closed"),
    "in_progress": ("fixed", "disputed", "closed"),
    "fixed": ("verified", "reopened"),
    "reopened": ("in_progress", "disputed", "closed"),
    "verified": ("closed", "reopened"),
    "disputed": ("open", "closed"),
    "closed": (),
}
STATES = frozenset(TRANSITIONS)
#: states of older stored tickets (and older devices' moves) and what they mean now
LEGACY_STATES = {"done": "fixed"}
#: work on the ticket is finished (or it is over): it is no longer overdue
SETTLED = frozenset({"fixed", "verified", "closed"})
WORK_MOVES = frozenset({"in_progress", "fixed"})


def state_name(state: str) -> str:
    """The current name of a state, old names (``done``) mapped."""
    return LEGACY_STATES.get(state, state)


def read_ticket(doc: dict) -> dict:
    """A stored ticket as the current rules see it (old state names mapped).

    The stored document is not changed; a mapped ticket says what it was
    stored as (``status_stored_as``) so nothing about the evidence is lost.
    """
    if doc.get("status") not in LEGACY_STATES and not any(
            h.get("from") in LEGACY_STATES or h.get("to") in LEGACY_STATES
            for h in doc.get("history", ())):
        return doc
    out = copy.deepcopy(doc)
    if out["status"] in LEGACY_STATES:
        out["status_stored_as"] = out["status"]
        out["status"] = state_name(out["status"])
    for entry in out.get("history", []):
        for key in ("from", "to"):
            if entry.get(key) in LEGACY_STATES:
                entry[f"{key}_stored_as"] = entry[key]
                entry[key] = state_name(entry[key])
    return out


def fixer(ticket: dict) -> str | None:
    """Who last moved the ticket to fixed (None: nobody yet)."""
    for entry in reversed(ticket.get("history", [])):
        if state_name(entry.get("to", "")) == "fixed":
            return entry.get("by")
    return None


def _works_on(ticket: dict, acting: Acting) -> bool:
    """The assignee or responsible person; anyone at the site while nobody is assigned."""
    actor = acting.actor
    people = {ticket.get("assignee"), ticket.get("responsible")} - {None}
    return actor.supervises or not ticket.get("assignee") or actor.user_id in people


def _refusal(ticket: dict, to: str, acting: Acting) -> str | None:
    """Why ``acting`` may not move ``ticket`` (from its state) to ``to``; None: they may."""
    actor = acting.actor
    if to in ("verified", "reopened", "closed") or (to == "open" and ticket["status"] ==
                                                    "disputed"):
        if not actor.supervises:
            return f"only a supervisor may move a ticket to {to}"
        if to == "verified" and fixer(ticket) == actor.user_id:
            return "the fixer cannot verify their own fix: someone else checks the work"
        return None
    if to == "disputed":
        if actor.user_id not in {ticket.get("assignee"), ticket.get("responsible")}:
            return "only the assignee or the responsible person may dispute a ticket"
        return None
    if not _works_on(ticket, acting):
        return f"only the assignee ({ticket.get('assignee')}) or a supervisor may move " \
               f"this ticket to {to}"
    return None


def allowed_moves(ticket: dict, acting: Acting) -> list[str]:
    """The states ``acting`` may move ``ticket`` to from its current state."""
    ticket = read_ticket(ticket)
    return [to for to in TRANSITIONS[ticket["status"]] if _refusal(ticket, to, acting) is None]


def move(ticket: dict, from_state: str, to_state: str, acting: Acting, *,
         note: str | None = None, photos: list[str] = ()) -> dict | None:
    """Move along the machine; None when this legal move was already made.

    Raises ``IllegalMove`` (with the allowed moves) for a move the machine,
    the role or the from-state forbids, and ``TicketRefused`` for missing
    evidence (``fixed`` needs a photo and a note; ``disputed`` a note) or a
    missing written explanation.
    """
    ticket = read_ticket(ticket)
    from_state, to_state = state_name(from_state), state_name(to_state)
    current = ticket["status"]

    def illegal(code: str, message: str) -> IllegalMove:
        return IllegalMove(code, message, current=current,
                           allowed=allowed_moves(ticket, acting))

    if to_state not in TRANSITIONS.get(from_state, ()):
        raise illegal("invalid_transition", f"cannot move from {from_state} to {to_state}")
    reason = _refusal({**ticket, "status": from_state}, to_state, acting)
    if reason is not None:
        raise illegal("forbidden", reason)
    if current != from_state:
        if current == to_state:
            return None  # someone already made this very move
        raise illegal("stale_state", f"ticket is {current}, not {from_state}")
    _check_evidence(ticket, to_state, note, photos, acting)
    out = copy.deepcopy(ticket)
    out["status"] = to_state
    out.pop("status_stored_as", None)
    entry = {"from": from_state, "to": to_state, **acting.stamp()}
    if note:
        entry["note"] = note
    if photos:
        entry["photos"] = list(photos)
    out["history"].append(entry)
    if to_state == "fixed":
        out["fix"] = {"by": acting.actor.user_id, "at": acting.at, "note": note,
                      "photos": list(photos)}
    return out


def _check_evidence(ticket: dict, to: str, note: str | None, photos, acting: Acting) -> None:
    if to == "fixed":
        if not photos:
            raise TicketRefused("evidence_required", "a fix needs an evidence photo",
                                field="photos")
        if not (note or "").strip():
            raise TicketRefused("evidence_required", "a fix needs a note saying what was done",
                                field="note")
    if to == "disputed" and not (note or "").strip():
        raise TicketRefused("reason_required", "a dispute needs a note giving the reason",
                            field="note")
    if to in WORK_MOVES and explanation_required(ticket, acting.now) and \
            not (ticket.get("written_explanation") or "").strip():
        raise TicketRefused(
            "explanation_required",
            "this ticket will not be rectified before the next inspection (or is past due): "
            "the assignee must first give a written explanation (书面说明) of the reason and "
            "the remedial measures", field="written_explanation")


# -- the clock ----------------------------------------------------------------------

def _instant(value: str | None) -> datetime | None:
    """The instant of a stored time; None for none (or odd stored text: no clock, no 500)."""
    try:
        moment = datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def overdue(ticket: dict, now: datetime) -> bool:
    """Past its due time with the work not finished."""
    due = _instant(ticket.get("due_at"))
    return due is not None and now > due and state_name(ticket["status"]) not in SETTLED


def explanation_required(ticket: dict, now: datetime) -> bool:
    """Whether a written explanation is due: due after the next inspection, or past due."""
    due, inspection = _instant(ticket.get("due_at")), _instant(ticket.get("next_inspection_at"))
    misses_inspection = due is not None and inspection is not None and due > inspection
    return misses_inspection or overdue(ticket, now)


def age_days(ticket: dict, now: datetime) -> int:
    """Whole days the ticket has been open: until it was verified or closed, else until now."""
    opened = _instant((ticket.get("created") or {}).get("at"))
    if opened is None:
        return 0
    ended = now
    for entry in ticket.get("history", []):
        if state_name(entry.get("to", "")) in ("verified", "closed"):
            ended = _instant(entry.get("at")) or now
        elif state_name(entry.get("to", "")) == "reopened":
            ended = now
    return max(0, (ended - opened).days)


def clock(ticket: dict, now: datetime) -> dict:
    """The time-derived facts a listing shows next to a ticket."""
    return {"overdue": overdue(ticket, now), "age_days": age_days(ticket, now),
            "explanation_required": explanation_required(ticket, now)}
