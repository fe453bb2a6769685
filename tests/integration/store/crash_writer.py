"""A writer for the crash test: commits numbered batches, reports each acknowledgement.

Run as ``python -m tests.integration.store.crash_writer DIR START COUNT``; prints
``ack <batch> <first_seq>`` after each commit returns, flushed at once, so the
parent knows exactly which commits were acknowledged before it kills us.
"""
import sys

from server.store import Put
from server.store.journal_store import JournalStore

PER_BATCH = 7


def main(root, start, count):
    store = JournalStore(root, checkpoint_bytes=20_000, cache_bytes=5000)
    for batch in range(start, start + count):
        ops = [Put("results", f"b{batch}-{n}", {"batch": batch, "n": n, "pad": "x" * 150},
                   bucket=f"site:s{batch % 3}", partition=f"s{batch % 3}/m{batch // 40}",
                   index={"by_batch": (str(batch), f"{n:03d}")})
               for n in range(PER_BATCH)]
        seqs = store.commit(ops)
        print(f"ack {batch} {seqs[0]}", flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
