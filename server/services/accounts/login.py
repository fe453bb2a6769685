"""Logging in with a password, throttled per (username, client address).

Shared by the web login and the device login, so both count against the
same backoff: a guesser gains nothing by switching endpoint.
"""
from __future__ import annotations

from server.services.errors import Unauthenticated
from server.store import Store

from .throttle import LoginThrottle
from .users import DEFAULT_HASH_METHOD, check_password


def log_in(store: Store, throttle: LoginThrottle, *, username: str, password: str,
           address: str, hash_method: str = DEFAULT_HASH_METHOD) -> dict:
    """The user with these credentials; ``Throttled`` while backing off, else ``Unauthenticated``."""
    throttle.check(username, address)
    try:
        user = check_password(store, username, password, hash_method=hash_method)
    except Unauthenticated:
        throttle.failed(username, address)
        raise
    throttle.succeeded(username, address)
    return user
