"""fieldsync server: ``create_app`` builds the Flask app (flaskr-style factory).

Nothing is created at import time: each ``create_app`` call gets its own
config, store and API, so tests and the CLI can make as many apps as they
need (one per data directory -- the store locks it).
"""
from __future__ import annotations

from typing import Any, Mapping

from flask import Flask

from .startup_gc import collector_paused


@collector_paused
def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides file and environment settings.

    Raises ``server.store.StoreLocked`` if another process owns the data dir,
    ``server.config.ConfigError`` for an unusable config file.
    """
    from . import api, extensions, field_app, media, web
    from .auth import csrf
    from .config import load_config, secret_key
    from .json_provider import OrjsonProvider
    from .url_rules import LazyBuilderRule

    app = Flask(__name__)
    app.url_rule_class = LazyBuilderRule  # before any route (Flask's static one is eager)
    app.json = OrjsonProvider(app)  # before load_config, which may tune app.json
    load_config(app, config)
    extensions.init_app(app)  # first: the store's lock makes this process the data dir's owner
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secret_key(app.config["DATA_DIR"])
    csrf.init_app(app)
    media.init_app(app)
    api.init_app(app)
    web.init_app(app)
    field_app.init_app(app)
    _index_stored_tickets(app)
    return app


def _index_stored_tickets(app: Flask) -> None:
    """Tickets and complaints stored before their listings existed get their index entries
    (once)."""
    from server.services.complaints import index_stored_complaints
    from server.services.tickets import index_stored_tickets

    index_stored_tickets(app.extensions[extensions.STORE_KEY])
    index_stored_complaints(app.extensions[extensions.STORE_KEY])
