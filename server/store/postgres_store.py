"""PostgresStore: the scale-out backend, same contract as the embedded one.

Tables and why they look as they do: ``postgres_schema``. How it meets the
interface:

* **One writer at a time, across processes.** ``transaction()`` takes the
  store's thread lock and then a session-level advisory lock on the writer
  connection, held until the block ends. Several app processes on one
  database therefore serialise their write transactions like threads do on
  the embedded store, and a service's read-check-commit inside the block
  cannot be overtaken by a commit from another process.
* **Gapless seqs, visible in commit order.** ``commit(ops)`` is one database
  transaction that locks the meta row, takes ``last_seq + 1 ...`` for its
  ops, writes the records and moves ``last_seq`` -- so a seq and its data
  become durable together, a failed commit consumes no seq, and (writers
  being serialised) no seq at or below ``high_water`` can appear later.
* **Same rules as the other backends.** A batch is checked by the very
  ``Catalog.check`` the embedded backends use, fed with the current rows of
  the records the batch touches; documents are encoded with the same
  ``encode_document``, so what is refused (and with which error) matches.
* **Reads** are single autocommit statements on a small pool
  (``postgres_connections.ReaderPool``): each sees one committed snapshot,
  so never half a batch, and readers do not wait for a writer.

A database that cannot be reached is ``StoreUnavailable`` (503). Sessions
that died while idle (a database restart) are replaced on next use without
an error: a read is retried once on a fresh connection, and a write
transaction reconnects before it takes its lock. One case the embedded store
does not have: if the connection drops *while* the server commits, the
client cannot know whether the commit happened. The store reports
``StoreUnavailable`` (nothing acknowledged); the sync protocol's exactly-once
push makes the device's retry safe either way.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

import psycopg

from .base import Change, Page, Put, Record, Store, StoreError, StoreUnavailable, Transaction
from .catalog import Catalog, check_ops, decode_cursor, encode_cursor, make_entry
from .catalog_store import new_epoch_id
from .encoding import encode_document
from .postgres_connections import ReaderPool, connect, translated_errors
from .postgres_schema import WRITER_LOCK_KEY, ensure_schema

SCAN_PAGE = 500  # rows per query while scanning a collection


class PostgresStore(Store):
    """A store in one PostgreSQL database (``postgresql://`` URL, libpq syntax)."""

    def __init__(self, url: str, *, read_connections: int = 4):
        self.url = url
        self._write_lock = threading.RLock()
        self._writer: psycopg.Connection | None = None
        self._readers = ReaderPool(url, read_connections)
        self._closed = False
        try:
            with self._write_lock, translated_errors():
                ensure_schema(self._writer_connection(), new_epoch_id())
        except BaseException:
            self.close()
            raise

    # -- connections -----------------------------------------------------------
    def _writer_connection(self) -> psycopg.Connection:
        """The writer's connection, remade if it broke (call under the write lock)."""
        if self._closed:
            raise StoreError("store is closed")
        if self._writer is None or self._writer.closed or self._writer.broken:
            if self._writer is not None:
                self._writer.close()
            self._writer = connect(self.url, autocommit=True)
        return self._writer

    def _lock_writer(self) -> psycopg.Connection:
        """Take the writer lock on the writer's session, reconnecting once if it had died.

        Nothing was sent yet, so a session that died while idle (database
        restart) is replaced instead of failing the first write after it.
        """
        conn = self._writer_connection()
        try:
            with translated_errors():
                conn.execute("SELECT pg_advisory_lock(%s)", (WRITER_LOCK_KEY,))
        except StoreUnavailable:
            if not conn.broken:
                raise
            conn = self._writer_connection()  # remade, as the old one is broken
            with translated_errors():
                conn.execute("SELECT pg_advisory_lock(%s)", (WRITER_LOCK_KEY,))
        return conn

    # -- reads -----------------------------------------------------------------
    def get(self, collection, id):
        return self._readers.run(lambda conn: _get(conn, collection, id))

    def get_many(self, collection, ids: Iterable[str]) -> dict[str, Record]:
        ids = list(ids)
        return self._readers.run(lambda conn: _get_many(conn, collection, ids))

    def list(self, collection, index, key, *, after=None, limit=50, descending=False):
        return self._readers.run(
            lambda conn: _list(conn, collection, index, key, after, limit, descending))

    def count(self, collection, index, key):
        return self._readers.run(lambda conn: _count(conn, collection, index, key))

    def scan(self, collection) -> Iterator[Record]:
        return _scan(self._readers.run, collection)

    def changes(self, bucket, since, limit):
        rows = self._readers.run(lambda conn: conn.execute(
            "SELECT seq, collection, id, deleted, doc FROM fieldsync_docs "
            "WHERE bucket = %s AND seq > %s ORDER BY seq LIMIT %s",
            (bucket, since, limit)).fetchall())
        return [Change(seq, collection, id_, "del" if deleted else "put", doc)
                for seq, collection, id_, deleted, doc in rows]

    def _meta(self, column: str):
        return self._readers.run(
            lambda conn: conn.execute(f"SELECT {column} FROM fieldsync_meta").fetchone()[0])

    def high_water(self):
        return self._meta("last_seq")

    def tombstone_horizon(self):
        return self._meta("horizon")

    def epoch(self):
        return self._meta("epoch")

    # -- writes ----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._write_lock:
            conn = self._lock_writer()
            tx = PostgresTransaction(conn)
            try:
                yield tx
            finally:
                tx.closed = True
                if not conn.broken and not conn.closed:  # a dead session holds no lock
                    with translated_errors():
                        conn.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK_KEY,))

    def new_epoch(self):
        epoch = new_epoch_id()
        with self.transaction() as tx, translated_errors(), tx.conn.transaction():
            tx.conn.execute("UPDATE fieldsync_meta SET epoch = %s", (epoch,))
        return epoch

    def purge_tombstones(self, upto_seq, *, dry_run=False):
        # The horizon rises in the same database transaction that drops the
        # tombstones: both happen or neither, which is the order the contract asks for.
        with self.transaction() as tx, translated_errors(), tx.conn.transaction():
            last, horizon = tx.conn.execute(
                "SELECT last_seq, horizon FROM fieldsync_meta FOR UPDATE").fetchone()
            if not isinstance(upto_seq, int) or not 0 <= upto_seq <= last:
                raise ValueError(f"upto_seq must be between 0 and high_water ({last}), "
                                 f"not {upto_seq!r}")
            if dry_run:
                return tx.conn.execute("SELECT count(*) FROM fieldsync_docs "
                                       "WHERE deleted AND seq <= %s", (upto_seq,)).fetchone()[0]
            if upto_seq <= horizon:
                return 0  # everything at or below the horizon is already gone
            tx.conn.execute("UPDATE fieldsync_meta SET horizon = %s", (upto_seq,))
            return tx.conn.execute("DELETE FROM fieldsync_docs WHERE deleted AND seq <= %s",
                                   (upto_seq,)).rowcount

    def close(self) -> None:
        with self._write_lock:
            if self._closed:
                return
            self._closed = True
            self._readers.close()
            if self._writer is not None:
                self._writer.close()


