"""bench/web.py's helpers: the SQL a request sent, caught at the driver and replayed raw
(its anchor), and the links it follows in the pages."""
from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[3]


def load(name: str):
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", ROOT / "bench" / "syncbench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sql_capture, page_links = load("sql_capture"), load("page_links")


def test_the_queries_on_given_tables_are_picked_in_order():
    statements = [("BEGIN", ()),
                  ('SELECT count(*) FROM (SELECT fs_results.id FROM "fs_results") AS a', ()),
                  ("SELECT body FROM fs_docs WHERE id = ?", ("u1",)),
                  ("INSERT INTO fs_docs VALUES (?)", (1,)),
                  ("SELECT t.n FROM fs_result_totals AS t JOIN fs_results ON 1", ())]
    assert sql_capture.tables_read(statements[4][0]) == {"fs_result_totals", "fs_results"}
    assert [s[0][:20] for s in sql_capture.reads_of(statements, ["FS_RESULTS"])] == \
        ["SELECT count(*) FROM", "SELECT t.n FROM fs_r"]
    assert len(sql_capture.selects(statements)) == 3


def test_statements_sent_through_sqlalchemy_replay_on_a_plain_connection(tmp_path):
    path = tmp_path / "t.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE fs_results (id TEXT, site_id TEXT)"))
        conn.execute(text("INSERT INTO fs_results VALUES ('r1', 's1'), ('r2', 's2')"))
    capture = sql_capture.SqlCapture(engine, engine)
    with capture.catching() as caught, engine.connect() as conn:
        rows = conn.execute(text("SELECT id FROM fs_results WHERE site_id = :s"),
                            {"s": "s2"}).all()
    with engine.connect() as conn:  # after the block: not caught
        conn.execute(text("SELECT 1")).all()
    assert rows == [("r2",)]
    [(sql, params)] = sql_capture.reads_of(caught, ["fs_results"])
    raw = sqlite3.connect(path)
    assert raw.execute(sql, params).fetchall() == [("r2",)]
    wall, cpu = sql_capture.replay(raw, [(sql, params)])
    assert wall >= 0 and cpu >= 0 and len(caught) == 1


def test_the_next_page_link_and_the_csrf_token_are_read_from_the_page():
    page = ('<input id="csrf_token" name="csrf_token" type="hidden" value="abc.def">'
            '<a class="button" id="next" href="/results?cursor=x%3Dy&amp;site=s1">Next</a>')
    assert page_links.next_page_link(page) == "/results?cursor=x%3Dy&site=s1"
    assert page_links.next_page_link("<p>last page</p>") is None
    assert page_links.csrf_token(page) == "abc.def"
    with pytest.raises(ValueError):
        page_links.csrf_token("<p>no form</p>")
