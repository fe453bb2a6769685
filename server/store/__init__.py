"""The server's store: one SQL store (``SqlStore``) behind one small interface (``base.Store``).

``open_store(url)`` picks the engine from ``STORE_URL``:

* ``sqlite:///path/to/fieldsync.db`` -- the embedded default
  (``<DATA_DIR>/fieldsync.db``): WAL, ``synchronous=FULL``, one app server per
  file, the admin CLI may write beside it;
* ``postgresql://user@host/dbname`` (or ``postgres://``; any libpq URL, e.g.
  ``postgresql://fieldsync@/fieldsync?host=/run/postgresql``) -- the scale-out
  engine, several app servers on one database (psycopg 3);
* ``memory://`` -- a throwaway SQLite file removed at close (tests, demos).
"""
from __future__ import annotations

from .base import (Change, Delete, Page, Put, Record, Store, StoreCorrupt, StoreError,
                   StoreLocked, StoreUnavailable, Transaction)

__all__ = ["Change", "Delete", "Page", "Put", "Record", "Store", "StoreCorrupt", "StoreError",
           "StoreLocked", "StoreUnavailable", "Transaction", "open_store"]


def open_store(url: str) -> Store:
    """Open (creating or migrating as needed) the store named by ``url``."""
    from .sql_store import SqlStore  # SQLAlchemy loads only when a store is opened
    if url.startswith("memory:"):
        return SqlStore.scratch()
    if url.startswith(("postgresql:", "postgres:")):
        return SqlStore.postgres(url)
    if url.startswith("sqlite:///"):
        return SqlStore.sqlite(url[len("sqlite:///"):])
    raise ValueError(f"unknown STORE_URL {url!r}: use sqlite:///<file>, postgresql://... "
                     f"or memory://")
