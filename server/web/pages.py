"""What every page blueprint shares: who may open it, and errors as pages.

A page answers errors with an HTML page of the right status (the API's
JSON handlers stay for the API): 400 for input to fix, 403 for a role that
may not open the page, 404 for anything of a site the user does not work at
(``server.services.accounts.access``: another site's ids are not confirmed to
exist). A request without a live session is sent to the login page.
"""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from checklists.actors import ADMIN, SUPERVISOR, Actor
from server.services.accounts.access import require_role
from server.auth import current_actor
from server.services import errors as svc

SUPERVISING = (SUPERVISOR, ADMIN)
ADMINS = (ADMIN,)

_STATUS = {svc.Invalid: 400, svc.Unauthenticated: 401, svc.Forbidden: 403,
           svc.NotFound: 404, svc.Conflict: 409, svc.Throttled: 429}


def _headline(status: int) -> str:
    return {400: _("Please check what you entered."),
            401: _("Please log in."),
            403: _("You may not open this page."),
            404: _("Not found."),
            409: _("This changed meanwhile; please try again."),
            429: _("Too many attempts; please wait and try again."),
            503: _("The database is unavailable; nothing was saved. Try again shortly.")}[status]


def error_page(status: int, message: str = "", errors: dict | None = None,
               details: dict | None = None):
    """``details``: a refused move's ``current`` state and the moves ``allowed`` now."""
    return render_template("web/error.html", status=status, headline=_headline(status),
                           message=message, errors=errors or {}, details=details or {}), status


def _service_error(error: svc.ServiceError):
    if isinstance(error, svc.Unauthenticated):  # back to this page after login, if it is one
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("web_auth.login", next=target))
    status = next(code for cls, code in _STATUS.items() if isinstance(error, cls))
    errors = error.messages if isinstance(error, svc.Invalid) else None
    details = error.details if isinstance(error, svc.Conflict) else None
    return error_page(status, str(error), errors, details)


def _store_unavailable(_error):
    page, status = error_page(503)
    return page, status, {"Retry-After": "5"}


def page_blueprint(name: str, import_name: str, url_prefix: str | None = None) -> Blueprint:
    """A blueprint whose errors render as pages."""
    bp = Blueprint(name, import_name, url_prefix=url_prefix)
    bp.register_error_handler(svc.ServiceError, _service_error)
    bp.register_error_handler(svc.StoreUnavailable, _store_unavailable)
    return bp


def page(*roles: str):
    """Decorator: a logged-in user with one of ``roles`` (none: any); passes the ``Actor``.

    State-changing requests are checked for the session's CSRF token when the
    actor is resolved (``server.auth.request_auth``), before the view runs.
    """
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            actor: Actor = current_actor()
            require_role(actor, roles)
            return view(actor, *args, **kwargs)
        return wrapper
    return decorator


def safe_next(target: str | None, default: str) -> str:
    """Where to go after login: only a path of this site, never another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target
