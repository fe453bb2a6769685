"""The photo upload as a tus 1.0.0 server: core, creation and checksum extensions."""
import base64
import hashlib
import os

import pytest

from server.api.tus import parse_metadata

from .conftest import jpeg_bytes, photo_state, refusal, sha, submit

TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = "application/offset+octet-stream"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def create(client, headers, photo, *, metadata=None, length=None):
    meta = metadata if metadata is not None else \
        f"sha256 {b64(sha(photo))},filename {b64('门厅.jpg')},filetype {b64('image/jpeg')}"
    return client.post("/api/v1/photos", headers={
        **headers, **TUS, "Upload-Length": str(length or len(photo)), "Upload-Metadata": meta})


def patch(client, headers, url, chunk, offset, **extra):
    return client.patch(url, data=chunk, headers={
        **headers, **TUS, "Upload-Offset": str(offset), "Content-Type": OCTETS, **extra})


def digest(alg: str, chunk: bytes) -> str:
    return f"{alg} {base64.b64encode(hashlib.new(alg, chunk).digest()).decode()}"


def test_options_tells_version_extensions_checksums_and_size_without_a_login(client):
    for url in ("/api/v1/photos", f"/api/v1/photos/{'ab' * 32}"):
        r = client.options(url)
        assert r.status_code == 204
        assert r.headers["Tus-Resumable"] == r.headers["Tus-Version"] == "1.0.0"
        assert r.headers["Tus-Extension"] == "creation,checksum"
        assert set(r.headers["Tus-Checksum-Algorithm"].split(",")) == {"sha1", "sha256", "md5"}
        assert int(r.headers["Tus-Max-Size"]) > 1_000_000


def test_create_then_patch_without_length_then_head(guard, client, team, published):
    photo = jpeg_bytes()
    guard.push(submit(team.site_a["id"], "r1", photos=[sha(photo)]))
    r = create(client, guard.headers, photo)
    assert r.status_code == 201 and r.headers["Tus-Resumable"] == "1.0.0"
    url = r.headers["Location"]
    assert url.endswith(f"/api/v1/photos/{sha(photo)}") and r.headers["Upload-Offset"] == "0"
    head = client.head(url, headers={**guard.headers, **TUS})
    assert head.status_code == 200 and head.headers["Upload-Offset"] == "0"
    assert head.headers["Upload-Length"] == str(len(photo))
    assert head.headers["Cache-Control"] == "no-store" and head.headers["Tus-Resumable"]
    half = len(photo) // 2
    r = patch(client, guard.headers, url, photo[:half], 0)
    assert r.status_code == 204 and r.headers["Upload-Offset"] == str(half)
    assert photo_state(r) is None and r.headers["Tus-Resumable"] == "1.0.0"
    # creating the same photo again is the same upload at its offset: resume, not duplicate
    again = create(client, guard.headers, photo)
    assert again.status_code == 201 and again.headers["Location"] == url
    assert again.headers["Upload-Offset"] == str(half)
    r = patch(client, guard.headers, url, photo[half:], half)
    assert r.status_code == 204 and photo_state(r) == "accepted"
    assert r.headers["Upload-Offset"] == str(len(photo))
    head = client.head(url, headers={**guard.headers, **TUS})
    assert head.headers["Upload-Offset"] == head.headers["Upload-Length"] == str(len(photo))
    assert head.headers["Photo-State"] == "accepted"
    # once complete, creating it again says so: nothing left to send
    assert create(client, guard.headers, photo).headers["Upload-Offset"] == str(len(photo))


