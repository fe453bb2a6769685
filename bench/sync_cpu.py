"""CPU per pushed result and per pull, in one process: the server's own cost, no sockets.

    python bench/sync_cpu.py [--results 2000] [--devices 1|16] [--profile FILE]
                             [--store-url URL | --anchor]

WHY: ``bench/sync.py`` measures wall-clock ratios between servers, which on
shared cores drift with everyone else's load. This driver runs the real app
(``create_app``, the Flask test client: auth, envelope, push/pull services,
the store on SQLite or PostgreSQL) in this process and prints process CPU
seconds (``time.process_time``, around the app's handling only) per pushed
result and per pull page, which
other sessions' load barely moves. ``--devices 16`` alternates 16 devices
(8 per site), each pushing a batch of 100 then pulling its site, like the
fleet workload of ``bench/sync.py`` but serially. ``--profile`` writes a
cProfile of the measured part (pstats file) and prints its top entries.
``--anchor`` measures ``bench/anchors/flask_sqlite.py`` the same way.
On PostgreSQL the database's own CPU is not counted (it runs elsewhere).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This directory holds a ``sync.py``: keep it off the path so ``sync`` is the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT), str(ROOT / "bench" / "peer")]
sys.path.append(str(ROOT / "bench"))

import orjson  # noqa: E402

from server import create_app  # noqa: E402
from server.services.accounts import devices, sites, users  # noqa: E402
from server.extensions import STORE_KEY, close_store  # noqa: E402
from server.wsgi_server import freeze_startup_objects  # noqa: E402
from server.services import definitions  # noqa: E402
from syncbench.ours import DEFINITION, PUSH_BATCH, Device, result_args  # noqa: E402


NOOPS = 200


class InProcessDevice(Device):
    """The bench device (``syncbench.ours.Device``) over the Flask test client."""

    def __init__(self, client, token: str, site_id: str):
        super().__init__(0, token)
        self.client, self.site_id = client, site_id
        self.cpu = 0.0  # process CPU seconds spent answering this device's requests

    def post(self, path: str, payload: dict) -> dict:
        """The answer to one request; ``self.cpu`` counts the server side only."""
        body = orjson.dumps(payload)
        start = time.process_time()
        response = self.client.post(path, data=body, headers={
            **self.auth, "Content-Type": "application/json"})
        data = response.get_data()
        self.cpu += time.process_time() - start
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {data[:500]!r}")
        return orjson.loads(data)


def setup(data_dir: str, store_url: str, n_devices: int):
    app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": "x",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      **({"STORE_URL": store_url} if store_url else {})})
    store = app.extensions[STORE_KEY]
    per_site = max(1, n_devices // 2) if n_devices > 1 else 1
    tokens = []
    for code in ("A", "B")[:2 if n_devices > 1 else 1]:
        site = sites.create_site(store, code=code, name=f"Site {code}")
        user = users.create_user(store, username=f"guard-{code.lower()}",
                                 password="correct horse battery", role="guard",
                                 site_ids=[site["id"]], hash_method="pbkdf2:sha256:1000")
        tokens += [(devices.register_device(store, user, name=f"phone {n}")[1], site["id"])
                   for n in range(per_site)]
    definitions.install(store, DEFINITION, by="bench")
    return app, tokens


def setup_anchor(data_dir: str, n_devices: int):
    """The anchor (``bench/anchors/flask_sqlite.py``) with the same sites and devices."""
    sys.path.insert(0, str(ROOT / "bench" / "anchors"))
    import flask_sqlite
    path = f"{data_dir}/anchor.db"
    sites_ = ["site-a", "site-b"][:2 if n_devices > 1 else 1]
    per_site = max(1, n_devices // 2) if n_devices > 1 else 1
    tokens = [(f"token-{site}-{n}", site) for site in sites_ for n in range(per_site)]
    flask_sqlite.setup(path, DEFINITION, {t: (f"user-{s}", [s]) for t, s in tokens})
    return flask_sqlite.create_app(path), tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=int, default=2000)
    parser.add_argument("--size", type=int, default=1024, help="bytes of JSON per result")
    parser.add_argument("--devices", type=int, default=1, choices=(1, 16))
    parser.add_argument("--store-url", default="")
    parser.add_argument("--anchor", action="store_true",
                        help="measure the Flask + sqlite3 anchor instead of our server")
    parser.add_argument("--profile", help="write a cProfile (pstats) of the measured part")
    parser.add_argument("--sample", action="store_true",
                        help="print a pyinstrument (sampling) profile instead: "
                             "less distorted than cProfile for many small calls")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fieldsync-cpu-") as data_dir:
        app, tokens = (setup_anchor(data_dir, opts.devices) if opts.anchor
                       else setup(data_dir, opts.store_url, opts.devices))
        client = app.test_client()
        freeze_startup_objects()  # as ``fieldsync serve`` (and the anchor's server) do
        fleet = [InProcessDevice(client, token, site) for token, site in tokens]
        batches = [[result_args(fleet[n % len(fleet)].site_id, opts.size)
                    for _ in range(PUSH_BATCH)] for n in range(opts.results // PUSH_BATCH)]
        profiler = cProfile.Profile() if opts.profile else None
        if opts.sample:
            from pyinstrument import Profiler  # pip install pyinstrument
            profiler = Profiler(interval=0.0005)  # wall time: fsync waits show too
        push_cpu = pull_cpu = 0.0
        pulls = pulled = 0

        def pull_until_done(device) -> None:
            nonlocal pull_cpu, pulls, pulled
            more = True
            while more:
                before = device.cpu
                count, more = device.pull(), device.more
                pull_cpu += device.cpu - before
                pulls, pulled = pulls + 1, pulled + count

        if opts.sample:
            profiler.start()
        elif profiler:
            profiler.enable()
        for n, batch in enumerate(batches):
            device = fleet[n % len(fleet)]
            before = device.cpu
            device.push(batch)
            push_cpu += device.cpu - before
            if opts.devices > 1:
                pull_until_done(device)
        noop_cpu = 0.0
        if opts.devices == 1:  # a fresh device pulls everything back, pages of PULL_PAGE
            reader = InProcessDevice(client, tokens[0][0], tokens[0][1])
            pull_until_done(reader)
            before = reader.cpu
            for _ in range(NOOPS):  # then syncs with nothing new: one pull each
                reader.pull()
            noop_cpu = reader.cpu - before
        if opts.sample:
            profiler.stop()
        elif profiler:
            profiler.disable()
        pushed = len(batches) * PUSH_BATCH
        side = "anchor" if opts.anchor else f"ours on {opts.store_url.split(':')[0] or 'sqlite'}"
        print(f"{side}, {opts.devices} device(s), "
              f"{pushed} results of {opts.size} B in batches of {PUSH_BATCH}")
        print(f"push: {push_cpu * 1000 / pushed:.3f} ms CPU per result "
              f"({push_cpu:.2f} s for {pushed})")
        print(f"pull: {pull_cpu * 1000 / max(pulls, 1):.2f} ms CPU per pull "
              f"({pulls} pulls, {pulled} changes, "
              f"{pull_cpu * 1000 / max(pulled, 1):.3f} ms per change)")
        if noop_cpu:
            print(f"no-op sync: {noop_cpu * 1000 / NOOPS:.2f} ms CPU per no-op ({NOOPS} runs)")
        if not opts.anchor:
            close_store(app)
    if opts.sample:
        print(profiler.output_text(unicode=True, show_all=False, short_mode=False))
    elif profiler:
        profiler.dump_stats(opts.profile)
        pstats.Stats(opts.profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
