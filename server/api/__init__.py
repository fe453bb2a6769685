"""The HTTP API: flask-smorest blueprints under ``/api/v1`` and the OpenAPI document.

To add an area, write ``server/api/<area>.py`` with ``blp = Blueprint(...)``
(``server.api.blueprint.Blueprint``) and add the module to ``AREAS`` below:
it is then served, documented at ``/api/openapi.json`` and fuzzed by
``tests/e2e/test_openapi_fuzz.py`` with no further wiring.
"""
from __future__ import annotations

from flask import Flask

from . import (auth, definition_sheets, definitions, devices, docs, errors, me, patrol,
               patrol_reports, photos, results, sites, sync, tickets, users)
from . import appeals, composite, households, liability, welfare_checks
from . import complaints, maintenance, plans, violations
from .blueprint import security_schemes
from .deferred_document import DeferredDocumentApi

AREAS = (auth, me, users, sites, devices, definitions, definition_sheets, results, sync, photos,
         tickets, patrol, patrol_reports)
AREAS += (households, welfare_checks, appeals, liability, composite)
AREAS += (plans, complaints, violations, maintenance)


def init_app(app: Flask, api_class: type[errors.Api] = DeferredDocumentApi) -> errors.Api:
    """Create the Api on ``app``, register every area and the error handlers.

    ``api_class``: ``errors.Api`` documents each area as it registers it (tests compare
    that document with the deferred one).
    """
    api = api_class(app, spec_kwargs={"extra_plugins": [errors.StoreOutageResponses()]})
    for name, scheme in security_schemes(app.config["SESSION_COOKIE_NAME"]).items():
        api.spec.components.security_scheme(name, scheme)
    for area in AREAS:
        if hasattr(area, "init_api"):  # converters and the like, before routes exist
            area.init_api(app, api)
        api.register_blueprint(area.blp)
    app.register_blueprint(docs.bp)
    errors.init_app(app)
    return api
