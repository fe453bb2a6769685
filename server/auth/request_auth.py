"""Resolving the caller of a request, once, and guarding views by role.

A request authenticates with ``Authorization: Bearer <device token>`` or,
failing that, the web session cookie. The header wins when both are sent: a
device never depends on a cookie, and a malformed header is an error rather
than a silent fall-back to the cookie. A state-changing request made with
the cookie must carry its CSRF token (``server.auth.csrf``).
"""
from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import current_app, g, request

from server.services.accounts import devices, users
from checklists.actors import Actor
from server.services.accounts.access import require_role
from server.extensions import get_store
from server.services.errors import Unauthenticated

from .csrf import check_csrf
from .sessions import session_ids


def current_actor() -> Actor:
    """The authenticated caller of this request; ``Unauthenticated`` if there is none."""
    if "fieldsync_actor" not in g:
        g.fieldsync_actor = _authenticate()
    return g.fieldsync_actor


def _authenticate() -> Actor:
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("use the header 'Authorization: Bearer <device token>'")
        interval = timedelta(seconds=current_app.config["DEVICE_LAST_SEEN_INTERVAL_SECONDS"])
        return devices.authenticate_token(get_store(), token, touch_interval=interval)
    ids = session_ids()
    if ids is not None:
        actor = users.session_actor(get_store(), *ids)
        check_csrf()  # only now: a stale cookie gets its 401, not a 403
        return actor
    raise Unauthenticated("log in first: send 'Authorization: Bearer <device token>' "
                          "or the session cookie from POST /api/v1/auth/login")


def require_auth(*roles: str):
    """Decorator: the caller must be authenticated and have one of ``roles`` (none: any)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            require_role(current_actor(), roles)
            return view(*args, **kwargs)
        return wrapper
    return decorator


def current_session_id() -> str | None:
    """The web session's id when the caller authenticated with the cookie, else None."""
    if current_actor().device_id is not None:
        return None
    ids = session_ids()
    return ids[1] if ids else None
