"""CSRF tokens for requests authenticated by the session cookie (Flask-WTF).

WHY: SameSite=Lax keeps the cookie off cross-site requests, but not off
requests from other ports of the same host or from sibling subdomains, and
a state-changing POST needs no body. So every state-changing request that
authenticates with the session cookie must carry the session's token in
``X-CSRFToken`` (given by ``POST /api/v1/auth/login`` and ``GET
/api/v1/me``; forms may send it as ``csrf_token``). Bearer-token requests
are exempt: no browser attaches that header by itself.

Flask-WTF's automatic check is off (``WTF_CSRF_CHECK_DEFAULT``): it would
also demand a token of device requests and of the login itself. The check
runs where the session cookie is accepted (``server.auth.request_auth``),
so API views and the web pages built later get it alike.
"""
from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from server.services.errors import Forbidden

_csrf = CSRFProtect()

HEADER = "X-CSRFToken"


def init_app(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_HEADERS", [HEADER, "X-CSRF-Token"])
    # The token lives as long as its session (which logout and password changes end).
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    _csrf.init_app(app)


def csrf_token() -> str:
    """This session's CSRF token (created on first use)."""
    return generate_csrf()


def check_csrf() -> None:
    """``Forbidden`` unless a state-changing request carries the session's token."""
    try:
        _csrf.protect()
    except CSRFError as exc:
        raise Forbidden(f"{exc.description} Send the header {HEADER} with the csrf_token "
                        f"from POST /api/v1/auth/login or GET /api/v1/me.") from None
