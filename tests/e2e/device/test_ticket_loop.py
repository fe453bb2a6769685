"""The rectification loop: failures → tickets opened with the result → fixed offline on a
device with a photo → verified by a supervisor in a browser session."""
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

FAILURES = {
    "fac.03": {"value": "fail", "note": "发电机无法启动", "defects": [
        {"criterion": "fac.03.1", "deduction": 1, "note": "电瓶亏电", "location": "B1"}]},
    "fac.02": {"value": "fail", "defects": [{"criterion": "fac.02.1", "deduction": 0.5,
                                             "note": "有杂物"}]},
    "fac.07": {"value": "fail"},
}


@pytest.fixture
def rubric(app_store):
    body = builtin_definition("facilities-supervision")
    definitions.install(app_store, body, by="test")
    return body


@pytest.fixture
def cli(tmp_path, client, team, rubric):
    runner, data_dir = CliRunner(), str(tmp_path / "engineer-phone")

    def run(*args):
        result = runner.invoke(device_cli, ["--data-dir", data_dir, *args],
                               obj={"transport": FlaskTransport(client)})
        assert result.exit_code == 0, result.output
        return result.output
    run("login", "http://server.test", "--username", "engineer-a", "--password", PASSWORD)
    return run


def site_tickets(app_store, site_id):
    return {r.id: r.doc for r in app_store.scan("tickets") if r.doc["site_id"] == site_id}


def test_failures_open_tickets_one_is_fixed_offline_and_verified_in_a_browser(
        cli, app, client, team, app_store, tmp_path, rubric):
    site = team.site_a["id"]
    answers = {i["id"]: {"value": "pass"} for s in rubric["sections"] for i in s["items"]
               if "deduction" in i}
    answers.update({"fac.06.retention": {"value": 30}, **FAILURES})
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(answers, ensure_ascii=False))
    cli("pull")
    cli("fill", "facilities-supervision", "--site", "A", "--answers", str(answers_file),
        "--result-id", "fac-2026-11")
    cli("sync")

    # three findings, three tickets, opened in the result's own commit
    opened = site_tickets(app_store, site)
    assert sorted(opened) == ["fac-2026-11:fac.02", "fac-2026-11:fac.03", "fac-2026-11:fac.07"]
    generator = opened["fac-2026-11:fac.03"]
    assert (generator["priority"], generator["source"]["rule"]) == ("urgent", "power-safety")
    assert generator["location"] == "B1" and generator["result_id"] == "fac-2026-11"

    # a supervisor names the responsible person (the assignee) from a browser
    web = app.test_client()
    csrf = web.post("/api/v1/auth/login", json={"username": "supervisor-a",
                                                "password": PASSWORD}).json["csrf_token"]
    engineer = team.users["engineer"]["id"]
    resp = web.patch("/api/v1/tickets/fac-2026-11:fac.03", headers={"X-CSRFToken": csrf},
                     json={"set": {"assignee": engineer, "responsible": engineer,
                                   "direct_supervisor": team.users["supervisor"]["id"]},
                           "base_fv": {"assignee": 0, "responsible": 0,
                                       "direct_supervisor": 0}})
    assert resp.status_code == 200, resp.json

    # the engineer works it offline: pull, list mine, start, fix with a photo
    cli("pull")
    mine = cli("tickets", "--mine")
    assert "fac-2026-11:fac.03" in mine and "fac.02" not in mine
    photo = tmp_path / "battery.jpg"
    photo.write_bytes(jpeg_bytes(11))
    cli("ticket", "move", "fac-2026-11:fac.03", "--to", "in_progress")
    queued = cli("ticket", "move", "fac-2026-11:fac.03", "--to", "fixed",
                 "--note", "更换电瓶, 试机正常", "--photo", str(photo))
    assert "Queued change" in queued
    assert "[open → fixed (queued)]" in cli("tickets", "--mine")
    assert app_store.get("tickets", "fac-2026-11:fac.03").doc["status"] == "open"  # offline
    cli("sync")
    fixed = app_store.get("tickets", "fac-2026-11:fac.03").doc
    assert fixed["status"] == "fixed" and fixed["fix"]["photos"] == [sha(jpeg_bytes(11))]
    assert fixed["fix"]["by"] == engineer

    # the supervisor sees the evidence; another site does not
    evidence = sha(jpeg_bytes(11))
    assert web.get(f"/api/v1/photos/{evidence}?variant=thumb").status_code == 200
    assert client.get(f"/api/v1/photos/{evidence}?variant=display",
                      headers=team.guard_b_headers).status_code == 404
    # verified from the browser session, with its CSRF token
    resp = web.post("/api/v1/tickets/fac-2026-11:fac.03/move", headers={"X-CSRFToken": csrf},
                    json={"from": "fixed", "to": "verified"})
    assert resp.status_code == 200 and resp.json["status"] == "verified"
    # the device sees the verification at its next pull; nothing was opened twice
    cli("pull")
    assert "[verified]" in cli("tickets", "--mine")
    assert len(site_tickets(app_store, site)) == 3

    # the engineer re-inspects: the fixed generator passes, fac.07 still fails; the
    # original shows its score at inspection and after rectification, and each ticket
    # says what the re-inspection found (an engineer cannot verify or reopen: a comment)
    recheck = tmp_path / "recheck.json"
    recheck.write_text(json.dumps({"fac.03": {"value": "pass"}, "fac.07": {"value": "fail"}}))
    cli("fill", "facilities-supervision", "--answers", str(recheck),
        "--reinspects", "fac-2026-11", "--result-id", "fac-2026-11-r1")
    cli("sync")
    shown = web.get("/api/v1/results/fac-2026-11").json
    at_inspection = shown["score"]["total"]
    after = shown["rectification"]["score_after"]["total"]
    assert after > at_inspection and shown["rectification"]["closed_out"] is False
    notes = {t: [c["text"] for c in app_store.get("tickets", t).doc["comments"]]
             for t in ("fac-2026-11:fac.03", "fac-2026-11:fac.07")}
    assert notes["fac-2026-11:fac.03"] == [
        "复查 fac-2026-11-r1: 合格 (re-inspection fac-2026-11-r1: passes)"]
    assert notes["fac-2026-11:fac.07"] == [
        "复查 fac-2026-11-r1: 仍不合格 (re-inspection fac-2026-11-r1: still fails)"]
    assert app_store.get("tickets", "fac-2026-11:fac.03").doc["status"] == "verified"
