"""One device round trip against a real server process over real HTTP (``HttpTransport``),
including a ``kill -9`` of the server: acknowledged work survives, unsent work waits."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from sync.client import DeviceClient, HttpTransport, ServerUnreachable
from tests.conftest import PASSWORD

from .conftest import PASS, noisy_jpeg, sha

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, data_dir: str):
        self.data_dir, self.port, self.proc = data_dir, free_port(), None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "tests.e2e.device.serve_for_test", self.data_dir,
                str(self.port)]

    def start(self) -> None:
        self.proc = subprocess.Popen(self.command(), cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {self.proc.stdout.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def __enter__(self) -> "ServerProcess":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.kill()


@pytest.fixture
def server(tmp_path):
    with ServerProcess(str(tmp_path / "server-data")) as proc:
        yield proc


@pytest.mark.slow
def test_device_against_a_real_server_survives_kill_9(server, tmp_path):
    photo = tmp_path / "meter.jpg"
    photo.write_bytes(noisy_jpeg(seed=11))
    device = DeviceClient(str(tmp_path / "device"), chunk_size=32 * 1024, sleep=lambda s: None)
    device.login("guard-a", PASSWORD, "real phone", server_url=server.url)
    device.pull()
    first = device.fill("daily-round", 1, PASS, photos=[str(photo)], site_id="A")
    sent = []
    report = device.sync(progress=lambda h, done, total: sent.append(done))
    assert report["push"].applied == 1 and report["photos"].completed == [sha(photo.read_bytes())]
    assert sent[-1] == photo.stat().st_size

    server.kill()  # kill -9: everything acknowledged must still be there after a restart
    second = device.fill("daily-round", 1, PASS, site_id="A")  # offline meanwhile
    with pytest.raises(ServerUnreachable):
        device.push()
    assert device.status()["outbox"] == 1  # nothing lost, nothing half-sent

    server.start()
    device.sync()
    assert device.status()["outbox"] == 0
    results = {r["id"]: r["data"] for r in device.pulled.records("results")}
    assert set(results) == {first.result_id, second.result_id}
    assert results[first.result_id]["media"] == "complete"
    assert results[first.result_id]["score"]["total"] == first.preview["total"]

    other = DeviceClient(str(tmp_path / "second-device"), HttpTransport(server.url))
    other.login("guard-a", PASSWORD, "second phone", server_url=server.url)
    other.pull()
    assert other.pulled.snapshot() == device.pulled.snapshot()
