"""A guard's device walks a patrol round end to end: pull the planned rounds, start,
scan, finish offline, push; the supervisor reads the verdict through the API.

Site A is set up through the API as in ``tests/integration/patrol`` (the
street of the unit timelines, the night schedule assigned to guard-a).
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sync.client.cli import device as device_cli
from sync.client.errors import InvalidInput
from tests.conftest import PASSWORD
from tests.integration.patrol.site_setup import PatrolSite
from tests.unit.patrol.builders import LAT0, LON0, METRE_LAT, local

from .conftest import jpeg_bytes
from .transports import FlaskTransport

ROUND = "night.v1.20261102T2200"


@pytest.fixture
def patrol_site(client, team, app_store):
    site = PatrolSite(client, team, app_store)
    site.set_up()
    return site


def fix(n: int) -> dict:
    """A GPS fix at checkpoint ``n`` of the street."""
    return {"lat": LAT0 + (n - 1) * 100 * METRE_LAT, "lon": LON0, "accuracy_m": 8}


def guard_cli(tmp_path, client):
    """``cli(*args)``: ``fieldsync device`` in a fresh data dir, logged in as guard-a and
    pulled; each command must succeed and gives its output."""
    runner, data_dir = CliRunner(), str(tmp_path / "cli-device")
    obj = {"transport": FlaskTransport(client)}

    def cli(*args, input=None):
        result = runner.invoke(device_cli, ["--data-dir", data_dir, *args], obj=dict(obj),
                               input=input)
        assert result.exit_code == 0, result.output
        return result.output

    cli("login", "http://server.test", input=f"guard-a\n{PASSWORD}\n")
    cli("pull")
    return cli


def test_the_library_walks_the_night_round_and_the_server_judges_it(device, patrol_site):
    device.pull()
    mine = [o["id"] for o in device.patrol.mine()]
    assert mine[:2] == [ROUND, "night.v1.20261103T0000"]
    device.patrol.start(ROUND, at=local("22:02"))
    for n, when in enumerate(["22:05", "22:07", "22:09", "22:11", "22:13"], start=1):
        device.patrol.scan(f"TAG-{n}", method="nfc", gps=fix(n), at=local(when))
    round_id, _ = device.patrol.finish(at=local("22:14"))
    assert device.status()["pending"] == [{"id": 1, "name": "submit_round", "record": ROUND}]
    pushed = device.push()
    assert pushed.applied == 1
    [walked] = patrol_site.rounds()
    assert walked["id"] == round_id
    verdict = walked["verdict"]
    assert (verdict["status"], verdict["punctuality"]) == ("completed", 100.0)
    assert [c["status"] for c in verdict["checkpoints"]] == ["on_time"] * 5
    assert [f["code"] for f in verdict["flags"]] == ["late_submission"]  # pushed weeks later
    device.pull()
    assert ROUND not in [o["id"] for o in device.patrol.mine()]            # it has its result


def test_bad_scans_are_refused_on_the_device_naming_the_field(device, patrol_site):
    device.pull()
    with pytest.raises(InvalidInput, match="no round in progress"):
        device.patrol.scan("TAG-1")
    device.patrol.start(ROUND, at=local("22:02"))
    with pytest.raises(InvalidInput, match=r"scans\[0\]\.gps\.lat"):
        device.patrol.scan("TAG-1", gps={"lat": 200, "lon": 121.4, "accuracy_m": 5})
    with pytest.raises(InvalidInput, match="no checkpoint of this site"):
        device.patrol.scan("NO-SUCH-TAG", answers={"ok": True})
    device.patrol.scan("NO-SUCH-TAG", method="manual", at=local("22:03"))  # kept: flagged later
    assert len(device.patrol.current()["scans"]) == 1


def test_the_cli_runs_a_round_with_a_photo_and_answers(tmp_path, client, patrol_site):
    cli = guard_cli(tmp_path, client)
    assert ROUND in cli("patrol", "list")
    cli("patrol", "start", ROUND)
    photo = tmp_path / "lamp.jpg"
    photo.write_bytes(jpeg_bytes(3))
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"lights": "on"}))
    cli("patrol", "scan", "TAG-1", "--method", "nfc", "--lat", str(fix(1)["lat"]),
        "--lon", str(LON0), "--accuracy", "8", "--photo", str(photo), "--answers", str(answers))
    cli("patrol", "scan", "TAG-2", "--method", "manual")
    assert "queued" in cli("patrol", "finish")
    pushed = cli("push")
    assert "1 applied" in pushed and "1 complete" in pushed
    [walked] = patrol_site.rounds()
    visit = walked["result"]["visits"]["cp1"]
    assert visit["answers"] == {"lights": "on"} and len(visit["photos"]) == 1
    # through the existing photo path: the round's media completes, its site may view it
    assert (walked["media"], walked["missing_photos"]) == ("complete", [])
    sha256 = visit["photos"][0]["sha256"]
    boss = patrol_site.boss
    for variant in ("thumb", "stamped"):
        assert client.get(f"/api/v1/photos/{sha256}?variant={variant}",
                          headers=boss).status_code == 200
    outsider = patrol_site.team.guard_b_headers
    assert client.get(f"/api/v1/photos/{sha256}?variant=thumb",
                      headers=outsider).status_code == 404
    assert [s["method"] for s in walked["result"]["scans"]] == ["nfc", "manual"]
    assert "manual_entry" in [f["code"] for f in walked["verdict"]["flags"]]


def test_a_visits_answers_name_the_checklist_version_they_were_given_to(device, patrol_site):
    """The newest pulled version by default, or the one asked for; the server judges by it."""
    patrol_site.gate_checklist(1, 2)
    device.pull()
    device.patrol.start(ROUND, at=local("22:02"))
    device.patrol.scan("TAG-1", method="nfc", at=local("22:05"))
    device.patrol.scan("TAG-2", method="nfc", at=local("22:07"),
                       answers={"g.barrier": {"value": "pass"}}, checklist_version=1)
    device.patrol.scan("TAG-3", method="nfc", at=local("22:09"))
    with pytest.raises(InvalidInput, match="version 7 of checklist gate-check is not on this"):
        device.patrol.scan("TAG-2", answers={"g.staff": {"value": 2}}, checklist_version=7)
    with pytest.raises(InvalidInput, match="cp3 has no checklist"):
        device.patrol.scan("TAG-3", answers={"x": {"value": 1}}, checklist_version=1)
    device.patrol.finish(at=local("22:14"))
    device.push()
    [walked] = patrol_site.rounds()
    visit = walked["result"]["visits"]["cp2"]
    assert (visit["checklist_id"], visit["checklist_version"]) == ("gate-check", 1)
    assert [f for f in walked["verdict"]["flags"] if f["checkpoint_id"]] == []


def test_the_cli_sends_the_newest_pulled_version_with_answers(tmp_path, client, patrol_site):
    patrol_site.gate_checklist(1, 2)
    cli = guard_cli(tmp_path, client)
    cli("patrol", "start", ROUND)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"g.barrier": {"value": "pass"}}))   # a version-1 item
    cli("patrol", "scan", "TAG-2", "--answers", str(answers))
    cli("patrol", "finish")
    cli("push")
    [walked] = patrol_site.rounds()
    visit = walked["result"]["visits"]["cp2"]
    assert (visit["checklist_id"], visit["checklist_version"]) == ("gate-check", 2)
    # judged by version 2, where g.barrier is no item and g.arm is required
    assert [f["evidence"]["path"] for f in walked["verdict"]["flags"]
            if f["code"] == "answer_invalid"] == ["visits.cp2.answers.g.barrier",
                                                  "visits.cp2.answers.g.arm.value"]
