"""The anchor of bench/sync.py: pouchdb-server 4.2.0 with a PouchDB device in Node.

Also the process meters both servers are read with (CPU seconds from
``/proc/<pid>/stat``, peak RSS from ``VmHWM``, which ``clear_refs`` resets so
each photo run gets its own peak), and a loopback TCP proxy that cuts a
connection after a set number of request bytes -- PouchDB gives no hook to
cut its own upload, so the cut is made on the wire and the bytes it re-sends
are counted there.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

PEER_DIR = Path(__file__).resolve().parent
SERVER_BIN = PEER_DIR / "node_modules" / "pouchdb-server" / "bin" / "pouchdb-server"
DEVICE_JS = PEER_DIR / "device.js"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` (fields 14 and 15 of /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def reset_peak_rss(pid: int) -> None:
    """Start a new peak: writing 5 to clear_refs resets VmHWM (Linux >= 4.0)."""
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def peak_rss_mb(pid: int, field: str = "VmHWM") -> float:
    """Peak resident memory in MiB (``field="VmRSS"``: the current one)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field}")


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Return once ``url`` answers; kill ``proc`` and raise if it does not."""
    try:
        _wait(url, proc, timeout)
    except BaseException:
        proc.kill()
        proc.wait()
        raise


def _wait(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers (maybe 401): it is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def peer_missing() -> str | None:
    """Why the anchor cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not SERVER_BIN.exists():
        return f"pouchdb-server is not installed: cd {PEER_DIR} && npm install"
    return None


class PouchServer:
    """pouchdb-server 4.2.0 on leveldb (leveldown's default write is sync:false: no fsync)."""

    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(data_dir / "server.log", "wb")
        self.proc = subprocess.Popen(
            ["node", str(SERVER_BIN), "--host", "127.0.0.1", "--port", str(self.port),
             "--dir", str(data_dir), "--config", str(data_dir / "config.json"), "-n"],
            cwd=data_dir, stdout=self.log, stderr=subprocess.STDOUT)
        wait_http(self.url + "/", self.proc)
        self.pid = self.proc.pid

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()


def run_device(command: str, options: dict) -> dict:
    """Run one device.js command to completion; its JSON answer."""
    out = subprocess.run(["node", str(DEVICE_JS), command, json.dumps(options)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"device.js {command} failed: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


class CutProxy:
    """Forwards loopback TCP to ``upstream_port``; cuts connections at set byte counts.

    ``arm([t1, t2])`` makes the next connection whose request bytes reach
    ``t1`` close (both ways) right there, then likewise for ``t2``.
    ``upstream_bytes`` counts every request byte forwarded; ``cut_bytes``
    how many each cut connection had forwarded before it was cut.
    """

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.thresholds: list[int] = []
        self.upstream_bytes = 0
        self.cut_bytes: list[int] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, thresholds: list[int]) -> None:
        with self.lock:
            self.thresholds = sorted(thresholds)
            self.upstream_bytes = 0
            self.cut_bytes = []

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._up, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._down, args=(upstream, client), daemon=True).start()

    def _up(self, client: socket.socket, upstream: socket.socket) -> None:
        sent = 0
        try:
            while data := client.recv(65536):
                with self.lock:
                    limit = self.thresholds[0] if self.thresholds else None
                    if limit is not None and sent + len(data) >= limit:
                        data = data[:limit - sent]
                        self.thresholds.pop(0)
                        self.cut_bytes.append(sent + len(data))
                    else:
                        limit = None
                    self.upstream_bytes += len(data)
                upstream.sendall(data)
                sent += len(data)
                if limit is not None:
                    break
            else:
                upstream.shutdown(socket.SHUT_WR)
                return
        except OSError:
            pass
        for s in (client, upstream):  # the cut: both ends see the connection drop
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    @staticmethod
    def _down(upstream: socket.socket, client: socket.socket) -> None:
        try:
            while data := upstream.recv(65536):
                client.sendall(data)
            client.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()


def pouch_photos(pouch: PouchServer, proxy: CutProxy, count: int, size: int, cuts) -> dict:
    """``count`` photo docs of ``size`` bytes replicated through ``proxy``, each cut at the
    ``cuts`` fractions of a clean replication's bytes; PouchDB retries from scratch.

    Returns the peak RSS of the run (MiB), seconds, the clean bytes, the mean
    bytes forwarded by each cut connection (all re-sent, MiB) and extra MiB per photo.
    """
    url, mib = f"http://127.0.0.1:{proxy.port}", 1024 * 1024
    proxy.arm([])
    run_device("photo", {"url": url, "db": "photos", "id": f"clean-{size}", "size": size,
                         "tries": 1})
    clean = proxy.upstream_bytes
    reset_peak_rss(pouch.pid)
    cut_bytes, extra, seconds = [], [], 0.0
    for n in range(count):
        proxy.arm([int(f * clean) for f in cuts])
        out = run_device("photo", {"url": url, "db": "photos", "id": f"p{size}-{n}",
                                   "size": size, "tries": len(cuts) + 3})
        seconds += out["seconds"]
        cut_bytes.append(list(proxy.cut_bytes))
        extra.append(proxy.upstream_bytes - clean)
    return {"rss": peak_rss_mb(pouch.pid), "seconds": seconds, "clean": clean,
            "cut": [statistics.mean(c[i] for c in cut_bytes) / mib for i in range(len(cuts))],
            "extra": statistics.mean(extra) / mib}
