"""Issue 11, photo items: download headers, stamps of odd stored data, short JPEGs."""
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
