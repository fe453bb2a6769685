"""Store benchmark: is a commit's cost flat in the amount stored, and how does it compare?

Commits batches of 100 results (~2 KB each, 100 sites, months advancing as
the store fills) into a JournalStore up to --stored results (default 1M), and
in the same run the same batches into sqlite3 (WAL, synchronous=FULL), plus
plain TinyDB(JSONStorage) at 1k and 5k stored. Prints:

* cost per batch at 1k, 10k, 100k, 1M stored and the ratio 1M/1k (goal <= 1.5);
  each figure is the mean over a window of batches *including* a checkpoint
  forced at its end, so the amortised cost of saving partitions is counted;
* ours / sqlite3 at the same points; plain TinyDB at 1k and 5k;
* resident memory at the end (goal <= 1.5 GiB at 1M);
* listing latency (a site's month, 50 a page, random pages, cold and warm
  partitions) p50/p95 at the end (goal <= 100 ms).

Run: ``python bench/store.py [--stored 1000000] [--dir /tmp/x]``.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

import orjson

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from server.store import Put  # noqa: E402
from server.store.journal_store import JournalStore, relax_gc  # noqa: E402

SITES = 100
BATCH = 100
MONTHS = 12


def make_doc(n: int, site: int, month: str) -> dict:
    answers = {f"item.{i:02d}": {"value": "pass" if (n + i) % 7 else "fail",
                                 "note": "地面清洁, 无积水" if i % 3 == 0 else "",
                                 "photos": [f"{(n * 31 + i) % 2**64:064x}"] if i % 10 == 0 else []}
               for i in range(24)}
    return {"id": f"r{n:08d}", "definition": "quality-monthly", "version": 3,
            "site_id": f"s{site:03d}", "submitted_at": f"{month}-{1 + n % 28:02d}T08:{n % 60:02d}:00Z",
            "inspector": f"u{n % 50}", "answers": answers,
            "score": {"total": 87.5, "max": 100, "band": "良好"}, "gps": [31.2304, 121.4737]}


def batch_at(b: int, total_batches: int) -> tuple[str, str, list[dict]]:
    site = b % SITES
    month = f"2026-{1 + b * MONTHS // total_batches:02d}"
    return f"s{site:03d}", month, [make_doc(b * BATCH + i, site, month) for i in range(BATCH)]


def ops_for(site: str, month: str, docs: list[dict]) -> list[Put]:
    return [Put("results", d["id"], d, bucket=f"site:{site}", partition=f"{site}/{month}",
                index={"site_month": (f"{site}/{month}", d["submitted_at"])}) for d in docs]


class Sqlite:
    """The anchor: sqlite3 in WAL mode with synchronous=FULL, one transaction per batch."""

    def __init__(self, path):
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("CREATE TABLE results (id TEXT PRIMARY KEY, site TEXT, month TEXT, "
                        "submitted TEXT, body BLOB)")
        self.db.execute("CREATE INDEX site_month ON results (site, month, submitted, id)")

    def commit(self, site, month, docs):
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?)",
                            [(d["id"], site, month, d["submitted_at"], orjson.dumps(d))
                             for d in docs])
        self.db.execute("COMMIT")


def plain_tinydb_cost(root: str, stored: int, total_batches: int, repeats: int = 5) -> float:
    from tinydb import TinyDB
    path = os.path.join(root, f"plain-{stored}.json")
    db = TinyDB(path)
    table = db.table("results")
    for b in range(stored // BATCH):
        table.insert_multiple(batch_at(b, total_batches)[2])
    times = []
    for r in range(repeats):
        docs = batch_at(stored // BATCH + r, total_batches)[2]
        t = time.perf_counter()
        table.insert_multiple(docs)
        times.append(time.perf_counter() - t)
    db.close()
    return statistics.mean(times)


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stored", type=int, default=1_000_000)
    ap.add_argument("--window", type=int, default=20, help="batches timed at each point")
    ap.add_argument("--dir", default=None)
    args = ap.parse_args()
    root = args.dir or tempfile.mkdtemp(prefix="fieldsync-bench-")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    total_batches = args.stored // BATCH
    points = [p for p in (1_000, 10_000, 100_000, 1_000_000) if p <= args.stored]

    store = JournalStore(os.path.join(root, "journal"))
    relax_gc()  # as the server does when it opens its store
    lite = Sqlite(os.path.join(root, "anchor.sqlite"))
    ours, theirs = {}, {}
    b = 0
    fill_start = time.perf_counter()
    for point in points:
        while b * BATCH < point:  # fill up to the point, untimed
            site, month, docs = batch_at(b, total_batches)
            store.commit(ops_for(site, month, docs))
            lite.commit(site, month, docs)
            b += 1
            if b % 1000 == 0:
                print(f"  filled {b * BATCH:,} ({time.perf_counter() - fill_start:.0f}s)",
                      file=sys.stderr)
        store.checkpoint()
        batches = [batch_at(b + i, total_batches) for i in range(args.window)]
        t = time.perf_counter()
        for site, month, docs in batches:
            store.commit(ops_for(site, month, docs))
        store.checkpoint()  # the window pays for saving what it dirtied
        ours[point] = (time.perf_counter() - t) / args.window
        t = time.perf_counter()
        for site, month, docs in batches:
            lite.commit(site, month, docs)
        theirs[point] = (time.perf_counter() - t) / args.window
        b += args.window

    rss = rss_mib()
    rng = random.Random(1)
    latencies = []
    for _ in range(300):
        site = f"s{rng.randrange(SITES):03d}"
        month = f"2026-{1 + rng.randrange(min(MONTHS, 1 + (b - 1) * MONTHS // total_batches)):02d}"
        key = f"{site}/{month}"
        t = time.perf_counter()
        page = store.list("results", "site_month", key, limit=50)
        for _ in range(rng.randrange(4)):
            if page.next_cursor is None:
                break
            page = store.list("results", "site_month", key, after=page.next_cursor, limit=50)
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    stored = store.high_water()

    print(f"\nJournalStore: batches of {BATCH} results (~{len(orjson.dumps(make_doc(0, 0, '2026-01')))} B each), "
          f"{stored:,} stored at the end; window {args.window} batches incl. a checkpoint")
    print(f"{'stored':>10} {'ours ms/batch':>14} {'sqlite3 ms':>11} {'ours/sqlite3':>13}")
    for point in points:
        print(f"{point:>10,} {ours[point] * 1000:>14.2f} {theirs[point] * 1000:>11.2f} "
              f"{ours[point] / theirs[point]:>13.2f}")
    print(f"ratio ours {points[-1]:,}/{points[0]:,}: {ours[points[-1]] / ours[points[0]]:.2f}"
          f"  (goal <= 1.5)")
    for n in (1_000, 5_000):
        cost = plain_tinydb_cost(root, n, total_batches)
        print(f"plain TinyDB(JSONStorage) at {n:,}: {cost * 1000:.1f} ms/batch "
              f"= {cost / ours[points[0]]:.1f}x ours at {points[0]:,}")
    print(f"resident memory at {stored:,}: {rss:.0f} MiB ({rss / 1536:.2f} of the 1.5 GiB goal)")
    p50 = latencies[len(latencies) // 2]
    p95 = latencies[int(len(latencies) * 0.95)]
    print(f"listing a site's month, 1-4 pages of 50: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"({p95 / 100:.2f} of the 100 ms goal)")
    store.close()
    if not args.dir:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
