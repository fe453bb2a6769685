"""Typed query columns per record type, derived from documents.

The document stays the source of truth. A read model says which table holds
a collection's query columns and how a document maps to its row; the store
writes that row in the same transaction as the document (and drops it with
the record), and ``reindex`` rebuilds a collection's rows from the documents
without touching seqs -- what a migration runs when a record type gains a
column, so devices download nothing again.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import orjson
from sqlalchemy import Connection, Select, Table, delete, insert, inspect, select

from . import result_totals
from . import sql_tables as t
from .row_inserts import insert_rows


@dataclass(frozen=True)
class Aggregates:
    """Totals derived from a read model's rows, moved with every write of them."""

    old_rows: Select  # the rows about to be replaced, by ``ids``
    apply: Callable[[Connection, Any, Any], None]  # (conn, old rows, new rows)
    rebuild: Callable[[Connection], None]


@dataclass(frozen=True)
class ReadModel:
    collection: str
    table: Table
    row: Callable[[Mapping[str, Any]], dict]
    totals: Aggregates | None = None


def _text(value: Any) -> str | None:
    """A text column's value: text as is; anything else stored (old or odd data) as JSON."""
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


def result_row(doc: Mapping[str, Any]) -> dict:
    """The query columns of a stored result document.

    Columns are derived, never trusted: whatever a stored document holds
    (an old format, a hand-edited value) becomes a value its column can keep,
    so a listing never fails on one odd record.
    """
    submitted = doc["submitted"]
    score = doc.get("score") or {}
    review = doc.get("review") or {}
    at = _text(submitted["at"])
    return {
        "id": doc["id"], "site_id": _text(doc["site_id"]),
        "definition_id": _text(doc["checklist"]["id"]),
        "definition_version": int(doc["checklist"]["version"]),
        "submitted_at": at, "month": at[:7], "inspector": _text(submitted.get("by")) or "",
        "score": _number(score.get("total")), "percent": _number(score.get("percent")),
        "band": _text(score.get("band")), "review_state": _text(review.get("state", "submitted")),
        "flagged": bool(score.get("flags")),
        "media": _text(doc.get("media", "complete")), "root_id": _text(doc.get("root_id", doc["id"])),
        "current": not doc.get("superseded_by"),
    }


READ_MODELS: dict[str, ReadModel] = {
    "results": ReadModel("results", t.results, result_row,
                         Aggregates(result_totals.OLD_ROWS, result_totals.apply_change,
                                    result_totals.rebuild)),
}


def derive_rows(collection: str, live_docs: Mapping[str, Mapping[str, Any]]) -> list[dict]:
    """The read-model rows of ``live_docs`` (``{id: doc}``); ValueError naming a record
    none can be derived from. Called before the batch writes anything."""
    model = READ_MODELS.get(collection)
    if model is None:
        return []
    rows = []
    for id_, doc in live_docs.items():
        try:
            rows.append(model.row(doc))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"{collection}/{id_}: no query columns can be derived "
                             f"from the document ({exc!r})") from None
    return rows


def write_rows(conn: Connection, collection: str, replaced: list[str],
               rows: list[dict]) -> None:
    """Write a collection's read-model ``rows`` (``derive_rows``), replacing those of ``replaced``.

    ``replaced``: the batch's records that existed before it (only they can
    have rows); ``rows``: those of the records it leaves live.
    """
    model = READ_MODELS.get(collection)
    if model is None:
        return
    old = ()
    if replaced:
        if model.totals:
            old = conn.execute(model.totals.old_rows, {"ids": replaced}).mappings().all()
        conn.execute(delete(model.table).where(model.table.c.id.in_(replaced)))
    insert_rows(conn, model.table, rows)
    if model.totals:
        model.totals.apply(conn, old, rows)


def reindex(conn: Connection, collection: str, *, chunk: int = 2000,
            progress: Callable[[int], None] | None = None) -> int:
    """Rebuild ``collection``'s read-model rows from its documents; return how many.

    Keyset chunks by id, inside the caller's transaction. Only the columns the
    table has *now* are written, so a migration that ran before a later one
    added columns still works. Seqs and the change feed are not touched.
    """
    model = READ_MODELS[collection]
    columns = {c["name"] for c in inspect(conn).get_columns(model.table.name)}
    conn.execute(delete(model.table))
    after, done = "", 0
    while True:
        rows = conn.execute(
            select(t.docs.c.id, t.docs.c.body)
            .where(t.docs.c.collection == collection, t.docs.c.deleted.is_(False),
                   t.docs.c.id > after)
            .order_by(t.docs.c.id).limit(chunk)).all()
        if not rows:
            if model.totals:
                model.totals.rebuild(conn)
            return done
        values = [{k: v for k, v in model.row(orjson.loads(body)).items() if k in columns}
                  for _, body in rows]
        conn.execute(insert(model.table), values)
        done += len(rows)
        after = rows[-1][0]
        if progress:
            progress(done)
