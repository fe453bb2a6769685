"""Resumable photo upload and variant downloads over HTTP."""
import base64
import io
import hashlib
import os

from server.extensions import close_store
from server.media import get_uploads
from server.services.sync_service import photo_verified
from tests.conftest import make_app

from .conftest import Device, jpeg_bytes, photo_state, refusal, sha, submit


def checksum(chunk: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()


def test_result_first_then_photo_in_chunks_then_media_complete(guard, team, published, client):
    photo = jpeg_bytes()
    r = guard.push(submit(team.site_a["id"], "r1", photos=[sha(photo)]))
    assert r.json["results"][0]["missing_photos"] == [sha(photo)]
    first_seq = r.json["results"][0]["seq"]
    q = client.post("/api/v1/photos/query", json={"sha256": [sha(photo)]},
                    headers=guard.headers)
    assert q.json["photos"][sha(photo)]["state"] == "absent"
    half = len(photo) // 2
    r = guard.upload(photo, chunk=photo[:half], checksum=checksum(photo[:half]))
    assert r.status_code == 204 and r.headers["Upload-Offset"] == str(half)
    head = client.head(f"/api/v1/photos/{sha(photo)}", headers=guard.headers)
    assert head.headers["Upload-Offset"] == str(half)
    r = guard.upload(photo, offset=half, checksum=checksum(photo[half:]))
    assert photo_state(r) == "accepted" and r.headers["Upload-Offset"] == str(len(photo))
    changes = [c for b in guard.pull().json["buckets"] for c in b["changes"] if c["id"] == "r1"]
    assert changes[0]["data"]["media"] == "complete" and changes[0]["seq"] > first_seq


def test_upload_errors_change_nothing(guard, client):
    photo = jpeg_bytes()
    name = sha(photo)
    assert guard.upload(photo, chunk=photo[:100]).status_code == 204
    r = guard.upload(photo, offset=50, chunk=photo[50:150])
    assert r.status_code == 409 and r.json["offset"] == 100
    r = guard.upload(photo, offset=100, chunk=photo[100:200], checksum=checksum(b"other"))
    assert r.status_code == 460
    head = client.head(f"/api/v1/photos/{name}", headers=guard.headers)
    assert head.headers["Upload-Offset"] == "100"
    r = client.patch(f"/api/v1/photos/{name}", data=b"x", headers={
        **guard.headers, "Upload-Offset": "100", "Upload-Length": str(len(photo)),
        "Content-Type": "text/plain"})
    assert r.status_code == 415
    r = client.patch(f"/api/v1/photos/{name}", data=b"x", headers={
        **guard.headers, "Upload-Offset": "soon", "Upload-Length": str(len(photo)),
        "Content-Type": "application/offset+octet-stream"})
    assert r.status_code == 422
    assert client.head("/api/v1/photos/NOT-HEX", headers=guard.headers).status_code == 404
    assert photo_state(guard.upload(photo, offset=100)) == "accepted"


def test_bytes_that_do_not_hash_to_the_name_are_removed(guard, client):
    photo = jpeg_bytes()
    r = guard.upload(photo, name="ab" * 32)
    assert r.status_code == 422 and r.json["error"] == "hash_mismatch"
    assert client.head(f"/api/v1/photos/{'ab' * 32}", headers=guard.headers).status_code == 404


def query_state(client, headers, photo):
    r = client.post("/api/v1/photos/query", json={"sha256": [sha(photo)]}, headers=headers)
    return r.json["photos"][sha(photo)]["state"]


def test_the_same_photo_from_two_devices_is_stored_once(guard, client, team, accounts, app,
                                                        published):
    photo = jpeg_bytes()
    guard.push(submit(team.site_a["id"], "r1", photos=[sha(photo)]))
    assert photo_state(guard.upload(photo)) == "accepted"
    # the guard's second phone and a colleague at the same site need send nothing
    second_phone = accounts.headers(team.users["guard"])
    colleague = Device(client, accounts.headers(team.users["engineer"]))
    assert query_state(client, second_phone, photo) == "complete"
    assert query_state(client, colleague.headers, photo) == "complete"
    assert photo_state(colleague.upload(photo, chunk=b"")) == "accepted"  # zero bytes: here
    root = os.path.join(app.config["DATA_DIR"], "photos", sha(photo)[:2])
    assert os.listdir(root) == [sha(photo)]


def test_another_sites_hash_probe_learns_nothing_and_must_send_the_bytes(
        guard, client, team, app, published):
    photo = jpeg_bytes((10, 200, 10))
    guard.push(submit(team.site_a["id"], "r1", photos=[sha(photo)]))
    assert photo_state(guard.upload(photo)) == "accepted"
    outsider = Device(client, team.guard_b_headers)                 # works at site B only
    assert query_state(client, outsider.headers, photo) == "absent"
    assert client.head(f"/api/v1/photos/{sha(photo)}", headers=outsider.headers).status_code == 404
    got = client.get(f"/api/v1/photos/{sha(photo)}", headers=outsider.headers)
    assert got.status_code == 404
    # citing the hash in a site-B result gives nothing until the bytes are sent
    r = outsider.push(submit(team.site_b["id"], "r2", photos=[sha(photo)]))
    assert r.json["results"][0]["missing_photos"] == [sha(photo)]
    assert client.get(f"/api/v1/photos/{sha(photo)}", headers=outsider.headers).status_code == 404
    assert photo_state(outsider.upload(photo, chunk=b"")) is None   # no free pass
    assert photo_state(outsider.upload(photo)) == "accepted"        # the bytes prove it
    assert client.get(f"/api/v1/photos/{sha(photo)}", headers=outsider.headers).status_code == 200
    root = os.path.join(app.config["DATA_DIR"], "photos", sha(photo)[:2])
    assert os.listdir(root) == [sha(photo)]                         # still stored once


def test_a_refused_image_is_kept_its_reason_reported_and_its_result_marked(
        guard, client, team, published, app):
    junk = os.urandom(2000)
    guard.push(submit(team.site_a["id"], "r1", photos=[sha(junk)]))
    r = guard.upload(junk)
    assert photo_state(r) == "refused" and "not" in refusal(r)
    q = client.post("/api/v1/photos/query", json={"sha256": [sha(junk)]}, headers=guard.headers)
    assert q.json["photos"][sha(junk)]["refused"] == refusal(r)
    [result] = [c["data"] for b in guard.pull().json["buckets"] for c in b["changes"]
                if c["id"] == "r1"]
    assert result["media"] == "complete"
    assert result["refused_photos"] == {sha(junk): refusal(r)}
    stored = os.path.join(app.config["DATA_DIR"], "photos", sha(junk)[:2], sha(junk))
    assert open(stored, "rb").read() == junk  # the evidence is kept as sent
    # a result citing the photo after its refusal is marked when it is stored
    assert guard.push(submit(team.site_a["id"], "r2", photos=[sha(junk)])).status_code == 200
    [later] = [c["data"] for b in guard.pull().json["buckets"] for c in b["changes"]
               if c["id"] == "r2"]
    assert later["refused_photos"] == {sha(junk): refusal(r)}
    assert later["media"] == "complete"


def test_downloads_only_for_those_who_may_see_a_citing_result(guard, client, team, published):
    photo = jpeg_bytes(size=(640, 480))
    guard.push(submit(team.site_a["id"], "r1", photos=[sha(photo)]))
    guard.upload(photo)
    url = f"/api/v1/photos/{sha(photo)}"
    r = client.get(url, headers=guard.headers)
    assert r.status_code == 200 and r.data == photo and sha(photo) in r.headers["ETag"]
    assert "immutable" in r.headers["Cache-Control"]
    r = client.get(url, headers={**guard.headers, "Range": "bytes=0-9"})
    assert r.status_code == 206 and r.data == photo[:10]
    for variant in ("thumb", "display", "stamped"):
        r = client.get(f"{url}?variant={variant}", headers=guard.headers)
        assert r.status_code == 200 and r.data[:2] == b"\xff\xd8", variant
    assert client.get(f"{url}?variant=annotated", headers=guard.headers).status_code == 422
    assert client.get(url, headers=team.guard_b_headers).status_code == 404
    assert client.get(f"{url}?variant=poster", headers=guard.headers).status_code == 422
    assert client.get(url).status_code == 401


def test_a_photo_published_just_before_a_crash_completes_its_results_at_startup(
        guard, team, published, app):
    photo = jpeg_bytes()
    guard.push(submit(team.site_a["id"], "r1", photos=[sha(photo)]))
    store = app.extensions["fieldsync.store"]
    with app.app_context():  # the bytes land (their sender recorded), then the server dies
        get_uploads().append(sha(photo), 0, io.BytesIO(photo), len(photo),
                             upload_length=len(photo), on_verified=lambda: photo_verified(
                                 store, sha(photo), team.users["guard"]["id"]))
    close_store(app)
    again = make_app(app.config["DATA_DIR"])
    try:
        doc = again.extensions["fieldsync.store"].get("results", "r1").doc
        assert doc["media"] == "complete" and doc["missing_photos"] == []
    finally:
        close_store(again)
