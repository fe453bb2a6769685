"""Issue 11, photo items: download headers, stamps of odd stored data, short JPEGs."""
import pytest

from server.services.sync_service import placed_put
from tests.unit.photos.samples import claiming_size, encode, noisy_picture

from .conftest import jpeg_bytes, photo_state, refusal, sha, submit


def uploaded(guard, team, photo, result_id="r1"):
    assert guard.push(submit(team.site_a["id"], result_id, photos=[sha(photo)])).status_code == 200
    assert photo_state(guard.upload(photo)) in ("accepted", "refused")
    return f"/api/v1/photos/{sha(photo)}"


def test_every_download_forbids_sniffing_and_runs_nothing(guard, team, published, client):
    url = uploaded(guard, team, jpeg_bytes(size=(64, 48)))
    for variant in ("original", "display", "thumb", "stamped"):
        r = client.get(f"{url}?variant={variant}", headers=guard.headers)
        assert r.status_code == 200, variant
        assert r.headers["X-Content-Type-Options"] == "nosniff", variant
        assert r.headers["Content-Security-Policy"] == "default-src 'none'; sandbox", variant


def test_a_jpeg_claiming_more_pixels_than_it_holds_is_refused_and_kept(
        guard, team, published, client, app):
    liar = claiming_size(encode(noisy_picture(320, 240)), 6000, 6000)
    guard.push(submit(team.site_a["id"], "r1", photos=[sha(liar)]))
    r = guard.upload(liar)
    assert photo_state(r) == "refused" and refusal(r).startswith("truncated JPEG")
    assert "6000×6000" in refusal(r)
    got = client.get(f"/api/v1/photos/{sha(liar)}?variant=display", headers=guard.headers)
    assert got.status_code == 422 and "truncated JPEG" in got.json["message"]
    original = client.get(f"/api/v1/photos/{sha(liar)}", headers=guard.headers)
    assert original.status_code == 200 and original.data == liar  # the evidence, as sent


def rewrite_result(store, result_id, change):
    """Old stored data: the result as an earlier server (or a bug) left it."""
    doc = store.get("results", result_id).doc
    change(doc)
    store.commit([placed_put("results", doc)])


ODD_STORED_DATA = {
    "device time not a date": lambda d: d["submitted"].update(device_ts="yesterday-ish"),
    "device time not a string": lambda d: d["submitted"].update(device_ts=12345),
    "year 9999 and an offset from year 1": lambda d: d["submitted"].update(
        device_ts="9999-12-31T23:59:00+00:00", clock_offset_ms=63_900_000_000_000),
    "year 1 minus a year": lambda d: d["submitted"].update(
        device_ts="0001-01-01T00:00:00+00:00", clock_offset_ms=-31_600_000_000),
    "offset not a number": lambda d: d["submitted"].update(clock_offset_ms="soon"),
    "offset too large for a timedelta": lambda d: d["submitted"].update(clock_offset_ms=10**18),
    "naive device time at year 9999": lambda d: d["submitted"].update(
        device_ts="9999-12-31T23:59:59"),
    "no device time, server time odd": lambda d: d["submitted"].update(
        device_ts=None, at="2026-11-xx"),
    "photo taken_at odd": lambda d: d["photos"][0].update(taken_at=["no"]),
    "gps odd": lambda d: d.update(gps={"lat": "north", "lon": None}),
    "submitter not an id": lambda d: d["submitted"].update(by=["x"]),
}


@pytest.mark.parametrize("case", ODD_STORED_DATA)
def test_a_stamp_renders_whatever_stored_data_it_meets(guard, team, published, client,
                                                       app_store, case):
    url = uploaded(guard, team, jpeg_bytes(size=(320, 240)))
    rewrite_result(app_store, "r1", ODD_STORED_DATA[case])
    r = client.get(f"{url}?variant=stamped", headers=guard.headers)
    assert r.status_code == 200 and r.data[:2] == b"\xff\xd8"


def test_a_refused_photo_stays_a_422_with_odd_stamp_data(guard, team, published, client,
                                                          app_store):
    junk = b"not an image at all" * 20
    url = uploaded(guard, team, junk)
    rewrite_result(app_store, "r1", ODD_STORED_DATA["year 9999 and an offset from year 1"])
    r = client.get(f"{url}?variant=stamped", headers=guard.headers)
    assert r.status_code == 422 and "not an image" in r.json["message"]
