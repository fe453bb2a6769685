"""The store contract: what services may rely on, whatever the backend."""
import threading

import pytest

from server.store import Delete, Put


def record(id_, site="s1", month="2026-11", day=1, **extra):
    return Put("records", id_, {"id": id_, "site": site, **extra}, bucket=f"site:{site}",
               index={"site_month": (f"{site}/{month}", f"{month}-{day:02d}")})


def test_seqs_are_gapless_and_contiguous_per_batch(store):
    assert store.high_water() == 0
    assert store.commit([record("a"), record("b")]) == [1, 2]
    assert store.commit([record("c")]) == [3]
    assert store.commit([record("a", note="again")]) == [4]
    assert store.high_water() == 4


def test_get_returns_latest_version_and_none_after_delete(store):
    store.commit([record("a", v=1)])
    store.commit([record("a", v=2)])
    rec = store.get("records", "a")
    assert rec.doc["v"] == 2 and rec.seq == 2 and rec.bucket == "site:s1"
    store.commit([Delete("records", "a")])
    assert store.get("records", "a") is None
    assert store.get("records", "never") is None


def test_list_pages_by_sort_then_id_without_skipping(store):
    store.commit([record(f"r{n:02d}", day=1 + n % 5) for n in range(23)])
    seen, cursor = [], None
    while True:
        page = store.list("records", "site_month", "s1/2026-11", after=cursor, limit=5)
        seen += [r.id for r in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
        store.commit([record(f"late{len(seen)}", day=28)])  # arrives while paging
    ordered = sorted(store.list("records", "site_month", "s1/2026-11", limit=100).items,
                     key=lambda r: (r.doc.get("day", 0), r.id))
    assert set(f"r{n:02d}" for n in range(23)) <= set(seen)
    assert len(seen) == len(set(seen))
    assert store.count("records", "site_month", "s1/2026-11") == len(ordered)


def test_list_descending_and_other_keys_are_separate(store):
    store.commit([record("a", day=1), record("b", day=2), record("c", site="s2", day=3)])
    page = store.list("records", "site_month", "s1/2026-11", descending=True, limit=1)
    assert [r.id for r in page.items] == ["b"]
    page = store.list("records", "site_month", "s1/2026-11", descending=True,
                      after=page.next_cursor, limit=1)
    assert [r.id for r in page.items] == ["a"] and page.next_cursor is None
    assert [r.id for r in store.list("records", "site_month", "s2/2026-11").items] == ["c"]
    assert store.list("records", "site_month", "s3/2026-11").items == []


def test_a_reindexed_record_leaves_its_old_key(store):
    store.commit([record("a", month="2026-10")])
    store.commit([record("a", month="2026-11")])
    assert store.count("records", "site_month", "s1/2026-10") == 0
    assert [r.id for r in store.list("records", "site_month", "s1/2026-11").items] == ["a"]
    store.commit([Delete("records", "a")])
    assert store.count("records", "site_month", "s1/2026-11") == 0


def test_malformed_cursor_is_a_value_error(store):
    with pytest.raises(ValueError):
        store.list("records", "site_month", "s1/2026-11", after="not-a-cursor!")


def test_change_feed_gives_latest_state_per_record_in_seq_order(store):
    store.commit([record("a"), record("b"), record("x", site="s2")])
    store.commit([record("a", v=2)])
    store.commit([Delete("records", "b")])
    feed = store.changes("site:s1", 0, 100)
    assert [(c.id, c.op, c.seq) for c in feed] == [("a", "put", 4), ("b", "del", 5)]
    assert feed[0].doc["v"] == 2 and feed[1].doc is None
    assert [c.id for c in store.changes("site:s1", 4, 100)] == ["b"]
    assert [c.id for c in store.changes("site:s2", 0, 100)] == ["x"]
    assert store.changes("site:s1", 5, 100) == []
    assert store.changes("nobody", 0, 100) == []


def test_change_feed_paging_with_limit(store):
    for n in range(10):
        store.commit([record(f"r{n}")])
    got, since = [], 0
    while batch := store.changes("site:s1", since, 3):
        got += [c.id for c in batch]
        since = batch[-1].seq
    assert got == [f"r{n}" for n in range(10)]


def test_server_private_records_are_in_no_feed(store):
    store.commit([Put("users", "u1", {"name": "a"}, index={"username": ("a", "")})])
    assert store.get("users", "u1").doc == {"name": "a"}
    assert [r.id for r in store.list("users", "username", "a").items] == ["u1"]
    assert all(store.changes(b, 0, 10) == [] for b in ("site:s1", "defs"))


@pytest.mark.parametrize("bad", [
    [],
    [Delete("records", "ghost")],
    [Put("records", "", {})],
    [Put("a/b", "x", {})],
    [Put("records", "x", {"when": object()})],
    [Put("records", "x", {}, index={"i": ("only-key",)})],
])
def test_a_refused_batch_changes_nothing(store, bad):
    store.commit([record("keep")])
    with pytest.raises((ValueError, TypeError)):
        store.commit([record("new")] + bad if bad else bad)
    assert store.high_water() == 1
    assert store.get("records", "new") is None
    assert [c.id for c in store.changes("site:s1", 0, 10)] == ["keep"]
    assert store.commit([record("after")]) == [2]


def test_a_record_cannot_change_bucket(store):
    store.commit([record("a")])
    with pytest.raises(ValueError, match="bucket"):
        store.commit([Put("records", "a", {}, bucket="site:s2")])


def test_same_ids_in_other_collections_are_other_records(store):
    store.commit([Put("a", "x", {}, bucket="site:s1"), Put("b", "y", {}, bucket="site:s1")])
    # a batch naming (a, y) and (b, x): the stored (a, x) and (b, y) are not theirs
    assert store.commit([Put("a", "y", {}, bucket="site:s2"),
                         Put("b", "x", {}, bucket="site:s3")]) == [3, 4]
    assert store.get("a", "y").bucket == "site:s2" and store.get("a", "x").bucket == "site:s1"


def test_delete_after_put_in_the_same_batch(store):
    assert store.commit([record("a"), Delete("records", "a")]) == [1, 2]
    assert store.get("records", "a") is None
    assert [(c.id, c.op) for c in store.changes("site:s1", 0, 10)] == [("a", "del")]


def test_transactions_serialise_read_modify_write(store):
    store.commit([Put("counters", "c", {"n": 0})])

    def bump():
        for _ in range(25):
            with store.transaction() as tx:
                n = tx.get("counters", "c").doc["n"]
                tx.commit([Put("counters", "c", {"n": n + 1})])

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.get("counters", "c").doc["n"] == 100
    assert store.high_water() == 101


def test_readers_never_see_half_a_batch(store):
    stop, seen = threading.Event(), []

    def read():
        while not stop.is_set():
            seen.append(store.count("records", "site_month", "s1/2026-11"))

    reader = threading.Thread(target=read)
    reader.start()
    for b in range(30):
        store.commit([record(f"b{b}-{n}") for n in range(10)])
    stop.set()
    reader.join()
    assert seen and all(n % 10 == 0 for n in seen)


def test_scan_yields_every_live_record_once(store):
    store.commit([record(f"r{n}", site=f"s{n % 3}") for n in range(12)])
    store.commit([Delete("records", "r0")])
    assert sorted(r.id for r in store.scan("records")) == sorted(f"r{n}" for n in range(1, 12))
    assert list(store.scan("nothing")) == []


@pytest.mark.parametrize("backend", ["journal", "postgres"], indirect=True)  # durable backends only
def test_durable_backends_keep_everything_across_reopen(backend):
    store = backend.open()
    store.commit([record("a"), record("b", site="s2")])
    store.commit([Delete("records", "a")])
    store = backend.reopen()
    assert store.high_water() == 3
    assert store.get("records", "a") is None and store.get("records", "b").doc["site"] == "s2"
    assert [(c.id, c.op) for c in store.changes("site:s1", 0, 10)] == [("a", "del")]
    assert store.commit([record("c")]) == [4]


def test_a_caller_cannot_change_stored_documents_by_mutating_them(store):
    doc = {"answers": {"a": {"photos": []}}}
    store.commit([Put("records", "m", doc, bucket="site:s1")])
    doc["answers"]["a"]["photos"].append("changed after commit")
    got = store.get("records", "m").doc
    got["answers"]["a"]["photos"].append("changed after read")
    assert store.get("records", "m").doc == {"answers": {"a": {"photos": []}}}
