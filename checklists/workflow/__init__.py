"""Workflow rules over records several people change: result review, tickets, appeals.

Pure functions (no Flask, no store, no sync transport) over plain documents,
an ``Actor`` and a time (``Acting``). The sync push (a device's batch) and
the web services (``server.services.*``) are two callers of the same rules.
"""
from .acting import Acting
from .errors import IllegalMove, TicketRefused

__all__ = ["Acting", "IllegalMove", "TicketRefused"]
