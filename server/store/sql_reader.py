"""Reads over one SQL connection: a snapshot, or the open write transaction.

Everything a ``SqlReader`` answers comes from the connection's transaction,
so a pull that reads the client's ``last_mutation_id``, ``high_water`` and
every bucket's changes through one reader sees one consistent state, and
never half a batch. Statements are built once (SQLAlchemy caches their
compiled form); bodies are JSON text decoded with orjson.
"""
from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import Iterable, Iterator

import orjson
from sqlalchemy import Connection, bindparam, func, select, tuple_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from . import driver_sql
from . import sql_tables as t
from .base import Change, Page, Reader, Record
from .cursors import decode_cursor, encode_cursor

SCAN_PAGE = 500

_d, _i = t.docs.c, t.index_entries.c
_GET = select(_d.seq, _d.bucket, _d.body).where(
    _d.collection == bindparam("c"), _d.id == bindparam("i"), _d.deleted.is_(False))
_GET_MANY = select(_d.id, _d.seq, _d.bucket, _d.body).where(
    _d.collection == bindparam("c"), _d.id.in_(bindparam("ids", expanding=True)),
    _d.deleted.is_(False))


_NUL_ESCAPE = "\\u0000"  # how a JSON text spells the character NUL


class _DocVersion(FunctionElement):
    """``_DocVersion(body)``: the document's top-level ``"v"`` as JSON text, read by the database.

    WHY: a pull needs each change's ``v`` but not its decoded document; the
    database's JSON parser in C costs a fraction of decoding it in Python.
    """

    inherit_cache = True
    name = "doc_version"


@compiles(_DocVersion, "sqlite")
def _doc_version_sqlite(element, compiler, **kw):
    if sqlite3.sqlite_version_info < (3, 38, 0):
        return "NULL"  # no ->: ``changes`` decodes the bodies (slower, the same answer)
    return f"({compiler.process(element.clauses, **kw)} -> '$.v')"


@compiles(_DocVersion, "postgresql")
def _doc_version_postgresql(element, compiler, **kw):
    # PostgreSQL's json refuses to read a text holding the escape \u0000: NULL
    # then, and ``changes`` decodes that (rare) body itself.
    body = compiler.process(element.clauses, **kw)
    return (f"(CASE WHEN strpos({body}, '{_NUL_ESCAPE}') = 0 "
            f"THEN CAST(CAST({body} AS JSON) -> 'v' AS TEXT) END)")


_CHANGES = select(_d.seq, _d.collection, _d.id, _d.deleted, _d.body,
                  _DocVersion(_d.body)).where(
    _d.bucket == bindparam("b"), _d.seq > bindparam("since")).order_by(_d.seq).limit(
    bindparam("n"))
_SCAN = select(_d.id, _d.seq, _d.bucket, _d.body).where(
    _d.collection == bindparam("c"), _d.deleted.is_(False), _d.id > bindparam("after")
).order_by(_d.id).limit(bindparam("n"))
_COUNT = select(func.count()).select_from(t.index_entries).where(
    _i.collection == bindparam("c"), _i.name == bindparam("n"), _i.key == bindparam("k"))
_META = select(t.meta.c.last_seq, t.meta.c.horizon, t.meta.c.epoch)


def ordered_bytes(text: str) -> bytes:
    """An index key or sort as bytes: bytewise order is the str's code point order."""
    return text.encode("utf-8", "surrogatepass")


