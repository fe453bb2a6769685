"""``fieldsync device`` end to end on the real app (through the Flask test client)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sync.client.cli import device as device_cli
from tests.conftest import PASSWORD

from .conftest import jpeg_bytes
from .transports import FlaskTransport


@pytest.fixture
def cli(tmp_path, client, team, published):
    runner = CliRunner()
    data_dir = str(tmp_path / "cli-device")
    obj = {"transport": FlaskTransport(client)}

    def run(*args, input=None):
        return runner.invoke(device_cli, ["--data-dir", data_dir, *args], obj=dict(obj),
                             input=input)
    return run


def test_login_pull_list_fill_push_status(cli, tmp_path, app_store):
    result = cli("login", "http://server.test", input=f"guard-a\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Logged in" in result.output and "guard-a" in result.output

    assert cli("pull").exit_code == 0
    listed = cli("list")
    assert "daily-round@1" in listed.output and "A (Site A)" in listed.output

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"env.clean": {"value": "pass"},
                                   "env.lights": {"value": "pass"}}))
    photo = tmp_path / "door.jpg"
    photo.write_bytes(jpeg_bytes(5))
    markup = tmp_path / "markup.json"
    markup.write_text(json.dumps({"shapes": [{"type": "rect", "points": [[0.1, 0.1], [0.5, 0.5]]},
                                             {"type": "text", "points": [[0.5, 0.5]],
                                              "text": "门未关 door open"}]}))
    filled = cli("fill", "daily-round@1", "--site", "A", "--answers", str(answers),
                 "--photo", f"env.clean={photo}:{markup}")
    assert filled.exit_code == 0, filled.output
    assert "preview score 10.0/10.0" in filled.output and "1 photo(s) queued" in filled.output

    status = cli("status")
    assert "Unsent changes: 1" in status.output and "Photos waiting: 1" in status.output

    pushed = cli("push")
    assert pushed.exit_code == 0, pushed.output
    assert "1 applied" in pushed.output and "1 complete" in pushed.output
    [stored] = [r.doc for r in app_store.scan("results")]
    assert [s["type"] for s in stored["photos"][0]["annotations"]["shapes"]] == ["rect", "text"]
    after = json.loads(cli("status", "--json").output)
    assert after["outbox"] == 0 and after["photos"] == [] and after["last_sync_at"]


def test_user_errors_are_one_line_and_exit_1(cli, tmp_path):
    not_logged_in = cli("pull")
    assert not_logged_in.exit_code == 1
    assert "not logged in" in not_logged_in.output and "Traceback" not in not_logged_in.output

    wrong = cli("login", "http://server.test", "--username", "guard-a", "--password", "nope")
    assert wrong.exit_code == 1 and "login refused" in wrong.output

    bad_url = cli("login", "ftp://x", "--username", "guard-a", "--password", PASSWORD)
    assert bad_url.exit_code == 2 and "not an http(s) URL" in bad_url.output

    assert cli("login", "http://server.test", "--username", "guard-a",
               "--password", PASSWORD).exit_code == 0
    failed = cli("login", "http://other.test", "--username", "guard-a", "--password", "nope")
    assert failed.exit_code == 1
    assert json.loads(cli("status", "--json").output)["server"] == "http://server.test"
    cli("pull")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = cli("fill", "daily-round", "--site", "A", "--answers", str(broken))
    assert result.exit_code == 2 and "not valid JSON" in result.output

    good = tmp_path / "good.json"
    good.write_text(json.dumps({"env.clean": {"value": "pass"}}))
    unknown = cli("fill", "nope@3", "--site", "A", "--answers", str(good))
    assert unknown.exit_code == 1 and "nope@3 is not on this device" in unknown.output

    wrong_answer = tmp_path / "wrong.json"
    wrong_answer.write_text(json.dumps({"env.clean": {"value": "perhaps"}}))
    invalid = cli("fill", "daily-round", "--site", "A", "--answers", str(wrong_answer))
    assert invalid.exit_code == 1 and "env.clean" in invalid.output
    assert "Traceback" not in invalid.output


def test_server_unreachable_is_a_clear_error(tmp_path):
    runner = CliRunner()
    # port 9 (discard) on localhost: nothing listens there in the test environment
    result = runner.invoke(device_cli, ["--data-dir", str(tmp_path / "d"), "login",
                                        "http://127.0.0.1:9", "--username", "u",
                                        "--password", "p"])
    assert result.exit_code == 1 and "cannot reach http://127.0.0.1:9" in result.output


def test_invalid_answers_are_listed_one_per_line_under_their_item(cli, tmp_path):
    assert cli("login", "http://server.test", "--username", "guard-a",
               "--password", PASSWORD).exit_code == 0
    cli("pull")
    answers = tmp_path / "wrong.json"
    answers.write_text(json.dumps({"env.clean": {"value": "perhaps", "colour": "red"},
                                   "env.lights": {"value": "fail"}, "env.nope": {}}))
    result = cli("fill", "daily-round", "--site", "A", "--answers", str(answers))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.splitlines() == [
        "Error: the answers do not fit the checklist (4 errors):",
        "  env.clean  地面清洁 / Floor clean",
        "    colour: unknown field",
        "    value: must be 'pass' or 'fail'",
        "  env.lights  照明 / Lights",
        "    defects: a failed deduction item needs at least one defect",
        "  env.nope",
        "    unknown item",
    ]


def test_fill_with_a_result_id_can_be_retried_without_a_second_result(cli, tmp_path,
                                                                       app_store):
    assert cli("login", "http://server.test", "--username", "guard-a",
               "--password", PASSWORD).exit_code == 0
    cli("pull")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"env.clean": {"value": "pass"}}))
    fill = ("fill", "daily-round", "--site", "A", "--answers", str(answers),
            "--result-id", "r-2026-11-29-001")
    first = cli(*fill)
    assert first.exit_code == 0 and "Saved result r-2026-11-29-001 (change #1)" in first.output
    again = cli(*fill)  # as if the first run had been killed before it printed
    assert again.exit_code == 0, again.output
    assert "r-2026-11-29-001 was already recorded (change #1); nothing new" in again.output
    assert json.loads(cli("status", "--json").output)["outbox"] == 1

    assert "1 applied" in cli("push").output
    assert cli(*fill).exit_code == 0  # still the same after the push
    assert "0 applied" in cli("push").output
    assert [r.doc["id"] for r in app_store.scan("results")] == ["r-2026-11-29-001"]

    answers.write_text(json.dumps({"env.clean": {"value": "fail",
                                                 "defects": [{"note": "dirty"}]}}))
    clash = cli(*fill)
    assert clash.exit_code == 1
    assert "result r-2026-11-29-001 was already recorded with other content" in clash.output
    bad = cli("fill", "daily-round", "--site", "A", "--answers", str(answers),
              "--result-id", "no spaces")
    assert bad.exit_code == 2 and "--result-id" in bad.output
