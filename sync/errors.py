"""Errors that stop a whole push or pull, each carrying the HTTP status it maps to.

A single bad mutation never raises: it is answered ``rejected`` inside a 200
so the device queue never blocks. Only conditions that make the *request*
unusable raise one of these; the HTTP layer answers ``status`` with
``to_dict()`` as the body. ``StoreUnavailable`` from the store is not wrapped:
it propagates unchanged and means 503 (nothing was acknowledged).
"""
from __future__ import annotations


class SyncError(Exception):
    """Base: ``status`` is the HTTP status, ``code`` a stable machine-readable name."""

    status = 400
    code = "sync_error"

    def to_dict(self) -> dict:
        return {"error": self.code, "message": str(self)}


class MutationGap(SyncError):
    """The batch does not start at ``last_mutation_id + 1``; nothing was applied."""

    status = 409
    code = "mutation_gap"

    def __init__(self, expected: int, got: int):
        super().__init__(f"expected mutation id {expected}, got {got}")
        self.expected, self.got = expected, got

    def to_dict(self) -> dict:
        return {**super().to_dict(), "expected": self.expected}


class ClientNotOwned(SyncError):
    """The client_id was first used by another device (or user): never serve it here."""

    status = 403
    code = "client_not_owned"


class UpgradeRequired(SyncError):
    """The app's data schema is older than the server serves (``sync.protocol``)."""

    status = 426
    code = "upgrade_required"

    def __init__(self, schema_version: int, minimum: int):
        super().__init__(f"this app (data schema {schema_version}) is too old for the server, "
                         f"which needs schema {minimum} or newer: upgrade the app")
        self.minimum = minimum

    def to_dict(self) -> dict:
        return {**super().to_dict(), "min": self.minimum}


class Rejected(Exception):
    """A mutation that can never succeed: answered ``rejected`` and its id is consumed.

    Raised by the pure rules (tickets, results) and caught per mutation by the
    push planner, so one bad mutation never blocks the ones behind it.
    """

    def __init__(self, code: str, message: str, **details):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, **self.details}
