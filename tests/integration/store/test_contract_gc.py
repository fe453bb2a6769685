"""The store contract for the epoch and tombstone GC (anchors-sync §4.2, §4.7)."""
import re

import pytest

from server.store import Delete, Put



def note(id_, site="s1", **extra):
    return Put("notes", id_, {"id": id_, **extra}, bucket=f"site:{site}",
               index={"by_site": (site, id_)})


def feed(store, bucket="site:s1"):
    return [(c.id, c.op) for c in store.changes(bucket, 0, 100)]


def test_a_store_has_an_epoch_and_a_new_one_replaces_it(store):
    first = store.epoch()
    assert re.fullmatch(r"e_[0-9a-f]{32}", first)
    second = store.new_epoch()
    assert second != first and store.epoch() == second
    assert store.high_water() == 0  # a new epoch is not a change of any record


def test_purge_drops_tombstones_up_to_the_seq_and_raises_the_horizon(store):
    store.commit([note("a"), note("b"), note("c"), note("x", site="s2")])
    store.commit([Delete("notes", "a")])                     # seq 5
    store.commit([Delete("notes", "x")])                     # seq 6
    store.commit([note("b", again=True), Delete("notes", "c")])  # seq 7, 8
    assert store.purge_tombstones(7, dry_run=True) == 2      # a and x, not c (8)
    assert store.tombstone_horizon() == 0 and ("a", "del") in feed(store)
    assert store.purge_tombstones(7) == 2
    assert store.tombstone_horizon() == 7
    assert feed(store) == [("b", "put"), ("c", "del")]
    assert feed(store, "site:s2") == []
    assert store.get("notes", "b").doc["again"] is True
    assert [r.id for r in store.list("notes", "by_site", "s1").items] == ["b"]


def test_the_horizon_never_falls_and_cannot_pass_high_water(store):
    store.commit([note("a")])
    store.commit([Delete("notes", "a")])
    assert store.purge_tombstones(2) == 1
    assert store.purge_tombstones(1) == 0 and store.tombstone_horizon() == 2
    with pytest.raises(ValueError, match="high_water"):
        store.purge_tombstones(3)
    with pytest.raises(ValueError):
        store.purge_tombstones(-1)


def test_a_purged_id_can_be_written_again(store):
    store.commit([note("a"), note("b")])
    store.commit([Delete("notes", "a")])
    store.purge_tombstones(3)
    assert store.commit([note("a", back=True)]) == [4]
    assert store.get("notes", "a").doc["back"] is True
    assert feed(store) == [("b", "put"), ("a", "put")]


def test_epoch_and_purge_survive_reopen(backend):
    store = backend.open()
    epoch = store.epoch()
    assert backend.reopen().epoch() == epoch
    store = backend.store
    store.commit([note("a"), note("b"), note("c")])
    store.commit([Delete("notes", "a")])
    store.commit([Delete("notes", "c")])
    assert store.purge_tombstones(5) == 2
    store.commit([note("a", back=True)])
    renewed = store.new_epoch()
    store = backend.reopen()
    assert store.epoch() == renewed and store.tombstone_horizon() == 5
    assert feed(store) == [("b", "put"), ("a", "put")]
    assert store.get("notes", "a").doc["back"] is True
    assert store.high_water() == 6
