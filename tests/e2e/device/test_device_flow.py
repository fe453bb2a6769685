"""A guard's device against the real app: login, pull, fill offline, sync, see the score."""
from __future__ import annotations

import pytest

from sync.client import DeviceClient, InvalidInput, NotLoggedIn, UnknownDefinition

from .conftest import PASS, jpeg_bytes, sha
from .transports import FlaskTransport


def server_result(app_store, result_id):
    rec = app_store.get("results", result_id)
    return None if rec is None else rec.doc


def test_login_pull_fill_push_scores_on_server(device, team, app_store):
    device.pull()
    assert device.pulled.definition("daily-round")["version"] == 1

    receipt = device.fill("daily-round", None, {"env.clean": {"value": "pass"},
                                                "env.lights": {"value": "fail", "defects": [
                                                    {"deduction": 1, "note": "bulb out"}]}},
                          site_id="A")  # the site's code works: login fetched the user's sites
    assert receipt.mutation_id == 1
    assert receipt.preview["total"] < receipt.preview["max"]  # the failed item lost points
    assert device.status()["outbox"] == 1
    assert server_result(app_store, receipt.result_id) is None  # offline: nothing sent yet

    report = device.sync()
    assert report["push"].applied == 1
    stored = server_result(app_store, receipt.result_id)
    assert stored["site_id"] == team.site_a["id"]
    assert stored["score"]["total"] == receipt.preview["total"]  # device preview == server score
    assert stored["score"]["max"] == receipt.preview["max"]
    status = device.status()
    assert status["outbox"] == 0 and status["rejected"] == [] and status["last_sync_at"]
    # the pull brought the stored result back into the site bucket
    assert device.pulled.record("results", receipt.result_id)["score"] == stored["score"]


def test_photos_travel_with_the_result(device, app_store, tmp_path):
    device.pull()
    photo = tmp_path / "door.jpg"
    photo.write_bytes(jpeg_bytes(3))
    receipt = device.fill("daily-round", 1, PASS, photos=[(str(photo), [], "env.clean")],
                          site_id="A")
    photo.unlink()  # the device kept its own copy
    assert receipt.photos == [sha(jpeg_bytes(3))]
    assert device.status()["photo_bytes_left"] == len(jpeg_bytes(3))

    device.sync()
    stored = server_result(app_store, receipt.result_id)
    assert stored["answers"]["env.clean"]["photos"] == receipt.photos
    assert stored["photos"][0]["item"] == "env.clean"
    assert device.status()["photos"] == [] and device.status()["photo_bytes_left"] == 0
    # the media bump arrived with the pull
    assert device.pulled.record("results", receipt.result_id)["media"] == "complete"


def test_rejected_mutation_is_kept_visible_and_does_not_block(device, team, app_store):
    device.pull()
    device.fill("daily-round", 1, PASS, site_id="A", result_id="r-first")
    # a mutation the server refuses (a ticket move from a wrong state) queued in between
    device.outbox.append("move_ticket", {"ticket_id": "t-none", "from": "open", "to": "done"})
    device.fill("daily-round", 1, PASS, site_id="A", result_id="r-after")
    report = device.push()
    assert (report.applied, len(report.rejected)) == (2, 1)
    assert server_result(app_store, "r-after") is not None
    rejected = device.status()["rejected"]
    assert [(r["id"], r["name"]) for r in rejected] == [(2, "move_ticket")]
    assert rejected[0]["args"]["ticket_id"] == "t-none" and rejected[0]["error"]["code"]
    assert device.status()["outbox"] == 0


def test_offline_errors_name_the_problem(device, tmp_path):
    device.pull()
    with pytest.raises(UnknownDefinition, match="no-such"):
        device.fill("no-such", None, PASS, site_id="A")
    with pytest.raises(InvalidInput, match="env.clean"):
        device.fill("daily-round", 1, {"env.clean": {"value": "maybe"}}, site_id="A")
    with pytest.raises(InvalidInput, match="do not work at site"):
        device.fill("daily-round", 1, PASS, site_id="B")
    text = tmp_path / "note.txt"
    text.write_text("not a photo")
    with pytest.raises(InvalidInput, match="not a JPEG"):
        device.fill("daily-round", 1, PASS, photos=[str(text)], site_id="A")
    assert device.status()["outbox"] == 0 and device.photos.all() == []  # nothing half-queued


def test_not_logged_in(tmp_path, client):
    fresh = DeviceClient(str(tmp_path / "fresh"), FlaskTransport(client))
    with pytest.raises(NotLoggedIn):
        fresh.pull()


def test_outbox_and_queue_survive_a_restart(device, tmp_path, app_store, transport):
    device.pull()
    photo = tmp_path / "p.jpg"
    photo.write_bytes(jpeg_bytes(9))
    first = device.fill("daily-round", 1, PASS, photos=[str(photo)], site_id="A")
    second = device.fill("daily-round", 1, PASS, site_id="A")
    client_id = device.outbox.client_id

    device.close()  # the process ends: its lock goes with it
    restarted = DeviceClient(device.data_dir, transport)  # a new process on the same files
    assert restarted.outbox.client_id == client_id
    assert [m["id"] for m in restarted.outbox.pending()] == [1, 2]
    assert restarted.status()["photo_bytes_left"] == len(jpeg_bytes(9))
    third = restarted.fill("daily-round", 1, PASS, site_id="A")
    assert third.mutation_id == 3  # ids continue, never reused
    restarted.sync()
    for receipt in (first, second, third):
        assert server_result(app_store, receipt.result_id) is not None
    assert server_result(app_store, first.result_id)["media"] == "complete"


def test_relogin_rotates_the_client_id_and_keeps_pending_work(device, app_store):
    device.pull()
    device.fill("daily-round", 1, PASS, site_id="A", result_id="r-1")
    device.push()
    device.fill("daily-round", 1, PASS, site_id="A", result_id="r-2")
    old_client = device.outbox.client_id
    device.login("guard-a", "correct horse battery", "test phone")  # new token, new device id
    assert device.outbox.client_id != old_client
    assert [m["id"] for m in device.outbox.pending()] == [1]  # renumbered under the new id
    device.sync()
    assert server_result(app_store, "r-2") is not None
    assert device.status()["outbox"] == 0



def test_site_changes_reach_the_device_through_pull(device, team, app_store):
    from server.services.accounts import users
    device.pull()
    with pytest.raises(InvalidInput, match="do not work at site 'B'"):
        device.fill("daily-round", 1, PASS, site_id="B")
    users.set_sites(app_store, team.users["guard"]["id"],
                    [team.site_a["id"], team.site_b["id"]])
    device.pull()  # the new site:<id> bucket (with the site record and its code) arrives
    receipt = device.fill("daily-round", 1, PASS, site_id="B")
    device.sync()
    assert server_result(app_store, receipt.result_id)["site_id"] == team.site_b["id"]
    users.set_sites(app_store, team.users["guard"]["id"], [team.site_a["id"]])
    device.pull()  # removed_buckets: B's rows leave the device
    assert f"site:{team.site_b['id']}" not in device.pulled.cursors()
    assert device.pulled.record("results", receipt.result_id) is None
