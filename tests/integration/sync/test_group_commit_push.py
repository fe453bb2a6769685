"""Devices pushing at once share one COMMIT; each is answered after it, a refused one alone.

A test-held write transaction keeps the writer busy while two devices'
pushes queue behind it (observed on the store's writer queue, no sleeps);
released, the three transactions commit together -- one COMMIT, one fsync.
"""
import threading

import pytest
from sqlalchemy import event

from checklists.actors import Actor
from server.store import Put
from sync.errors import MutationGap
from tests.polling import wait_until

from .helpers import SITE_A, Replica, push, submit

PHONE_1 = Actor("u-guard", "guard", {SITE_A}, "dev-1")
PHONE_2 = Actor("u-guard", "guard", {SITE_A}, "dev-2")


def pushes_behind_a_held_writer(store, uploads, pushes):
    """Run ``pushes`` ({client_id: (actor, mutations)}) while the writer is held; release it
    once all of them wait for it. Returns (answers or exceptions by client, COMMITs made)."""
    commits, outcome = [], {}
    event.listen(store.engines.writer, "commit", lambda conn: commits.append(1))
    held, release = threading.Event(), threading.Event()

    def holder():
        with store.transaction() as tx:
            tx.commit([Put("notes", "held", {"n": 1})])
            held.set()
            release.wait()

    def device(client_id, actor, mutations):
        try:
            outcome[client_id] = push(store, uploads, actor, client_id, mutations)
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            outcome[client_id] = exc

    threads = [threading.Thread(target=holder)]
    threads[0].start()
    assert held.wait(30)
    threads += [threading.Thread(target=device, args=(client_id, *work))
                for client_id, work in pushes.items()]
    for thread in threads[1:]:
        thread.start()
    wait_until(lambda: store._writers._waiting == len(pushes))
    release.set()
    for thread in threads:
        thread.join()
    return outcome, len(commits)


def pulled(store, actor, client_id):
    replica = Replica()
    page = replica.pull(store, actor, client_id, limit=100)
    return page["last_mutation_id"], {i for (t, i) in replica.records() if t == "results"}


def test_two_devices_batches_commit_together_and_both_are_acknowledged(store, uploads):
    outcome, commits = pushes_behind_a_held_writer(store, uploads, {
        "c1": (PHONE_1, [submit(1, "r1"), submit(2, "r2")]),
        "c2": (PHONE_2, [submit(1, "r3")])})
    assert commits == 1  # the held transaction and both pushes: one COMMIT
    assert [a["status"] for a in outcome["c1"]["results"]] == ["applied", "applied"]
    assert [a["status"] for a in outcome["c2"]["results"]] == ["applied"]
    assert store.high_water() == 6  # the note, three results, two client records: no gap
    assert pulled(store, PHONE_1, "c1") == (2, {"r1", "r2", "r3"})
    assert pulled(store, PHONE_2, "c2")[0] == 1
    assert store.get("notes", "held") is not None


def test_a_push_refused_inside_a_shared_commit_fails_alone(store, uploads):
    outcome, commits = pushes_behind_a_held_writer(store, uploads, {
        "c1": (PHONE_1, [submit(1, "r1")]),
        "c2": (PHONE_2, [submit(5, "r2")])})  # a new client starting at 5: a gap, 409
    assert isinstance(outcome["c2"], MutationGap)
    assert [a["status"] for a in outcome["c1"]["results"]] == ["applied"]
    assert commits == 1
    assert store.get("results", "r1") is not None and store.get("results", "r2") is None
    assert store.get("clients", "c2") is None  # nothing of the refused batch
    with pytest.raises(MutationGap):  # and it is still a gap afterwards
        push(store, uploads, PHONE_2, "c2", [submit(5, "r2")])