def test_every_supported_checksum_is_verified_and_a_mismatch_keeps_nothing(guard, client):
    photo = os.urandom(3000)
    url = create(client, guard.headers, photo).headers["Location"]
    offset = 0
    for alg in ("sha1", "md5", "sha256"):
        chunk = photo[offset:offset + 1000]
        bad = patch(client, guard.headers, url, chunk, offset,
                    **{"Upload-Checksum": digest(alg, chunk + b"x")})
        assert bad.status_code == 460 and bad.headers["Tus-Resumable"] == "1.0.0"
        assert client.head(url, headers=guard.headers).headers["Upload-Offset"] == str(offset)
        r = patch(client, guard.headers, url, chunk, offset,
                  **{"Upload-Checksum": digest(alg, chunk)})
        assert r.status_code == 204
        offset += 1000
        assert r.headers["Upload-Offset"] == str(offset)
    r = patch(client, guard.headers, url, b"", offset,
              **{"Upload-Checksum": "crc32 " + b64("abcd")})
    assert r.status_code == 400 and "crc32" in r.json["message"]
    r = patch(client, guard.headers, url, photo[offset:], offset,
              **{"Upload-Checksum": "md5 " + b64("short")})
    assert r.status_code == 400 and "16 bytes" in r.json["message"]
    for malformed in ("", "sha256", "sha1 %%%"):
        r = patch(client, guard.headers, url, photo[offset:], offset,
                  **{"Upload-Checksum": malformed})
        assert r.status_code == 422 and r.json["errors"]["headers"]["Upload-Checksum"]


def test_protocol_refusals(guard, client):
    photo = jpeg_bytes((1, 2, 3))
    url = f"/api/v1/photos/{sha(photo)}"
    # another protocol version: 412 naming ours, before anything else is looked at
    r = client.post("/api/v1/photos", headers={**guard.headers, "Tus-Resumable": "0.2.2"})
    assert r.status_code == 412 and r.headers["Tus-Version"] == "1.0.0"
    r = client.head(url, headers={**guard.headers, "Tus-Resumable": "2.0.0"})
    assert r.status_code == 412
    # a PATCH for an upload nobody created (and no Upload-Length to start it): 404
    r = patch(client, guard.headers, url, photo, 0)
    assert r.status_code == 404 and r.json["error"] == "no_upload"
    assert client.head(url, headers=guard.headers).status_code == 404
    # the chunk must be sent as tus says
    create(client, guard.headers, photo)
    r = client.patch(url, data=photo, headers={**guard.headers, **TUS, "Upload-Offset": "0",
                                               "Content-Type": "application/octet-stream"})
    assert r.status_code == 415
    r = patch(client, guard.headers, url, photo[10:], 10)
    assert r.status_code == 409 and r.json["offset"] == 0
    # a length other than the one the upload was created with
    r = create(client, guard.headers, photo, length=len(photo) + 1)
    assert r.status_code == 422 and r.json["errors"]["headers"]["Upload-Length"]


@pytest.mark.parametrize("metadata", ["", "filename " + b64("a.jpg"), "sha256 " + b64("abc"),
                                      "sha256 !!!", f"sha256 {b64('a' * 64)},sha256 x"])
def test_creation_needs_the_photos_sha256_in_its_metadata(guard, client, metadata):
    r = create(client, guard.headers, b"x" * 10, metadata=metadata)
    assert r.status_code == 422 and r.json["errors"]["headers"]["Upload-Metadata"]


def test_creation_over_the_size_limit_is_413(guard, client):
    r = create(client, guard.headers, b"x", length=10 ** 12)
    assert r.status_code == 413


def test_creation_needs_a_login(client):
    assert create(client, {}, b"x" * 10).status_code == 401


def test_a_refusal_reaches_a_tus_client_in_headers(guard, client, team, published):
    junk = b"\x00not a picture" * 50
    url = create(client, guard.headers, junk).headers["Location"]
    r = patch(client, guard.headers, url, junk, 0)
    assert r.status_code == 204 and r.headers["Photo-State"] == "refused"
    q = client.post("/api/v1/photos/query", json={"sha256": [sha(junk)]}, headers=guard.headers)
    assert refusal(r) == q.json["photos"][sha(junk)]["refused"]  # the same words
    head = client.head(url, headers=guard.headers)
    assert head.headers["Photo-State"] == "refused"
    assert head.headers["Photo-Refused"] == r.headers["Photo-Refused"]


def test_metadata_parsing():
    assert parse_metadata(f"sha256 {b64('ab')},empty,name {b64('门厅')}") == {
        "sha256": "ab", "empty": "", "name": "门厅"}
    for bad in ("", "a b c", "a x,,b", "a !!", f"a {b64('1')},a {b64('2')}"):
        with pytest.raises(ValueError):
            parse_metadata(bad)
