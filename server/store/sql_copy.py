"""Moving a whole store between engines, verifying it, and backing SQLite up online.

``copy_store`` is the path a user takes when they outgrow one machine
(SQLite -> PostgreSQL) or come back: every row of every table -- records
with their seqs and tombstones, index entries, read models -- and the meta
row (seq counter, epoch, tombstone horizon), so devices keep their cursors
and their ``last_mutation_id`` (client records are records) and notice
nothing. The destination must be empty; it is written in one transaction,
so an interrupted copy leaves it empty again.

``verify_copy`` compares the two stores per collection: a count and a
SHA-256 over ``(id, seq, deleted, body)`` in id order.
"""
from __future__ import annotations

import hashlib
import os
from typing import Callable

from sqlalchemy import func, insert, select, tuple_, update

from server.durable_files import fsync_path

from . import sql_tables as t
from .sql_store import SqlStore

CHUNK = 2000
COPIED = (t.docs, t.index_entries, t.results, t.result_totals)  # fs_meta is set last, alembic_version is made


class NotEmpty(ValueError):
    """The destination already holds records."""


def row_count(store: SqlStore) -> int:
    with store.snapshot() as r:
        return sum(r.execute(select(func.count()).select_from(table)).scalar_one()
                   for table in COPIED)


def copy_store(src: SqlStore, dst: SqlStore, progress: Callable[[int], None] = lambda n: None
               ) -> None:
    """Copy everything from ``src`` into the empty ``dst`` (one snapshot, one transaction)."""
    with dst.snapshot() as r:
        if r.high_water() or r.execute(select(func.count()).select_from(t.docs)).scalar_one():
            raise NotEmpty(f"{dst.location} is not empty: refusing to copy into it")
    with src.snapshot() as source, dst.transaction() as tx:
        for table in COPIED:
            key = list(table.primary_key.columns)
            last = None
            while True:
                query = select(table).order_by(*key).limit(CHUNK)
                if last is not None:
                    query = query.where(tuple_(*key) > tuple_(*last))
                rows = source.execute(query).mappings().all()
                if not rows:
                    break
                tx.execute_write(insert(table), [dict(row) for row in rows])
                last = [rows[-1][c.name] for c in key]
                progress(len(rows))
        seq, horizon, epoch = source.meta()
        tx.execute_write(update(t.meta).values(last_seq=seq, horizon=horizon, epoch=epoch))


def collection_digests(store: SqlStore) -> dict[str, tuple[int, str]]:
    """``{collection: (rows, sha256)}`` over every row, tombstones included."""
    d = t.docs.c
    digests: dict = {}  # collection -> (rows, running sha256)
    with store.snapshot() as r:
        last = ("", "")
        while True:
            rows = r.execute(select(d.collection, d.id, d.seq, d.deleted, d.body)
                             .where(tuple_(d.collection, d.id) > tuple_(*last))
                             .order_by(d.collection, d.id).limit(CHUNK)).all()
            if not rows:
                break
            for collection, id_, seq, deleted, body in rows:
                n, h = digests.get(collection, (0, hashlib.sha256()))
                h.update(f"{id_}\x00{seq}\x00{int(bool(deleted))}\x00{body or ''}\x01".encode())
                digests[collection] = (n + 1, h)
            last = (rows[-1][0], rows[-1][1])
        meta = r.meta()
    out = {c: (n, h.hexdigest()) for c, (n, h) in sorted(digests.items())}
    out["(meta: last_seq, horizon, epoch)"] = (meta[0], f"{meta[1]} {meta[2]}")
    return out


def verify_copy(src: SqlStore, dst: SqlStore) -> list[str]:
    """The collections whose rows differ between the stores (empty: identical)."""
    a, b = collection_digests(src), collection_digests(dst)
    return sorted(c for c in set(a) | set(b) if a.get(c) != b.get(c))


def backup_sqlite(store: SqlStore, dest: str) -> int:
    """A consistent copy of a SQLite store at ``dest`` while it serves; return its bytes.

    SQLite's online backup API copies from one read snapshot (writers go on);
    the copy is fsynced, file and directory, before this returns.
    """
    if store.kind != "sqlite":
        raise ValueError("db backup is for the SQLite store; back PostgreSQL up with pg_dump "
                         "or its continuous archiving")
    if os.path.exists(dest):
        raise FileExistsError(f"{dest} exists: refusing to overwrite a backup")
    import sqlite3
    raw = store.engines.reader.raw_connection()
    try:
        target = sqlite3.connect(dest)
        try:
            raw.driver_connection.backup(target)
        finally:
            target.close()
    finally:
        raw.close()
    fsync_path(dest)
    fsync_path(os.path.dirname(os.path.abspath(dest)))
    return os.path.getsize(dest)
