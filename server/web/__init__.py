"""The supervisor web: server-rendered pages (Flask + Jinja) over the services.

Pages are thin views per area (one blueprint each) over ``server.services``
and ``server.services.accounts`` -- the same doors the API uses, so scope and rules
are the API's. Templates live in ``server/templates/web/``, the one
stylesheet in ``server/static/web/``; nothing is loaded from a CDN.

To add an area (tickets, patrol, plans...), write ``server/web/<area>.py``
with ``bp = page_blueprint(...)`` (``server.web.pages``) and add it to
``AREAS``; the dashboard and result templates have empty blocks for them.
"""
from __future__ import annotations

from flask import Flask

from checklists.actors import Actor
from server.auth import current_actor
from server.services.errors import ServiceError

from . import admin_catalog, admin_users, auth, dashboard, i18n, result_pages, results
from . import patrol_pages, register_pages, states, ticket_pages, tickets_board
from . import complaint_handling, complaint_pages, definition_upload, plan_pages
from . import violation_pages
from . import patrol_route_pages, patrol_setup_pages

AREAS = (auth, dashboard, results, result_pages, admin_users, admin_catalog, tickets_board,
         ticket_pages, patrol_pages, register_pages, plan_pages, complaint_pages,
         complaint_handling, violation_pages, definition_upload, patrol_setup_pages,
         patrol_route_pages)


def _me() -> dict[str, Actor | None]:
    """``me`` in every template: the logged-in user, or None (login and error pages)."""
    try:
        return {"me": current_actor()}
    except ServiceError:
        return {"me": None}


def init_app(app: Flask) -> None:
    i18n.init_app(app)
    states.init_app(app)
    app.context_processor(_me)
    for area in AREAS:
        app.register_blueprint(area.bp)
