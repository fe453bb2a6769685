"""The SQL a request issued, caught at the driver, and the same statements replayed raw.

WHY: ``bench/web.py`` judges each page against "the bare query": the very
statements the page's services sent (text and parameters, as SQLAlchemy
handed them to stdlib ``sqlite3``), run again straight through a plain
``sqlite3`` connection on the same file. Catching them at the driver means
the anchor cannot drift from what the page really asks, whatever the
repository builds.
"""
from __future__ import annotations

import re
import sqlite3
import time
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

from sqlalchemy import event

#: a statement and its parameters as the driver received them
Statement = tuple[str, Sequence]

_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)


def tables_read(sql: str) -> set[str]:
    """The tables a statement reads (FROM and JOIN), lower case."""
    return {name.lower() for name in _TABLE.findall(sql)}


def selects(statements: Iterable[Statement]) -> list[Statement]:
    """The queries among ``statements`` (no writes, no transaction control), in order."""
    return [(sql, params) for sql, params in statements
            if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def reads_of(statements: Iterable[Statement], tables: Iterable[str]) -> list[Statement]:
    """The queries among ``statements`` that read any of ``tables``, in order."""
    wanted = {name.lower() for name in tables}
    return [(sql, params) for sql, params in selects(statements) if tables_read(sql) & wanted]


class SqlCapture:
    """Collects the statements sent on some engines while ``catching()`` is open."""

    def __init__(self, *engines):
        self.caught: list[Statement] | None = None
        for engine in dict.fromkeys(engines):  # the reader may be the writer
            event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, executemany) -> None:
        if self.caught is not None and not executemany:
            self.caught.append((statement, tuple(parameters or ())))

    @contextmanager
    def catching(self) -> Iterator[list[Statement]]:
        self.caught = caught = []
        try:
            yield caught
        finally:
            self.caught = None


def replay(conn: sqlite3.Connection, statements: Sequence[Statement]) -> tuple[float, float]:
    """(wall ms, process CPU ms) of running ``statements`` and fetching every row."""
    wall, cpu = time.perf_counter(), time.process_time()
    for sql, params in statements:
        conn.execute(sql, params).fetchall()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
