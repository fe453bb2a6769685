"""The field app's JavaScript logic under Node's own test runner (``node --test``): routing,
texts, backoff, what Today lists, how a fix is queued. Node 20 (Debian ``nodejs``)."""
from __future__ import annotations

import pathlib
import shutil
import subprocess

JS_TESTS = pathlib.Path(__file__).resolve().parent / "js"


def test_the_shell_logic_passes_its_node_tests():
    node = shutil.which("node")
    assert node, "install nodejs (Debian) to run the field app's JavaScript tests"
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.mjs"))
    run = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=120,
                         cwd=JS_TESTS)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout
