"""Review and re-inspection through the device CLI: a supervisor reviews from a phone, the
inspector's device pulls the log, re-inspects the failed item and sees both scores."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sync.client.cli import device as device_cli
from tests.conftest import PASSWORD

from .transports import FlaskTransport

FAILED = {"env.clean": {"value": "fail", "defects": [{"deduction": 1}], "note": "地面有垃圾"},
          "env.lights": {"value": "pass"}}


@pytest.fixture
def phone(tmp_path, client, team, published):
    """``phone(username)``: run device commands on that user's own logged-in device."""
    runner, transport, made = CliRunner(), FlaskTransport(client), {}

    def device(username):
        data_dir = str(tmp_path / f"device-{username}")

        def run(*args):
            got = runner.invoke(device_cli, ["--data-dir", data_dir, *args],
                                obj={"transport": transport})
            assert got.exit_code == 0, got.output
            return got
        if username not in made:
            run("login", "http://server.test", "--username", username, "--password", PASSWORD)
            made[username] = run
        return made[username]
    return device


def test_review_then_reinspection_until_closed_out(phone, client, team, tmp_path):
    engineer, supervisor = phone("engineer-a"), phone("supervisor-a")
    engineer("pull")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(FAILED), encoding="utf-8")
    engineer("fill", "daily-round", "--site", "A", "--answers", str(answers),
             "--result-id", "orig")
    engineer("push")

    supervisor("pull")
    supervisor("review", "orig", "--to", "has_issues", "--reason", "请整改")
    assert "1 applied" in supervisor("push").output

    engineer("pull")
    shown = engineer("result", "orig").output
    assert "Review: has_issues" in shown and "submitted → has_issues: 请整改" in shown
    assert "(supervisor, sync)" in shown

    template = engineer("reinspect", "orig")
    assert json.loads(template.stdout) == {"env.clean": FAILED["env.clean"]}  # open items only
    assert "re-check: env.clean: re-check (was: fail)" in template.stderr
    answers.write_text(json.dumps({"env.clean": {"value": "pass"}}), encoding="utf-8")
    filled = engineer("fill", "daily-round", "--answers", str(answers), "--reinspects", "orig",
                      "--result-id", "round-1")
    assert "preview score 10.0/10.0" in filled.output
    engineer("sync")

    shown = engineer("result", "orig").output
    assert "Score at inspection: 9.0/10.0" in shown
    assert "Score after rectification: 10.0/10.0  消项 closed out" in shown
    assert "round 1  round-1" in shown
    listed = engineer("results").output
    assert "round-1" in listed and "re-inspects orig (round 1)" in listed

    # The same fill again (a retry after a crash) records nothing new.
    again = engineer("fill", "daily-round", "--answers", str(answers), "--reinspects", "orig",
                     "--result-id", "round-1")
    assert "already recorded" in again.output

    web = client.get("/api/v1/results/orig", headers=team.headers["admin"]).json
    assert (web["score"]["total"], web["rectification"]["score_after"]["total"]) == (9.0, 10.0)
    assert web["review"]["state"] == "has_issues"
    assert client.post("/api/v1/results/orig/review", headers=team.headers["admin"],
                       json={"from": "has_issues", "to": "approved"}).status_code == 200


def test_device_refuses_what_the_server_would(phone, tmp_path):
    engineer = phone("engineer-a")
    engineer("pull")
    runner = CliRunner()
    got = runner.invoke(device_cli, ["--data-dir", str(tmp_path / "device-engineer-a"),
                                     "reinspect", "nope"])
    assert got.exit_code == 1 and "result nope is not on this device" in got.output
    got = runner.invoke(device_cli, ["--data-dir", str(tmp_path / "device-engineer-a"),
                                     "review", "nope", "--to", "rejected", "--from",
                                     "submitted"])
    assert got.exit_code == 1 and "reason is required" in got.output


def test_a_reinspection_is_recorded_at_the_originals_site(phone, tmp_path, accounts, team):
    accounts.user("engineer", username="roamer", site_ids=[team.site_a["id"], team.site_b["id"]])
    roamer = phone("roamer")
    roamer("pull")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(FAILED), encoding="utf-8")
    roamer("fill", "daily-round", "--site", "A", "--answers", str(answers), "--result-id", "o")
    roamer("sync")
    answers.write_text(json.dumps({"env.clean": {"value": "pass"}}), encoding="utf-8")
    got = CliRunner().invoke(device_cli, ["--data-dir", str(tmp_path / "device-roamer"), "fill",
                                          "daily-round", "--site", "B", "--answers",
                                          str(answers), "--reinspects", "o"])
    assert got.exit_code == 1 and "recorded at the original's site" in got.output
