"""The records a push batch has read and changed, before anything is committed.

Mutations of one batch see each other's effects (create a ticket, then
comment on it), but nothing reaches the store until the whole batch commits
as one atomic write together with the client's ``last_mutation_id``. A
savepoint per mutation lets a rejected mutation leave no trace while the
ones before it stand.
"""
from __future__ import annotations

from typing import Any, Callable

from .placement import place

Loader = Callable[[str, str], "dict | None"]


class WorkingSet:
    def __init__(self, load: Loader):
        self._load = load
        self._changed: dict[tuple[str, str], dict] = {}

    def get(self, collection: str, id: str) -> dict | None:
        key = (collection, id)
        if key in self._changed:
            return self._changed[key]
        return self._load(collection, id)

    def put(self, collection: str, id: str, doc: dict[str, Any]) -> None:
        place(collection, doc)  # fail now, inside the mutation, if the doc cannot be placed
        self._changed.pop((collection, id), None)  # the latest change goes last
        self._changed[(collection, id)] = doc

    def savepoint(self) -> dict:
        return dict(self._changed)

    def rollback(self, savepoint: dict) -> None:
        self._changed = dict(savepoint)

    def changed_since(self, savepoint: dict) -> list[tuple[str, str, dict]]:
        """The records put since ``savepoint`` (changed again or new)."""
        return [(c, i, d) for (c, i), d in self._changed.items()
                if savepoint.get((c, i)) is not d]

    def changed(self) -> list[tuple[str, str, dict]]:
        """Every changed record once, in its final state: ``(collection, id, doc)``."""
        return [(c, i, d) for (c, i), d in self._changed.items()]
