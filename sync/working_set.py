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
    """Reads through to the store; puts stay here, logged for savepoints.

    WHY a log: a savepoint per mutation used to copy every record changed so
    far, which made a batch quadratic (~5 % of a 100-result push). Now a
    savepoint is a position in the log; the rare rollback replays the log up
    to it.
    """

    def __init__(self, load: Loader):
        self._load = load
        self._changed: dict[tuple[str, str], dict] = {}
        self._log: list[tuple[tuple[str, str], dict]] = []  # every put, in order

    def get(self, collection: str, id: str) -> dict | None:
        key = (collection, id)
        if key in self._changed:
            return self._changed[key]
        return self._load(collection, id)

    def put(self, collection: str, id: str, doc: dict[str, Any]) -> None:
        place(collection, doc)  # fail now, inside the mutation, if the doc cannot be placed
        key = (collection, id)
        self._changed.pop(key, None)  # the latest change goes last
        self._changed[key] = doc
        self._log.append((key, doc))

    def savepoint(self) -> int:
        return len(self._log)

    def rollback(self, savepoint: int) -> None:
        del self._log[savepoint:]
        self._changed = {}
        for key, doc in self._log:
            self._changed.pop(key, None)
            self._changed[key] = doc

    def changed_since(self, savepoint: int) -> list[tuple[str, str, dict]]:
        """The records put since ``savepoint``, each once in its latest state."""
        keys = dict.fromkeys(key for key, _ in self._log[savepoint:])
        return [(c, i, self._changed[(c, i)]) for c, i in keys]

    def changed(self) -> list[tuple[str, str, dict]]:
        """Every changed record once, in its final state: ``(collection, id, doc)``."""
        return [(c, i, d) for (c, i), d in self._changed.items()]
