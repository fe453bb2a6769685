"""Checkpoints written beside the commits: nothing waits for them, nothing is lost by them."""
import logging
import os
import threading

import pytest

from server.store import StoreCorrupt
from server.store.journal_files import journal_generations, journal_path
from server.store.journal_store import JournalStore

from .killing import kill
from .test_contract import result


class GatedStore(JournalStore):
    """A JournalStore whose background checkpoints wait at a gate before writing files."""

    def __init__(self, *args, **kw):
        self.gate, self.started, self.dead = threading.Event(), threading.Event(), False
        super().__init__(*args, **kw)

    def _write_and_publish(self, job):
        self.started.set()
        assert self.gate.wait(30)
        if not self.dead:  # a process killed before its checkpoint wrote anything
            super()._write_and_publish(job)


@pytest.fixture
def root(tmp_path):
    return str(tmp_path / "store")


def fill_until_checkpoint_starts(store, prefix="a", sites=3):
    n = 0
    while not store.started.is_set():
        store.commit([result(f"{prefix}{n}-{k}", site=f"s{k}", body="x" * 200)
                      for k in range(sites)])
        n += 1
        assert n < 500, "no checkpoint started"
    return n


def expect_all(store, n_first, n_more):
    ids = {r.id for r in store.scan("results")}
    assert ids == {f"a{i}-{k}" for i in range(n_first) for k in range(3)} | {
        f"b{i}-{k}" for i in range(n_more) for k in range(3)}
    assert store.high_water() == 3 * (n_first + n_more)
    assert store.count("results", "site_month", "s2/2026-11") == n_first
    assert store.count("results", "site_month", "t2/2026-11") == n_more


def test_commits_and_reads_go_on_while_a_checkpoint_is_being_written(root):
    store = GatedStore(root, checkpoint_bytes=3000, cache_bytes=1500)
    first = fill_until_checkpoint_starts(store)
    for i in range(40):  # the checkpoint is stuck before writing: commits still land
        store.commit([result(f"b{i}-{k}", site=f"t{k}", body="y" * 200) for k in range(3)])
    assert len(journal_generations(root)) == 2  # the old journal waits for the checkpoint
    saving = [key for key, part in store._parts.items() if part.saving]
    assert saving and not any(store._parts[key].dirty for key in saving)
    expect_all(store, first, 40)  # reads evict what they may, never a partition being saved
    assert all(key in store._parts for key in saving)
    store.gate.set()
    store._saver.join()
    assert len(journal_generations(root)) == 1 and not any(p.saving for p in store._parts.values())
    store.close()
    expect_all(reopened := JournalStore(root), first, 40)
    reopened.close()


@pytest.mark.parametrize("files_written", [False, True], ids=["before-files", "before-manifest"])
def test_a_crash_during_a_background_checkpoint_replays_both_journals(root, files_written):
    store = GatedStore(root, checkpoint_bytes=3000)
    first = fill_until_checkpoint_starts(store)
    for i in range(5):
        store.commit([result(f"b{i}-{k}", site=f"t{k}", v=2) for k in range(3)])
    store.dead = not files_written
    threading.Timer(0.2, store.gate.set).start()  # files written (or not) after the kill began
    kill(store)
    assert len(journal_generations(root)) == 2
    again = JournalStore(root)
    expect_all(again, first, 5)
    assert again.get("results", "b4-2").doc["v"] == 2
    again.commit([result("after")])
    again.close()
    again = JournalStore(root)  # and the close's checkpoint leaves one journal, all there
    assert len(journal_generations(root)) == 1 and again.get("results", "after") is not None
    assert again.high_water() == 3 * (first + 5) + 1
    again.close()


def test_a_checkpoint_that_cannot_write_keeps_every_change_and_is_retried(root, caplog):
    store = JournalStore(root, checkpoint_bytes=1 << 30)
    store.commit([result(f"a{n}") for n in range(3)])
    [part] = store._parts.values()
    path = part.path
    os.makedirs(path)  # the partition file cannot be replaced: the write fails for real
    with pytest.raises(OSError):
        store.checkpoint()
    assert part.dirty and len(journal_generations(root)) == 2
    store.commit([result("a0", v=2)])
    store.checkpoint_bytes = 100  # the next commit starts a background checkpoint: it fails too
    store._retry_at = 0
    with caplog.at_level(logging.ERROR):
        store.commit([result("a1", v=2)])
        store._saver.join()
    assert "checkpoint failed" in caplog.text and store._job is None
    os.rmdir(path)
    store.checkpoint()  # the failed saves' changes come back into this one
    assert len(journal_generations(root)) == 1
    kill(store)  # the partition file alone must hold everything now
    again = JournalStore(root)
    assert {r.id: r.doc.get("v") for r in again.scan("results")} == {
        "a0": 2, "a1": 2, "a2": None}
    again.close()


def test_startup_refuses_a_gap_between_journals_or_a_torn_frame_before_the_last(root):
    store = GatedStore(root, checkpoint_bytes=3000)
    fill_until_checkpoint_starts(store)
    store.commit([result("later")])
    store.dead = True
    threading.Timer(0.1, store.gate.set).start()
    kill(store)
    first, second = journal_generations(root)
    with open(journal_path(root, first), "r+b") as f:
        f.truncate(os.path.getsize(journal_path(root, first)) - 3)
    with pytest.raises(StoreCorrupt, match="not the last") as err:
        JournalStore(root)
    assert journal_path(root, first) in str(err.value)
    os.unlink(journal_path(root, first))
    with pytest.raises(StoreCorrupt, match="do not run on"):
        JournalStore(root)
    assert os.path.exists(journal_path(root, second))  # nothing was deleted by refusing
