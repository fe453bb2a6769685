"""What the PostgreSQL engine adds to the contract: several store objects (processes)
on one database, lost connections, exact documents (and both engines' ordering)."""
import threading

import psycopg
import pytest

from server.store import Delete, Put, StoreUnavailable, open_store
from server.store.sql_store import SqlStore
from tests.pg_server import PostgresCluster

on_postgres = pytest.mark.parametrize("backend", ["postgres"], indirect=True)
all_backends = pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)


def note(id_, site="s1", **extra):
    return Put("notes", id_, {"id": id_, **extra}, bucket=f"site:{site}",
               index={"by_site": (site, id_)})


def feed(store, bucket="site:s1"):
    return [(c.id, c.op) for c in store.changes(bucket, 0, 100)]


@on_postgres
def test_open_store_picks_postgres_by_url(backend):
    store = open_store(backend.url)
    try:
        assert isinstance(store, SqlStore) and store.kind == "postgresql"
        assert store.commit([note("a")]) == [1]
    finally:
        store.close()


@on_postgres
def test_two_stores_on_one_database_serialise_their_transactions(backend):
    """Two store objects stand for two app processes: the advisory lock orders them."""
    first = backend.open()
    second = SqlStore.postgres(backend.url)
    try:
        first.commit([Put("counters", "c", {"n": 0})])

        def bump(store):
            for _ in range(20):
                with store.transaction() as tx:
                    n = tx.get("counters", "c").doc["n"]
                    tx.commit([Put("counters", "c", {"n": n + 1})])

        threads = [threading.Thread(target=bump, args=(s,)) for s in (first, second) * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert second.get("counters", "c").doc["n"] == 80
        assert first.high_water() == 81 and second.high_water() == 81
    finally:
        second.close()


def kill_sessions(backend):
    """Terminate every other session on the store's database, as a server restart would."""
    with psycopg.connect(backend.url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@on_postgres
def test_sessions_that_died_while_idle_are_replaced_without_an_error(backend):
    """A database restart kills every idle session; the next reads and writes reconnect."""
    store = backend.open()
    store.commit([note("a")])
    assert store.get("notes", "a") is not None  # the reader pool has a session now
    kill_sessions(backend)
    assert store.get("notes", "a") is not None
    kill_sessions(backend)
    assert store.commit([note("b")]) == [2]
    assert feed(store) == [("a", "put"), ("b", "put")]


@on_postgres
def test_a_database_that_is_down_is_unavailable_until_it_is_back(backend, tmp_path):
    cluster = PostgresCluster().start()  # its own, to stop it without disturbing the others
    try:
        cluster.create_database()
        store = SqlStore.postgres(cluster.url("t1"))
        store.commit([note("a")])
        cluster.stop_server()
        with pytest.raises(StoreUnavailable):
            store.commit([note("b")])
        with pytest.raises(StoreUnavailable):
            store.get("notes", "a")
        with pytest.raises(StoreUnavailable):
            store.changes("site:s1", 0, 10)
        cluster.start_server()
        assert store.commit([note("c")]) == [2]  # the refused batch took no seq
        assert store.get("notes", "b") is None and feed(store) == [("a", "put"), ("c", "put")]
        store.close()
    finally:
        cluster.stop()


@on_postgres
def test_a_transaction_that_lost_its_session_commits_nothing_more(backend):
    store = backend.open()
    store.commit([note("a")])
    with pytest.raises(StoreUnavailable):
        with store.transaction() as tx:
            assert tx.get("notes", "a") is not None
            kill_sessions(backend)  # the writer lock went with the session
            tx.commit([note("b")])
    assert store.get("notes", "b") is None
    assert store.commit([note("b")]) == [2]


@on_postgres
def test_an_unreachable_server_is_unavailable(backend, tmp_path):
    with pytest.raises(StoreUnavailable, match="database is unavailable"):
        SqlStore.postgres(f"postgresql://nobody@/nothing?host={tmp_path}")


@on_postgres
def test_a_nul_character_in_an_id_is_refused_and_nothing_is_stored(backend):
    """PostgreSQL text cannot hold NUL; ids are text (index keys and sorts are bytes)."""
    store = backend.open()
    with pytest.raises(ValueError):
        store.commit([note("ok"), Put("notes", "bad\x00id", {})])
    with pytest.raises(ValueError):
        store.commit([note("ok"), Put("notes", "x", {}, bucket="site:\x00")])
    assert store.high_water() == 0 and feed(store) == []


@all_backends
def test_documents_come_back_exactly_as_stored(backend):
    store = backend.open()
    doc = {"z": 1, "a": [1.0, 1e300, -0.5, 12345678901234567], "中文": "读数 \u0000 ok",
           "nested": {"b": None, "a": True}}
    store.commit([Put("notes", "d", doc, bucket="site:s1")])
    got = store.get("notes", "d").doc
    assert got == doc and list(got) == list(doc) and list(got["nested"]) == ["b", "a"]
    assert [type(v) for v in got["a"]] == [float, float, float, int]
    assert store.changes("site:s1", 0, 1)[0].doc == doc


@all_backends
def test_a_change_carries_the_documents_v_read_by_the_database(backend):
    """The feed reads ``v`` in SQL (a pull never decodes the body): any JSON value, or None."""
    store = backend.open()
    docs = {"int": {"v": 3, "x": "东"}, "none": {"x": 1}, "bool": {"v": True},
            "object": {"v": {"a": [1]}, "x": "\u0000"}, "nul": {"x": "\u0000", "v": 2},
            "escaped": {"x": "\\u0000", "v": 5}, "nested": {"a": {"v": 9}}}
    store.commit([Put("notes", k, d, bucket="site:s1") for k, d in docs.items()])
    changes = store.changes("site:s1", 0, 10)
    assert {c.id: c.v for c in changes} == {k: d.get("v") for k, d in docs.items()}
    assert {c.id: c.doc for c in changes} == docs


@all_backends
def test_listings_order_by_code_point_whatever_the_database_collation(backend):
    """The test cluster's default collation is ICU en-US, where "a" < "B"; ours is not.

    Services separate parts of a sort with NUL (definitions: ``id\\x00version``).
    """
    store = backend.open()
    sorts = ["a", "B", "é", "Z", "b", "10", "9", "_x", "a\x00z", "a-", "a\x00"]
    store.commit([Put("notes", f"n{n}", {}, index={"by": ("k", s)}) for n, s in enumerate(sorts)])
    page = store.list("notes", "by", "k", limit=3)
    got = [r.id for r in page.items]
    while page.next_cursor:
        page = store.list("notes", "by", "k", after=page.next_cursor, limit=3)
        got += [r.id for r in page.items]
    expected = [f"n{sorts.index(s)}" for s in sorted(sorts)]
    assert got == expected
    assert store.count("notes", "by", "k") == len(sorts)
    assert [r.id for r in store.list("notes", "by", "k", descending=True, limit=20).items] \
        == expected[::-1]
    nul_key = Put("notes", "n", {}, index={"by": ("k\x00", "s\x00")})
    store.commit([nul_key])
    assert [r.id for r in store.list("notes", "by", "k\x00").items] == ["n"]


@on_postgres
def test_scan_pages_through_a_collection_larger_than_a_page(backend, monkeypatch):
    monkeypatch.setattr("server.store.sql_reader.SCAN_PAGE", 3)
    store = backend.open()
    store.commit([note(f"n{n:02d}") for n in range(10)] + [Put("other", "x", {})])
    store.commit([Delete("notes", "n04")])
    expected = [f"n{n:02d}" for n in range(10) if n != 4]
    assert sorted(r.id for r in store.scan("notes")) == expected
    with store.transaction() as tx:
        assert sorted(r.id for r in tx.scan("notes")) == expected
