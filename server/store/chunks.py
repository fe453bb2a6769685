"""Which chunk a record lives in, and which records each chunk holds.

A new record goes into the open chunk of its placement group
(``collection/partition``); a chunk takes at most ``chunk_docs`` records, so
saving one never costs more as the store grows. A record stays in its chunk
for life -- ``Put.partition`` only places new records. Chunk keys are
``<group>#<n>``.
"""
from __future__ import annotations

from typing import Iterable

from .base import Put


class ChunkMap:
    """Members of every chunk (tombstones included) and the open chunk of each group."""

    def __init__(self, chunk_docs: int):
        self.chunk_docs = chunk_docs
        self.members: dict[str, set[str]] = {}
        self._open: dict[str, tuple[int, int]] = {}  # group -> (open chunk, its size)

    def add(self, key: str, id_: str) -> None:
        """Record that ``id_`` lives in chunk ``key`` (from a commit, replay or snapshot)."""
        members = self.members.setdefault(key, set())
        if id_ in members:
            return
        members.add(id_)
        group, _, n = key.rpartition("#")
        open_n, size = self._open.get(group, (-1, 0))
        if int(n) > open_n:
            self._open[group] = (int(n), 1)
        elif int(n) == open_n:
            self._open[group] = (open_n, size + 1)

    def discard(self, key: str, id_: str) -> None:
        """Forget a purged tombstone; a record made again later with its id is placed anew."""
        members = self.members.get(key)
        if members is not None:
            members.discard(id_)

    def place(self, op: Put, known: str | None, batch: dict) -> str:
        """The chunk of a put: ``known`` (its record's), or the open one of its group.

        ``batch`` carries the open chunks as this batch fills them, so a batch
        is placed as a whole before any of it is applied.
        """
        if known:
            return known
        group = f"{op.collection}/{op.partition or ''}"
        n, size = batch.get(group) or self._open.get(group, (0, 0))
        if size >= self.chunk_docs:
            n, size = n + 1, 0
        batch[group] = (n, size + 1)
        return f"{group}#{n}"

    def of_collection(self, collection: str) -> Iterable[str]:
        return sorted(k for k in self.members if k.startswith(collection + "/"))
