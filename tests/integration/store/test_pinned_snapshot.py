"""A pinned snapshot: every service's snapshot is the one open, consistent, and read-only."""
import pytest

from server.store import Put
from server.store.pinned import ReadOnlyStore, pinned


def record(id_, site="s1"):
    return Put("records", id_, {"id": id_, "site": site}, bucket=f"site:{site}",
               index={"site": (site, id_)})


def test_services_inside_read_the_one_snapshot_and_never_a_later_commit(store):
    store.commit([record("a")])
    with pinned(store) as pinned_store:
        with pinned_store.snapshot() as first, pinned_store.snapshot() as second:
            assert first is second
        assert pinned_store.get("records", "a") is not None  # the snapshot starts here
        store.commit([record("b")])  # after it: invisible inside
        assert pinned_store.get("records", "b") is None
        assert [r.id for r in pinned_store.list("records", "site", "s1").items] == ["a"]
        assert pinned_store.count("records", "site", "s1") == 1
    assert store.get("records", "b") is not None


def test_writes_through_a_pinned_snapshot_are_refused(store):
    with pinned(store) as pinned_store:
        with pytest.raises(ReadOnlyStore):
            pinned_store.transaction()
        with pytest.raises(ReadOnlyStore):
            pinned_store.commit([record("c")])
    assert store.get("records", "c") is None
