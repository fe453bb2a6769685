"""A page that asks many services reads them all in one snapshot.

WHY: each service call opens its own read transaction, which is right for an
API answer and costly for a page of twenty sites × several blocks (the
dashboard opened ~180). Inside ``one_snapshot`` the services get a read-only
store pinned to one snapshot (``server.store.pinned``): one connection, one
consistent state for the whole page.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from server.store.base import Store
from server.store.pinned import PinnedSnapshot, pinned


@contextmanager
def one_snapshot(store: Store) -> Iterator[PinnedSnapshot]:
    """The store to hand to read-only services for the rest of the block."""
    with pinned(store) as reader:
        yield reader
