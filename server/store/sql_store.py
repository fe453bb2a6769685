"""SqlStore: the one store, on SQLAlchemy Core, over SQLite (embedded) or PostgreSQL.

How it keeps the ``Store`` contract (``base``):

* **Writes** go through ``transaction()``: the process's writer lock, then one
  database write transaction on the writer engine -- ``BEGIN IMMEDIATE`` on
  SQLite (the file's write lock, which also serialises the admin CLI running
  beside ``serve``), ``pg_advisory_xact_lock`` on PostgreSQL (several app
  servers). Reads inside see the committed state plus nothing else, so a
  service's read-check-commit is atomic. ``tx.commit(ops)`` writes the batch
  with its seqs (``sql_commit``); it is durable (WAL + ``synchronous=FULL``;
  PostgreSQL's own commit) when the ``with`` block exits -- writers queued
  at the same time share that COMMIT and its fsync (``group_commit``).
* **Reads never wait for writes.** ``snapshot()`` is one read transaction on
  the reader pool (SQLite WAL readers; PostgreSQL ``REPEATABLE READ READ
  ONLY``); a pull reads its client record, ``high_water`` and every bucket
  through one snapshot. The store's own ``get``/``list``/``changes`` are each
  a short snapshot of their own.
* **Failures**: a database that cannot be reached or written is
  ``StoreUnavailable`` (503, nothing acknowledged); a damaged SQLite file is
  ``StoreCorrupt`` naming it -- at open, before the server starts.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import Connection, func, select, update

from . import sql_tables as t
from .base import Store, StoreError, Transaction
from .dirlock import DirectoryLock
from .group_commit import GroupCommit
from .sql_commit import commit_batch
from .sql_engines import Engines, postgres_engines, sqlite_engines, translated_errors
from .sql_migrate import migrate
from .sql_reader import SqlReader, scan_pages


def new_epoch_id() -> str:
    return "e_" + uuid.uuid4().hex


class SqlStore(Store):
    """A store in one SQLite file or one PostgreSQL database."""

    def __init__(self, engines: Engines, *, scratch_dir: str | None = None):
        self.engines = engines
        self.kind = engines.kind
        self._writers = GroupCommit(engines.writer.connect,
                                    lambda: translated_errors(engines))
        self._serve_lock: DirectoryLock | None = None
        self._scratch_dir = scratch_dir
        self._closed = False
        try:
            with translated_errors(engines):
                migrate(engines, new_epoch_id)
        except BaseException:
            self.close()
            raise

    @classmethod
    def sqlite(cls, path: str, **engine_options) -> "SqlStore":
        path = os.path.abspath(path)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        return cls(sqlite_engines(path, **engine_options))

    @classmethod
    def postgres(cls, url: str) -> "SqlStore":
        return cls(postgres_engines(url))

    @classmethod
    def scratch(cls) -> "SqlStore":
        """A throwaway SQLite store in a temp dir removed at close (``memory://``)."""
        scratch = tempfile.mkdtemp(prefix="fieldsync-scratch-")
        return cls(sqlite_engines(os.path.join(scratch, "fieldsync.db")), scratch_dir=scratch)

    @property
    def location(self) -> str:
        """What to name in messages: the SQLite file, or the PostgreSQL database."""
        return self.engines.path or self.engines.writer.url.render_as_string(hide_password=True)

    # -- reads -----------------------------------------------------------------
    @contextmanager
    def snapshot(self) -> Iterator[SqlReader]:
        """One consistent read transaction that no writer waits for or disturbs."""
        self._check_open()
        with translated_errors(self.engines):
            conn = self.engines.reader.connect()
            try:
                conn.begin()
                yield SqlReader(conn)
            finally:
                conn.close()  # rolls the read transaction back

    def get(self, collection, id):
        with self.snapshot() as r:
            return r.get(collection, id)

    def get_many(self, collection, ids):
        with self.snapshot() as r:
            return r.get_many(collection, ids)

    def list(self, collection, index, key, **kw):
        with self.snapshot() as r:
            return r.list(collection, index, key, **kw)

    def count(self, collection, index, key):
        with self.snapshot() as r:
            return r.count(collection, index, key)

    def scan(self, collection):
        """Keyset pages by id, each its own snapshot: a slow consumer pins nothing."""
        def fetch(after):
            with self.snapshot() as r:
                return r.scan_page(collection, after)
        return scan_pages(fetch, collection)

    def changes(self, bucket, since, limit):
        with self.snapshot() as r:
            return r.changes(bucket, since, limit)

    def high_water(self):
        with self.snapshot() as r:
            return r.high_water()

    def tombstone_horizon(self):
        with self.snapshot() as r:
            return r.tombstone_horizon()

    def epoch(self):
        with self.snapshot() as r:
            return r.epoch()

    # -- writes ----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """The writer's turn: what the block commits is durable when the block exits.

        Concurrent writers are group-committed (``group_commit``): the data of
        every ``tx.commit`` in the block is on disk before the ``with`` returns,
        and a failed COMMIT raises ``StoreUnavailable`` here, nothing applied.
        """
        self._check_open()
        with self._writers.member() as conn, translated_errors(self.engines):
            tx = SqlTransaction(conn, self.engines)
            try:
                yield tx
            except BaseException:
                tx.undo()  # a failed block leaves nothing for the group to commit
                raise
            else:
                tx.keep()
            finally:
                tx.closed = True

    def new_epoch(self):
        epoch = new_epoch_id()
        with self.transaction() as tx:
            tx.execute_write(update(t.meta).values(epoch=epoch))
        return epoch

    def purge_tombstones(self, upto_seq, *, dry_run=False):
        with self.transaction() as tx:
            last, horizon = tx.high_water(), tx.tombstone_horizon()
            if isinstance(upto_seq, bool) or not isinstance(upto_seq, int) \
                    or not 0 <= upto_seq <= last:
                raise ValueError(f"upto_seq must be between 0 and high_water ({last}), "
                                 f"not {upto_seq!r}")
            dead = t.docs.c.deleted.is_(True) & (t.docs.c.seq <= upto_seq)
            if dry_run:
                return tx.execute_write(select(func.count()).where(dead)).scalar_one()
            if upto_seq <= horizon:
                return 0  # everything at or below the horizon is already gone
            # The horizon rises in the same transaction that drops the tombstones.
            tx.execute_write(update(t.meta).values(horizon=upto_seq))
            return tx.execute_write(t.docs.delete().where(dead)).rowcount

    # -- lifecycle -------------------------------------------------------------
    def claim_serving(self) -> None:
        """One app server per SQLite file (PostgreSQL takes several): StoreLocked if taken.

        A sidecar file is locked, never the database file itself (closing any
        descriptor of the database would drop SQLite's own POSIX locks).
        """
        if self.kind == "sqlite" and self._serve_lock is None:
            self._serve_lock = DirectoryLock(self.engines.path + ".serve-lock",
                                             what=self.engines.path)

    def _check_open(self):
        if self._closed:
            raise StoreError("store is closed")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._writers.close()
        self.engines.dispose()
        if self._serve_lock is not None:
            self._serve_lock.release()
        if self._scratch_dir is not None:
            shutil.rmtree(self._scratch_dir, ignore_errors=True)


class SqlTransaction(SqlReader, Transaction):
    """One writer's part of the open database transaction (``SqlStore.transaction``).

    The database transaction starts at the first read or write of its group
    (``BEGIN IMMEDIATE`` / the advisory lock). A block that joins a transaction
    earlier members of its group wrote in runs in a savepoint of its own, so
    a block that raises leaves nothing for the group to commit; a block that
    began the transaction has it to itself and rolls all of it back instead
    (on PostgreSQL a savepoint and its release are two round trips a push).
    A batch ``commit`` refuses before its first write (``sql_commit``).
    """

    def __init__(self, conn: Connection, engines: Engines):
        super().__init__(conn)
        self.engines = engines
        self.closed = False
        self._started = False  # this block has read or written
        self._block = None  # this writer's savepoint within the group's transaction
        self._root = None  # the transaction, when this block began it

    def _c(self) -> Connection:
        if self.closed:
            raise StoreError("transaction is closed")
        if not self._started:
            if self.conn.in_transaction():  # earlier members' writes: keep them apart
                self._block = self.conn.begin_nested()
            else:
                self._root = self.conn.begin()
                self.engines.lock_writer(self.conn)
            self._started = True
            self._meta = None
        return self.conn

    def undo(self) -> None:
        """Roll this writer's block back (its group may still commit the others')."""
        for mine in (self._block, self._root):
            if mine is not None and mine.is_active:
                try:
                    mine.rollback()
                except Exception:  # noqa: BLE001 - a broken connection fails the group's COMMIT
                    pass

    def keep(self) -> None:
        if self._block is not None and self._block.is_active:
            self._block.commit()  # RELEASE: part of the group's transaction

    def execute_write(self, statement, params=None):
        """Run a Core statement in the write transaction (committed at the block's end)."""
        return self._c().execute(statement, params)

    def commit(self, ops) -> list[int]:
        seqs = commit_batch(self._c(), ops)
        self._meta = None
        return seqs

