"""Storage backends behind one small interface (``base.Store``).

``open_store(url)`` picks the backend from a URL-ish string so deployments
choose by configuration:

* ``tinydb:///path/to/dir`` (or a bare path) -- the embedded default;
* ``memory://`` -- nothing persists; tests and throwaway demos.
"""
from __future__ import annotations

from .base import (Change, Delete, Page, Put, Record, Store, StoreCorrupt, StoreError,
                   StoreLocked, StoreUnavailable, Transaction)

__all__ = ["Change", "Delete", "Page", "Put", "Record", "Store", "StoreCorrupt", "StoreError",
           "StoreLocked", "StoreUnavailable", "Transaction", "open_store"]


def open_store(url: str) -> Store:
    """Open the backend named by ``url``."""
    if url.startswith("memory:"):
        from .memory import MemoryStore
        return MemoryStore()
    path = url[len("tinydb://"):] if url.startswith("tinydb://") else url
    from .journal_store import JournalStore
    return JournalStore(path)
