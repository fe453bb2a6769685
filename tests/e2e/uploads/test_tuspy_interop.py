"""Interop: tuspy, a third-party tus client, uploads photos to the real server.

It discovers nothing of fieldsync: it creates the upload with ``POST`` and
metadata, sends sha1-checksummed chunks, and after a cut connection asks
``HEAD`` where to go on -- the server's offset is the truth, and nothing the
server has is sent twice.
"""
from __future__ import annotations

import hashlib
import io
import random
from urllib.parse import urlparse

import pytest
from PIL import Image
from tusclient import client as tus_client
from tusclient.exceptions import TusCommunicationError
from tusclient.storage.filestorage import FileStorage

from server.media import get_uploads

CHUNK = 16 * 1024


def noisy_jpeg(seed: int) -> bytes:
    """About 150 KB of random pixels: several chunks."""
    rng = random.Random(seed)
    img = Image.frombytes("RGB", (300, 250), rng.randbytes(300 * 250 * 3))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95)
    return out.getvalue()


def uploader(server, headers, photo, *, file_path=None, **kw):
    client = tus_client.TusClient(server.url + "/api/v1/photos", headers=headers)
    sha256 = hashlib.sha256(photo).hexdigest()
    source = {"file_path": str(file_path)} if file_path else {"file_stream": io.BytesIO(photo)}
    return client.uploader(**source, chunk_size=CHUNK,
                           metadata={"sha256": sha256, "filename": "门厅.jpg"},
                           upload_checksum=True, **kw)


def stored(app, photo) -> bytes:
    with app.app_context():
        path = get_uploads().path(hashlib.sha256(photo).hexdigest())
    with open(path, "rb") as fh:
        return fh.read()


def test_tuspy_uploads_a_photo(live_server, team, app):
    photo = noisy_jpeg(1)
    up = uploader(live_server, team.headers["guard"], photo)
    up.upload()
    assert urlparse(up.url).path == f"/api/v1/photos/{hashlib.sha256(photo).hexdigest()}"
    assert stored(app, photo) == photo
    assert live_server.counter.received == len(photo)


def test_a_cut_connection_resumes_from_the_servers_offset(live_server, team, app):
    photo = noisy_jpeg(2)
    live_server.counter.drop_patches = {3}           # the third chunk never arrives
    up = uploader(live_server, team.headers["guard"], photo, retries=2, retry_delay=0)
    up.upload()
    assert live_server.counter.dropped == 1 and live_server.counter.refused() == []
    assert stored(app, photo) == photo
    assert live_server.counter.received == len(photo)  # nothing sent twice


def test_a_new_client_process_resumes_from_its_stored_url(live_server, team, app, tmp_path):
    photo = noisy_jpeg(3)
    urls = FileStorage(str(tmp_path / "tus-urls.json"))
    path = tmp_path / "photo.jpg"
    path.write_bytes(photo)
    first = uploader(live_server, team.headers["guard"], photo, file_path=path,
                     store_url=True, url_storage=urls)
    first.upload(stop_at=3 * CHUNK)                  # the app is closed here
    # a later run finds the URL by the file's fingerprint and asks HEAD for the offset
    later = uploader(live_server, team.headers["guard"], photo, file_path=path,
                     store_url=True, url_storage=urls)
    assert later.offset == 3 * CHUNK
    later.upload()
    assert stored(app, photo) == photo
    assert live_server.counter.received == len(photo)


def test_creating_the_same_photo_again_resumes_instead_of_duplicating(live_server, team, app):
    photo = noisy_jpeg(4)
    uploader(live_server, team.headers["guard"], photo).upload(stop_at=2 * CHUNK)
    # a client that lost the URL creates again: the same upload. tuspy then sends its
    # first chunk at 0, which the server refuses (409, nothing kept), and its retry
    # asks HEAD where the server is
    again = uploader(live_server, team.headers["guard"], photo, retries=1, retry_delay=0)
    again.upload()
    assert stored(app, photo) == photo
    assert live_server.counter.refused() == [(CHUNK, 409)]
    assert live_server.counter.received == len(photo)


def test_tuspy_without_a_token_is_refused(live_server):
    with pytest.raises(TusCommunicationError) as refused:
        uploader(live_server, {}, noisy_jpeg(5)).upload()
    assert refused.value.status_code == 401
