"""Who reports to whom: a user's ``reports_to`` (direct supervisor) and its rules.

Liability splits a penalty between a person and their direct supervisor
(seed 000 part 2, 70/30) and appeals climb the same line, so the line must
end: ``reports_to`` names an existing user other than oneself and never
closes a loop back to the user being edited.
"""
from __future__ import annotations

from server.store.base import Reader

USERS = "users"
#: a reporting line longer than this is treated as a loop (defensive bound)
MAX_CHAIN = 100


def reports_to_errors(reader: Reader, user_id: str | None, reports_to: str | None) -> dict:
    """``{"reports_to": [why]}`` if ``user_id`` may not report to ``reports_to``, else ``{}``.

    ``user_id`` is None for a user being created (no loop is possible then).
    """
    if reports_to is None:
        return {}
    if reports_to == user_id:
        return {"reports_to": ["A user cannot report to themself."]}
    seen, current = set(), reports_to
    while current is not None and len(seen) < MAX_CHAIN:
        rec = reader.get(USERS, current)
        if rec is None:
            return {"reports_to": [f"No user {current}."]} if current == reports_to else {}
        if current == user_id:
            return {"reports_to": ["This would make a reporting loop."]}
        seen.add(current)
        current = rec.doc.get("reports_to")
        if current in seen:
            break
    return {}
