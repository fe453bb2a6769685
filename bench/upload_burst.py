"""Peak RSS of a real server while 8 devices upload 50 MP RGBA PNGs at once.

Used by ``bench/photos.py``. Each run starts a fresh ``fieldsync serve`` (so
its VmHWM is this burst's alone) on a throwaway data dir, logs a guard in,
then releases eight PATCH requests together through a barrier.
"""
from __future__ import annotations

import hashlib
import http.client
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
PARALLEL = 8
SIZE = (8660, 5770)  # 49.97 MP, just under the 50 MP ceiling
PASSWORD = "bench-password-1"


def fifty_mp_pngs(n: int) -> list[bytes]:
    """``n`` distinct flat RGBA PNGs: ~200 KB on the wire, 200 MB decoded."""
    out = []
    for k in range(n):
        buf = io.BytesIO()
        Image.new("RGBA", SIZE, (k * 30 % 256, 90, 160, 255)).save(buf, "PNG", compress_level=9)
        out.append(buf.getvalue())
    return out


def _cli(data_dir: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-c", "from server.cli import main; main()",
                    "--data-dir", str(data_dir), *args], cwd=ROOT, check=True,
                   capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, body: bytes | None = None,
             headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def _kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))


def one_burst(work: Path, photos: list[bytes], budget: int) -> tuple[float, float, list[int]]:
    """Start a server, send the burst; return (MB before, peak MB, statuses)."""
    data_dir = work / f"burst-{time.monotonic_ns()}"
    _cli(data_dir, "site", "add", "B", "bench")
    _cli(data_dir, "user", "add", "guard", "--role", "guard", "--password", PASSWORD,
         "--site", "B")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FIELDSYNC_PHOTO_DECODE_MEMORY": str(budget),
           "FIELDSYNC_PHOTO_DECODE_WAIT_SECONDS": "600"}
    server = subprocess.Popen([sys.executable, "-c", "from server.cli import main; main()",
                               "--data-dir", str(data_dir), "serve", "--port", str(port),
                               "--threads", str(PARALLEL)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:  # readiness: the port answers
            try:
                _request(port, "GET", "/api/v1/sync/info")
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("the server did not start")
                time.sleep(0.1)
        status, raw = _request(port, "POST", "/api/v1/auth/device-login", json.dumps({
            "username": "guard", "password": PASSWORD, "device_name": "bench"}).encode(),
            {"Content-Type": "application/json"})
        token = json.loads(raw)["token"]
        before = _kib(server.pid, "VmRSS:") / 1024
        gate, statuses = threading.Barrier(len(photos)), [0] * len(photos)

        def upload(n: int) -> None:
            data = photos[n]
            gate.wait()
            statuses[n] = _request(port, "PATCH", f"/api/v1/photos/"
                                   f"{hashlib.sha256(data).hexdigest()}", data, {
                                       "Authorization": f"Bearer {token}",
                                       "Content-Type": "application/offset+octet-stream",
                                       "Upload-Offset": "0", "Upload-Length": str(len(data))})[0]

        threads = [threading.Thread(target=upload, args=(n,)) for n in range(len(photos))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return before, _kib(server.pid, "VmHWM:") / 1024, statuses
    finally:
        server.terminate()
        server.wait()


def bench_upload_burst(work: Path, runs: int, budget: int) -> None:
    photos = fifty_mp_pngs(PARALLEL)
    goal = budget / 2**20 + 300
    print(f"Server peak RSS under {PARALLEL} parallel uploads of 50 MP RGBA PNGs "
          f"(~{statistics.mean(map(len, photos)) / 1e3:.0f} KB each, 200 MB decoded), "
          f"budget {budget >> 20} MiB, goal <= budget + 300 MB = {goal:.0f} MB, {runs} runs:")
    peaks = []
    for run in range(runs):
        before, peak, statuses = one_burst(work, photos, budget)
        peaks.append(peak)
        print(f"  run {run + 1}: {before:5.0f} MB idle -> peak {peak:6.0f} MB   "
              f"ratio {peak / goal:.2f}x goal   statuses {sorted(set(statuses))}")
    worst = max(peaks)
    print(f"  worst of {runs}: {worst:.0f} MB, ratio {worst / goal:.2f}x "
          f"[{'OK' if worst <= goal else 'MISSED'}]")
