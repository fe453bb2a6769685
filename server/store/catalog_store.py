"""What every catalog-backed store does the same way: reads, the feed, the write lock.

A backend keeps its bookkeeping in a ``Catalog`` under one lock and says only
where document bodies live (``_body``) and how to commit (``_commit``); the
read side -- get, list, count, changes -- and the transaction are here, so the
reference backend and the durable one cannot drift apart.
"""
from __future__ import annotations

import abc
import threading
import uuid
from contextlib import contextmanager
from typing import Iterator

from .base import Change, LockedTransaction, Page, Record, Store, Transaction
from .catalog import BUCKET, SEQ, Catalog, Entry


class CatalogStore(Store):
    """A store whose index and change feed are a ``Catalog`` guarded by one lock."""

    def __init__(self):
        self._lock = threading.RLock()
        self._catalog = Catalog()
        self._epoch = new_epoch_id()  # a durable backend replaces it with the saved one

    @abc.abstractmethod
    def _body(self, collection: str, id: str, entry: Entry) -> dict:
        """A fresh copy of the stored document (called under the lock)."""

    def _after_read(self) -> None:
        """Hook run under the lock after a read (the durable store trims its cache)."""

    def _save_meta(self, epoch: str, horizon: int) -> None:
        """Make the epoch and the tombstone horizon durable (called under the lock).

        It runs before memory changes, so a failure (raise) changes nothing.
        """

    def _forget(self, gone: list) -> None:
        """Hook: drop what the backend keeps for purged tombstones ``[(key, entry)]``."""

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

    def epoch(self):
        return self._epoch

    def new_epoch(self):
        with self._lock:
            epoch = new_epoch_id()
            self._save_meta(epoch, self._catalog.horizon)
            self._epoch = epoch
            return epoch

    def purge_tombstones(self, upto_seq, *, dry_run=False):
        with self._lock:
            if not isinstance(upto_seq, int) or not 0 <= upto_seq <= self._catalog.last_seq:
                raise ValueError(f"upto_seq must be between 0 and high_water "
                                 f"({self._catalog.last_seq}), not {upto_seq!r}")
            if dry_run:
                return len(self._catalog.tombstones(upto_seq))
            if upto_seq <= self._catalog.horizon:
                return 0  # everything at or below the horizon is already gone
            self._save_meta(self._epoch, upto_seq)
            gone = self._catalog.purge(upto_seq)
            self._forget(gone)
            return len(gone)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._lock:
            tx = LockedTransaction(self)
            try:
                yield tx
            finally:
                tx.closed = True


def new_epoch_id() -> str:
    return f"e_{uuid.uuid4().hex}"
