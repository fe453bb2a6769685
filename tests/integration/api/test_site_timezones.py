"""Sites carry an IANA time zone: set at creation, changed later, used by stamps."""
from datetime import timedelta

import pytest

from server.cli import main
from server.config import ConfigError
from server.services import definitions
from server.services.stamps import stamp_for
from tests.conftest import make_app
from tests.integration.http_sync.conftest import (DEFINITION, Device, jpeg_bytes, photo_state,
                                                 sha, submit)


def test_a_site_gets_the_configured_zone_or_the_one_given(client, team):
    admin = team.headers["admin"]
    plain = client.post("/api/v1/sites", json={"code": "SH", "name": "上海"}, headers=admin)
    assert plain.status_code == 201 and plain.json["timezone"] == "Asia/Shanghai"
    urumqi = client.post("/api/v1/sites", json={"code": "UR", "name": "乌鲁木齐",
                                                "timezone": "Asia/Urumqi"}, headers=admin)
    assert urumqi.status_code == 201 and urumqi.json["timezone"] == "Asia/Urumqi"
    got = client.get(f"/api/v1/sites/{urumqi.json['id']}", headers=admin)
    assert got.json["timezone"] == "Asia/Urumqi"


@pytest.mark.parametrize("bad", ["Mars/Olympus", "../../etc/passwd", "localtime", "+08:00"])
def test_an_unknown_zone_is_a_422_naming_the_field_and_nothing_is_stored(client, team, bad):
    admin = team.headers["admin"]
    r = client.post("/api/v1/sites", json={"code": "X1", "name": "x", "timezone": bad},
                    headers=admin)
    assert r.status_code == 422 and "timezone" in r.json["errors"]["json"]
    listed = client.get("/api/v1/sites", headers=admin).json["items"]
    assert "X1" not in [s["code"] for s in listed]
    r = client.patch(f"/api/v1/sites/{team.site_a['id']}", json={"timezone": bad},
                     headers=admin)
    assert r.status_code == 422 and "timezone" in r.json["errors"]["json"]


def test_admins_change_a_zone_and_others_may_not(client, team):
    url = f"/api/v1/sites/{team.site_a['id']}"
    r = client.patch(url, json={"timezone": "Europe/Berlin"}, headers=team.headers["admin"])
    assert r.status_code == 200 and r.json["timezone"] == "Europe/Berlin"
    assert client.get(url, headers=team.headers["guard"]).json["timezone"] == "Europe/Berlin"
    assert client.patch(url, json={"timezone": "UTC"},
                        headers=team.headers["supervisor"]).status_code == 403
    assert client.patch("/api/v1/sites/nope", json={"timezone": "UTC"},
                        headers=team.headers["admin"]).status_code == 404


def test_the_cli_sets_and_changes_zones(runner):
    r = runner.invoke(main, ["site", "add", "NHG", "南湖花园", "--timezone", "Asia/Urumqi"])
    assert r.exit_code == 0 and "Asia/Urumqi" in r.output
    r = runner.invoke(main, ["site", "set-timezone", "nhg", "Asia/Shanghai"])
    assert r.exit_code == 0 and "Asia/Shanghai" in r.output
    assert "Asia/Shanghai" in runner.invoke(main, ["site", "list"]).output
    r = runner.invoke(main, ["site", "set-timezone", "NHG", "Mars/Olympus"])
    assert r.exit_code == 1 and "Mars/Olympus" in r.output and "Traceback" not in r.output
    r = runner.invoke(main, ["site", "add", "BAD", "x", "--timezone", "Nowhere"])
    assert r.exit_code == 1 and "Nowhere" in r.output


def test_a_bad_default_zone_stops_the_server_with_its_name(tmp_path):
    with pytest.raises(ConfigError, match="DEFAULT_TIMEZONE"):
        make_app(tmp_path / "d", DEFAULT_TIMEZONE="Atlantis/Capital")


def test_the_stamp_shows_local_time_of_the_site_with_its_offset(app_store, team, client):
    """Stored times are UTC; the stamp prints the site's wall clock and offset."""
    result = {"site_id": team.site_a["id"], "checklist": {"id": "none", "version": 1},
              "submitted": {"at": "2026-11-23T16:30:00+00:00", "device_ts": None}}
    stamp = stamp_for(app_store, result, {}, "Asia/Shanghai")
    assert stamp.time.utcoffset() == timedelta(hours=8)
    assert (stamp.time.day, stamp.time.hour, stamp.time.minute) == (24, 0, 30)
    client.patch(f"/api/v1/sites/{team.site_a['id']}", json={"timezone": "America/New_York"},
                 headers=team.headers["admin"])
    stamp = stamp_for(app_store, result, {}, "Asia/Shanghai")
    assert stamp.time.utcoffset() == timedelta(hours=-5) and stamp.time.hour == 11


def test_changing_a_sites_zone_redraws_its_stamps(client, team, app_store):
    definitions.install(app_store, DEFINITION, by="test")
    guard = Device(client, team.headers["guard"])
    photo = jpeg_bytes(size=(320, 240))
    guard.push(submit(team.site_a["id"], "r1", photos=[sha(photo)]))
    assert photo_state(guard.upload(photo)) == "accepted"
    url = f"/api/v1/photos/{sha(photo)}?variant=stamped"
    before = client.get(url, headers=guard.headers)
    client.patch(f"/api/v1/sites/{team.site_a['id']}", json={"timezone": "Europe/London"},
                 headers=team.headers["admin"])
    after = client.get(url, headers=guard.headers)
    assert before.status_code == after.status_code == 200
    assert before.headers["ETag"] != after.headers["ETag"] and before.data != after.data
