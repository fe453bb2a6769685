"""Supervisor web pages at N stored results (issue 16): list, dashboard, PDF.

    python bench/web.py [--results 1000000] [--requests 50] [--dashboards 10] [--pdfs 5]
                        [--profile DIR]

The store is ``bench/scale.py``'s (``syncbench.scale_store``: N real result
documents over 20 sites x 24 months, built once into ``bench/out/scale-<N>/``;
1M took ~24 min here), plus what ``syncbench.web_store`` adds once: a
supervisor of all 20 sites and one result with 20 photos pushed and uploaded
like a device does. The app runs in this process (``create_app`` + the Flask
test client, logged in through the login form); server time is what counts.

Each request is timed (wall, and process CPU by ``time.process_time``) and
the SQL it sent is caught at the driver (``syncbench.sql_capture``). Its
anchor is the same statements, run right after it through a plain stdlib
``sqlite3`` connection on the same file: for the list, the statements on
``fs_results`` (the page and its count); for the dashboard, those on
``fs_results`` and ``fs_result_totals`` (latest results per site, monthly
means). Figures: p50/p95 against the anchor's, the ratio, the goal (list
<= 150 ms, dashboard of 20 sites <= 300 ms, PDF of a 20-photo report <= 3 s),
and the number of requests. ``--profile DIR`` writes a pyinstrument HTML
profile (and a text one) per page kind into DIR (figures of such a run are not comparable).
"""
from __future__ import annotations

import argparse
import atexit
import os
import random
import sqlite3
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT), str(ROOT / "bench" / "peer")]
sys.path.append(str(ROOT / "bench"))

from scale import OUT, month_start, pct  # noqa: E402
from sync_cpu import InProcessDevice  # noqa: E402
from syncbench.report import Report  # noqa: E402
from syncbench.scale_store import BANDS, MONTHS, build, data_dir  # noqa: E402
from syncbench.page_links import csrf_token, next_page_link  # noqa: E402
from syncbench.sql_capture import SqlCapture, reads_of, replay, selects  # noqa: E402
from syncbench.web_store import prepare  # noqa: E402

LIST_TABLES, DASHBOARD_TABLES = ("fs_results",), ("fs_results", "fs_result_totals")


class Timing:
    """Per request: (wall ms, CPU ms) of the page and of its anchor statements."""

    def __init__(self, label: str):
        self.label, self.page, self.anchor, self.all_sql = label, [], [], []

    def add(self, page: tuple, anchor: tuple, all_sql: tuple) -> None:
        self.page.append(page)
        self.anchor.append(anchor)
        self.all_sql.append(all_sql)

    def report(self, report: Report, goal_ms: float, unit: str = "ms") -> None:
        scale = 1000 if unit == "s" else 1
        n = len(self.page)
        for q, k, what in ((95, 0, "wall"), (95, 1, "CPU"), (50, 0, "wall")):
            mine = pct([t[k] for t in self.page], q) / scale
            theirs = None if self.anchor[0] is None else \
                pct([t[k] for t in self.anchor], q) / scale
            judged = q == 95 and k == 0
            report.row(f"{self.label} p{q} {what} ({n})", mine, theirs, unit,
                       goal=f"<= {goal_ms / scale:g} {unit}" if judged else "",
                       met=mine <= goal_ms / scale if judged else None, other="query")
        print(f"    every SQL statement of the page replayed raw: p50 "
              f"{statistics.median(t[0] for t in self.all_sql):.1f} ms wall", flush=True)


class Browser:
    """A supervisor logged in through the login form, its requests timed and their SQL
    caught; each request is followed by its anchor statements through ``raw``."""

    def __init__(self, app, capture: SqlCapture, raw: sqlite3.Connection, username: str,
                 password: str):
        self.client, self.capture, self.raw = app.test_client(), capture, raw
        token = csrf_token(self.client.get("/").text)
        answer = self.client.post("/", data={"username": username, "password": password,
                                             "csrf_token": token})
        if answer.status_code != 302:
            raise RuntimeError(f"login as {username}: {answer.status_code}")

    def get(self, url: str, tables: tuple[str, ...], timing: Timing, profiler=None) -> str:
        with self.capture.catching() as statements:
            if profiler:
                profiler.start()
            wall, cpu = time.perf_counter(), time.process_time()
            response = self.client.get(url)
            body = response.get_data()
            page = ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
            if profiler:
                profiler.stop()
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code} {body[:300]!r}")
        anchor = replay(self.raw, reads_of(statements, tables)) if tables else None
        timing.add(page, anchor, replay(self.raw, selects(statements)))
        return body.decode("utf-8", "replace") if response.mimetype == "text/html" else ""


def last_day_before(instant: str) -> str:
    return (date.fromisoformat(instant[:10]) - timedelta(days=1)).isoformat()


