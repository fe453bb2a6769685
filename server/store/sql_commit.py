"""One batch written inside the open write transaction: seqs, rows, index, read models.

The caller (``SqlStore.transaction``) holds the writer lock and commits the
database transaction; this module decides what the batch writes:

1. refuse a malformed batch before any SQL (``batches``), then against the
   rows it touches (deletes of unknown records, bucket moves) -- a refused
   batch writes nothing;
2. take ``last_seq + 1 ...`` from the counter row, one seq per op; a record
   touched twice in a batch ends at the seq of its last op, as the feed
   shows it ("a record appears once, at its latest seq");
3. upsert the records' rows, replace their index entries and their
   read-model rows, move the counter -- all in the caller's transaction.
   Only records that existed have old entries and rows to drop.

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
from .read_models import write_rows
from .row_inserts import insert_rows
from .sql_reader import ordered_bytes

_d, _i = t.docs.c, t.index_entries.c
_EXISTING = select(_d.id, _d.bucket, _d.deleted).where(
    _d.collection == bindparam("c"), _d.id.in_(bindparam("ids", expanding=True)))
_DROP_INDEX = delete(t.index_entries).where(
    _i.collection == bindparam("c"), _i.id.in_(bindparam("ids", expanding=True)))
_MOVE_COUNTER = update(t.meta).values(last_seq=bindparam("last"))
def _newest_wins(stmt):
    """``ON CONFLICT (collection, id) DO UPDATE``: a record's row becomes its latest state."""
    return stmt.on_conflict_do_update(
        index_elements=[_d.collection, _d.id],
        set_={"seq": stmt.excluded.seq, "bucket": stmt.excluded.bucket,
              "deleted": stmt.excluded.deleted, "body": stmt.excluded.body})


def commit_batch(conn: Connection, ops: Sequence[Op]) -> list[int]:
    """Write ``ops`` in ``conn``'s transaction; return one seq per op."""
    ops = list(ops)
    check_shape(ops)
    bodies = {n: encode_body(op) for n, op in enumerate(ops) if isinstance(op, Put)}
    seen: dict[str, dict[str, None]] = defaultdict(dict)  # ids once each, first-seen order
    for op in ops:
        seen[op.collection][op.id] = None
    by_collection = {collection: list(ids) for collection, ids in seen.items()}
    existing = {}
    for collection, ids in by_collection.items():
        for id_, bucket, deleted in conn.execute(_EXISTING, {"c": collection, "ids": ids}):
            existing[(collection, id_)] = (bucket, bool(deleted))
    check_against(ops, existing)

    counter = select(t.meta.c.last_seq)
    if conn.dialect.name == "postgresql":
        counter = counter.with_for_update()
    last = conn.execute(counter).scalar_one()
    final: dict[tuple[str, str], tuple] = {}  # key -> (seq, bucket, body, op)
    for seq, (n, op) in enumerate(enumerate(ops), start=last + 1):
        key = (op.collection, op.id)
        if isinstance(op, Put):
            final[key] = (seq, op.bucket, bodies[n], op)
        else:
            bucket = final[key][1] if key in final else existing[key][0]
            final[key] = (seq, bucket, None, op)

    insert_rows(conn, t.docs, [
        {"collection": c, "id": i, "seq": seq, "bucket": bucket, "deleted": body is None,
         "body": body} for (c, i), (seq, bucket, body, _) in final.items()], _newest_wins)
    for collection, ids in by_collection.items():
        replaced = [i for i in ids if (collection, i) in existing]
        if replaced:
            conn.execute(_DROP_INDEX, {"c": collection, "ids": replaced})
        live = {i: op.doc for (c, i), (_, _, body, op) in final.items()
                if c == collection and body is not None}
        write_rows(conn, collection, replaced, live)
    entries = [{"collection": c, "name": name, "key": ordered_bytes(k),
                "sort": ordered_bytes(sort), "id": i}
               for (c, i), (_, _, body, op) in final.items() if body is not None
               for name, (k, sort) in op.index.items()]
    insert_rows(conn, t.index_entries, entries)
    conn.execute(_MOVE_COUNTER, {"last": last + len(ops)})
    return list(range(last + 1, last + len(ops) + 1))
