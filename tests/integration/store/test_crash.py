"""kill -9 a real server while a device pushes; every acknowledged result survives.

The child signals readiness on stdout; the parent pushes over HTTP from a
thread and kills the child once a randomly chosen number of pushes were
acknowledged -- while the next push is in flight. The reopened store must
hold every acknowledged result exactly once, and the device's retry of the
push it never saw answered must apply or be a duplicate, never a gap.
"""
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import urllib.request
import uuid

import pytest

from server.store.sql_store import SqlStore

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
PER_PUSH = 5


class Pusher(threading.Thread):
    """Pushes batches of PER_PUSH results until the server dies; counts acknowledgements."""

    def __init__(self, port, token, site_id, client_id, first_id, prefix="r"):
        super().__init__(daemon=True)
        self.prefix = prefix  # result ids: <prefix><mutation id>
        self.url = f"http://127.0.0.1:{port}/api/v1/sync/push"
        self.token, self.site_id, self.client_id = token, site_id, client_id
        self.next_id = first_id
        self.acked: list[str] = []
        self.progress = threading.Condition()

    def body(self, first):
        return {"client_id": self.client_id, "schema_version": 1, "mutations": [
            {"id": first + n, "name": "submit_result", "client_ts": "2026-11-23T07:59:00+00:00",
             "args": {"result_id": f"{self.prefix}{first + n}", "site_id": self.site_id,
                      "checklist": {"id": "daily-round", "version": 1},
                      "answers": {"env.clean": {"value": "pass"}}}}
            for n in range(PER_PUSH)]}

    def run(self):
        while True:
            request = urllib.request.Request(
                self.url, data=json.dumps(self.body(self.next_id)).encode(), method="POST",
                headers={"Content-Type": "application/json",
                         "Authorization": f"Bearer {self.token}"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    answer = json.load(response)
            except (OSError, http.client.HTTPException):
                # the server was killed, maybe mid-answer (IncompleteRead): not acknowledged
                with self.progress:
                    self.progress.notify_all()
                return
            with self.progress:
                self.acked += [f"{self.prefix}{a['id']}" for a in answer["results"]
                               if a["status"] in ("applied", "duplicate")]
                self.next_id = answer["last_mutation_id"] + 1
                self.progress.notify_all()


def start_server(data_dir):
    proc = subprocess.Popen([sys.executable, "-m", "tests.integration.store.crash_server",
                             data_dir], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().split()
    assert line and line[0] == "ready", line
    return proc, int(line[1]), line[2], line[3], line[4]


@pytest.mark.slow
def test_kill_minus_nine_during_pushes_never_loses_an_acknowledged_result(tmp_path):
    rng = random.Random(int(os.environ.get("CRASH_SEED", "7")))
    data_dir, client_id = str(tmp_path / "data"), uuid.uuid4().hex
    acked, next_id = [], 1
    for _ in range(int(os.environ.get("CRASH_ROUNDS", "4"))):
        proc, port, token, site_id, _ = start_server(data_dir)
        pusher = Pusher(port, token, site_id, client_id, next_id)
        pusher.start()
        wanted = rng.randint(1, 12) * PER_PUSH
        with pusher.progress:
            pusher.progress.wait_for(lambda: len(pusher.acked) >= wanted or not pusher.is_alive())
            os.kill(proc.pid, signal.SIGKILL)  # the next push is in flight (or about to be)
        proc.wait()
        proc.stdout.close()
        pusher.join()
        acked += pusher.acked
        store = SqlStore.sqlite(os.path.join(data_dir, "fieldsync.db"))
        try:
            stored = sorted(r.id for r in store.scan("results"))
            last = store.get("clients", client_id).doc["last_mutation_id"]
            assert set(acked) <= set(stored)
            assert stored == sorted(f"r{i}" for i in range(1, last + 1))  # whole batches only
        finally:
            store.close()
        next_id = last + 1
    assert len(set(acked)) >= 4 * PER_PUSH


@pytest.mark.slow
def test_kill_minus_nine_during_two_devices_group_committed_pushes_loses_nothing_acked(tmp_path):
    """Two devices push at once, so their batches share COMMITs; kill -9 mid-stream.

    Every result either device saw acknowledged is stored, and each device's
    results are whole batches up to its ``last_mutation_id`` (a batch that
    shared a COMMIT that never happened is absent for both, never half there).
    """
    rng = random.Random(int(os.environ.get("CRASH_SEED", "11")))
    data_dir = str(tmp_path / "data")
    clients = {"a": uuid.uuid4().hex, "b": uuid.uuid4().hex}
    acked, next_ids = [], {"a": 1, "b": 1}
    for _ in range(int(os.environ.get("CRASH_ROUNDS", "3"))):
        proc, port, token, site_id, second = start_server(data_dir)
        pushers = [Pusher(port, tok, site_id, clients[p], next_ids[p], prefix=p)
                   for p, tok in (("a", token), ("b", second))]
        for pusher in pushers:
            pusher.start()
        wanted = rng.randint(2, 10) * PER_PUSH
        waiting = pushers[0]
        with waiting.progress:  # both running; kill once the first has enough acknowledged
            waiting.progress.wait_for(lambda: len(waiting.acked) >= wanted
                                      or not waiting.is_alive())
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        for pusher in pushers:
            pusher.join()
            acked += pusher.acked
        store = SqlStore.sqlite(os.path.join(data_dir, "fieldsync.db"))
        try:
            stored = {r.id for r in store.scan("results")}
            assert set(acked) <= stored
            for p, client_id in clients.items():
                client = store.get("clients", client_id)
                last = client.doc["last_mutation_id"] if client else 0
                assert sorted(i for i in stored if i.startswith(p)) == sorted(
                    f"{p}{i}" for i in range(1, last + 1))  # whole batches only
                next_ids[p] = last + 1
        finally:
            store.close()
    assert len(set(acked)) >= 3 * 2 * PER_PUSH
