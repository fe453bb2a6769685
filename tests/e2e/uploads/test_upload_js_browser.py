"""The field app's upload.js in headless Chromium against the real server.

A test page (not app code) imports ``/app/static/js/upload.js`` with a small
stand-in for the Dexie table calls, and uploads a generated JPEG with the
vendored tus-js-client. The connection is cut mid-upload (Playwright aborts
a PATCH, so it never reaches the server): the retry asks the server's offset
and sends only what it lacks -- the server counts every byte it took.
"""
from __future__ import annotations

import base64
import hashlib
import io
import pathlib
import random

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright
from werkzeug.middleware.shared_data import SharedDataMiddleware
from werkzeug.wrappers import Response

from server.media import get_uploads
from tests.browsers import launch_chromium, serving

from .conftest import LiveServer, PatchCounter

pytestmark = pytest.mark.slow  # a browser start per test

ROOT = pathlib.Path(__file__).resolve().parents[3]
STATIC = ROOT / "server" / "field_app" / "static"
HARNESS = pathlib.Path(__file__).with_name("upload_harness.html").read_bytes()
CHUNK = 256 * 1024


def noisy_jpeg(seed: int, size=(1000, 900)) -> bytes:
    """Random pixels at high quality: about 1 MB, so four or more 256 KiB chunks."""
    rng = random.Random(seed)
    img = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95)
    return out.getvalue()


class HarnessPages:
    """Serves the harness page and the photos to upload; everything else to ``inner``."""

    def __init__(self, inner, photos: dict[str, bytes]):
        self.inner, self.photos = inner, photos

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/test/upload.html":
            return Response(HARNESS, mimetype="text/html")(environ, start_response)
        if path.startswith("/test/photos/"):
            data = self.photos[path.rsplit("/", 1)[1]]
            return Response(data, mimetype="image/jpeg")(environ, start_response)
        return self.inner(environ, start_response)


@pytest.fixture(scope="module")
def photos():
    return {"a.jpg": noisy_jpeg(1), "b.jpg": noisy_jpeg(2), "c.jpg": noisy_jpeg(3),
            "junk.jpg": b"\xff\xd8\xff not really a JPEG " * 100}


@pytest.fixture
def field_server(app, photos):
    """The API (bytes counted) plus the app's static files at /app/static, as the shell
    blueprint will serve them."""
    counter = PatchCounter(app)
    wsgi = HarnessPages(SharedDataMiddleware(counter, {"/app/static": str(STATIC)}), photos)
    with serving(wsgi) as base:
        yield LiveServer(base, counter)


@pytest.fixture
def page(field_server):
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page()
        page.goto(field_server.url + "/test/upload.html")
        page.wait_for_function("window.harnessReady === true")
        yield page
        browser.close()


def token(team) -> str:
    return team.headers["guard"]["Authorization"].split(" ", 1)[1]


def run(page, team, name, **options):
    return page.evaluate("([t, url, o]) => window.harness.run(t, url, o)",
                         [token(team), f"/test/photos/{name}", options])


def stored(app, data: bytes) -> bytes:
    with app.app_context():
        path = get_uploads().path(hashlib.sha256(data).hexdigest())
    return pathlib.Path(path).read_bytes()


def abort_patches(page, which):
    """Cut the connection of the PATCH requests whose 1-based number ``which`` accepts."""
    seen = {"patches": 0, "aborted": 0}

    def handle(route, request):
        if request.method == "PATCH":
            seen["patches"] += 1
            if which(seen["patches"]):
                seen["aborted"] += 1
                return route.abort("connectionreset")
        return route.continue_()
    page.route("**/api/v1/photos/*", handle)
    return seen


