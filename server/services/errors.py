"""The errors a service may raise, each meaning one thing to a caller.

They carry what a client needs to fix the request (which field, how long to
wait) and nothing about HTTP; ``server.api.errors`` turns each class into its
status code, and the CLI prints ``str(error)``.
"""
from __future__ import annotations

from typing import Any, Mapping

# Storage that cannot be reached or written reaches callers as this (503, retry):
# named here so that routes need not import the store to map it.
from server.store import StoreUnavailable  # noqa: F401 - re-exported


class ServiceError(Exception):
    """Base of the errors a use case reports to its caller."""


class NotFound(ServiceError):
    """The named thing does not exist -- or the caller may not know it exists."""


class Conflict(ServiceError):
    """The request clashes with the current state (a taken username, a code in use).

    ``details`` (optional) says what the state is and how to proceed, e.g. a
    ticket's ``current`` state and the moves ``allowed`` from it; the API
    answers it in the error body.
    """

    def __init__(self, message: str, details: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.details = dict(details) if details else None


class StaleState(Conflict):
    """A move from a state the record has left; ``allowed`` lists the moves possible now."""

    def __init__(self, message: str, allowed: list[str]):
        super().__init__(message, {"allowed": list(allowed)})
        self.allowed = list(allowed)


class Unauthenticated(ServiceError):
    """No valid credentials: unknown token, wrong password, disabled user, revoked device."""


class Forbidden(ServiceError):
    """Authenticated, but the role or site scope does not allow this."""


class Invalid(ServiceError):
    """Input that passed the schema but not the rules (an unknown site id, a bad cursor).

    ``messages`` has marshmallow's shape (``{"site_ids": {"1": ["Unknown site."]}}``)
    and ``location`` says where the field was (``json``, ``query``), so the
    client sees the same 422 body a schema error would give.
    """

    def __init__(self, messages: Mapping[str, Any], location: str = "json"):
        super().__init__(_describe(messages))
        self.messages = dict(messages)
        self.location = location


class Throttled(ServiceError):
    """Too many attempts; the caller may try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _describe(messages: Mapping[str, Any], prefix: str = "") -> str:
    """Flatten nested field messages to ``field.sub: message`` for logs and the CLI."""
    parts = []
    for field, value in messages.items():
        path = f"{prefix}{field}"
        if isinstance(value, Mapping):
            parts.append(_describe(value, path + "."))
        else:
            parts.append(f"{path}: {' '.join(value) if isinstance(value, list) else value}")
    return "; ".join(parts)
