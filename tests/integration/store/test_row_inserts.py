"""Rows written in one go (``row_inserts``) come back exactly as given, on both engines.

PostgreSQL receives them as binary arrays, one per column: the values that a
text array would have to escape (quotes, backslashes, braces, commas, the
word NULL, non-ASCII, NULL itself) must round-trip untouched.
"""
import pytest
from sqlalchemy import event, select

from server.store import Put
from server.store import sql_tables as t
from server.store.row_inserts import insert_rows

AWKWARD = ['plain', 'a "quoted" {brace}, comma', 'back\\slash', 'NULL', '', '东门 ✓',
           '{"json": ["text", 1]}']


def test_awkward_values_round_trip_through_the_push_path(store):
    puts = [Put("notes", f"n{k}", {"text": text}, bucket=text or None,
                index={"by_text": (text, text + "\\")}) for k, text in enumerate(AWKWARD)]
    store.commit(puts)
    for k, text in enumerate(AWKWARD):
        rec = store.get("notes", f"n{k}")
        assert rec.doc == {"text": text} and rec.bucket == (text or None)
        assert [r.id for r in store.list("notes", "by_text", text).items] == [f"n{k}"]


def test_an_upsert_of_many_rows_updates_the_existing_ones(store):
    def bump(stmt):
        return stmt.on_conflict_do_update(index_elements=["site_id", "month", "definition_id",
                                                          "band", "current"],
                                          set_={"n": t.result_totals.c.n + stmt.excluded.n})
    rows = [{"site_id": "s", "month": "2026-11", "definition_id": "d", "band": b,
             "current": True, "n": 1, "scored": 0, "score_sum": 0.0} for b in ("A", "B")]
    with store.transaction() as tx:
        insert_rows(tx.conn, t.result_totals, rows, bump)
        insert_rows(tx.conn, t.result_totals, rows[:1], bump)
        insert_rows(tx.conn, t.result_totals, [], bump)  # nothing to write: no statement
    with store.snapshot() as snap:
        got = snap.conn.execute(select(t.result_totals.c.band, t.result_totals.c.n)
                                .order_by(t.result_totals.c.band)).all()
    assert [tuple(r) for r in got] == [("A", 2), ("B", 1)]


def statements_of_a_batch(store, size):
    sent = []

    def note(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, executemany))
    event.listen(store.engines.writer, "before_cursor_execute", note)
    try:
        store.commit([Put("results", f"r{size}-{n}", result_doc(f"r{size}-{n}"),
                          bucket="site:s1", index={"by_site": ("s1", f"{n:04d}")})
                      for n in range(size)])
    finally:
        event.remove(store.engines.writer, "before_cursor_execute", note)
    return sent


def result_doc(id_):
    return {"id": id_, "site_id": "s1", "checklist": {"id": "d", "version": 1},
            "submitted": {"at": "2026-11-29T10:00:00+00:00", "by": "u1"},
            "score": {"total": 5.0, "percent": 100.0, "band": "A", "flags": []}}


def test_a_batch_sends_as_many_statements_whatever_its_size(backend):
    store = backend.open()
    small, large = statements_of_a_batch(store, 3), statements_of_a_batch(store, 60)
    assert len(small) == len(large)
    if backend.name == "postgres":  # an executemany is a statement per row there (pipelined)
        assert not any(many for _, many in large)


def test_a_batch_refused_for_its_query_columns_leaves_nothing_and_the_block_goes_on(store):
    with store.transaction() as tx:
        with pytest.raises(ValueError, match="query columns"):
            tx.commit([Put("notes", "n1", {}), Put("results", "bad", {"id": "bad"},
                                                    bucket="site:s1")])
        assert tx.commit([Put("notes", "n2", {})]) == [1]
    assert store.get("notes", "n1") is None and store.get("results", "bad") is None
    assert store.get("notes", "n2") is not None and store.high_water() == 1
