"""Hot statements run by the driver from SQL compiled once per dialect.

WHY: on the push's hottest statements (a document row and a read-model row
per result), SQLAlchemy's compiled-statement path processed every row's
parameters in Python: about 10 us a row each, against 17 us for the whole
insert through ``exec_driver_sql`` (bench: 100-row batches of ``fs_results``
on SQLite, 27 -> 17 us a row). ``exec_driver_sql`` keeps SQLAlchemy's
transaction and error handling; only the per-row parameter processing
goes, which these columns do not need (text, numbers, booleans, bytes).
The results page runs its query the same way (``execute``): building and
caching-keying the statement per request was ~2/3 of the page's CPU.
Short reads (a record, a token, the change feed) go one step further on
SQLite (``rows``): SQLAlchemy's result set-up was about half of each one.
"""
from __future__ import annotations

from sqlalchemy import Connection

_COMPILED: dict[tuple[str, object], tuple] = {}


def _compiled(conn: Connection, statement) -> tuple:
    """``(compiled, SQL, parameter order or None for by-name)`` for ``conn``'s dialect."""
    key = (conn.dialect.name, statement)
    if key not in _COMPILED:
        compiled = statement.compile(dialect=conn.dialect)
        _COMPILED[key] = (compiled, compiled.string,
                          tuple(compiled.positiontup) if compiled.positional else None)
    return _COMPILED[key]


def executemany(conn: Connection, statement, rows: list[dict]) -> None:
    """Run ``statement`` (a long-lived Core statement) once per row of ``rows``."""
    _, sql, order = _compiled(conn, statement)
    conn.exec_driver_sql(sql, [tuple(row[k] for k in order) for row in rows]
                         if order is not None else rows)


def execute(conn: Connection, statement, params: dict):
    """Run a long-lived Core query once; its rows as the driver returns them.

    Parameters the statement holds itself (literals, a default offset) are
    filled in. Result types are the driver's: SQLite gives booleans as 0/1.
    """
    compiled, sql, order = _compiled(conn, statement)
    values = compiled.construct_params(params)
    return conn.exec_driver_sql(sql, tuple(values[k] for k in order)
                                if order is not None else values)


def rows(conn: Connection, statement, params: dict) -> list[tuple]:
    """Every row of a long-lived Core query, as the driver returns them.

    On SQLite by the driver's own cursor, in the connection's transaction:
    SQLAlchemy's cursor result (column metadata, row processors) cost about
    as much as the query, seven times per no-op pull. Its errors are the
    driver's (``sqlite3.DatabaseError``), which ``translated_errors`` turns
    into store errors as it does SQLAlchemy's. PostgreSQL keeps
    SQLAlchemy's path, whose error handling notices a lost connection.
    """
    if conn.dialect.name != "sqlite":
        return execute(conn, statement, params).all()
    compiled, sql, order = _compiled(conn, statement)
    values = compiled.construct_params(params)
    cursor = conn.connection.driver_connection.cursor()
    try:
        return cursor.execute(sql, tuple(values[k] for k in order)
                              if order is not None else values).fetchall()
    finally:
        cursor.close()
