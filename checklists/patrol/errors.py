"""The error a patrol input (checkpoint, route, schedule, round result) is refused with."""
from __future__ import annotations

from checklists.errors import ChecklistError


class PatrolInvalid(ChecklistError):
    """A patrol document failed validation; ``.errors`` is ``{"stops[2].checkpoint_id": [...]}``.

    A subclass of :class:`checklists.ChecklistError`, so the API's existing
    handler turns it into a 422 that names every bad field.
    """

    kind = "patrol"
