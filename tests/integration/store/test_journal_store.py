"""What only the durable backend promises: crash recovery, damage detection, one owner."""
import os

import pytest

from server.store import Put, StoreCorrupt, StoreLocked, StoreUnavailable
from server.store.catalog import PARTITION
from server.store.journal_store import JournalStore
from server.store.partition import Partition

from .killing import kill
from .test_contract import result


@pytest.fixture
def root(tmp_path):
    return str(tmp_path / "store")


def journal_of(root):
    [name] = [n for n in os.listdir(root) if n.startswith("journal-") and n.endswith(".log")]
    return os.path.join(root, name)


def fill(store, batches=5, per=4):
    for b in range(batches):
        store.commit([result(f"b{b}-{n}", site=f"s{b % 2}") for n in range(per)])


def test_checkpoints_and_eviction_keep_every_record(root):
    store = JournalStore(root, cache_bytes=300, checkpoint_bytes=2000)
    fill(store, batches=30)
    assert store.get("results", "b0-0").doc["site"] == "s0"  # an evicted, saved partition
    store.close()
    store = JournalStore(root, cache_bytes=300, checkpoint_bytes=2000)
    assert store.high_water() == 120
    assert store.count("results", "site_month", "s1/2026-11") == 60
    assert sum(1 for _ in store.scan("results")) == 120
    assert len(store.changes("site:s0", 0, 1000)) == 60
    store.close()


def test_an_unclean_stop_replays_the_journal(root):
    store = JournalStore(root, checkpoint_bytes=1500)
    fill(store, batches=10)
    kill(store)  # as if killed: nothing flushed, no close
    again = JournalStore(root)
    assert again.high_water() == 40
    assert again.get("results", "b9-3") is not None
    again.close()


def test_torn_tail_is_set_aside_and_dropped(root):
    store = JournalStore(root)
    fill(store, batches=3)
    store.close()
    store = JournalStore(root)  # close() checkpointed: write one more batch into the journal
    store.commit([result("last")])
    kill(store)
    path = journal_of(root)
    with open(path, "ab") as f:
        f.write(b"\x40\x00\x00\x00\x01\x02\x03\x04partial")  # a frame cut by kill -9
    store = JournalStore(root)
    assert store.high_water() == 13 and store.get("results", "last") is not None
    torn = [n for n in os.listdir(root) if ".torn-" in n]
    assert len(torn) == 1 and open(os.path.join(root, torn[0]), "rb").read().endswith(b"partial")
    assert store.commit([result("next")]) == [14]
    store.close()


def test_damage_in_the_middle_of_the_journal_stops_with_file_and_offset(root):
    store = JournalStore(root)
    fill(store, batches=4)
    kill(store)
    path = journal_of(root)
    data = bytearray(open(path, "rb").read())
    data[20] ^= 0xFF  # inside the first frame's payload; later frames are intact
    open(path, "wb").write(data)
    with pytest.raises(StoreCorrupt) as err:
        JournalStore(root)
    assert path in str(err.value) and "offset 0" in str(err.value)
    assert open(path, "rb").read() == bytes(data)  # never rewritten


