"""An in-memory backend: the reference the contract suite holds the others to.

It keeps nothing across restarts, so it is for tests and throwaway demos only.
The indexing and change-feed bookkeeping is shared with the TinyDB backend
(``catalog.Catalog``); only the document bodies live in a plain dict here.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator, Sequence

import orjson

from .base import Change, LockedTransaction, Op, Page, Put, Record, Store, Transaction
from .catalog import BUCKET, SEQ, Catalog


class MemoryStore(Store):
    """All records in process memory, one lock for writers."""

    def __init__(self):
        self._lock = threading.RLock()
        self._catalog = Catalog()
        self._docs: dict[tuple[str, str], bytes] = {}

    # -- reads -------------------------------------------------------------
    def _load(self, collection: str, id: str, entry) -> Record:
        return Record(collection, id, entry[SEQ], entry[BUCKET],
                      orjson.loads(self._docs[(collection, id)]))

    def get(self, collection, id):
        with self._lock:
            entry = self._catalog.live(collection, id)
            return None if entry is None else self._load(collection, id, entry)

    def list(self, collection, index, key, *, after=None, limit=50, descending=False):
        with self._lock:
            ids, cursor = self._catalog.page(collection, index, key, after, limit, descending)
            return Page([self.get(collection, i) for i in ids], cursor)

    def count(self, collection, index, key):
        with self._lock:
            return self._catalog.count(collection, index, key)

    def scan(self, collection) -> Iterator[Record]:
        with self._lock:
            ids = list(self._catalog.ids(collection))
        for id_ in ids:
            rec = self.get(collection, id_)
            if rec is not None:
                yield rec

    def changes(self, bucket, since, limit):
        with self._lock:
            out = []
            for seq, collection, id_, op in self._catalog.changes(bucket, since, limit):
                doc = orjson.loads(self._docs[(collection, id_)]) if op == "put" else None
                out.append(Change(seq, collection, id_, op, doc))
            return out

    def high_water(self):
        return self._catalog.last_seq

    def tombstone_horizon(self):
        return self._catalog.horizon

    # -- writes ------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._lock:
            tx = LockedTransaction(self)
            try:
                yield tx
            finally:
                tx.closed = True

    def _commit(self, ops: Sequence[Op]) -> list[int]:
        self._catalog.check(ops)
        try:  # kept encoded: readers get fresh copies in the types a durable backend gives
            docs = [orjson.dumps(op.doc) if isinstance(op, Put) else None for op in ops]
        except TypeError as exc:
            raise ValueError(f"document is not JSON-serialisable: {exc}") from None
        seqs = self._catalog.apply(ops)
        for op, doc in zip(ops, docs):
            if doc is not None:
                self._docs[(op.collection, op.id)] = doc
            else:
                self._docs.pop((op.collection, op.id), None)
        return seqs

    def close(self):
        pass

