"""Scale benchmark (issue 10): our server and the results queries at N stored results.

    python bench/scale.py [--results 1000000] [--runs 200] [--starts 3] [--profile FILE]
                          [--starts-only]

The N results are real result documents written through the store's commit
path in batches (``syncbench.scale_store`` says how), kept in
``bench/out/scale-<N>/`` so reruns do not rebuild them (the first build of
1M takes tens of minutes on a busy 2-core machine; it resumes if cut). A
1,000-result store is built the same way as the size anchor of the no-op.

Figures (each against its goal, with the number of runs):

1. cold start: ``fieldsync --data-dir D serve`` (waitress + SqlStore) from
   exec to its first HTTP answer (``GET /api/v1/sync/info``), ``--starts``
   times at N and at 1k stored results in turns (the size anchor; the same
   start under the same load); the OS page cache is warm (the file was just
   written or read), so this is the server's own start, not the disk's;
   ``--starts-only`` stops after it;
2. server RSS after start (N and 1k) and after the HTTP workload (peak, VmHWM);
3. no-op sync: a device with up-to-date cursors pulls, ``--runs`` times;
   the server's CPU per no-op at N and at 1k, and the ratio (flat = ~1x);
4. a filtered results page -- one site, a 3-month range, one band, 50 rows,
   newest first -- through ``ResultsRepository.page`` on a store snapshot,
   and the same SQL through stdlib ``sqlite3`` on the same file, in
   alternation over ``--runs`` random (site, range, band) choices: p50/p95 of
   wall and CPU (thread time) and the ratio. Where the results listing API
   exists (``GET /api/v1/results``) it is timed too;
5. the monthly aggregates for every site x 24 months
   (``ResultsRepository.monthly``), and the same two SQL statements raw.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
# As in bench/sync.py: ``sync`` must be the package, not bench/sync.py.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT), str(ROOT / "bench" / "peer")]
sys.path.append(str(ROOT / "bench"))

from anchor import cpu_seconds, free_port, peak_rss_mb  # noqa: E402
from syncbench.ours import Device  # noqa: E402
from syncbench.report import Report  # noqa: E402
from syncbench.scale_store import BANDS, MONTHS, START, build, data_dir  # noqa: E402

OUT = ROOT / "bench" / "out"
SYNC_SCRIPT = ROOT / "bench" / "sync.py"  # its ``serve-ours`` can profile the server
COLUMNS = ("id, site_id, definition_id, definition_version, submitted_at, inspector, score, "
           "percent, band, review_state, flagged, media, root_id, submitted_at AS sort_key")
RAW_PAGE = (f"SELECT {COLUMNS} FROM fs_results WHERE site_id IN (?) AND band IN (?) "
            "AND submitted_at >= ? AND submitted_at < ? AND current IS 1 "
            "ORDER BY submitted_at DESC, id DESC LIMIT ?")
RAW_MONTHLY = (
    "SELECT site_id, month, count(*), count(score), avg(score) FROM fs_results "
    "WHERE submitted_at >= ? AND submitted_at < ? AND current IS 1 "
    "GROUP BY site_id, month ORDER BY site_id, month",
    "SELECT site_id, month, band, count(*) FROM fs_results WHERE submitted_at >= ? "
    "AND submitted_at < ? AND current IS 1 AND band IS NOT NULL "
    "GROUP BY site_id, month, band")


class Server:
    """Our server process on a data dir; ``started`` is exec-to-first-answer in seconds,
    ``started_cpu`` the CPU seconds the process spent on it."""

    def __init__(self, where: Path, profile: str = ""):
        self.port = free_port()
        self.log = open(where / "server.log", "ab")
        began = time.perf_counter()
        command = ([str(SYNC_SCRIPT), "serve-ours", str(where), str(self.port), "8", profile, ""]
                   if profile else  # else exactly ``fieldsync --data-dir D serve``
                   ["-c", "from server.cli import main; main()", "--data-dir", str(where),
                    "serve", "--host", "127.0.0.1", "--port", str(self.port)])
        self.proc = subprocess.Popen([sys.executable, *command],
                                     env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        while not self._answers():
            if self.proc.poll() is not None or time.perf_counter() - began > 300:
                self.stop()
                raise RuntimeError(f"the server did not start: see {where / 'server.log'}")
            time.sleep(0.01)
        self.started = time.perf_counter() - began
        self.started_cpu = cpu_seconds(self.pid)  # the start's own CPU: load-independent

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/api/v1/sync/info")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(60)
        self.log.close()


def pct(values: list[float], q: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))]


def up_to_date(server: Server, token: str) -> Device:
    """A device whose cursors are at the high water of all its buckets (what a device that
    just synced holds), without pulling 50k results first."""
    device = Device(server.port, token)
    answer = device.post("/api/v1/sync/pull", {"client_id": device.client_id,
                                               "schema_version": 1, "cursors": {}, "limit": 1})
    device.cursors = {s["name"]: answer["high_water"] for s in answer["buckets"]}
    return device


def noop_cpu_ms(server: Server, token: str, runs: int) -> tuple[float, float]:
    """(server CPU ms per no-op, median round trip ms) over ``runs`` no-op pulls."""
    device = up_to_date(server, token)
    device.pull()  # the first pull notes the cursors (a write, once an hour): not a no-op
    walls, cpu0 = [], cpu_seconds(server.pid)
    for _ in range(runs):
        began = time.perf_counter()
        if device.pull() != 0:
            raise RuntimeError("a no-op pull returned changes")
        walls.append(time.perf_counter() - began)
    return (cpu_seconds(server.pid) - cpu0) / runs * 1000, statistics.median(walls) * 1000


def timed(fn) -> tuple[float, float]:
    """(wall ms, this thread's CPU ms) of ``fn()``."""
    wall, cpu = time.perf_counter(), time.thread_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def month_start(k: int) -> str:
    year, month = divmod(START.month - 1 + k, 12)
    return f"{START.year + year:04d}-{month + 1:02d}-01T00:00:00"


def bench_queries(where: Path, info: dict, runs: int, report: Report) -> None:
    from server.repositories.results import ResultFilter, ResultsRepository
    from server.store import open_store
    db = where / "fieldsync.db"
    store = open_store(f"sqlite:///{db}")
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
    rng = random.Random(10)
    choices = [(rng.choice(info["sites"]), rng.randrange(MONTHS - 3), rng.choice(BANDS)[0])
               for _ in range(runs)]
    repo_t, raw_t, rows = [], [], []
    for site, first, band in choices:
        where_ = ResultFilter(scope=None, sites=(site,), bands=(band,),
                              date_from=month_start(first), date_to=month_start(first + 3))

        def via_repository():
            with store.snapshot() as snap:
                rows.append(len(ResultsRepository(snap).page(where_, limit=50).items))

        def via_sqlite3():
            raw.execute(RAW_PAGE, (site, band, where_.date_from, where_.date_to, 51)).fetchall()
        repo_t.append(timed(via_repository))
        raw_t.append(timed(via_sqlite3))
    label = f"results page (site+3 months+band, 50 rows), {runs} runs"
    print(f"{label}: {statistics.mean(rows):.1f} rows per page on average")
    for n, what in ((0, "wall"), (1, "CPU")):
        mine, theirs = [t[n] for t in repo_t], [t[n] for t in raw_t]
        report.row(f"page p95 {what}", pct(mine, 95), pct(theirs, 95), "ms",
                   goal="<= 20 ms and <= 3x raw", met=pct(mine, 95) <= 20
                   and pct(mine, 95) <= 3 * pct(theirs, 95), other="sqlite3")
        report.row(f"page p50 {what}", statistics.median(mine), statistics.median(theirs),
                   "ms", other="sqlite3")
    everything = ResultFilter(scope=None, date_from=month_start(0), date_to=month_start(MONTHS))
    mine, theirs = [], []
    for _ in range(max(3, runs // 40)):
        def monthly():
            with store.snapshot() as snap:
                assert len(ResultsRepository(snap).monthly(everything)) == \
                    len(info["sites"]) * MONTHS
        mine.append(timed(monthly))
        theirs.append(timed(lambda: [raw.execute(sql, (everything.date_from,
                                                       everything.date_to)).fetchall()
                                     for sql in RAW_MONTHLY]))
    for n, what in ((0, "wall"), (1, "CPU")):
        report.row(f"monthly {len(info['sites'])} sites x {MONTHS} months, median {what} "
                   f"of {len(mine)}", statistics.median(t[n] for t in mine),
                   statistics.median(t[n] for t in theirs), "ms", goal="<= 200 ms",
                   met=statistics.median(t[n] for t in mine) <= 200, other="sqlite3")
    store.close()
    raw.close()


def bench_api_page(server: Server, info: dict, runs: int, report: Report) -> None:
    """``GET /api/v1/results`` with the same filters, as the one guard device may see them
    (site 0): server CPU per request and the client's wall p95. Skipped with a note where
    the server has no listing API yet."""
    device, rng = Device(server.port, info["token"]), random.Random(11)
    walls, cpu0 = [], cpu_seconds(server.pid)
    for _ in range(runs):
        first, band = rng.randrange(MONTHS - 3), rng.choice(BANDS)[0]
        query = urlencode({"site": info["sites"][0], "band": band, "limit": 50,
                           "from": month_start(first) + "Z", "to": month_start(first + 3) + "Z"})
        began = time.perf_counter()
        response, body = device.request("GET", f"/api/v1/results?{query}")
        walls.append((time.perf_counter() - began) * 1000)
        if response.status != 200:
            print(f"GET /api/v1/results: {response.status} {body[:200]!r} -- not timed")
            return
    cpu = (cpu_seconds(server.pid) - cpu0) / runs * 1000
    report.goal(f"GET /api/v1/results p95 wall (loopback), {runs} runs", pct(walls, 95), "ms",
                "<= 20 ms", pct(walls, 95) <= 20)
    report.goal("GET /api/v1/results server CPU per request", cpu, "ms", "<= 20 ms", cpu <= 20)


def cold_starts(where: Path, small: Path, opts, report: Report) -> None:
    """``--starts`` starts at N and at 1k stored results in turns: the start must not grow
    with the store, and the 1k figure shows what this machine's load makes of the same
    start (wall time follows the load average; CPU seconds much less)."""
    wall, cpu, rss = {where: [], small: []}, {where: [], small: []}, {where: [], small: []}
    loads = [os.getloadavg()[0]]
    for _ in range(opts.starts):
        for place in (where, small):
            server = Server(place)
            wall[place].append(server.started)
            cpu[place].append(server.started_cpu)
            rss[place].append(peak_rss_mb(server.pid, "VmRSS"))
            server.stop()
        loads.append(os.getloadavg()[0])
    print("cold starts at N, wall s: " + " ".join(f"{s:.2f}" for s in wall[where])
          + "; server CPU s: " + " ".join(f"{s:.2f}" for s in cpu[where])
          + "; load average: " + " ".join(f"{v:.1f}" for v in loads))
    n, mine = len(wall[where]), f"{opts.results // 1000}k"
    for label, values, unit, goal in (("cold start to first answer", wall, "s", 2),
                                      ("cold start, server CPU", cpu, "CPU-s", 2),
                                      ("server RSS after start", rss, "MiB", 300)):
        ours = statistics.median(values[where])
        report.row(f"{label}, median of {n}", ours, statistics.median(values[small]), unit,
                   goal=f"<= {goal} {unit.split('-')[-1]}", met=ours <= goal, other="1k",
                   mine=mine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--profile", metavar="FILE", default="",
                        help="cProfile the long-running server's requests into FILE")
    parser.add_argument("--starts-only", action="store_true",
                        help="only the cold starts and RSS (for iterating on the start)")
    opts = parser.parse_args()
    print(f"scale benchmark: {opts.results} stored results; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start (other jobs share this machine)")
    info, small = build(OUT, opts.results), build(OUT, 1000)
    where = data_dir(OUT, opts.results)
    size = sum(f.stat().st_size for f in where.glob("fieldsync.db*")) / 2**20
    print(f"store: {where / 'fieldsync.db'} ({size:.0f} MiB with its WAL)")
    report = Report()
    cold_starts(where, data_dir(OUT, 1000), opts, report)
    if opts.starts_only:
        print("goals missed: " + (", ".join(report.misses) if report.misses else "none"))
        return
    big, little = Server(where, opts.profile), Server(data_dir(OUT, 1000))
    try:
        big_ms, big_rt = noop_cpu_ms(big, info["token"], opts.runs)
        little_ms, little_rt = noop_cpu_ms(little, small["token"], opts.runs)
        label = f"no-op sync server CPU, {opts.results} vs 1000 stored, {opts.runs} runs"
        report.row(label, big_ms, little_ms, "ms", goal="<= 5 ms, flat",
                   met=big_ms <= 5, other="1k", mine=f"{opts.results // 1000}k")
        report.row("no-op round trip p50", big_rt, little_rt, "ms", other="1k",
                   mine=f"{opts.results // 1000}k")
        bench_queries(where, info, opts.runs, report)
        bench_api_page(big, info, opts.runs, report)
        report.goal("server RSS peak after the workload", peak_rss_mb(big.pid), "MiB",
                    "<= 300 MiB", peak_rss_mb(big.pid) <= 300)
    finally:
        big.stop()
        little.stop()
    print("goals missed: " + (", ".join(report.misses) if report.misses else "none"))


if __name__ == "__main__":
    main()
