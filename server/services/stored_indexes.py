"""Giving records stored by an older version the index entries a newer listing reads.

A listing reads only index entries, so records written before an index existed
would be missing from it. Once per data dir (a marker record says it was done),
each such record is put back unchanged with its entries; a store without any
record of the collection is left untouched (nothing to index, no marker).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from server.store import Put, Store
from server.store.base import Op, Transaction

#: server-private markers, one per index introduced
MARKERS = "workflow_state"


def index_once(store: Store, collection: str, marker: str,
               put_of: Callable[[Transaction, dict], Op], *, count_key: str = "records") -> int:
    """Put every record of ``collection`` back through ``put_of`` once; how many."""
    if store.get(MARKERS, marker) is not None or \
            next(iter(store.scan(collection)), None) is None:  # reads only: no writer taken
        return 0
    with store.transaction() as tx:
        stored = [dict(r.doc) for r in tx.scan(collection)]
        if not stored or tx.get(MARKERS, marker) is not None:
            return 0
        tx.commit([*(put_of(tx, doc) for doc in stored),
                   Put(MARKERS, marker, {"at": datetime.now(timezone.utc).isoformat(),
                                         count_key: len(stored)})])
    return len(stored)
