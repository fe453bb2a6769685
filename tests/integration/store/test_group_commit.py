"""Writers queued at the same time share one COMMIT; none is answered before it."""
import threading

from sqlalchemy import event

from server.store import Put
from server.store.sql_store import SqlStore
from tests.polling import wait_until


def test_writers_waiting_for_the_writer_share_its_commit(tmp_path):
    store = SqlStore.sqlite(str(tmp_path / "fieldsync.db"))
    commits = []
    event.listen(store.engines.writer, "commit", lambda conn: commits.append(1))
    inside, release = threading.Event(), threading.Event()
    seqs = {}

    def first():
        with store.transaction() as tx:
            seqs["a"] = tx.commit([Put("notes", "a", {"n": 1}, bucket="site:s")])
            inside.set()
            release.wait()
        seqs["first done"] = store.get("notes", "a") is not None  # durable once answered

    def later(name):
        seqs[name] = store.commit([Put("notes", name, {"n": 2}, bucket="site:s")])

    threads = [threading.Thread(target=first)]
    threads[0].start()
    inside.wait()
    threads += [threading.Thread(target=later, args=(n,)) for n in ("b", "c")]
    for t in threads[1:]:
        t.start()
    wait_until(lambda: store._writers._waiting == 2)  # both queued behind the first
    release.set()
    for t in threads:
        t.join()
    try:
        assert sorted(seqs[n][0] for n in "abc") == [1, 2, 3] and seqs["a"] == [1]
        assert seqs["first done"] is True
        assert len(commits) == 1  # three transactions, one COMMIT (one fsync)
        assert [c.id for c in store.changes("site:s", 0, 10)] == sorted(
            "abc", key=lambda n: seqs[n][0])  # the feed is in commit (seq) order
    finally:
        store.close()


def test_a_lone_writer_commits_at_once(tmp_path):
    store = SqlStore.sqlite(str(tmp_path / "fieldsync.db"))
    commits = []
    event.listen(store.engines.writer, "commit", lambda conn: commits.append(1))
    try:
        for n in range(3):
            store.commit([Put("notes", f"n{n}", {}, bucket="site:s")])
            assert len(commits) == n + 1
    finally:
        store.close()


def test_a_block_that_fails_leaves_nothing_even_when_its_group_commits(tmp_path):
    store = SqlStore.sqlite(str(tmp_path / "fieldsync.db"))
    inside, release, failed = threading.Event(), threading.Event(), []

    def failing():
        try:
            with store.transaction() as tx:
                tx.commit([Put("notes", "lost", {}, bucket="site:s")])
                inside.set()
                release.wait()
                raise RuntimeError("the service gave up after its commit")
        except RuntimeError:
            failed.append(True)

    first = threading.Thread(target=failing)
    first.start()
    inside.wait()
    later = threading.Thread(target=store.commit, args=([Put("notes", "kept", {},
                                                             bucket="site:s")],))
    later.start()
    wait_until(lambda: store._writers._waiting == 1)  # it joins the failing block's group
    release.set()
    first.join()
    later.join()
    try:
        assert failed == [True]
        assert store.get("notes", "lost") is None and store.get("notes", "kept") is not None
    finally:
        store.close()
