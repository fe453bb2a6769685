"""Connections of the PostgreSQL backend: a small reader pool and failure translation.

The app is one process with threads (waitress, ``THREADS`` workers). Reads
are single statements in autocommit mode, so each one sees one committed
snapshot and never half a batch; they take any idle connection from a small
pool so readers do not queue behind each other or behind a writer. Writes
use one dedicated connection of their own (``PostgresStore``), because the
write lock they hold is a session-level advisory lock and must stay on one
session for the whole ``with store.transaction()`` block.

A connection that broke (server restart, network cut) is dropped and a
fresh one is made on next use; the failure itself reaches the caller as
``StoreUnavailable`` (HTTP 503), never as a driver exception.
"""
from __future__ import annotations

import queue
import threading
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

import orjson
import psycopg
from psycopg.types.json import set_json_loads

from .base import StoreError, StoreUnavailable

T = TypeVar("T")

# Without a timeout a connect to an unreachable host hangs for minutes, holding a request.
DEFAULT_CONNECT_TIMEOUT = 10


def connect(url: str, *, autocommit: bool) -> psycopg.Connection:
    """A connection to ``url`` that decodes JSON with orjson; StoreUnavailable if it fails."""
    try:
        conn = psycopg.connect(url, autocommit=autocommit,
                               connect_timeout=DEFAULT_CONNECT_TIMEOUT)
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"cannot connect to PostgreSQL: {first_line(exc)}") from exc
    set_json_loads(orjson.loads, conn)  # several times faster than json.loads on big results
    return conn


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def translated_errors() -> Iterator[None]:
    """Driver failures as the store's errors.

    Lost connections and server shutdowns are ``OperationalError`` (503 upstream: try
    again later); values PostgreSQL cannot hold (a NUL character in a string)
    are ``DataError``, the caller's bad input, hence ``ValueError``.
    """
    try:
        yield
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"PostgreSQL: {first_line(exc)}") from exc
    except psycopg.DataError as exc:
        raise ValueError(f"PostgreSQL refused a value: {first_line(exc)}") from exc


class _StaleConnection(Exception):
    """An idle pooled connection turned out dead on use (internal: retry on a fresh one)."""


class ReaderPool:
    """Up to ``size`` autocommit connections, made on demand and reused LIFO."""

    def __init__(self, url: str, size: int):
        self._url = url
        self._idle: queue.LifoQueue[psycopg.Connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._closed = False

    def run(self, read: Callable[[psycopg.Connection], T]) -> T:
        """``read(conn)`` on a pooled connection, retried once if a reused one had died.

        After a database restart every idle connection is dead but does not
        know it yet; a read is safe to repeat, so the first request after the
        restart should not answer 503 for each of them in turn.
        """
        try:
            return self._run_once(read, reuse=True)
        except _StaleConnection:
            return self._run_once(read, reuse=False)

    def _run_once(self, read, *, reuse: bool):
        if self._closed:
            raise StoreError("store is closed")
        with self._slots:
            conn, fresh = None, True
            if reuse:
                try:
                    conn, fresh = self._idle.get_nowait(), False
                except queue.Empty:
                    pass
            if conn is None:
                conn = connect(self._url, autocommit=True)
            try:
                with translated_errors():
                    return read(conn)
            except StoreUnavailable as exc:
                if conn.broken and not fresh:
                    raise _StaleConnection() from exc
                raise
            finally:
                if conn.closed or conn.broken or self._closed:
                    conn.close()
                else:
                    self._idle.put(conn)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
