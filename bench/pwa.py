"""The field app (``/app``) against the goals of issue 17, in headless Chromium.

    python bench/pwa.py [--runs 7] [--tickets 100] [--archive 300] [--results 500] [--push-runs 2] [--marks]

Printed with the goal each figure is judged against, the ratio to it and the runs:

* **shell size**: every file the service worker precaches, each gzipped (-9) as a
  server would send it, plus the start page; QR decoders (``vendor/jsqr*``, ``zxing*``)
  are left out, as the issue says. Goal <= 300 KB.
* **offline open**: an installed app (logged in, pulled, worker active, ``--tickets``
  tickets assigned to the user and ``--archive`` results already pushed, so the outbox
  holds its archive of acked rows as after days of use), the browser offline, a new tab
  opening ``/app/`` with the CPU throttled 4x (``Emulation.setCPUThrottlingRate``).
  Two figures, each the time since navigation start at which the browser painted Today's
  title (Element Timing), median and max of ``--runs``, goal <= 1 s:
  *painted* -- whichever came first of the snapshot of the last Today drawn from the
  database (``js/today_snapshot.js``: the user's own data, inert until replaced) and the
  live screen; *live* -- the screen drawn from IndexedDB, taking taps (each list's first
  15 cards; when every card was drawn is printed after it).
* **push rate**: ``--results`` inspection results queued offline in the app and pushed
  (``sync.js push()``), against the Python device client (``fieldsync device``) pushing
  as many over HTTP to the same server in the same run; turns alternate. Results per
  second and the ratio. Goal app >= 0.5x the Python client (``--push-runs 0``: skipped).

The server is the real app (werkzeug, threaded) on loopback in a temp dir; this machine's
cores are shared, so compare ratios, not absolute times.
"""
from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT), str(ROOT / "bench" / "peer")]
sys.path.append(str(ROOT / "bench"))  # after ROOT: ``sync`` stays the package

from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from server import create_app  # noqa: E402
from server.extensions import STORE_KEY, close_store  # noqa: E402
from server.field_app import STATIC, index_html, shell_files  # noqa: E402
from syncbench.ours import DEFINITION, ITEMS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "bench password 1"
QR_DECODERS = ("jsqr", "zxing", "qr-scanner", "barcode-detector")
ANSWERS = {item: {"value": "pass"} for item in ITEMS}  # the sync bench's checklist


def verdict(value: float, goal: float, unit: str, label: str, runs: str, *, at_most: bool) -> bool:
    met = value <= goal if at_most else value >= goal
    print(f"{label:<40} {value:10.3f} {unit:<6} goal {'<=' if at_most else '>='} {goal:g} {unit:<6}"
          f" ratio {value / goal:6.2f}  {runs:<12} [goal {'met' if met else 'MISSED'}]", flush=True)
    return met


def shell_size() -> tuple[int, list[tuple[str, int]]]:
    """Gzipped bytes of the precached shell (QR decoders excluded) and the largest files."""
    sizes = [("index.html", len(gzip.compress(index_html().encode(), 9)))]
    for rel in shell_files():
        if any(rel.name.lower().startswith(q) for q in QR_DECODERS):
            continue
        sizes.append((rel.as_posix(), len(gzip.compress((STATIC / rel).read_bytes(), 9))))
    return sum(s for _, s in sizes), sorted(sizes, key=lambda s: -s[1])[:5]


def seed(app, tickets: int) -> dict:
    from server.services import definitions, plans
    from server.services import tickets as ticket_service
    from server.services.accounts import sites, users
    from server.services.accounts.users import actor_of

    store = app.extensions[STORE_KEY]
    fast = "pbkdf2:sha256:1000"
    site = sites.create_site(store, code="NHG", name="南湖花园")
    engineer = users.create_user(store, username="engineer", password=PASSWORD, role="engineer",
                                 site_ids=[site["id"]], hash_method=fast)
    sup = users.create_user(store, username="supervisor", password=PASSWORD, role="supervisor",
                            site_ids=[site["id"]], hash_method=fast)
    definitions.install(store, DEFINITION, by="bench")
    now = datetime.now(timezone.utc)
    plans.create_plan(store, actor_of(sup), {
        "site_id": site["id"], "name": "每日巡查", "checklist_id": DEFINITION["id"],
        "rrule": "FREQ=DAILY;BYHOUR=0;BYMINUTE=0", "assignee_user_id": engineer["id"],
        "due_offset": {"hours": 23, "minutes": 59}}, now)
    for n in range(tickets):
        ticket_service.create(store, actor_of(sup), {
            "site_id": site["id"], "title": f"{n // 10 + 1}-1-{n % 10 + 101} 漏水",
            "description": "水管接头渗水", "priority": "urgent", "assignee": engineer["id"]},
            lambda hashes: set())
    return {"site": site, "engineer": engineer}


