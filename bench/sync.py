"""Sync benchmark (issues 4 and 10): our server against two anchors, same run, loopback.

    python bench/sync.py [--results 20000] [--photos 20] [--fleet-rounds 5] [--no-postgres]

Every server runs for real on 127.0.0.1, measured from outside (server CPU
from /proc/<pid>/stat):

* ours: waitress (the ``fieldsync serve`` server) on the SQL store's SQLite
  engine (WAL, ``synchronous=FULL``: every acknowledged push is durable);
* pg: the same server on PostgreSQL (a throwaway cluster with fsync on,
  ``syncbench.durable_postgres``; ``--no-postgres`` skips it); its server
  CPU is our process's plus the PostgreSQL processes';
* anchor: ``bench/anchors/flask_sqlite.py``, Flask + stdlib sqlite3 doing the
  same push envelope, scoring and exactly-once bookkeeping under the same
  waitress settings -- what the SQL store must not lose to;
* peer: pouchdb-server 4.2.0 on leveldb, whose leveldown writes default to
  ``sync: false`` -- no fsync -- so it does less durable work than we do.
  Install it with ``cd bench/peer && npm install`` (~2 min); without it the
  peer rows print "n/a".

Our device (and the anchor's) is stdlib ``http.client`` on one keep-alive
connection; the peer's is PouchDB 7.3.1 in Node (bench/peer/device.js)
replicating the same JSON documents (``_id`` added).

Workloads (WHY these: they are what a field team's phones do to the server):

1. push N results of 1 KB and of 10 KB from a cold device, batches of 100:
   results/s and the server's CPU seconds (utime+stime, /proc/<pid>/stat).
   Every side pushes in 4 turns of N/4, the order rotating (the peer's device
   a fresh cold PouchDB each turn, into the same server database): on shared
   cores the machine's speed drifts within seconds, and turns give all sides
   the same conditions. The per-turn ratios are printed too;
2. initial pull of the N 1 KB results into an empty device (pages of 500 on
   both sides), and of the 10 KB ones;
3. no-op sync with 2N stored: ours is one pull with up-to-date cursors (a
   device with an empty outbox sends no push); PouchDB's is a replication
   each way. Server time per no-op = server CPU seconds over R no-ops / R,
   and the loopback round trip seen by the device (an upper bound); ours is
   also measured on the almost empty store, so the ratio shows whether a
   no-op grows with the store;
4. photos: M random-byte "photos" of 5 MiB, and of 1 MiB to see whether
   memory is flat in size, each cut at 30 % and at 70 % of its bytes, then
   resumed (ours: HEAD for the offset, 1 MiB chunks with Upload-Checksum;
   PouchDB: it replicates the attachment again, the cut made by a proxy).
   Random bytes are refused as images after upload (kept as evidence), so the
   figures are the upload path, not the image pipeline (bench/photos.py).
   The photo runs go first, on fresh servers: afterwards the heap freed by the
   sync workloads could hide a buffered photo from the peak-RSS figure.
5. 16 devices at once (8 per site), each pushing a batch of 100 1 KB results
   then pulling its site, ``--fleet-rounds`` times; ours and the anchor in
   ABBA turns (``syncbench.fleet``): results/s against the anchor's and
   against our own 1-device push, and the push latency p95.

``--profile FILE`` runs our server's request handling under cProfile (for
finding what a missed goal costs; the figures of that run are not comparable).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
# This file is named like the ``sync`` package: take bench/ off the path so
# ``sync`` is the package, and reach the anchor's helpers in bench/peer.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT), str(ROOT / "bench" / "peer")]
sys.path.append(str(ROOT / "bench"))  # after ROOT: ``sync`` stays the package

from anchor import (CutProxy, cpu_seconds, peak_rss_mb,  # noqa: E402
                    peer_missing, pouch_photos, reset_peak_rss, run_device)
from syncbench.fleet import describe, merged, run_fleet  # noqa: E402
from syncbench.ours import (CUTS, MIB, PULL_PAGE, PUSH_BATCH,  # noqa: E402
                            result_args, serve_ours)
from syncbench.report import Report, timed_on  # noqa: E402
from syncbench.sides import FLEET_DEVICES, FLEET_FIRST, start_sides, stop_sides  # noqa: E402

PUSH_ROUNDS = 4


def throughput_rows(report, label: str, rate: float, peer_rate: float | None,
                    cpu: float, peer_cpu: float | None, *, other: str = "peer",
                    factor: float = 2.5, mine: str = "ours") -> None:
    """results/s against the ``>= factor x`` goal, and the server CPU both sides spent."""
    report.row(f"{label}: results/s", rate, peer_rate, "results/s", goal=f">= {factor}x {other}",
               met=None if peer_rate is None else rate >= factor * peer_rate, other=other,
               mine=mine)
    report.row(f"{label}: server CPU", cpu, peer_cpu, "CPU-s", other=other, mine=mine)


def device_turn(server, site: str):
    """A side of the push turns speaking our protocol (ours on SQLite or PostgreSQL, the
    Flask + sqlite3 anchor): one keep-alive device, batches of ``PUSH_BATCH``."""
    device, site_id = server.device(site, 0), server.sites[site]

    cluster = getattr(server, "cluster", None)  # ours on PostgreSQL: its processes count too

    def turn(part):
        part = [d if d["site_id"] == site_id else {**d, "site_id": site_id} for d in part]
        database = cluster.cpu_seconds() if cluster else 0.0
        wall, cpu, _ = timed_on(server.pid, lambda: [device.push(part[i:i + PUSH_BATCH])
                                                     for i in range(0, len(part), PUSH_BATCH)])
        return wall, cpu + (cluster.cpu_seconds() - database if cluster else 0.0)
    return turn


def pouch_turn(pouch, work: Path, db: str):
    path = work / f"{db}.jsonl"

    def turn(part):
        path.write_bytes(b"\n".join(orjson.dumps({"_id": d["result_id"], **d}) for d in part))
        cpu0 = cpu_seconds(pouch.pid)
        out = run_device("push", {"url": pouch.url, "db": db, "docs": str(path),
                                  "batch": PUSH_BATCH})
        assert out["docs_written"] == len(part), out
        return out["seconds"], cpu_seconds(pouch.pid) - cpu0
    return turn


def bench_push(servers, work, n, size, site, db, report, rounds: int = PUSH_ROUNDS) -> float:
    """Push ``n`` results from a cold device on every side, in ``rounds`` turns, each side
    pushing the next ``n / rounds`` results every turn; returns ours' results/s.

    Why turns: this machine's speed drifts by 20 % and more within seconds
    (shared cores), so long phases one after the other measure the drift as
    much as the servers. In turns (the order rotating), all sides meet the
    same conditions.
    """
    ours = servers["ours"]
    docs = [result_args(ours.sites[site], size) for _ in range(n)]
    sides = {name: (pouch_turn(server, work, db) if name == "peer" else device_turn(server, site))
             for name, server in servers.items() if server is not None}
    totals = {name: [0.0, 0.0] for name in sides}  # wall, server CPU
    walls = {name: [] for name in sides}
    names = list(sides)
    for turn in range(rounds):
        part = docs[turn * n // rounds:(turn + 1) * n // rounds]
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            wall, cpu = sides[name](part)
            walls[name].append(wall)
            totals[name][0] += wall
            totals[name][1] += cpu
    label = f"push {n} x {size // 1024} KB"
    rate = {name: n / wall for name, (wall, _) in totals.items()}
    cpu = {name: c for name, (_, c) in totals.items()}
    for mine, other, factor in (("ours", "anchor", 0.9), ("ours", "peer", 2.5),
                                ("pg", "ours", 0.8)):
        if mine in sides and (other in sides or other == "peer"):
            throughput_rows(report, label, rate[mine], rate.get(other), cpu[mine],
                            cpu.get(other), other=other, factor=factor, mine=mine)
            if other in sides:
                print(f"{'':<44} {mine}/{other} results/s per turn of {n // rounds}: "
                      + " ".join(f"{o / m:.2f}x" for m, o in zip(walls[mine], walls[other])))
    report.row(f"{label}: server RSS after", peak_rss_mb(ours.pid, "VmRSS"),
               peak_rss_mb(servers["peer"].pid, "VmRSS") if servers.get("peer") else None,
               "MiB")
    return rate["ours"]


def bench_fleet(ours, anchor, report, rounds: int, one_device_rate: float, turns: int = 2):
    """16 devices pushing and pulling at once, ours and the anchor in ABBA turns.

    The devices first catch up (untimed) with what the earlier workloads
    stored, so each timed pull fetches what the other devices just pushed.
    """
    def fleet(server):
        return [(server.device(code, FLEET_FIRST + n), code)
                for code in ("A", "B") for n in range(FLEET_DEVICES // 2)]
    devices = {"ours": fleet(ours), "anchor": fleet(anchor)}
    for device, _ in devices["ours"] + devices["anchor"]:
        device.pull_all()  # up to date before the clock starts, as phones are after a day
    servers = {"ours": ours, "anchor": anchor}
    runs = {"ours": [], "anchor": []}
    for turn in range(turns):
        for name in (("ours", "anchor") if turn % 2 == 0 else ("anchor", "ours")):
            runs[name].append(run_fleet(servers[name], devices[name], rounds))
            print(describe(f"fleet turn {turn + 1}: {name}", runs[name][-1]), flush=True)
    mine, theirs = merged(runs["ours"]), merged(runs["anchor"])
    label = f"{FLEET_DEVICES} devices push+pull, {turns} turns"
    report.row(f"{label}: results/s", mine.rate, theirs.rate, "results/s",
               goal=">= 1.5x anchor", met=mine.rate >= 1.5 * theirs.rate, other="anchor")
    report.row(f"{label}: results/s vs 1 device", mine.rate, one_device_rate, "results/s",
               goal=">= 1x ours, 1 device", met=mine.rate >= one_device_rate,
               other="1-dev")
    report.row(f"{label}: push p95", mine.push_p(95), theirs.push_p(95), "ms", other="anchor")
    report.goal(f"{label}: our push p95", mine.push_p(95), "ms", "<= 150 ms",
                mine.push_p(95) <= 150)
    report.row(f"{label}: server CPU/result", mine.server_cpu / mine.results * 1000,
               theirs.server_cpu / theirs.results * 1000, "ms", other="anchor")


def bench_pull(ours, pouch, n, site, db, report, noops: int = 0):
    device = ours.device(site, 1)
    wall, cpu, count = timed_on(ours.pid, device.pull_all)
    results = sum(1 for kind, _ in device.rows if kind == "results")
    assert results == n, f"pulled {results} results of {n} ({count} changes)"
    peer_rate = peer_cpu = proc = None
    if pouch:
        proc = subprocess.Popen(["node", str(Path(__file__).parent / "peer" / "device.js"), "pull",
                                 orjson.dumps({"url": pouch.url, "db": db, "batch": PULL_PAGE,
                                               "noops": noops}).decode()],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        cpu0 = cpu_seconds(pouch.pid)
        first = orjson.loads(proc.stdout.readline())
        peer_cpu = cpu_seconds(pouch.pid) - cpu0
        if not noops:
            proc.wait()
        assert first["docs_written"] == n, first
        peer_rate = n / first["seconds"]
    label = f"initial pull {n} results ({'1' if db == 'r1k' else '10'} KB)"
    throughput_rows(report, label, n / wall, peer_rate, cpu, peer_cpu, factor=2)  # issue 4
    return device, proc


def our_noops(ours, device, runs: int) -> tuple[float, list[float]]:
    """``runs`` no-op pulls of an up-to-date device: server CPU-s in all, and each wall time."""
    walls = []

    def many():
        for _ in range(runs):
            start = time.perf_counter()
            if device.pull() != 0 or device.more:
                raise RuntimeError("a no-op pull returned changes")
            walls.append(time.perf_counter() - start)

    _, cpu, _ = timed_on(ours.pid, many)
    return cpu, walls


def empty_store_noop_ms(ours, runs: int) -> float:
    """Server CPU per no-op while the store holds almost nothing (the size anchor)."""
    device = ours.device("A", 2)
    device.pull_all()
    cpu, _ = our_noops(ours, device, runs)
    return cpu / runs * 1000


def bench_noop(ours, pouch, device, proc, runs: int, stored: int, report,
               empty_ms: float | None = None):
    cpu, walls = our_noops(ours, device, runs)
    peer_cpu = peer_wall = None
    if proc is not None:
        cpu0 = cpu_seconds(pouch.pid)
        proc.stdin.write("go\n")
        proc.stdin.flush()
        out = orjson.loads(proc.stdout.readline())
        proc.wait()
        peer_cpu = (cpu_seconds(pouch.pid) - cpu0) / len(out["noops"]) * 1000
        peer_wall = statistics.median(out["noops"]) * 1000
    label = f"no-op sync, {stored} stored"
    report.row(f"{label}: server CPU/no-op", cpu / runs * 1000, peer_cpu, "ms",
               goal="<= 5 ms", met=cpu / runs * 1000 <= 5)
    report.row(f"{label}: round trip p50", statistics.median(walls) * 1000, peer_wall, "ms",
               goal="<= 5 ms", met=statistics.median(walls) * 1000 <= 5)
    if empty_ms is not None:
        print(f"no-op server CPU, {stored} stored vs an almost empty store: "
              f"{cpu / runs * 1000:.3f} vs {empty_ms:.3f} ms = {cpu / runs * 1000 / empty_ms:.2f}x"
              f"  (goal: flat whatever the store size)")


def bench_photos(ours, pouch, proxy, count, size, chunk, report, bases):
    """``bases``: each server's RSS before the first photo run, when it was fresh (no free
    heap left by the sync workloads to hide a buffered photo in)."""
    device = ours.device("A", 2)
    photos = [os.urandom(size) for _ in range(count)]
    reset_peak_rss(ours.pid)
    start = time.perf_counter()
    resent = [device.upload(p, chunk) for p in photos]
    wall = time.perf_counter() - start
    ours_rss = peak_rss_mb(ours.pid)
    peer = pouch_photos(pouch, proxy, count, size, CUTS) if pouch else {}
    label = f"{count} photos x {size // MIB} MiB, cuts at 30%/70%"
    for i, frac in enumerate(CUTS):
        ours_resent = statistics.mean(r[i] for r in resent) / MIB
        report.row(f"{label}: re-sent after {int(frac * 100)}% cut", ours_resent,
                   peer.get("cut", [None, None])[i], "MiB",
                   goal=f"<= 1 chunk ({chunk / MIB:g} MiB)", met=ours_resent <= chunk / MIB)
    if peer:
        print(f"{'':<44} peer: PouchDB re-replicates the whole doc; a clean replication of one "
              f"photo sends {peer['clean'] / MIB:.2f} MiB (base64 JSON); extra bytes per "
              f"photo {peer['extra']:.2f} MiB")
    report.row(f"{label}: MiB/s incl. cuts", count * size / MIB / wall,
               count * size / MIB / peer["seconds"] if peer else None, "MiB/s")
    report.row(f"{label}: peak server RSS", ours_rss, peer.get("rss"), "MiB")
    growth = (ours_rss - bases[0], peer["rss"] - bases[1] if peer else None)
    report.row(f"{label}: peak RSS - fresh RSS", *growth, "MiB")
    return growth


def photo_runs(ours, pouch, proxy, count, photo_mib, chunk, report, bases) -> None:
    small = bench_photos(ours, pouch, proxy, count, 1 * MIB, chunk, report, bases)
    large = bench_photos(ours, pouch, proxy, count, photo_mib * MIB, chunk, report, bases)
    print(f"server RSS growth over fresh, {photo_mib} MiB vs 1 MiB photos: "
          f"ours {large[0]:+.1f} vs {small[0]:+.1f} MiB"
          + (f", peer {large[1]:+.1f} vs {small[1]:+.1f} MiB" if pouch else "")
          + f"  (goal: flat in photo size, not ~{photo_mib}x)")


def main() -> None:
    if sys.argv[1:2] == ["serve-ours"]:
        return serve_ours(*sys.argv[2:7])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=int, default=20000)
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--photo-mib", type=int, default=5)
    parser.add_argument("--chunk-mib", type=float, default=1.0)
    parser.add_argument("--noops", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--fleet-rounds", type=int, default=5,
                        help="batches of 100 each of the 16 devices pushes per turn")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false",
                        help="skip ours on PostgreSQL (needs Debian's postgresql package)")
    parser.add_argument("--quick", action="store_true", help="2,000 results, 4 photos")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile our server's request handling into FILE (pstats)")
    opts = parser.parse_args()
    n, count = (2000, 4) if opts.quick else (opts.results, opts.photos)
    chunk = int(opts.chunk_mib * MIB)
    work = Path(tempfile.mkdtemp(prefix="fieldsync-bench-sync-"))
    print(f"sync benchmark: {n} results per size, {count} photos; loopback; data in {work}; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print("ours: waitress + SqlStore on SQLite (WAL, synchronous=FULL); pg: the same server on "
          "PostgreSQL (fsync=on, synchronous_commit=on, unix socket); anchor: Flask + stdlib "
          "sqlite3 (WAL, synchronous=FULL), same envelope, scoring, exactly-once bookkeeping, "
          "waitress settings (bench/anchors/flask_sqlite.py).")
    missing = peer_missing()
    if missing:
        print(f"peer: NOT RUN -- {missing}.")
    else:
        print("peer: pouchdb-server 4.2.0 on leveldb -- leveldown writes default to sync:false, "
              "i.e. NO fsync; device PouchDB 7.3.1 (memory adapter) in Node.")
    print("ratios are mine/other: above 1 is better for results/s and MiB/s, below 1 is better "
          "for CPU-s, ms, MiB re-sent and RSS.\n"
          "no-op server time = the server's CPU-s (utime+stime, /proc/<pid>/stat) over all the "
          "no-ops / their number; round trip = the device's wall time per no-op on loopback "
          "(server time plus the loopback HTTP round trip: an upper bound). Ours: one pull with "
          "up-to-date cursors; PouchDB: a replication each way (checkpoint reads, _changes).")
    report, servers, proxy = Report(), start_sides(opts, work, missing), None
    ours, pouch = servers["ours"], servers["peer"]
    try:
        if pouch:
            proxy = CutProxy(pouch.port)
        # photos first, on fresh servers, so their peak RSS is the upload path's own
        bases = (peak_rss_mb(ours.pid, "VmRSS"), peak_rss_mb(pouch.pid, "VmRSS") if pouch else 0)
        if count:  # --photos 0 skips them (e.g. to study push alone)
            photo_runs(ours, pouch, proxy, count, opts.photo_mib, chunk, report, bases)
        empty_ms = empty_store_noop_ms(ours, opts.noops)
        one_device = bench_push(servers, work, n, 1024, "A", "r1k", report)
        bench_push(servers, work, n, 10240, "B", "r10k", report)
        puller, proc = bench_pull(ours, pouch, n, "A", "r1k", report, noops=max(10, opts.noops // 4))
        # the 10 KB pull runs while the 1 KB device waits for its no-ops
        bench_pull(ours, pouch, n, "B", "r10k", report)
        bench_noop(ours, pouch, puller, proc, opts.noops, 2 * n, report, empty_ms)
        if opts.fleet_rounds:
            bench_fleet(ours, servers["anchor"], report, opts.fleet_rounds, one_device)
    finally:
        stop_sides(servers)
        if proxy:
            proxy.close()
    print("goals missed: " + (", ".join(report.misses) if report.misses else "none"))


if __name__ == "__main__":
    main()
