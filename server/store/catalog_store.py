"""What every catalog-backed store does the same way: reads, the feed, the write lock.

A backend keeps its bookkeeping in a ``Catalog`` under one lock and says only
where document bodies live (``_body``) and how to commit (``_commit``); the
read side -- get, list, count, changes -- and the transaction are here, so the
reference backend and the durable one cannot drift apart.
"""
from __future__ import annotations

import abc
import threading
from contextlib import contextmanager
from typing import Iterator

from .base import Change, LockedTransaction, Page, Record, Store, Transaction
from .catalog import BUCKET, SEQ, Catalog, Entry


class CatalogStore(Store):
    """A store whose index and change feed are a ``Catalog`` guarded by one lock."""

    def __init__(self):
        self._lock = threading.RLock()
        self._catalog = Catalog()

    @abc.abstractmethod
    def _body(self, collection: str, id: str, entry: Entry) -> dict:
        """A fresh copy of the stored document (called under the lock)."""

    def _after_read(self) -> None:
        """Hook run under the lock after a read (the durable store trims its cache)."""

    def _record(self, collection: str, id: str, entry: Entry) -> Record:
        return Record(collection, id, entry[SEQ], entry[BUCKET], self._body(collection, id, entry))

    def get(self, collection, id):
        with self._lock:
            entry = self._catalog.live(collection, id)
            return None if entry is None else self._record(collection, id, entry)

    def list(self, collection, index, key, *, after=None, limit=50, descending=False):
        with self._lock:
            ids, cursor = self._catalog.page(collection, index, key, after, limit, descending)
            items = [self._record(collection, i, self._catalog.entries[(collection, i)])
                     for i in ids]
            self._after_read()
            return Page(items, cursor)

    def count(self, collection, index, key):
        with self._lock:
            return self._catalog.count(collection, index, key)

    def changes(self, bucket, since, limit):
        with self._lock:
            out = []
            for seq, collection, id_, op in self._catalog.changes(bucket, since, limit):
                entry = self._catalog.entries[(collection, id_)]
                doc = self._body(collection, id_, entry) if op == "put" else None
                out.append(Change(seq, collection, id_, op, doc))
            self._after_read()
            return out

    def high_water(self):
        return self._catalog.last_seq

    def tombstone_horizon(self):
        return self._catalog.horizon

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._lock:
            tx = LockedTransaction(self)
            try:
                yield tx
            finally:
                tx.closed = True