def log_in(page, base: str) -> None:
    page.goto(base + "/app/")
    page.fill("#login input[name=username]", "engineer")
    page.fill("#login input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_function("() => document.querySelector('#status-bar').dataset.synced === '1'",
                           timeout=120_000)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def offline_open(context, base: str, runs: int, rate: int = 4,
                 marks: dict | None = None) -> tuple[list[float], list[float], list[float]]:
    """Seconds to Today drawn, to Today live and to every card of it per run; ``marks``
    (when given) collects the app's start marks."""
    context.set_offline(True)
    drawn, live, complete = [], [], []
    for _ in range(runs):
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        page.goto(base + "/app/#/today")
        at = page.evaluate(PAINT_TIMES)
        drawn.append(min(at.values()) / 1000)
        live.append(at["today"] / 1000)
        page.wait_for_selector(".screen-today[data-complete]:not([data-snapshot])", state="attached")
        complete.append(page.evaluate(
            "performance.getEntriesByName('fieldsync:today-complete')[0].startTime") / 1000)
        if marks is not None:
            page.wait_for_function("() => performance.getEntriesByName("
                                   "'fieldsync:start:status-bar').length > 0")
            for name, at in page.evaluate(START_MARKS):
                marks.setdefault(name, []).append(at / 1000)
        cdp.detach()
        page.close()
    context.set_offline(False)
    return drawn, live, complete


#: when Today's title was first painted, by the browser's Element Timing: `today` the live
#: screen (drawn from IndexedDB), `today-snapshot` the snapshot painted before it, if any
PAINT_TIMES = """new Promise((resolve) => {
    const at = {};
    new PerformanceObserver((list) => {
        for (const e of list.getEntries()) at[e.identifier] ??= e.renderTime || e.startTime;
        if ('today' in at) resolve(at);
    }).observe({ type: 'element', buffered: true });
})"""
START_MARKS = """[...performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith('fieldsync:')).map((m) => [m.name, m.startTime]),
  ...performance.getEntriesByType('paint').map((p) => [`paint:${p.name}`, p.startTime]),
  ...['responseEnd', 'domInteractive', 'domContentLoadedEventEnd'].map((k) =>
    [`page:${k}`, performance.getEntriesByType('navigation')[0][k]]),
  ...performance.getEntriesByType('resource').filter((r) => /today_snapshot|dexie|app[.]js/.test(r.name))
    .map((r) => [`loaded:${r.name.split('/').pop()}`, r.responseEnd])]"""


def submit_mutations(site_id: str, count: int) -> list[dict]:
    from sync.client.fill import build_submit_args
    return [{"name": "submit_result", "args": build_submit_args(
        result_id=f"app-{uuid.uuid4().hex}", site_id=site_id, definition=DEFINITION,
        answers=ANSWERS, photos=[])} for _ in range(count)]


def app_push(context, page, site_id: str, count: int) -> float:
    """Seconds the app's push() takes for ``count`` results queued while offline. The bench
    holds the app's sync lock from before the queueing to the end of its push, as the app's
    own syncs do: the syncs that the queueing and the network coming back schedule wait for
    it (and then find nothing to send), instead of pushing the same batches beside it."""
    page.evaluate("""async () => {
        const { SYNC_LOCK } = await import('/app/static/js/sync_schedule.js');
        await new Promise((held) => navigator.locks.request(SYNC_LOCK, () => new Promise((release) => {
            window.benchRelease = release;
            held();
        })));
    }""")
    context.set_offline(True)
    page.evaluate("m => window.fieldsync.ctx.outbox.enqueueAll(m)", submit_mutations(site_id, count))
    context.set_offline(False)
    return page.evaluate("""async () => {
        const sync = await import('/app/static/js/sync.js');
        try {
            const t0 = performance.now();
            await sync.push();
            return (performance.now() - t0) / 1000;
        } finally {
            window.benchRelease();
        }
    }""")