class SqlReader(Reader):
    """The ``Reader`` interface (plus the change feed) over one connection."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self._meta: tuple | None = None

    def _c(self) -> Connection:
        """The connection to read through (a write transaction begins here first)."""
        return self.conn

    def execute(self, statement, params=None):
        """Run a Core query in this reader's transaction (repositories' typed queries)."""
        return self._c().execute(statement, params)

    def execute_compiled(self, statement, params: dict):
        """Run a long-lived Core query (built once, bind parameters only) by the driver.

        Its SQL is compiled once per dialect (``driver_sql``); rows come with the
        driver's types (SQLite: booleans as 0/1).
        """
        return driver_sql.execute(self._c(), statement, params)

    def _rows(self, statement, params: dict) -> list[tuple]:
        """Every row of a long-lived Core query, by the driver (``driver_sql.rows``)."""
        return driver_sql.rows(self._c(), statement, params)

    # -- records ---------------------------------------------------------------
    def get(self, collection, id):
        # by the driver, like the change feed and meta: every push, pull and token
        # check runs these
        for seq, bucket, body in self._rows(_GET, {"c": collection, "i": id}):
            return Record(collection, id, seq, bucket, orjson.loads(body))
        return None

    def get_many(self, collection, ids: Iterable[str]) -> dict[str, Record]:
        ids = list(dict.fromkeys(ids))
        found = {}
        for start in range(0, len(ids), 500):  # bounded parameter lists
            rows = self._c().execute(_GET_MANY, {"c": collection, "ids": ids[start:start + 500]})
            for id_, seq, bucket, body in rows:
                found[id_] = Record(collection, id_, seq, bucket, orjson.loads(body))
        return found

    def list(self, collection, index, key, *, after=None, limit=50, descending=False) -> Page:
        params = {"c": collection, "n": index, "k": ordered_bytes(key), "limit": limit + 1}
        if after is not None:
            sort, id_ = decode_cursor(after)
            if not isinstance(sort, str) or not isinstance(id_, str):
                raise ValueError("malformed cursor")
            params.update(sort=ordered_bytes(sort), id=id_)
        rows = self._rows(_list_query(after is not None, descending), params)
        more = len(rows) > limit
        rows = rows[:limit]
        cursor = encode_cursor(bytes(rows[-1][0]).decode("utf-8", "surrogatepass"),
                               rows[-1][1]) if more and rows else None
        return Page([Record(collection, i, s, b, orjson.loads(body))
                     for _, i, s, b, body in rows], cursor)

    def count(self, collection, index, key) -> int:
        return self._c().execute(_COUNT, {"c": collection, "n": index,
                                          "k": ordered_bytes(key)}).scalar_one()

    def scan(self, collection) -> Iterator[Record]:
        return scan_pages(lambda after: self.scan_page(collection, after), collection)

    def scan_page(self, collection: str, after: str) -> list:
        """One keyset page of live ``(id, seq, bucket, body)`` rows with ids after ``after``."""
        return self._c().execute(_SCAN, {"c": collection, "after": after,
                                          "n": SCAN_PAGE}).all()

    # -- change feed -----------------------------------------------------------
    def changes(self, bucket, since, limit) -> list[Change]:
        rows = self._rows(_CHANGES, {"b": bucket, "since": since, "n": limit})
        return [Change(seq, collection, id_, "del", None) if deleted
                else Change(seq, collection, id_, "put", body, _version(body, v))
                for seq, collection, id_, deleted, body, v in rows]

    def meta(self) -> tuple[int, int, str]:
        """``(last_seq, horizon, epoch)``, read once per reader (one snapshot)."""
        if self._meta is None:
            (self._meta,) = self._rows(_META, {})
        return self._meta

    def high_water(self) -> int:
        return self.meta()[0]

    def tombstone_horizon(self) -> int:
        return self.meta()[1]

    def epoch(self) -> str:
        return self.meta()[2]


@lru_cache(maxsize=4)
def _list_query(after_cursor: bool, descending: bool):
    """``list``'s statement, one per direction and cursor-or-not: run compiled once, as
    every device token's authentication runs it."""
    where = [_i.collection == bindparam("c"), _i.name == bindparam("n"),
             _i.key == bindparam("k")]
    if after_cursor:
        position = tuple_(_i.sort, _i.id)
        mark = tuple_(bindparam("sort", type_=_i.sort.type), bindparam("id", type_=_i.id.type))
        where.append(position < mark if descending else position > mark)
    order = (_i.sort.desc(), _i.id.desc()) if descending else (_i.sort, _i.id)
    return (select(_i.sort, _d.id, _d.seq, _d.bucket, _d.body)
            .join_from(t.index_entries, t.docs,
                       (_d.collection == _i.collection) & (_d.id == _i.id))
            .where(*where).order_by(*order).limit(bindparam("limit")))


def _version(body: str, v_json: str | None):
    """The ``"v"`` of a change from its JSON text (``_DocVersion``).

    Where the database gave nothing but the body mentions a ``"v"`` (PostgreSQL
    and a \\u0000 escape, an old SQLite, a nested ``v`` only), the body decides.
    """
    if v_json is not None:
        return orjson.loads(v_json)
    return orjson.loads(body).get("v") if '"v"' in body else None


def scan_pages(fetch, collection: str) -> Iterator[Record]:
    """Every live record, by keyset pages of ids fetched by ``fetch(after)``."""
    after = ""
    while True:
        rows = fetch(after)
        for id_, seq, bucket, body in rows:
            yield Record(collection, id_, seq, bucket, orjson.loads(body))
        if len(rows) < SCAN_PAGE:
            return
        after = rows[-1][0]
