"""Acknowledged pushes survive a restart and a kill -9 of the process that applied them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from server.store.sql_store import SqlStore

from .helpers import GUARD, Replica, push, submit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def test_replay_after_restart_is_still_a_duplicate(tmp_path, uploads):
    store = SqlStore.sqlite(str(tmp_path / "fieldsync.db"))
    first = push(store, uploads, GUARD, "c1", [submit(1, "r1"), submit(2, "r2")])
    store.close()
    store = SqlStore.sqlite(str(tmp_path / "fieldsync.db"))
    try:
        again = push(store, uploads, GUARD, "c1", [submit(1, "r1"), submit(2, "r2")])
        assert [a["status"] for a in again["results"]] == ["duplicate", "duplicate"]
        assert [a["seq"] for a in again["results"]] == [a["seq"] for a in first["results"]]
        replica = Replica()
        page = replica.pull(store, GUARD, "c1", limit=1)
        assert page["last_mutation_id"] == 2
        assert {i for (t, i) in replica.records() if t == "results"} == {"r1", "r2"}
    finally:
        store.close()


PUSHER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from server.store.sql_store import SqlStore
    from server.uploads import UploadStore
    from tests.integration.sync.helpers import GUARD, push, submit
    store = SqlStore.sqlite({store!r})
    uploads = UploadStore({photos!r})
    mid = int(sys.argv[1])
    while True:
        batch = [submit(mid, f"r{{mid}}"), submit(mid + 1, f"r{{mid + 1}}")]
        resp = push(store, uploads, GUARD, "c1", batch)
        print(resp["last_mutation_id"], flush=True)
        mid += 2
""")


@pytest.mark.slow
@pytest.mark.parametrize("acks_before_kill", [1, 7, 23])
def test_acknowledged_pushes_survive_kill_9(tmp_path, acks_before_kill):
    script = tmp_path / "pusher.py"
    script.write_text(PUSHER.format(root=ROOT, store=str(tmp_path / "fieldsync.db"),
                                    photos=str(tmp_path / "photos")))
    start, acknowledged = 1, 0
    for _ in range(2):  # kill, restart from what the server says, kill again
        proc = subprocess.Popen([sys.executable, str(script), str(start)],
                                stdout=subprocess.PIPE, text=True)
        try:
            for _ in range(acks_before_kill):
                acknowledged = int(proc.stdout.readline())
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
        store = SqlStore.sqlite(str(tmp_path / "fieldsync.db"))
        try:
            last = store.get("clients", "c1").doc["last_mutation_id"]
            assert last >= acknowledged
            assert sorted(r.id for r in store.scan("results")) == sorted(
                f"r{i}" for i in range(1, last + 1))
        finally:
            store.close()
        start = last + 1