def test_damaged_snapshot_stops_and_is_not_overwritten(root):
    store = JournalStore(root)
    fill(store, batches=2)
    store.close()
    [part] = [os.path.join(root, "parts", n) for n in os.listdir(os.path.join(root, "parts"))
              if n.startswith("results%2Fs0")]
    data = bytearray(open(part, "rb").read())
    data[len(data) // 2] ^= 0x55
    open(part, "wb").write(data)
    with pytest.raises(StoreCorrupt) as err:
        JournalStore(root)
    assert part in str(err.value) and "offset" in str(err.value)
    assert open(part, "rb").read() == bytes(data)


def test_missing_manifest_is_not_mistaken_for_an_empty_store(root):
    store = JournalStore(root)
    fill(store, batches=1)
    store.close()
    os.unlink(os.path.join(root, "MANIFEST"))
    with pytest.raises(StoreCorrupt, match="MANIFEST"):
        JournalStore(root)


def test_failed_fsync_acknowledges_nothing_and_the_store_goes_on(root):
    store = JournalStore(root)
    fill(store, batches=1)
    size = os.path.getsize(journal_of(root))

    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    store.fsync = failing_fsync
    with pytest.raises(StoreUnavailable):
        store.commit([result("lost")])
    assert store.get("results", "lost") is None and store.high_water() == 4
    assert os.path.getsize(journal_of(root)) == size
    store.fsync = os.fsync
    assert store.commit([result("kept")]) == [5]
    store.close()
    store = JournalStore(root)
    assert store.get("results", "lost") is None and store.get("results", "kept") is not None
    store.close()


def test_a_second_owner_is_refused_at_once(root):
    store = JournalStore(root)
    with pytest.raises(StoreLocked, match="in use by another fieldsync process"):
        JournalStore(root)
    store.close()
    JournalStore(root).close()  # released on close


def test_documents_come_back_as_json_types(root):
    store = JournalStore(root)
    store.commit([Put("results", "t", {"pair": (1, 2), "n": 1.5}, bucket="site:x")])
    assert store.get("results", "t").doc == {"pair": [1, 2], "n": 1.5}
    store.close()


def test_records_fill_bounded_chunks_and_stay_in_them(root):
    store = JournalStore(root, chunk_docs=3)
    store.commit([result(f"a{n}") for n in range(5)])
    store.commit([result(f"b{n}") for n in range(4)])
    store.commit([result("a0", v=2)])  # an update stays in its chunk
    store.close()
    parts = sorted(os.listdir(os.path.join(root, "parts")))
    assert parts == [f"results%2Fs1%2F2026-11%23{n}.part" for n in range(3)]
    store = JournalStore(root, chunk_docs=3)
    store.commit([result("c0"), result("c1")])
    assert store._catalog.entries[("results", "c1")][PARTITION].endswith("#3")
    assert store.get("results", "a0").doc["v"] == 2
    assert store.count("results", "site_month", "s1/2026-11") == 11
    store.close()


def part_files(root):
    d = os.path.join(root, "parts")
    return {n: os.path.join(d, n) for n in os.listdir(d)}


def test_checkpoints_append_changes_and_compact_fragmented_files(root):
    store = JournalStore(root)
    store.commit([result(f"a{n}") for n in range(3)])
    store.checkpoint()
    [path] = part_files(root).values()
    first = os.path.getsize(path)
    for round_ in range(20):
        store.commit([result(f"a{round_ % 3}", v=round_)])
        store.checkpoint()
        if round_ == 0:  # one changed record: a small segment, not a rewrite
            assert first < os.path.getsize(path) < 2 * first
    assert store._parts[next(iter(store._parts))].segments < Partition.MAX_SEGMENTS
    store.close()
    store = JournalStore(root)
    assert {r.id: r.doc.get("v") for r in store.scan("results")} == {"a0": 18, "a1": 19, "a2": 17}
    store.close()


def test_a_checkpoint_cut_mid_append_is_cut_off_and_replayed(root):
    store = JournalStore(root)
    store.commit([result("a"), result("b")])
    store.checkpoint()
    store.commit([result("b", v=2), result("c")])
    kill(store)  # killed before its next checkpoint ...
    [path] = part_files(root).values()
    size = os.path.getsize(path)
    with open(path, "ab") as f:  # ... or in the middle of appending a segment
        f.write(b"\x30\x00\x00\x00\x00\x00\x00\x00{\"key\":")
    store = JournalStore(root)
    assert os.path.getsize(path) == size
    assert store.get("results", "b").doc["v"] == 2 and store.get("results", "c") is not None
    store.close()


def test_damage_to_a_segment_the_manifest_acknowledged_is_reported_not_dropped(root):
    store = JournalStore(root)
    store.commit([result("a")])
    store.checkpoint()
    store.commit([result("b")])
    store.close()  # the second segment is acknowledged by the manifest
    [path] = part_files(root).values()
    data = bytearray(open(path, "rb").read())
    data[-3] ^= 0xFF  # inside the last segment's documents
    open(path, "wb").write(data)
    store = JournalStore(root)
    with pytest.raises(StoreCorrupt) as err:
        store.get("results", "b")
    assert path in str(err.value)
    assert open(path, "rb").read() == bytes(data)
    store.close()
