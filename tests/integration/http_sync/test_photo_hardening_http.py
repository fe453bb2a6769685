"""Issue 11, photo items: download headers, stamps of odd stored data, short JPEGs."""
from tests.unit.photos.samples import claiming_size, encode, noisy_picture

from .conftest import jpeg_bytes, sha, submit


def uploaded(guard, team, photo, result_id="r1"):
    assert guard.push(submit(team.site_a["id"], result_id, photos=[sha(photo)])).status_code == 200
    assert guard.upload(photo).status_code == 200
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
    assert r.status_code == 200 and r.json["refused"].startswith("truncated JPEG")
    assert "6000×6000" in r.json["refused"]
    got = client.get(f"/api/v1/photos/{sha(liar)}?variant=display", headers=guard.headers)
    assert got.status_code == 422 and "truncated JPEG" in got.json["message"]
    original = client.get(f"/api/v1/photos/{sha(liar)}", headers=guard.headers)
    assert original.status_code == 200 and original.data == liar  # the evidence, as sent