def list_urls(info: dict, rng: random.Random, n: int) -> dict[str, list[str]]:
    """``n`` addresses per filter combination, values drawn at random."""
    sites, guards = info["sites"], [f"guard-{k:02d}" for k in range(len(info["sites"]))]

    def dated():  # as a person picks them: the 1st of a month to the last day of the 3rd
        first = rng.randrange(MONTHS - 3)
        return {"site": rng.choice(sites), "band": rng.choice(BANDS)[0],
                "from": month_start(first)[:10], "to": last_day_before(month_start(first + 3))}
    combos = {
        "list: all 20 sites, newest": lambda: {},
        "list: site+3 months+band": dated,
        "list: inspector+review state": lambda: {"inspector": rng.choice(guards),
                                                 "review_state": "submitted"},
        "list: site by score": lambda: {"site": rng.choice(sites), "sort": "-score"},
        "list: flagged, 2 sites, 1 month": lambda: {
            "site": rng.sample(sites, 2), "flagged": "true",
            "from": month_start(k := rng.randrange(MONTHS))[:10],
            "to": last_day_before(month_start(k + 1))},
    }
    return {label: ["/results?" + urlencode(make(), doseq=True) for _ in range(n)]
            for label, make in combos.items()}


def profiled(where: str | None, name: str):
    """A pyinstrument profiler writing ``<where>/<name>.html`` and ``.txt`` at exit, or None."""
    if not where:
        return None
    from pyinstrument import Profiler
    profiler = Profiler(interval=0.0005)
    os.makedirs(where, exist_ok=True)

    def save():
        Path(where, f"{name}.html").write_text(profiler.output_html())
        Path(where, f"{name}.txt").write_text(profiler.output_text(unicode=True))
    atexit.register(save)
    return profiler


def bench_list(browser: Browser, info: dict, opts, report: Report) -> None:
    rng = random.Random(16)
    profiler = profiled(opts.profile, "list")
    for label, urls in list_urls(info, rng, opts.requests).items():
        timing = Timing(label)
        for url in urls:
            browser.get(url, LIST_TABLES, timing, profiler)
        timing.report(report, 150)
    timing = Timing(f"list: keyset pages 2..{opts.requests + 1}, one site")
    url = next_page_link(browser.get(f"/results?site={info['sites'][3]}", LIST_TABLES,
                                     Timing("first")))
    while url and len(timing.page) < opts.requests:
        url = next_page_link(browser.get(url, LIST_TABLES, timing, profiler))
    if timing.page:
        timing.report(report, 150)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50, help="per list combination")
    parser.add_argument("--dashboards", type=int, default=10)
    parser.add_argument("--pdfs", type=int, default=5)
    parser.add_argument("--profile", metavar="DIR", default="")
    opts = parser.parse_args()
    print(f"web benchmark: {opts.results} stored results; {os.cpu_count()} cores, load "
          f"average {os.getloadavg()[0]:.1f} at start (other jobs share this machine)")
    began = time.perf_counter()
    info = build(OUT, opts.results)
    where = data_dir(OUT, opts.results)
    from server import create_app
    from server.extensions import STORE_KEY, close_store
    app = create_app({"DATA_DIR": str(where), "SECRET_KEY": "bench-web",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    extras = prepare(app, info, where, InProcessDevice)
    print(f"store ready in {time.perf_counter() - began:.1f} s (a build, if one was needed, "
          f"and migrations included): {where / 'fieldsync.db'}")
    store = app.extensions[STORE_KEY]
    capture = SqlCapture(store.engines.reader, store.engines.writer)
    raw = sqlite3.connect(f"file:{where / 'fieldsync.db'}?mode=ro", uri=True,
                          isolation_level=None)
    browser = Browser(app, capture, raw, extras["supervisor"], extras["password"])
    report = Report()
    try:
        bench_list(browser, info, opts, report)
        timing, profiler = Timing("dashboard, 20 sites"), profiled(opts.profile, "dashboard")
        browser.get("/dashboard", DASHBOARD_TABLES, Timing("first"))  # fonts, matplotlib
        for _ in range(opts.dashboards):
            browser.get("/dashboard", DASHBOARD_TABLES, timing, profiler)
        timing.report(report, 300)
        timing, profiler = Timing("PDF, 20 photos"), profiled(opts.profile, "pdf")
        first = Timing("PDF, 20 photos, first (stamps made)")
        browser.get(f"/results/{extras['photo_result']}.pdf", (), first)
        print(f"  first PDF (stamped copies made, then kept): {first.page[0][0] / 1000:.2f} s "
              f"wall, {first.page[0][1] / 1000:.2f} s CPU")
        for _ in range(opts.pdfs):
            browser.get(f"/results/{extras['photo_result']}.pdf", (), timing, profiler)
        timing.report(report, 3000, unit="s")
    finally:
        raw.close()
        close_store(app)
    print("goals missed: " + (", ".join(report.misses) if report.misses else "none"))


if __name__ == "__main__":
    main()
