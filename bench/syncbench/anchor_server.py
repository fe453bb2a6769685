"""The Flask + sqlite3 anchor (``bench/anchors/flask_sqlite.py``) run as a server process.

It gets the same sites (our site ids, so one workload serves both), the same
published definition and one token per device, then runs under waitress in
its own process, measured from outside like ours.
"""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from anchor import free_port, wait_http

from .ours import DEFINITION, ROOT, Device

ANCHOR = ROOT / "bench" / "anchors" / "flask_sqlite.py"


class AnchorServer:
    def __init__(self, data_dir: Path, threads: int, sites: dict[str, str],
                 devices_per_site: int = 3):
        sys.path.insert(0, str(ANCHOR.parent))
        from flask_sqlite import setup  # the anchor's own schema and rows
        sys.path.remove(str(ANCHOR.parent))
        data_dir.mkdir(parents=True, exist_ok=True)
        self.sites = sites
        self.tokens = {(code, n): uuid.uuid4().hex for code in sites
                       for n in range(devices_per_site)}
        db = str(data_dir / "anchor.db")
        setup(db, DEFINITION, {token: (f"user-{code}", [sites[code]])
                               for (code, _), token in self.tokens.items()})
        self.port = free_port()
        self.log = open(data_dir / "server.log", "wb")
        self.proc = subprocess.Popen([sys.executable, str(ANCHOR), db, str(self.port),
                                      str(threads)],
                                     env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_http(f"http://127.0.0.1:{self.port}/api/v1/sync/info", self.proc)
        self.pid = self.proc.pid

    def device(self, site: str, n: int) -> Device:
        return Device(self.port, self.tokens[(site, n)])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self.log.close()
