"""Monthly result totals per site, checklist and band, kept with every results write.

The supervisor's trend view asks "per site and month: how many results, the
mean score, how many in each band" over years of data. Grouping a million
result rows for that costs about a second on SQLite even with a covering
index, so the totals are kept as a small table (sites x months x checklists
x bands rows) and moved by deltas in the same transaction as the rows they
count: a result replaced (a photo arrived, a rescore) subtracts its old row
and adds its new one. ``rebuild`` recomputes the table from ``fs_results``
(migrations, reindex).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Mapping

from sqlalchemy import Connection, bindparam, delete, func, insert, inspect, select

from . import sql_tables as t
from .row_inserts import insert_rows

_r, _tot = t.results.c, t.result_totals.c
KEY_COLUMNS = ("site_id", "month", "definition_id", "band", "current")


def _key(row: Mapping) -> tuple:
    return (row["site_id"], row["month"], row["definition_id"], row["band"] or "",
            bool(row["current"]))


def _add_deltas(stmt):
    """``ON CONFLICT (key) DO UPDATE``: an existing total moves by the delta."""
    return stmt.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={"n": _tot.n + stmt.excluded.n, "scored": _tot.scored + stmt.excluded.scored,
              "score_sum": _tot.score_sum + stmt.excluded.score_sum})


def apply_change(conn: Connection, old_rows: Iterable[Mapping], new_rows: Iterable[Mapping]
                 ) -> None:
    """Move the totals by the rows a write replaced (``old_rows``) and wrote (``new_rows``)."""
    deltas: dict[tuple, list] = defaultdict(lambda: [0, 0, 0.0])
    for sign, rows in ((-1, old_rows), (1, new_rows)):
        for row in rows:
            delta = deltas[_key(row)]
            delta[0] += sign
            if row["score"] is not None:
                delta[1] += sign
                delta[2] += sign * row["score"]
    changed = [dict(zip(KEY_COLUMNS, key), n=n, scored=scored, score_sum=total)
               for key, (n, scored, total) in deltas.items() if n or scored or total]
    insert_rows(conn, t.result_totals, changed, _add_deltas)


OLD_ROWS = select(_r.site_id, _r.month, _r.definition_id, _r.band, _r.current, _r.score).where(
    _r.id.in_(bindparam("ids", expanding=True)))


def rebuild(conn: Connection) -> None:
    """Recompute every total from ``fs_results`` (no-op before the table exists)."""
    if not inspect(conn).has_table(t.result_totals.name):
        return
    conn.execute(delete(t.result_totals))
    band = func.coalesce(_r.band, "")
    conn.execute(insert(t.result_totals).from_select(
        [*KEY_COLUMNS, "n", "scored", "score_sum"],
        select(_r.site_id, _r.month, _r.definition_id, band, _r.current, func.count(),
               func.count(_r.score), func.coalesce(func.sum(_r.score), 0.0))
        .group_by(_r.site_id, _r.month, _r.definition_id, band, _r.current)))
