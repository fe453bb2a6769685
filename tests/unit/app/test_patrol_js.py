"""The field app's patrol code in Node: its own unit tests, a round it builds judged by the
server's rules (the args must be what ``submit_round`` loads, with the verdict expected), and
photo EXIF times read as the Python device reads them.

Node 20 (``/usr/bin/node``, Debian ``nodejs``) runs the ES modules as they are served: no
build step. ``--experimental-detect-module`` lets Node read the app's ``.js`` files as
modules without a package.json beside them.
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest
from PIL import Image

from checklists.patrol import JudgeContext, judge_round, load_round_result
from sync.client.patrol import exif_time
from tests.unit.patrol.builders import checkpoints, local, occurrence_at, route, schedule

ROOT = pathlib.Path(__file__).resolve().parents[3]
JS_TESTS = ROOT / "tests" / "js" / "patrol"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node 20 (apt-get install nodejs)")


def node(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([NODE, "--experimental-detect-module", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TZ": "Asia/Shanghai"})


def test_the_patrol_modules_pass_their_node_tests():
    done = node("--test", str(JS_TESTS))
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout


def test_a_round_built_in_javascript_is_loaded_and_judged_by_the_server_rules():
    occurrence = occurrence_at(schedule(), "22:00")
    plan = {
        "occurrence": occurrence.to_doc(), "id": "round-js-1",
        "started": local("22:02").isoformat(), "finished": local("22:14").isoformat(),
        "scans": [{"tag": f"TAG-{n}", "method": "manual" if n == 2 else "qr",
                   "at": local(when).isoformat(),
                   "fix": {"lat": checkpoints()[f"cp{n}"].lat, "lon": 121.4, "accuracy_m": 8}}
                  for n, when in enumerate(["22:05", "22:07", "22:09", "22:11", "22:13"], 1)],
        "visits": [{"checkpoint_id": "cp3", "at": local("22:10").isoformat(),
                    "answers": {"np.lighting.ok": {"value": "fail"}},
                    "checklist": {"checklist_id": "night-lighting", "checklist_version": 3},
                    "photo": {"sha256": "b" * 64}}],
    }
    done = node(str(JS_TESTS / "walk_round.mjs"), stdin=json.dumps(plan))
    assert done.returncode == 0, done.stderr
    args = json.loads(done.stdout)
    result = load_round_result(args)          # the server's loader: raises naming a bad field
    assert result.to_doc()["scans"][0]["at"] == "2026-11-02T22:05:00+08:00"
    # the version named is not given to the judge: judged as one this server lacks
    verdict = judge_round(route(), occurrence, result,
                          JudgeContext(checkpoints(cp3={"checklist_id": "night-lighting"}),
                                       received_at=local("22:20"))).to_record()
    assert verdict["status"] == "completed"
    assert [c["status"] for c in verdict["checkpoints"]] == ["on_time"] * 5
    assert [c["manual"] for c in verdict["checkpoints"]] == [False, True, False, False, False]
    assert [f["code"] for f in verdict["flags"]] == ["manual_entry", "checklist_unknown"]
    assert args["visits"]["cp3"] == {"answers": {"np.lighting.ok": {"value": "fail"}},
                                     "photos": [{"sha256": "b" * 64}],
                                     "done_at": "2026-11-02T22:10:00.000+08:00",
                                     "checklist_id": "night-lighting", "checklist_version": 3}
    assert result.visits["cp3"].checklist == ("night-lighting", 3)


def jpeg(path: pathlib.Path, exif: dict[int, str] | None = None, ifd0: dict[int, str] | None = None):
    out = Image.new("RGB", (32, 24), (10, 20, 30))
    tags = Image.Exif()
    for tag, value in (ifd0 or {}).items():
        tags[tag] = value
    if exif:
        tags.get_ifd(0x8769).update(exif)
    out.save(path, "JPEG", exif=tags.tobytes() if (exif or ifd0) else b"")
    return path


def test_photo_exif_times_are_read_as_the_python_device_reads_them(tmp_path):
    files = [
        jpeg(tmp_path / "original.jpg", exif={36867: "2026:11:02 22:09:41"},
             ifd0={306: "2026:11:03 08:00:00", 271: "Camera Maker"}),
        jpeg(tmp_path / "only-ifd0.jpg", ifd0={306: "2026:11:02 22:10:05"}),
        jpeg(tmp_path / "none.jpg"),
        jpeg(tmp_path / "garbled.jpg", exif={36867: "yesterday night"}),
    ]
    (tmp_path / "not-a-jpeg.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    files.append(tmp_path / "not-a-jpeg.png")
    done = node(str(JS_TESTS / "exif_times.mjs"), *map(str, files))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [exif_time(str(f)) for f in files] == [
        "2026-11-02T22:09:41", "2026-11-02T22:10:05", None, None, None]
