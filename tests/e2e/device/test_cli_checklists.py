"""``fieldsync device show`` and ``answers-template``, then ``fill`` with the skeleton."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from checklists import builtin_definition
from server.services import definitions
from sync.client.cli import device as device_cli
from tests.conftest import PASSWORD

from .conftest import jpeg_bytes, sha
from .transports import FlaskTransport


@pytest.fixture
def cli(tmp_path, client, team, app_store):
    definitions.install(app_store, builtin_definition("quality-monthly"), by="test")
    runner = CliRunner()
    data_dir = str(tmp_path / "cli-device")
    obj = {"transport": FlaskTransport(client)}

    def run(*args):
        return runner.invoke(device_cli, ["--data-dir", data_dir, *args], obj=dict(obj))
    assert run("login", "http://server.test", "--username", "guard-a",
               "--password", PASSWORD).exit_code == 0
    assert run("pull").exit_code == 0
    return run


def test_show_lists_items_their_answers_and_what_is_required(cli):
    shown = cli("show", "quality-monthly@1")
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0] == ("quality-monthly@1  物业服务品质检查 / "
                        "Property service quality inspection")
    assert "inspection; 30 items, 28 required." in lines[1]
    stairs = lines.index("  qm.environment.stairs  check, required")
    assert lines[stairs + 1:stairs + 4] == [
        "      楼道清洁干净 / Stairwells clean",
        '      value: "pass" or "fail"',
        "      a failed answer needs on the answer: 1 photo(s), a note"]
    assert "  qm.rectification  date, optional" in lines
    assert any(line.strip().startswith("self: ") for line in lines)
    assert any("--photo qm.inspector=FILE fills the image" in line for line in lines)
    missing = cli("show", "quality-monthly@9")
    assert missing.exit_code == 1 and "quality-monthly@9 is not on this device" in missing.output


def test_the_template_fills_as_it_is_with_the_signature_attached(cli, tmp_path, app_store):
    made = cli("answers-template", "quality-monthly")
    assert made.exit_code == 0, made.output
    answers = json.loads(made.stdout)
    assert len(answers) == 28 and answers["qm.environment.stairs"] == {"value": "pass"}
    assert made.stderr == ("still to add: qm.inspector: the signature image: attach with "
                           "--photo qm.inspector=FILE\n")
    (tmp_path / "answers.json").write_text(made.stdout, encoding="utf-8")
    signature = tmp_path / "signature.jpg"
    signature.write_bytes(jpeg_bytes(3))
    filled = cli("fill", "quality-monthly", "--site", "A", "--answers",
                 str(tmp_path / "answers.json"), "--photo", f"qm.inspector={signature}")
    assert filled.exit_code == 0, filled.output
    assert "1 photo(s) queued" in filled.output
    assert "1 applied" in cli("push").output
    [result] = [r.doc for r in app_store.scan("results")]
    assert result["answers"]["qm.inspector"]["value"]["image"] == sha(signature.read_bytes())
    assert result["media"] == "complete"
