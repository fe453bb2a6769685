"""The two engines of a SQL store, and what differs between SQLite and PostgreSQL.

Each store has a **writer** engine (one connection: writes are serialised
anyway, and one connection keeps SQLite's write lock and PostgreSQL's
advisory lock simple) and a **reader** engine (a small pool; readers take
snapshots and never wait for the writer). The engine-specific parts are
small and named here:

* SQLite: WAL with ``synchronous=FULL`` (a commit is durable across power
  loss before it is acknowledged), ``busy_timeout`` so the admin CLI can
  write while ``serve`` runs, pysqlite's own transaction handling switched
  off and ``BEGIN IMMEDIATE`` emitted by us (a deferred write transaction
  that read first can fail to upgrade; Python 3.11 has no
  ``autocommit`` attribute -- the SQLAlchemy-documented recipe). Readers
  ``BEGIN`` deferred and are ``query_only``.
* PostgreSQL (psycopg 3): writers take ``pg_advisory_xact_lock`` first thing
  in the transaction, so several app processes serialise their writes and
  seqs become visible in commit order; readers run ``REPEATABLE READ READ
  ONLY`` so every statement of a pull sees one snapshot.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.pool import QueuePool

from .base import StoreCorrupt, StoreUnavailable

WRITER_LOCK_KEY = 0x6669656C6473796E  # "fieldsyn": advisory locks are per database
BUSY_TIMEOUT_MS = 5000
READERS = 8  # waitress's default thread count


@dataclass
class Engines:
    kind: str  # "sqlite" | "postgresql"
    writer: Engine
    reader: Engine
    path: str | None = None  # the SQLite file

    def lock_writer(self, conn: Connection) -> None:
        """Serialise writers across processes (SQLite: BEGIN IMMEDIATE already did)."""
        if self.kind == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")

    def dispose(self) -> None:
        self.writer.dispose()
        self.reader.dispose()


def sqlite_engines(path: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engines:
    url = f"sqlite:///{path}"

    def make(begin: str, pool_size: int, pragmas: tuple[str, ...], overflow: int = 0) -> Engine:
        engine = create_engine(url, poolclass=QueuePool, pool_size=pool_size,
                               max_overflow=overflow,
                               connect_args={"check_same_thread": False,
                                             "timeout": busy_timeout_ms / 1000})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
            for pragma in pragmas:
                dbapi_conn.execute(f"PRAGMA {pragma}")

        @event.listens_for(engine, "begin")
        def _begin(conn):
            # on the driver's connection: SQLAlchemy's statement path cost as much as a
            # no-op pull's queries; a failure (locked, damaged) is translated all the same
            conn.connection.driver_connection.execute(begin)
        return engine

    common = (f"busy_timeout={busy_timeout_ms}", "synchronous=FULL", "foreign_keys=OFF")
    writer = make("BEGIN IMMEDIATE", 1, ("journal_mode=WAL", *common, "cache_size=-32000"))
    reader = make("BEGIN", READERS, (*common, "cache_size=-8000", "query_only=1"),
                  overflow=READERS)
    return Engines("sqlite", writer, reader, path)


def postgres_engines(url: str) -> Engines:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    writer = create_engine(url, pool_size=1, max_overflow=0, pool_pre_ping=True)
    reader = create_engine(url, pool_size=READERS, max_overflow=READERS, pool_pre_ping=True,
                           execution_options={"isolation_level": "REPEATABLE READ",
                                              "postgresql_readonly": True})
    return Engines("postgresql", writer, reader)


def engines_for(url: str) -> Engines:
    """The engines of a ``STORE_URL`` (``sqlite:///`` or ``postgresql://``)."""
    if url.startswith(("postgresql:", "postgres:")):
        return postgres_engines(url)
    if url.startswith("sqlite:///"):
        return sqlite_engines(url[len("sqlite:///"):])
    raise ValueError(f"unknown STORE_URL {url!r}: use sqlite:///<file> or postgresql://...")


_CORRUPT = ("file is not a database", "malformed", "corrupt")


@contextmanager
def translated_errors(engines: Engines) -> Iterator[None]:
    """Driver failures as store errors: damaged file -> ``StoreCorrupt``, else 503.

    Programming errors (a bad statement) are not translated: they are bugs.
    """
    try:
        yield
    except (exc.OperationalError, exc.InterfaceError, exc.InternalError) as error:
        _raise_corrupt_if_damaged(engines, error)
        raise StoreUnavailable(f"the database is unavailable: {error.orig}") from error
    except exc.DatabaseError as error:
        _raise_corrupt_if_damaged(engines, error)
        raise
    except sqlite3.DatabaseError as error:  # raised at connect, outside SQLAlchemy's wrapping
        _raise_corrupt_if_damaged(engines, error)
        raise StoreUnavailable(f"the database is unavailable: {error}") from error


def _raise_corrupt_if_damaged(engines: Engines, error: Exception) -> None:
    message = str(getattr(error, "orig", error))
    if engines.kind == "sqlite" and any(m in message for m in _CORRUPT):
        raise StoreCorrupt(engines.path or "?", 0, message) from error