class PostgresTransaction(Transaction):
    """The open write transaction: reads and commits on the writer's session.

    Reads see the committed state (each commit below is committed at once,
    and no other writer can commit while the advisory lock is held). If the
    session breaks, the lock went with it: every later call raises
    ``StoreUnavailable`` rather than commit on preconditions another
    process may have changed meanwhile.
    """

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn
        self.closed = False

    def _usable(self) -> psycopg.Connection:
        if self.closed:
            raise StoreError("transaction is closed")
        if self.conn.broken or self.conn.closed:
            raise StoreUnavailable("the connection to PostgreSQL was lost in this transaction")
        return self.conn

    def get(self, collection, id):
        with translated_errors():
            return _get(self._usable(), collection, id)

    def get_many(self, collection, ids):
        with translated_errors():
            return _get_many(self._usable(), collection, list(ids))

    def list(self, collection, index, key, *, after=None, limit=50, descending=False):
        with translated_errors():
            return _list(self._usable(), collection, index, key, after, limit, descending)

    def count(self, collection, index, key):
        with translated_errors():
            return _count(self._usable(), collection, index, key)

    def scan(self, collection):
        return _scan(self._run, collection)

    def _run(self, read):
        with translated_errors():
            return read(self._usable())

    def commit(self, ops: Sequence) -> list[int]:
        ops = list(ops)
        check_ops(ops)  # before any SQL: ids that are not strings never reach the driver
        conn = self._usable()
        with translated_errors(), conn.transaction():
            last = conn.execute("SELECT last_seq FROM fieldsync_meta FOR UPDATE").fetchone()[0]
            final = _check_and_settle(conn, ops, last)
            _write(conn, final)
            conn.execute("UPDATE fieldsync_meta SET last_seq = %s", (last + len(ops),))
        return list(range(last + 1, last + len(ops) + 1))


def ordered_bytes(text: str) -> bytes:
    """An index key or sort as ``bytea``: bytewise order is the str's code point order."""
    return text.encode("utf-8", "surrogatepass")


def from_ordered_bytes(data: bytes) -> str:
    return bytes(data).decode("utf-8", "surrogatepass")


# -- statements shared by the store's pool and the transaction's session -------
def _get(conn, collection, id_):
    row = conn.execute("SELECT seq, bucket, doc FROM fieldsync_docs "
                       "WHERE collection = %s AND id = %s AND NOT deleted",
                       (collection, id_)).fetchone()
    return None if row is None else Record(collection, id_, row[0], row[1], row[2])


def _get_many(conn, collection, ids):
    rows = conn.execute("SELECT id, seq, bucket, doc FROM fieldsync_docs "
                        "WHERE collection = %s AND id = ANY(%b::text[]) AND NOT deleted",
                        (collection, ids)).fetchall()
    return {i: Record(collection, i, s, b, d) for i, s, b, d in rows}


