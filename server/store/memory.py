"""An in-memory backend: the reference the contract suite holds the others to.

It keeps nothing across restarts, so it is for tests and throwaway demos only.
The indexing and change-feed bookkeeping is shared with the TinyDB backend
(``catalog.Catalog``); only the document bodies live in a plain dict here.
"""
from __future__ import annotations

from typing import Iterator, Sequence

import orjson

from .base import Op, Put, Record
from .catalog_store import CatalogStore
from .encoding import encode_document


class MemoryStore(CatalogStore):
    """All records in process memory, one lock for writers."""

    def __init__(self):
        super().__init__()
        self._docs: dict[tuple[str, str], bytes] = {}

    def _body(self, collection, id, entry):
        return orjson.loads(self._docs[(collection, id)])

    def scan(self, collection) -> Iterator[Record]:
        with self._lock:
            ids = list(self._catalog.ids(collection))
        for id_ in ids:
            rec = self.get(collection, id_)
            if rec is not None:
                yield rec

    def _commit(self, ops: Sequence[Op]) -> list[int]:
        self._catalog.check(ops)
        try:  # kept encoded: readers get fresh copies in the types a durable backend gives
            docs = [encode_document(op.doc) if isinstance(op, Put) else None for op in ops]
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

