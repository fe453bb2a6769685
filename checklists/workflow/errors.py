"""Why a workflow rule refused a change.

Callers translate them: a push answers the mutation ``rejected`` with
``to_dict()``, the API a 4xx (an ``IllegalMove`` is a 409 with the moves that
are allowed). ``field`` names the argument to fix when there is one.
"""
from __future__ import annotations


class TicketRefused(Exception):
    def __init__(self, code: str, message: str, *, field: str | None = None, **details):
        super().__init__(message)
        self.code, self.message, self.field, self.details = code, message, field, details

    def to_dict(self) -> dict:
        out = {"code": self.code, "message": self.message, **self.details}
        if self.field is not None:
            out["field"] = self.field
        return out


class IllegalMove(TicketRefused):
    """A status move the state machine, the actor's role or the from-state forbids.

    ``allowed`` lists the moves this actor may make from the ticket's current state.
    """

    def __init__(self, code: str, message: str, *, current: str, allowed: list[str]):
        super().__init__(code, message, current=current, allowed=allowed)
        self.current, self.allowed = current, allowed
