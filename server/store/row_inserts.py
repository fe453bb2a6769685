"""Many rows into one table in one go: the push's inserts and upserts, on both engines.

WHY: a push of 100 results writes ~200 rows (documents, their query
columns, index entries). On SQLite the driver's ``executemany`` steps one
prepared statement per row inside the library, which is as cheap as it
gets. On PostgreSQL psycopg's ``executemany`` pipelines one statement per
row, and the server still parses, plans and executes each one: on the
durable bench cluster the push's write statements were most of a push's
time in the database. There the rows go as one array per column
(``INSERT .. SELECT * FROM unnest(%(col)s::type[], ...)``): one statement,
one round trip, one plan for the whole batch, the same SQL text whatever
the row count (so it is compiled once and prepared by psycopg).

``on_conflict`` turns the insert into an upsert the same way on both
dialects (``stmt.on_conflict_do_update(...)``). A batch must not hold one
conflict key twice: PostgreSQL refuses to update a row twice in one
statement (the callers already merge rows per key).
"""
from __future__ import annotations

from typing import Callable, Sequence

from sqlalchemy import Connection, Table, bindparam, func, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY

from .driver_sql import executemany

OnConflict = Callable[[object], object]  # dialect insert -> insert .. ON CONFLICT ..
_STATEMENTS: dict[tuple, object] = {}


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict],
                on_conflict: OnConflict | None = None) -> None:
    """INSERT ``rows`` (dicts with the same keys) into ``table``, as one statement on PostgreSQL.

    ``on_conflict``: a long-lived function (it is part of the statement's cache key).
    """
    if not rows:
        return
    columns = tuple(rows[0])
    dialect = conn.dialect.name
    key = (dialect, table.name, columns, on_conflict)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = _statement(dialect, table, columns, on_conflict)
    statement = _STATEMENTS[key]
    if dialect == "postgresql":
        conn.exec_driver_sql(*_array_call(conn, statement, columns, rows))
    else:
        executemany(conn, statement, list(rows))


def _statement(dialect: str, table: Table, columns: tuple[str, ...],
               on_conflict: OnConflict | None):
    if dialect == "postgresql":
        arrays = [bindparam(c, type_=ARRAY(table.c[c].type)) for c in columns]
        statement = postgresql.insert(table).from_select(
            list(columns), select(literal_column("*")).select_from(func.unnest(*arrays)))
    else:
        statement = sqlite.insert(table)
    return on_conflict(statement) if on_conflict is not None else statement


_COMPILED: dict[object, tuple[str, tuple | None]] = {}


def _array_call(conn: Connection, statement, columns: tuple[str, ...], rows) -> tuple:
    """``(SQL, parameters)`` of the unnest form: one list per column."""
    if statement not in _COMPILED:
        compiled = statement.compile(dialect=conn.dialect)
        sql = compiled.string
        for column in columns:  # binary: psycopg escaped every quote of a text array in Python
            sql = sql.replace(f"%({column})s", f"%({column})b")
        _COMPILED[statement] = (sql, tuple(compiled.positiontup)
                                if compiled.positional else None)
    sql, order = _COMPILED[statement]
    arrays = {c: [row[c] for row in rows] for c in columns}
    return sql, (tuple(arrays[c] for c in order) if order is not None else arrays)
