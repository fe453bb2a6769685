"""Web sessions: Flask's signed cookie holding the user id and a session id.

The session id is listed in the user's record (``server.services.accounts.users``)
and checked on every request, so a session ends server-side -- at logout, a
password change, or when the user is disabled -- although the cookie itself
cannot be taken back. State-changing requests made with the cookie must also
carry its CSRF token (``server.auth.csrf``).
"""
from __future__ import annotations

from flask import session

from server.services.accounts import users
from server.store import Store

from .csrf import csrf_token

SESSION_USER_KEY = "uid"
SESSION_ID_KEY = "sid"


def start_session(store: Store, user: dict) -> str:
    """Log ``user`` in for this browser (a fresh session: no fixation); return its CSRF token."""
    session.clear()
    session[SESSION_USER_KEY] = user["id"]
    session[SESSION_ID_KEY] = users.open_session(store, user["id"])
    return csrf_token()


def session_ids() -> tuple[str, str] | None:
    """``(user id, session id)`` of this request's session cookie, or None."""
    user_id, session_id = session.get(SESSION_USER_KEY), session.get(SESSION_ID_KEY)
    if isinstance(user_id, str) and isinstance(session_id, str):
        return user_id, session_id
    return None


def end_session(store: Store) -> None:
    """Log out: the session ends server-side too, so a copied cookie stops working."""
    ids = session_ids()
    if ids is not None:
        users.close_session(store, *ids)
    session.clear()
