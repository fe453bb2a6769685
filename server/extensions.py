"""The app's long-lived resources: the store and the login throttle.

The store is opened once per app (it owns the data directory and holds its
lock for the life of the process) and kept on ``app.extensions``; it is
closed at interpreter exit or by ``close_store(app)`` -- never per request,
which would re-read the store on every call and drop its lock.
"""
from __future__ import annotations

import atexit

from flask import Flask, current_app

from server.services.accounts.throttle import LoginThrottle
from server.store import Store, open_store

STORE_KEY = "fieldsync.store"
THROTTLE_KEY = "fieldsync.login_throttle"
_CLOSER_KEY = "fieldsync.store_closer"


class _StoreCloser:
    """Closes the store once, whoever asks first (atexit or ``close_store``)."""

    def __init__(self, store: Store):
        self.store = store
        self.closed = False

    def __call__(self) -> None:
        if not self.closed:
            self.closed = True
            self.store.close()


def init_app(app: Flask) -> None:
    """Open the store named by ``STORE_URL`` and create the login throttle.

    Raises ``server.store.StoreLocked`` when another process owns the data dir.
    """
    store = open_store(app.config["STORE_URL"])
    closer = _StoreCloser(store)
    atexit.register(closer)
    app.extensions[STORE_KEY] = store
    app.extensions[_CLOSER_KEY] = closer
    app.extensions[THROTTLE_KEY] = LoginThrottle(
        free_failures=app.config["LOGIN_FREE_FAILURES"],
        base_seconds=app.config["LOGIN_BACKOFF_BASE_SECONDS"],
        max_seconds=app.config["LOGIN_BACKOFF_MAX_SECONDS"])


def close_store(app: Flask) -> None:
    """Close the app's store now (tests, CLI commands) instead of at exit."""
    closer = app.extensions.get(_CLOSER_KEY)
    if closer is not None:
        closer()
        atexit.unregister(closer)


def get_store() -> Store:
    """The current app's store (inside a request or app context)."""
    return current_app.extensions[STORE_KEY]


def get_login_throttle() -> LoginThrottle:
    return current_app.extensions[THROTTLE_KEY]
