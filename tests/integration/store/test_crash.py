"""kill -9 a real writer at random moments; the reopened store holds exactly the acked commits."""
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from server.store.journal_store import JournalStore

from .crash_writer import PER_BATCH

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def run_writer_until_killed(root, start, count, rng):
    proc = subprocess.Popen([sys.executable, "-m", "tests.integration.store.crash_writer",
                             root, str(start), str(count)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(rng.uniform(0.3, 1.2))
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate()
    acked = [int(line.split()[1]) for line in out.splitlines() if line.startswith("ack")]
    assert "Traceback" not in err, err
    return acked


@pytest.mark.slow
def test_kill_minus_nine_never_loses_an_acknowledged_commit(tmp_path):
    rng = random.Random(int(os.environ.get("CRASH_SEED", "7")))
    root = str(tmp_path / "store")
    acked, next_batch = [], 0
    for _ in range(int(os.environ.get("CRASH_ROUNDS", "8"))):
        acked += run_writer_until_killed(root, next_batch, 1000, rng)
        store = JournalStore(root, checkpoint_bytes=20_000, cache_bytes=5000)
        # every acknowledged batch is whole
        for batch in acked:
            page = store.list("results", "by_batch", str(batch), limit=100)
            assert [r.doc["n"] for r in page.items] == list(range(PER_BATCH)), batch
        # nothing else but whole batches (an unacked one may have landed), seqs gapless
        batches = {r.doc["batch"] for r in store.scan("results")}
        assert set(acked) <= batches
        for batch in batches:
            assert store.count("results", "by_batch", str(batch)) == PER_BATCH
        assert store.high_water() == len(batches) * PER_BATCH
        next_batch = max(batches, default=-1) + 1
        store.close()
    assert len(acked) > 20  # the writer really ran between kills
