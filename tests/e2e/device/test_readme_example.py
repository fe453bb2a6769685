"""The README's field-device example, run as written against ``fieldsync demo``.

The commands are taken from the README's first ``sh`` block under "A field
device"; only the server's port differs (the test picks a free one). If the
README and the CLI drift apart, this fails.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from .conftest import jpeg_bytes, noisy_jpeg
from .test_real_server import ROOT, ServerProcess

README_URL = "http://127.0.0.1:8000"


class DemoServer(ServerProcess):
    def command(self) -> list[str]:
        return [sys.executable, "-m", "server.cli", "--data-dir", self.data_dir, "demo",
                "--port", str(self.port)]


def readme_device_commands() -> str:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    section = readme.split("## A field device", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


@pytest.fixture
def demo(tmp_path):
    with DemoServer(str(tmp_path / "server-data")) as server:
        yield server


def test_the_readme_device_example_runs_as_written(demo, tmp_path):
    commands = readme_device_commands()
    assert README_URL in commands
    work = tmp_path / "work"
    work.mkdir()
    (work / "crack.jpg").write_bytes(noisy_jpeg(seed=4))
    (work / "signature.jpg").write_bytes(jpeg_bytes(9))
    script = ('set -euo pipefail\nfieldsync() { "$FIELDSYNC_PYTHON" -m server.cli "$@"; }\n'
              + commands.replace(README_URL, demo.url))
    env = {**os.environ, "FIELDSYNC_PYTHON": sys.executable,
           "FIELDSYNC_DEVICE_DIR": str(tmp_path / "device"),
           "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))}
    ran = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True,
                         text=True, timeout=300)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out = ran.stdout
    assert "Logged in to" in out and "quality-monthly@1" in out
    assert "qm.environment.stairs  check, required" in out  # show
    assert "Saved result nhg-qm-2026-11" in out and "2 photo(s) queued" in out
    assert "Pushed: 1 applied" in out and "Photos: 2 complete, 0 failed." in out
    assert "still to add: qm.inspector" in ran.stderr