def python_push(base: str, site_id: str, count: int, data_dir: str) -> float:
    from sync.client import DeviceClient
    with DeviceClient(data_dir) as device:
        if device.session.token is None:
            device.login("engineer", PASSWORD, "bench python device", server_url=base)
            device.pull()
        for _ in range(count):
            device.fill(DEFINITION["id"], 1, ANSWERS, site_id=site_id)
        start = time.perf_counter()
        device.push()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tickets", type=int, default=100)
    parser.add_argument("--archive", type=int, default=300,
                        help="results pushed before the opens (the outbox's acked archive)")
    parser.add_argument("--results", type=int, default=500)
    parser.add_argument("--push-runs", type=int, default=2)
    parser.add_argument("--marks", action="store_true",
                        help="also print when each start step ended (the app's debug marks)")
    opts = parser.parse_args()
    print(f"load average {os.getloadavg()}", flush=True)
    missed = []

    size, largest = shell_size()
    if not verdict(size / 1000, 300, "KB", "app shell, gzipped (no QR decoder)", "1 build",
                   at_most=True):
        missed.append("shell size")
    print("   largest: " + ", ".join(f"{name} {s / 1000:.1f} KB" for name, s in largest))

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATA_DIR": os.path.join(tmp, "data"), "SECRET_KEY": "bench"})
        seeded = seed(app, opts.tickets)
        http = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=http.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{http.server_port}"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox"])
                context = browser.new_context(viewport={"width": 360, "height": 780},
                                              service_workers="allow")
                page = context.new_page()
                log_in(page, base)
                if opts.archive:
                    app_push(context, page, seeded["site"]["id"], opts.archive)
                plain, plain_live, _ = offline_open(context, base, opts.runs, rate=1)
                print(f"{'offline open to Today, no throttling':<40} {statistics.median(plain):10.3f}"
                      f" s      live {statistics.median(plain_live):.3f} s, median of {opts.runs}"
                      f" (for reading the 4x figures on a busy machine)", flush=True)
                marks = {} if opts.marks else None
                if marks is not None:
                    page.evaluate("localStorage.setItem('fieldsync-debug', '1')")
                times, live, complete = offline_open(context, base, opts.runs, marks=marks)
                for name, ats in sorted((marks or {}).items(), key=lambda kv: statistics.median(kv[1])):
                    print(f"   {name:<44} median {statistics.median(ats):6.3f} s", flush=True)
                runs = f"{opts.runs} runs"
                # painted (snapshot or live, whichever first) and live (from IndexedDB, taking taps)
                for label, values in (("Today painted", times), ("Today live", live)):
                    for stat, value in (("median", statistics.median(values)), ("max", max(values))):
                        if not verdict(value, 1.0, "s", f"offline open, {label}, 4x, {stat}", runs,
                                       at_most=True):
                            missed.append(f"offline open ({label}, {stat})")
                print(f"{'   every card of Today drawn, median':<40} {statistics.median(complete):10.3f} s"
                      f"      max {max(complete):.3f} s", flush=True)
                if not opts.push_runs:  # --push-runs 0: the shell and the open only
                    browser.close()
                    print("goals missed: " + (", ".join(missed) if missed else "none"), flush=True)
                    return
                site_id, rates = seeded["site"]["id"], {"app": [], "python": []}
                for turn in range(opts.push_runs):
                    py = python_push(base, site_id, opts.results, os.path.join(tmp, "device"))
                    rates["python"].append(opts.results / py)
                    rates["app"].append(opts.results / app_push(context, page, site_id, opts.results))
                    print(f"   turn {turn + 1}: python {rates['python'][-1]:.0f}/s, "
                          f"app {rates['app'][-1]:.0f}/s", flush=True)
                app_rate, py_rate = statistics.median(rates["app"]), statistics.median(rates["python"])
                print(f"{'push, results/s (median)':<40} app {app_rate:10.1f}  python client "
                      f"{py_rate:10.1f}", flush=True)
                if not verdict(app_rate / py_rate, 0.5, "x", "push rate, app / python client",
                               f"{opts.push_runs} x {opts.results}", at_most=False):
                    missed.append("push rate")
                browser.close()
        finally:
            http.shutdown()
            close_store(app)
    print("goals missed: " + (", ".join(missed) if missed else "none"), flush=True)


if __name__ == "__main__":
    main()
