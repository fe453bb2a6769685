"""Storage backends behind one small interface (``base.Store``).

``open_store(url)`` picks the backend from a URL-ish string so deployments
choose by configuration:

* ``tinydb:///path/to/dir`` (or a bare path) -- the embedded default;
* ``memory://`` -- nothing persists; tests and throwaway demos;
* ``postgresql://user@host/dbname`` (or ``postgres://``; any libpq URL, e.g.
  ``postgresql://fieldsync@/fieldsync?host=/run/postgresql`` for a unix
  socket) -- the scale-out backend; needs the ``postgres`` extra (psycopg).
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
    if url.startswith(("postgresql:", "postgres:")):
        from .postgres_store import PostgresStore  # imported only here: psycopg is optional
        return PostgresStore(url)
    path = url[len("tinydb://"):] if url.startswith("tinydb://") else url
    from .journal_store import JournalStore
    return JournalStore(path)