def _list(conn, collection, index, key, after, limit, descending):
    where, params = "", [collection, index, ordered_bytes(key)]
    if after is not None:
        sort, id_ = decode_cursor(after)
        where = " AND (i.sort, i.id) < (%s, %s)" if descending else " AND (i.sort, i.id) > (%s, %s)"
        params += [ordered_bytes(sort), id_]
    order = "DESC" if descending else "ASC"
    rows = conn.execute(
        "SELECT i.sort, d.id, d.seq, d.bucket, d.doc FROM fieldsync_index i "
        "JOIN fieldsync_docs d ON d.collection = i.collection AND d.id = i.id "
        f"WHERE i.collection = %s AND i.name = %s AND i.key = %s{where} "
        f"ORDER BY i.sort {order}, i.id {order} LIMIT %s",
        (*params, limit + 1)).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor(from_ordered_bytes(rows[-1][0]), rows[-1][1]) if more and rows else None
    return Page([Record(collection, i, s, b, d) for _, i, s, b, d in rows], cursor)


def _scan(run, collection) -> Iterator[Record]:
    """Keyset pages by id, one query each, run by ``run(read)``.

    No connection is held between pages, so a slow consumer pins none and a
    big collection is never in memory at once; every live record comes once.
    """
    after = ""
    while True:
        rows = run(lambda conn: conn.execute(
            "SELECT id, seq, bucket, doc FROM fieldsync_docs WHERE collection = %s "
            "AND NOT deleted AND id > %s ORDER BY id LIMIT %s",
            (collection, after, SCAN_PAGE)).fetchall())
        for id_, seq, bucket, doc in rows:
            yield Record(collection, id_, seq, bucket, doc)
        if len(rows) < SCAN_PAGE:
            return
        after = rows[-1][0]


def _count(conn, collection, index, key):
    return conn.execute("SELECT count(*) FROM fieldsync_index "
                        "WHERE collection = %s AND name = %s AND key = %s",
                        (collection, index, ordered_bytes(key))).fetchone()[0]


def _check_and_settle(conn, ops: list, last_seq: int) -> dict:
    """Refuse a bad batch (ValueError/TypeError, nothing written); else each record's final state.

    Returns ``{(collection, id): (seq, bucket, encoded doc or None, index)}``: a
    record touched twice in a batch ends at the seq of its last op, as the
    embedded backends' feed shows it.
    """
    probe = Catalog()  # the embedded backends' rules, applied to the rows the batch touches
    keys = list({(op.collection, op.id) for op in ops})
    rows = conn.execute(
        "SELECT d.collection, d.id, d.seq, d.bucket, d.deleted FROM fieldsync_docs d "
        "JOIN unnest(%b::text[], %b::text[]) AS k(collection, id) "
        "ON d.collection = k.collection AND d.id = k.id",
        ([c for c, _ in keys], [i for _, i in keys])).fetchall()
    probe.entries = {(c, i): make_entry(s, b, dl, None, ()) for c, i, s, b, dl in rows}
    probe.check(ops)
    final = {}
    for seq, op in enumerate(ops, start=last_seq + 1):
        key = (op.collection, op.id)
        if isinstance(op, Put):
            try:
                body = encode_document(op.doc).decode()
            except TypeError as exc:
                raise ValueError(f"document is not JSON-serialisable: {exc}") from None
            final[key] = (seq, op.bucket, body, sorted(op.index.items()))
        else:
            bucket = final[key][1] if key in final else probe.entries[key][1]
            final[key] = (seq, bucket, None, [])
    return final


def _write(conn, final: dict) -> None:
    """Replace the rows of the batch's records and their index entries.

    One statement per table whatever the batch size, with each column sent
    as one array. The arrays go in binary (``%b``): as text, psycopg escapes
    every quote of every JSON body with a Python regex -- measured 50 ms of
    a 60 ms commit of 100 two-kilobyte results.
    """
    collections = [c for c, _ in final]
    ids = [i for _, i in final]
    conn.execute("DELETE FROM fieldsync_index i USING unnest(%b::text[], %b::text[]) "
                 "AS k(collection, id) WHERE i.collection = k.collection AND i.id = k.id",
                 (collections, ids))
    seqs, buckets, bodies = zip(*((s, b, d) for s, b, d, _ in final.values()))
    conn.execute(
        "INSERT INTO fieldsync_docs (collection, id, seq, bucket, deleted, doc) "
        "SELECT c, i, s, b, d IS NULL, d::json "
        "FROM unnest(%b::text[], %b::text[], %b::bigint[], %b::text[], %b::text[]) "
        "AS t(c, i, s, b, d) "
        "ON CONFLICT (collection, id) DO UPDATE SET seq = excluded.seq, "
        "bucket = excluded.bucket, deleted = excluded.deleted, doc = excluded.doc",
        (collections, ids, list(seqs), list(buckets), list(bodies)))
    entries = [(c, name, ordered_bytes(k), ordered_bytes(sort), i)
               for (c, i), (_, _, _, index) in final.items() for name, (k, sort) in index]
    if entries:
        conn.execute(
            "INSERT INTO fieldsync_index (collection, name, key, sort, id) "
            "SELECT * FROM unnest(%b::text[], %b::text[], %b::bytea[], %b::bytea[], %b::text[])",
            [list(col) for col in zip(*entries)])
