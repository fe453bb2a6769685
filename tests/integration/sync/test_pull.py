"""Pull on the real store (SQLite): buckets, paging under concurrent writes, tombstones, snapshot."""
from __future__ import annotations

import random
import threading

import pytest

from server.services import sync_service
from server.store.base import Delete, Put
from sync.errors import ClientNotOwned

from .helpers import (ENGINEER, GUARD, SITE_A, SITE_B, SITE_X, Replica, pull_all, push,
                      server_view, submit)


def test_buckets_are_decided_by_the_server(store, uploads):
    store.commit([Put("definitions", "d1", {"v": 1}, "defs"),
                  Put("notes", "foreign", {"v": 1}, f"site:{SITE_X}")])
    push(store, uploads, GUARD, "c1", [submit(1, "r-a"), submit(2, "r-b", site=SITE_B)])
    page = sync_service.build_pull(store, GUARD, "c1", {f"site:{SITE_X}": 0}, 100)
    assert [b["name"] for b in page["buckets"]] == [
        "defs", f"site:{SITE_A}", f"site:{SITE_B}", "user:u-guard"]
    assert page["removed_buckets"] == [f"site:{SITE_X}"]
    held, cursors, last = pull_all(store, GUARD, "c1")
    assert sorted(held) == [("definitions", "d1"), ("results", "r-a"), ("results", "r-b")]
    assert set(cursors.values()) == {store.high_water()} and last["last_mutation_id"] == 2


def test_engineer_at_one_site_sees_only_it(store, uploads):
    push(store, uploads, GUARD, "c1", [submit(1, "r-a"), submit(2, "r-b", site=SITE_B)])
    held, _, _ = pull_all(store, ENGINEER, "e1")
    assert sorted(held) == [("results", "r-a")]


def test_cursor_zero_carries_no_tombstones_later_pulls_do(store, uploads):
    bucket = f"site:{SITE_A}"
    store.commit([Put("notes", "n1", {"v": 1}, bucket), Put("notes", "n2", {"v": 1}, bucket)])
    mid = store.high_water()
    store.commit([Delete("notes", "n1")])
    fresh = sync_service.build_pull(store, GUARD, "c1", {}, 100)
    seg = next(b for b in fresh["buckets"] if b["name"] == bucket)
    assert [(c["id"], c["op"]) for c in seg["changes"]] == [("n2", "put")]
    assert seg["cursor"] == store.high_water()
    later = sync_service.build_pull(store, GUARD, "c1", {bucket: mid}, 100)
    seg = next(b for b in later["buckets"] if b["name"] == bucket)
    assert [(c["id"], c["op"], c["data"]) for c in seg["changes"]] == [("n1", "del", None)]


def test_cursor_beyond_high_water_gets_reset(store, uploads):
    push(store, uploads, GUARD, "c1", [submit(1, "r-a")])
    bucket = f"site:{SITE_A}"
    page = sync_service.build_pull(store, GUARD, "c1", {bucket: store.high_water() + 50}, 100)
    seg = next(b for b in page["buckets"] if b["name"] == bucket)
    assert seg["reset"] is True and [c["id"] for c in seg["changes"]] == ["r-a"]
    assert seg["cursor"] <= page["high_water"]


def test_pull_with_a_client_of_another_device_is_refused(store, uploads):
    push(store, uploads, GUARD, "c1", [submit(1, "r-a")])
    with pytest.raises(ClientNotOwned):
        sync_service.build_pull(store, ENGINEER, "c1", {}, 10)


def test_tiny_pages_under_concurrent_writes_converge(store, uploads):
    rng = random.Random(7)
    buckets = [f"site:{SITE_A}", f"site:{SITE_B}"]

    pulled = threading.Event()

    def writer():
        for n in range(200):
            if n % 10 == 0:  # let the device pull between bursts, even on a fast store
                pulled.wait(5)
                pulled.clear()
            rid = f"n{rng.randrange(40)}"  # rewrites move a record to a higher seq
            bucket = buckets[int(rid[1:]) % 2]  # a record never changes bucket
            if rng.random() < 0.15 and store.get("notes", rid) is not None:
                store.commit([Delete("notes", rid)])
            else:
                store.commit([Put("notes", rid, {"n": n}, bucket)])

    thread = threading.Thread(target=writer)
    thread.start()
    replica, pulls = Replica(), 0
    while thread.is_alive() or pulls == 0:
        page = replica.pull(store, GUARD, "c1", limit=rng.randint(1, 7))
        assert all(c <= page["high_water"] for c in replica.cursors.values())
        pulls += 1
        pulled.set()
    thread.join()
    replica.pull(store, GUARD, "c1", limit=3)
    assert pulls > 1
    assert replica.records() == server_view(store, buckets)
    assert len(replica.records()) > 10


def test_pull_never_shows_an_effect_without_its_mutation_id(store, uploads):
    done, checked = threading.Event(), threading.Event()

    def device():
        for mid in range(1, 61):
            if mid % 5 == 0:  # interleave with the checker, even on a fast store
                checked.wait(5)
                checked.clear()
            push(store, uploads, GUARD, "c1", [submit(mid, f"r{mid}")])
        done.set()

    thread = threading.Thread(target=device)
    thread.start()
    checks = 0
    while not done.is_set() or checks == 0:
        page = sync_service.build_pull(store, GUARD, "c1", {}, 1000)
        assert not page["has_more"]
        seen = {c["id"] for b in page["buckets"] for c in b["changes"] if c["type"] == "results"}
        assert seen == {f"r{i}" for i in range(1, page["last_mutation_id"] + 1)}
        checks += 1
        checked.set()
    thread.join()
    assert checks > 1