def test_upload_js_sends_a_photo_with_progress(page, field_server, team, app, photos):
    photo = photos["a.jpg"]
    assert len(photo) > 4 * CHUNK
    out = run(page, team, "a.jpg")
    assert out["sha256"] == hashlib.sha256(photo).hexdigest()   # sha256OfBlob
    assert out["summary"] == {"done": [out["sha256"]], "refused": {}, "failed": {}}
    assert out["row"]["state"] == "done" and out["row"]["offset"] == len(photo)
    sent = [e["sent"] for e in out["events"] if e["state"] == "uploading"]
    assert sent == sorted(sent) and len(sent) > 1                 # progress as it goes
    assert out["events"][-1] == {"sha256": out["sha256"], "sent": len(photo),
                                 "total": len(photo), "state": "done", "error": None}
    assert stored(app, photo) == photo
    assert field_server.counter.received == len(photo)
    assert len(field_server.counter.bodies) == -(-len(photo) // CHUNK)  # 256 KiB chunks


def test_a_cut_connection_resumes_from_the_servers_offset(page, field_server, team, app,
                                                          photos):
    photo = photos["b.jpg"]
    seen = abort_patches(page, lambda n: n == 2)
    out = run(page, team, "b.jpg")
    assert seen["aborted"] == 1 and out["row"]["state"] == "done"
    assert stored(app, photo) == photo
    assert field_server.counter.refused() == []
    assert field_server.counter.received == len(photo)   # nothing the server had was resent


def test_an_upload_cut_for_good_resumes_after_a_reload(page, field_server, team, app, photos):
    photo = photos["c.jpg"]
    abort_patches(page, lambda n: n > 2)                 # the network goes away after 2 chunks
    out = run(page, team, "c.jpg", retryDelays=[0])
    assert list(out["summary"]["failed"]) == [out["sha256"]]
    assert out["row"]["state"] == "waiting" and out["row"]["error"]
    assert out["row"]["offset"] == 2 * CHUNK
    page.unroute("**/api/v1/photos/*")
    page.reload()                                        # the app was closed and opened again
    page.wait_for_function("window.harnessReady === true")
    out = run(page, team, "c.jpg")
    assert out["row"]["state"] == "done"
    assert stored(app, photo) == photo
    # the upload URL stored under the sha256 was found again: HEAD, then only the rest
    # (had the app created the upload anew, its first PATCH at 0 would have got a 409)
    assert field_server.counter.refused() == []
    assert field_server.counter.received == len(photo)


def test_a_refused_image_is_marked_with_the_servers_reason(page, team, app, photos):
    out = run(page, team, "junk.jpg")
    reason = out["summary"]["refused"][out["sha256"]]
    assert reason == "damaged JPEG header"                  # the server's words
    assert out["row"]["state"] == "refused" and out["row"]["error"] == reason
    assert stored(app, photos["junk.jpg"]) == photos["junk.jpg"]   # kept as evidence


def watch_patches(page, damage=()):
    """Record each PATCH's Upload-Checksum and body; flip a byte of the bodies whose 1-based
    number is in ``damage`` (the header still names the sent bytes: a chunk hurt on the way)."""
    seen = []

    def handle(route, request):
        if request.method != "PATCH":
            return route.continue_()
        body = request.post_data_buffer
        seen.append((request.headers.get("upload-checksum"), body))
        if len(seen) in damage:
            return route.continue_(post_data=bytes([body[0] ^ 0xFF]) + body[1:])
        return route.continue_()
    page.route("**/api/v1/photos/*", handle)
    return seen


def test_every_chunk_carries_its_sha1_checksum(page, field_server, team, app, photos):
    photo = photos["a.jpg"]
    seen = watch_patches(page)
    out = run(page, team, "a.jpg")
    assert out["row"]["state"] == "done"
    assert len(seen) == -(-len(photo) // CHUNK)
    for header, body in seen:
        assert header == "sha1 " + base64.b64encode(hashlib.sha1(body).digest()).decode()
    assert field_server.counter.refused() == []


def test_a_damaged_chunk_is_refused_alone_and_sent_again(page, field_server, team, app, photos):
    photo = photos["b.jpg"]
    seen = watch_patches(page, damage={2})
    out = run(page, team, "b.jpg")
    assert out["summary"]["done"] == [out["sha256"]] and out["row"]["state"] == "done"
    # the server checked the header: 460 for the damaged chunk, nothing of it stored
    assert field_server.counter.refused() == [(CHUNK, 460)]
    assert seen[1][0] == seen[2][0]                         # the same chunk, sent again
    assert stored(app, photo) == photo
    assert field_server.counter.received == len(photo)      # only that chunk twice
