"""Errors a device user can act on, each with a one-line message.

The CLI prints ``str(error)`` and exits non-zero for any ``DeviceError``; a
traceback is reserved for bugs. Subclasses let the library's callers (and
tests) tell the cases apart without parsing messages.
"""
from __future__ import annotations


class DeviceError(Exception):
    """Base of every expected failure on the device side."""


class NotLoggedIn(DeviceError):
    """No server and token saved in this data dir, or the server refused the token."""


class ServerUnreachable(DeviceError):
    """The server could not be reached or the connection broke (retry later)."""


class ServerError(DeviceError):
    """The server answered something the client cannot proceed with."""

    def __init__(self, message: str, *, status: int | None = None, body=None):
        super().__init__(message)
        self.status, self.body = status, body


class UpgradeRequired(ServerError):
    """The server no longer serves this app's data schema: the app must be upgraded.

    Unsent work stays in the outbox (the server still accepts pushes from an
    old app), so nothing is lost while the user upgrades.
    """


class LoginFailed(DeviceError):
    """Wrong username or password, a disabled account, or too many attempts."""


class UnknownDefinition(DeviceError):
    """The checklist (or that version) was not pulled to this device."""


class InvalidInput(DeviceError):
    """Answers, photos or options that do not fit; ``errors`` names each wrong field."""

    def __init__(self, message: str, errors=None):
        super().__init__(message if errors is None else f"{message}: {_flat(errors)}")
        self.message, self.errors = message, errors


def flat_errors(errors, prefix: str = "") -> list[tuple[str, str]]:
    """``{"answers": {"q1": ["Bad."]}}`` or ``{"answers.q1": ["Bad."]}``
    -> ``[("answers.q1", "Bad.")]``: marshmallow's nesting and the checklists' flat paths."""
    if isinstance(errors, dict):
        return [pair for key, inner in errors.items()
                for pair in flat_errors(inner, f"{prefix}.{key}" if prefix else str(key))]
    if isinstance(errors, list):
        return [pair for inner in errors for pair in flat_errors(inner, prefix)]
    return [(prefix, str(errors))]


def _flat(errors) -> str:
    """All errors on one line: ``answers.q1: Bad.; answers.q2: required``."""
    return "; ".join(f"{path}: {message}" if path else message
                     for path, message in flat_errors(errors))
