"""Web sessions: Flask's signed cookie holding only the user id.

The cookie is checked against the store on every request (the user must still
exist and be enabled), so disabling a user ends their sessions at once even
though the cookie itself cannot be revoked.
"""
from __future__ import annotations

from flask import session

SESSION_USER_KEY = "uid"


def start_session(user: dict) -> None:
    """Log ``user`` in for this browser (a fresh session: no fixation)."""
    session.clear()
    session[SESSION_USER_KEY] = user["id"]


def end_session() -> None:
    session.clear()
