"""What a re-inspection means for the tickets its original opened.

A re-inspection is a second look at the work: a re-checked item that now
passes confirms the fix, one still failing shows it did not hold. When the
ticket rules let the re-inspector make the move (a supervisor, never the
fixer verifying their own fix), the ticket moves -- ``fixed → verified``, or
``fixed``/``verified → reopened``; otherwise the finding is left on the
ticket as a comment for the supervisor who verifies. Either way the ticket
says what the re-inspection found, so the two records never disagree
silently.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .acting import Acting
from .tickets import allowed_moves, read_ticket


@dataclass(frozen=True, slots=True)
class TicketFollowUp:
    """One ticket's follow-up: a move (``to`` set) or only a comment, both with ``note``."""

    ticket_id: str
    from_state: str
    to: str | None
    note: str


def rechecked_items(rechecked: Mapping[str, Any], open_after: Iterable[Mapping[str, Any]]
                    ) -> dict[str, bool]:
    """Each plainly re-checked item -> whether it passes now.

    Items of repeated sections (answered per instance) are left out: their
    tickets are followed by hand.
    """
    still_open = {flag["item_id"] for flag in open_after if flag.get("instance") is None}
    return {item: item not in still_open for item, answer in rechecked.items()
            if not isinstance(answer, list)}


def follow_up(ticket: Mapping[str, Any], passes: bool, reinspection_id: str,
              acting: Acting) -> TicketFollowUp | None:
    """The follow-up of ``ticket`` after re-inspection ``reinspection_id``; None: nothing to do."""
    ticket = read_ticket(dict(ticket))
    state = ticket["status"]
    if state == "closed":
        return None
    if passes:
        note = f"复查 {reinspection_id}: 合格 (re-inspection {reinspection_id}: passes)"
        wanted = "verified" if state == "fixed" else None
    else:
        note = f"复查 {reinspection_id}: 仍不合格 (re-inspection {reinspection_id}: still fails)"
        wanted = "reopened" if state in ("fixed", "verified") else None
    to = wanted if wanted in allowed_moves(ticket, acting) else None
    return TicketFollowUp(ticket["id"], state, to, note)
