"""One open snapshot lent out as a read-only store.

WHY: services take a store and open their own snapshot per call, which is
right for one answer and wasteful for a page that asks twenty services about
twenty sites: the supervisor dashboard of 20 sites opened ~180 read
transactions (connect, BEGIN, close each), about half its time. Inside
``pinned(store)`` every ``snapshot()`` a service opens is the one already
open, so the whole page reads one consistent state through one connection.
Writes are refused: a page that must write is not a read.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from .base import Reader, Store


class ReadOnlyStore(TypeError):
    """A write was attempted on a pinned snapshot."""


class PinnedSnapshot:
    """Quacks like a :class:`Store` for reading; every method reads the pinned snapshot."""

    def __init__(self, reader: Reader):
        self._reader = reader

    @contextmanager
    def snapshot(self) -> Iterator[Reader]:
        yield self._reader

    def transaction(self):
        raise ReadOnlyStore("a pinned snapshot is read-only; open a transaction on the store")

    def commit(self, ops):
        raise ReadOnlyStore("a pinned snapshot is read-only; commit on the store")

    def __getattr__(self, name):
        # get, get_doc, get_many, list, count, scan, changes, high_water...: the reader's own
        return getattr(self._reader, name)


@contextmanager
def pinned(store: Store) -> Iterator[PinnedSnapshot]:
    """A read-only store over one snapshot, for as long as the block runs."""
    with store.snapshot() as reader:
        yield PinnedSnapshot(reader)
