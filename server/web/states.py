"""The words the pages use for review and ticket states (a ``state`` template filter).

The stored states are English ids (``has_issues``, ``in_progress``); a
person reads them in the page's language, so a refused move that lists the
allowed ones is readable too.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

STATE_NAMES = {
    # review of a result
    "submitted": _l("submitted"), "approved": _l("approved"),
    "has_issues": _l("has issues"), "rejected": _l("rejected"),
    # a ticket
    "open": _l("open"), "in_progress": _l("in progress"), "fixed": _l("fixed"),
    "reopened": _l("reopened"), "verified": _l("verified"), "disputed": _l("disputed"),
    "closed": _l("closed"),
}


def state_name(state: str | None) -> str:
    return str(STATE_NAMES.get(state, state or "–"))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["state"] = state_name
