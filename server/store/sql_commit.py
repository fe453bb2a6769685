"""One batch written inside the open write transaction: seqs, rows, index, read models.

The caller (``SqlStore.transaction``) holds the writer lock and commits the
database transaction; this module decides what the batch writes:

1. refuse a malformed batch before any SQL (``batches``), then against the
   rows it touches (deletes of unknown records, bucket moves), then derive
   its read-model rows -- every refusal comes before the first write, so a
   refused batch writes nothing (and needs no savepoint);
2. take ``last_seq + 1 ...`` from the counter row, one seq per op; a record
   touched twice in a batch ends at the seq of its last op, as the feed
   shows it ("a record appears once, at its latest seq");
3. upsert the records' rows, replace their index entries and their
   read-model rows -- all in the caller's transaction. Only records that
   existed have old entries and rows to drop.

The many-row statements go to the driver as SQL text (``row_inserts``: one
statement per table on PostgreSQL).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from sqlalchemy import Connection, bindparam, delete, select, update

from . import sql_tables as t
from .base import Op, Put
from .batches import check_against, check_shape, encode_body
from .read_models import derive_rows, write_rows
from .row_inserts import insert_rows
from .sql_reader import ordered_bytes

_d, _i = t.docs.c, t.index_entries.c
# One query for every collection of the batch (a round trip on PostgreSQL). It may
# also return an id the batch names in another collection: never looked up by key.
_EXISTING = select(_d.collection, _d.id, _d.bucket, _d.deleted).where(
    _d.collection.in_(bindparam("cs", expanding=True)),
    _d.id.in_(bindparam("ids", expanding=True)))
_DROP_INDEX = delete(t.index_entries).where(
    _i.collection == bindparam("c"), _i.id.in_(bindparam("ids", expanding=True)))
_READ_COUNTER = select(t.meta.c.last_seq)
_MOVE_COUNTER = update(t.meta).values(last_seq=bindparam("last"))
_BUMP_COUNTER = update(t.meta).values(last_seq=t.meta.c.last_seq + bindparam("n")).returning(
    t.meta.c.last_seq)


def _newest_wins(stmt):
    """``ON CONFLICT (collection, id) DO UPDATE``: a record's row becomes its latest state."""
    return stmt.on_conflict_do_update(
        index_elements=[_d.collection, _d.id],
        set_={"seq": stmt.excluded.seq, "bucket": stmt.excluded.bucket,
              "deleted": stmt.excluded.deleted, "body": stmt.excluded.body})


def _take_seqs(conn: Connection, n: int) -> int:
    """Move the counter past ``n`` seqs; return the last seq before them.

    PostgreSQL: one ``UPDATE .. RETURNING`` (one round trip; its row lock
    serialises committers until COMMIT, so seqs become visible in order).
    SQLite, already the only writer (``BEGIN IMMEDIATE``): a read and a write,
    no round trips to save, and no RETURNING needed from older libraries.
    """
    if conn.dialect.name == "postgresql":
        return conn.execute(_BUMP_COUNTER, {"n": n}).scalar_one() - n
    last = conn.execute(_READ_COUNTER).scalar_one()
    conn.execute(_MOVE_COUNTER, {"last": last + n})
    return last


def commit_batch(conn: Connection, ops: Sequence[Op]) -> list[int]:
    """Write ``ops`` in ``conn``'s transaction; return one seq per op."""
    ops = list(ops)
    check_shape(ops)
    bodies = {n: encode_body(op) for n, op in enumerate(ops) if isinstance(op, Put)}
    seen: dict[str, dict[str, None]] = defaultdict(dict)  # ids once each, first-seen order
    for op in ops:
        seen[op.collection][op.id] = None
    by_collection = {collection: list(ids) for collection, ids in seen.items()}
    rows = conn.execute(_EXISTING, {"cs": list(by_collection),
                                    "ids": list({i for ids in by_collection.values()
                                                 for i in ids})})
    existing = {(c, i): (bucket, bool(deleted)) for c, i, bucket, deleted in rows}
    check_against(ops, existing)

    final: dict[tuple[str, str], tuple] = {}  # key -> (n, bucket, body, op) of its last op
    for n, op in enumerate(ops):
        key = (op.collection, op.id)
        if isinstance(op, Put):
            final[key] = (n, op.bucket, bodies[n], op)
        else:
            bucket = final[key][1] if key in final else existing[key][0]
            final[key] = (n, bucket, None, op)
    # Everything that can refuse the batch runs before its first write, so a refused
    # batch leaves nothing without a savepoint of its own (a round trip each way).
    model_rows = {collection: derive_rows(collection, {
        i: op.doc for (c, i), (_, _, body, op) in final.items()
        if c == collection and body is not None}) for collection in by_collection}
    entries = [{"collection": c, "name": name, "key": ordered_bytes(k),
                "sort": ordered_bytes(sort), "id": i}
               for (c, i), (_, _, body, op) in final.items() if body is not None
               for name, (k, sort) in op.index.items()]

    last = _take_seqs(conn, len(ops))
    insert_rows(conn, t.docs, [
        {"collection": c, "id": i, "seq": last + 1 + n, "bucket": bucket,
         "deleted": body is None, "body": body}
        for (c, i), (n, bucket, body, _) in final.items()], _newest_wins)
    for collection, ids in by_collection.items():
        replaced = [i for i in ids if (collection, i) in existing]
        if replaced:
            conn.execute(_DROP_INDEX, {"c": collection, "ids": replaced})
        write_rows(conn, collection, replaced, model_rows[collection])
    insert_rows(conn, t.index_entries, entries)
    return list(range(last + 1, last + len(ops) + 1))
