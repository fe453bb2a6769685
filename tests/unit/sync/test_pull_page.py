"""build_pull_page cursor rules against the in-memory reference store."""
from __future__ import annotations

import pytest

from server.store.base import Delete, Put
from server.store import open_store
from sync.pull import build_pull_page


class HorizonFeed:
    """The memory store's feed with a tombstone horizon we can raise (as GC would)."""

    def __init__(self, store, horizon):
        self.store, self.horizon = store, horizon

    def changes(self, bucket, since, limit):
        return self.store.changes(bucket, since, limit)

    def high_water(self):
        return self.store.high_water()

    def tombstone_horizon(self):
        return self.horizon

    def epoch(self):
        return self.store.epoch()


@pytest.fixture
def store():
    s = open_store("memory://")
    s.commit([Put("notes", f"a{i}", {"v": 1, "i": i}, "site:a") for i in range(5)])
    s.commit([Put("notes", f"b{i}", {"v": 1, "i": i}, "site:b") for i in range(3)])
    return s


def test_limit_spans_buckets_in_priority_order(store):
    page = build_pull_page(store, ["site:a", "site:b"], {}, 6, 0)
    a, b = page["buckets"]
    assert [c["id"] for c in a["changes"]] == [f"a{i}" for i in range(5)]
    assert a["complete"] and a["cursor"] == store.high_water()
    assert [c["id"] for c in b["changes"]] == ["b0"] and not b["complete"]
    assert b["cursor"] == b["changes"][-1]["seq"] and page["has_more"]


def test_exhausted_limit_leaves_later_buckets_untouched(store):
    page = build_pull_page(store, ["site:a", "site:b"], {"site:b": 2}, 2, 0)
    assert page["buckets"][1] == {"name": "site:b", "cursor": 2, "reset": False,
                                  "complete": False, "changes": []}


def test_exact_fit_is_complete(store):
    page = build_pull_page(store, ["site:a"], {}, 5, 0)
    assert page["buckets"][0]["complete"] and not page["has_more"]


def test_cursor_at_or_below_the_horizon_resets(store):
    store.commit([Delete("notes", "a0")])
    feed = HorizonFeed(store, horizon=3)
    seg = build_pull_page(feed, ["site:a"], {"site:a": 3}, 100, 0)["buckets"][0]
    assert seg["reset"] and all(c["op"] == "put" for c in seg["changes"])
    assert [c["id"] for c in seg["changes"]] == ["a1", "a2", "a3", "a4"]
    above = build_pull_page(feed, ["site:a"], {"site:a": 4}, 100, 0)["buckets"][0]
    assert not above["reset"]
    assert [(c["id"], c["op"]) for c in above["changes"]] == [("a4", "put"), ("a0", "del")]


def test_changes_carry_type_version_and_data(store):
    change = build_pull_page(store, ["site:b"], {}, 1, 7)["buckets"][0]["changes"][0]
    assert change == {"seq": 6, "type": "notes", "id": "b0", "v": 1, "op": "put",
                      "data": {"v": 1, "i": 0}}


def test_limit_must_be_positive(store):
    with pytest.raises(ValueError):
        build_pull_page(store, ["site:a"], {}, 0, 0)


def test_byte_budget_cuts_pages_but_always_makes_progress(store):
    cursors, seen, pages = {}, [], 0
    while True:
        page = build_pull_page(store, ["site:a", "site:b"], cursors, 100, 0, max_bytes=10)
        pages += 1
        for seg in page["buckets"]:
            seen += [c["id"] for c in seg["changes"]]
            cursors[seg["name"]] = seg["cursor"]
        if not page["has_more"]:
            break
    assert pages == 8 and sorted(seen) == sorted([f"a{i}" for i in range(5)] +
                                                 [f"b{i}" for i in range(3)])


def test_byte_budget_leaves_later_buckets_at_their_cursor(store):
    size_of_two = 2 * 90  # each change of these notes serialises to ~70-80 bytes
    page = build_pull_page(store, ["site:a", "site:b"], {"site:b": 0}, 100, 0,
                           max_bytes=size_of_two)
    a, b = page["buckets"]
    assert [c["id"] for c in a["changes"]] == ["a0", "a1"] and a["cursor"] == 2
    assert b == {"name": "site:b", "cursor": 0, "reset": False, "complete": False,
                 "changes": []}
