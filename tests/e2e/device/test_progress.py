"""Push progress: the library's ``on_progress`` reports, and the CLI's line on a terminal."""
from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest
from click.testing import CliRunner

from sync.client import DeviceClient, HttpTransport
from sync.client.cli import device as device_cli
from sync.client.progress import SyncProgress
from sync.client.progress_line import ProgressLine
from tests.conftest import PASSWORD

from .conftest import PASS, noisy_jpeg
from .test_real_server import ROOT, ServerProcess
from .transports import FlaskTransport


def test_sync_reports_changes_and_photo_bytes_as_they_are_sent(make_device, transport,
                                                               tmp_path):
    device = make_device("phone", transport, chunk_size=32 * 1024, push_batch=2)
    device.pull()
    photos = []
    for n in range(2):
        path = tmp_path / f"p{n}.jpg"
        path.write_bytes(noisy_jpeg(seed=n))
        photos.append(path)
    for n in range(5):
        device.fill("daily-round", 1, PASS, photos=[str(photos[n % 2])] if n < 2 else [],
                    site_id="A")
    photo_bytes = sum(p.stat().st_size for p in photos)
    events: list[SyncProgress] = []
    device.sync(on_progress=events.append)

    assert events[0] == SyncProgress(0, 5, 0, 0)
    changes = [(e.changes_sent, e.changes_total) for e in events]
    assert [sent for sent, _ in changes] == sorted(sent for sent, _ in changes)
    assert (0, 5) in changes and (2, 5) in changes and (4, 5) in changes  # batches of 2
    assert events[-1] == SyncProgress(5, 5, photo_bytes, photo_bytes)
    sent_bytes = [e.photo_bytes_sent for e in events if e.photo_bytes_total]
    assert sent_bytes == sorted(sent_bytes) and len(set(sent_bytes)) > 4  # chunk by chunk


def test_push_alone_reports_the_changes(make_device, transport):
    device = make_device("phone", transport)
    device.pull()
    device.fill("daily-round", 1, PASS, site_id="A")
    events: list[SyncProgress] = []
    device.push(on_progress=events.append)
    assert events == [SyncProgress(0, 1), SyncProgress(1, 1)]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_is_drawn_on_a_terminal_only():
    terminal, piped = Terminal(), io.StringIO()
    for stream in (terminal, piped):
        with ProgressLine(stream) as line:
            line(SyncProgress(0, 3))
            line(SyncProgress(3, 3, 512, 3 * 1024 * 1024))
            line(SyncProgress(3, 3, 3 * 1024 * 1024, 3 * 1024 * 1024))
    assert terminal.getvalue() == (
        "\r\x1b[KSending: 0/3 changes"
        "\r\x1b[KSending: 3/3 changes, 512 B/3.0 MB of photos"
        "\r\x1b[KSending: 3/3 changes, 3.0 MB/3.0 MB of photos\n")
    assert piped.getvalue() == ""


def test_cli_push_piped_prints_only_the_summary(tmp_path, client, team, published):
    runner = CliRunner()
    obj = {"transport": FlaskTransport(client)}

    def cli(*args):
        result = runner.invoke(device_cli, ["--data-dir", str(tmp_path / "d"), *args],
                               obj=dict(obj))
        assert result.exit_code == 0, result.output
        return result
    cli("login", "http://server.test", "--username", "guard-a", "--password", PASSWORD)
    cli("pull")
    (tmp_path / "a.json").write_text('{"env.clean": {"value": "pass"}}')
    photo = tmp_path / "p.jpg"
    photo.write_bytes(noisy_jpeg(seed=3))
    cli("fill", "daily-round", "--site", "A", "--answers", str(tmp_path / "a.json"),
        "--photo", str(photo))
    pushed = cli("push")
    assert pushed.stderr == ""
    assert pushed.stdout == "Pushed: 1 applied, 0 already there, 0 rejected.\n" \
                            "Photos: 1 complete, 0 failed.\n"


@pytest.mark.slow
def test_push_on_a_real_terminal_draws_the_line(tmp_path):
    """``fieldsync device push`` in a pseudo-terminal against a real server process."""
    with ServerProcess(str(tmp_path / "server-data")) as server:
        data_dir = str(tmp_path / "device")
        with DeviceClient(data_dir, HttpTransport(server.url)) as device:
            device.login("guard-a", PASSWORD, "pty phone", server_url=server.url)
            device.pull()
            photo = tmp_path / "p.jpg"
            photo.write_bytes(noisy_jpeg(seed=5))
            device.fill("daily-round", 1, PASS, photos=[str(photo)], site_id="A")
        controller, terminal = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "sync.client.cli", "--data-dir",
                                 data_dir, "push"], cwd=ROOT, stdin=subprocess.DEVNULL,
                                stdout=terminal, stderr=terminal)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        os.close(controller)
        assert proc.wait(timeout=60) == 0, shown
    text = shown.decode()
    size = photo.stat().st_size
    assert "\r\x1b[KSending: 0/1 changes" in text
    assert f"Sending: 1/1 changes, {size / 1024:.1f} KB/{size / 1024:.1f} KB of photos" in text
    assert "Pushed: 1 applied" in text
