"""The field app's patrol screen in headless Chromium, against the real server.

A guard walks the night round of site A (``tests/integration/patrol/site_setup``: five
checkpoints 100 m apart): four codes typed, one read from a picture of its printed QR code
(made with segno, fed through the file input: the camera-less path), answers and a problem
photo at the third checkpoint, a reload mid-round; finish queues ONE ``submit_round``, which
the test pushes through the server's push endpoint over HTTP and reads back judged.

The app shell (router, Dexie, sync) is another slice: the page under ``patrol_page/`` mounts
the screen with a small ctx stand-in, fed with what the server's pull gives the guard.
Chromium's clock is set to the night of the round (Playwright's clock), its time zone to the
site's, and its position to each checkpoint's in turn. Screenshots (360x780) go to
``tests/artifacts/app-patrol-*.png``.
"""
from __future__ import annotations

import hashlib
import io
import json
import pathlib
import urllib.request
import uuid
from datetime import UTC, datetime

import pytest
import segno
from PIL import Image
from playwright.sync_api import expect, sync_playwright
from werkzeug.middleware.shared_data import SharedDataMiddleware

from server.services import definitions
from tests.browsers import launch_chromium, serving
from tests.integration.patrol.site_setup import PatrolSite
from tests.unit.households.builders import rental_body
from tests.unit.patrol.builders import LAT0, LON0, METRE_LAT

ROOT = pathlib.Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "tests" / "artifacts"
STATIC = ROOT / "server" / "field_app" / "static"
PAGE = pathlib.Path(__file__).resolve().parent / "patrol_page"
ROUND = "night.v1.20261102T2200"
NIGHT_PATROL = ROOT / "checklists" / "templates" / "07_night_patrol.json"
#: an item of the checkpoint's checklist (the inspection form's renderers)
ITEM = ".fi-item[data-item="

pytestmark = pytest.mark.slow  # a browser start: ~10 s


@pytest.fixture
def patrol_site(client, team, app_store):
    definitions.install(app_store, json.loads(NIGHT_PATROL.read_text("utf-8")), by="test")
    site = PatrolSite(client, team, app_store)
    site.set_up()
    r = client.patch(f"/api/v1/patrol/sites/{site.site_id}/checkpoints/cp3",
                     json={"checklist_id": "night-patrol", "photo_required": True},
                     headers=site.boss)
    assert r.status_code == 200, r.get_json()
    # a rented flat watched from 2栋: guards see what to watch there, never who lives there
    r = client.post(f"/api/v1/sites/{site.site_id}/households", headers=site.boss,
                    json=rental_body(checkpoint_tag="TAG-3"))
    assert r.status_code == 201, r.get_json()
    return site


@pytest.fixture
def server(app, patrol_site):
    """The real app on a free port, plus the app's static files and the test page."""
    wsgi = SharedDataMiddleware(app, {"/app/static": str(STATIC), "/test-app": str(PAGE)},
                                cache=False)
    with serving(wsgi) as base:
        yield base


def post(base: str, path: str, body: dict, headers: dict) -> dict:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={**headers, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def pulled_rows(base: str, headers: dict, client_id: str) -> list[dict]:
    """What the guard's phone pulls, as the app keeps it ({bucket, type, id, v, doc})."""
    body = post(base, "/api/v1/sync/pull", {"client_id": client_id, "schema_version": 1,
                                             "cursors": {}, "limit": 500}, headers)
    return [{"bucket": b["name"], "type": c["type"], "id": c["id"], "v": c.get("v"),
             "doc": c["data"]} for b in body["buckets"] for c in b["changes"] if c["op"] == "put"]


def push_round(base: str, headers: dict, client_id: str, args: dict) -> None:
    """Push the app's queued ``submit_round`` as mutation 1 (what the shell's sync sends)."""
    sent = datetime.now(UTC).isoformat()
    answer = post(base, "/api/v1/sync/push", {
        "client_id": client_id, "schema_version": 1, "sent_at": sent,
        "mutations": [{"id": 1, "name": "submit_round", "args": args, "client_ts": sent}]}, headers)
    assert [r["status"] for r in answer["results"]] == ["applied"], answer


def qr_picture(tag: str) -> bytes:
    """A phone photo of a printed label, roughly: the code off-centre on a grey page."""
    out = io.BytesIO()
    segno.make(tag, micro=False, error="m").save(out, kind="png", scale=8, border=4)
    code = Image.open(io.BytesIO(out.getvalue())).convert("RGB")
    page = Image.new("RGB", (code.width * 2, int(code.height * 1.6)), (200, 200, 195))
    page.paste(code, (code.width // 3, code.height // 4))
    jpeg = io.BytesIO()
    page.save(jpeg, "JPEG", quality=90)
    return jpeg.getvalue()


def problem_photo() -> bytes:
    """A dark street lamp, with the camera's capture time in its EXIF."""
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "2026:11:02 22:09:30"          # DateTimeOriginal
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 60, 30)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"app-patrol-{name}.png"), full_page=False)


def night_page(browser, base: str, given: dict, errors: list[str]):
    """A phone of 360x780 on the site's clock at 22:02 on the night, the patrol screen of
    ``given`` (pulled rows, me, lang) open; page errors go to ``errors``, dialogs are
    confirmed. Returns (context, page)."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.add_init_script(f"window.PATROL_TEST = {json.dumps(given)};")
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.clock.install(time=datetime.fromisoformat("2026-11-02T22:02:00+08:00"))
    page.goto(f"{base}/test-app/index.html#/patrol/{ROUND}")
    return context, page


def at_checkpoint(context, n: int) -> None:
    # accuracy 8..12 m: the screen's GPS line shows which fix it holds
    context.set_geolocation({"latitude": LAT0 + (n - 1) * 100 * METRE_LAT, "longitude": LON0,
                             "accuracy": 7 + n})


def test_a_guard_walks_a_round_in_the_app_and_the_server_judges_it(server, patrol_site, team,
                                                                   tmp_path):
    base = server
    guard = team.headers["guard"]
    client_id = uuid.uuid4().hex
    given = {"lang": "zh", "rows": pulled_rows(base, guard, client_id),
             "me": {"user_id": patrol_site.guard_id, "username": "guard-a", "role": "guard",
                    "site_ids": [patrol_site.site_id], "device_id": None}}
    picture = tmp_path / "label-TAG-3.jpg"
    picture.write_bytes(qr_picture("TAG-3"))
    photo = tmp_path / "broken-lamp.jpg"
    photo.write_bytes(problem_photo())

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN",
                                      timezone_id="Asia/Shanghai", permissions=["geolocation"],
                                      geolocation={"latitude": LAT0, "longitude": LON0,
                                                   "accuracy": 8})
        context.add_init_script(f"window.PATROL_TEST = {json.dumps(given)};")
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.clock.install(time=datetime.fromisoformat("2026-11-02T22:02:00+08:00"))
        page.goto(f"{base}/test-app/index.html#/patrol/night-walk?occurrence={ROUND}")  # Today's link

        rounds = page.locator(f"li[data-occurrence='{ROUND}']")
        expect(rounds).to_contain_text("开始巡逻")
        shot(page, "1-rounds")
        rounds.locator("button").click()
        expect(page.locator(".patrol-count")).to_have_text("已扫 0/5，剩 5 个")

        def walk_to(n: int, minutes: int = 2) -> None:
            page.clock.fast_forward(f"{minutes:02d}:00")
            at_checkpoint(context, n)
            expect(page.locator(".patrol-gps")).to_have_text(f"定位中，精度 {7 + n} 米")

        def type_code(tag: str) -> None:
            page.fill("input.patrol-typed", tag)
            page.click("button.patrol-record")

        walk_to(1, minutes=3)                                      # 22:05
        type_code("TAG-1")
        expect(page.locator(".patrol-count")).to_have_text("已扫 1/5，剩 4 个")
        walk_to(2)                                                 # 22:07
        type_code("  TAG-2 ")
        walk_to(3)                                                 # 22:09: the camera-less QR
        page.set_input_files("input.patrol-picture", str(picture))
        expect(page.locator(".patrol-message")).to_contain_text("已记录 2栋（二维码）")
        visit = page.locator(".patrol-visit")
        expect(visit).to_contain_text("此点要求拍照")
        expect(visit.locator(".patrol-watch")).to_contain_text("1 1203: 出租户")
        assert "李租客" not in visit.inner_text()
        visit.locator(f"{ITEM}'np.lighting.ok'] .fi-toggle[data-value='fail']").click()
        visit.locator(f"{ITEM}'np.lighting.ok'] .fi-note").fill("路灯不亮")
        for item in ("np.fire.passage", "np.fire.equipment", "np.fire.hazards"):
            visit.locator(f"{ITEM}'{item}'] .fi-toggle[data-value='pass']").click()
        rental = visit.locator(f"{ITEM}'np.key.rental']")
        expect(rental).to_be_hidden()       # the checklist's logic: asked where a rented unit is
        visit.locator(f"{ITEM}'np.key.present'] .fi-toggle[data-value='rental']").click()
        rental.locator(".fi-toggle[data-value='pass']").click()
        visit.locator(f"{ITEM}'np.key.moving'] .fi-toggle[data-value='none_seen']").click()
        page.set_input_files("input.patrol-problem-photo", str(photo))
        expect(visit.locator(".patrol-photos")).to_have_text("已拍 1 张")
        shot(page, "2-checkpoint")
        page.reload()              # unsaved: the draft holds every answer as it was given
        expect(page.locator(".patrol-count")).to_have_text("已扫 3/5，剩 2 个")
        page.locator("li[data-checkpoint='cp3']").click()
        expect(visit.locator(f"{ITEM}'np.lighting.ok'] .fi-note")).to_have_value("路灯不亮")
        expect(visit.locator(".patrol-photos")).to_have_text("已拍 1 张")
        visit.locator("button.patrol-save").click()
        expect(visit).to_be_hidden()      # all answered, the failed one with note and photo
        walk_to(4)                                                 # 22:11
        type_code("TAG-4")
        walk_to(5)                                                 # 22:13
        type_code("TAG-5")
        expect(page.locator(".patrol-count")).to_have_text("已扫 5/5，剩 0 个")
        expect(page.locator(".patrol-visit")).to_contain_text("在 南门")
        assert "null" not in page.inner_text("main") and "undefined" not in page.inner_text("main")
        shot(page, "3-progress")
        page.click("button.patrol-finish")
        expect(page.locator(".patrol-done")).to_contain_text("巡逻已结束")
        shot(page, "4-finished")
        outbox = page.evaluate("window.patrolTest.outbox()")
        assert page.evaluate("window.patrolTest.drafts()") == []
        browser.close()

    [queued] = outbox
    assert (queued["mutation_id"], queued["name"]) == (1, "submit_round")
    args = queued["args"]
    assert [(s["tag"], s["method"], s["at"][11:16]) for s in args["scans"]] == [
        ("TAG-1", "manual", "22:05"), ("TAG-2", "manual", "22:07"), ("TAG-3", "qr", "22:09"),
        ("TAG-4", "manual", "22:11"), ("TAG-5", "manual", "22:13")]
    assert [s["gps"]["accuracy_m"] for s in args["scans"]] == [8, 9, 10, 11, 12]
    push_round(base, guard, client_id, args)

    [walked] = patrol_site.rounds()
    verdict = walked["verdict"]
    assert (walked["id"], verdict["status"]) == (args["id"], "completed")
    assert [c["status"] for c in verdict["checkpoints"]] == ["on_time"] * 5
    assert [c["manual"] for c in verdict["checkpoints"]] == [True, True, False, True, True]
    flags = {f["code"]: f["evidence"] for f in verdict["flags"]}
    assert flags["manual_entry"] == {"count": 4}
    assert "gps_outside" not in flags
    visit = walked["result"]["visits"]["cp3"]
    assert visit["answers"]["np.lighting.ok"] == {"value": "fail", "note": "路灯不亮"}
    assert visit["answers"]["np.fire.passage"] == {"value": "pass"}
    assert visit["answers"]["np.key.present"] == {"value": ["rental"]}
    assert visit["answers"]["np.checkpoint"] == {"value": "TAG-3"}
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert visit["photos"] == [{"sha256": sha, "exif_time": "2026-11-02T22:09:30"}]
    assert walked["missing_photos"] == [sha]          # its bytes go up through the uploader


def y4m_of(picture: bytes, path: pathlib.Path) -> pathlib.Path:
    """A one-frame Y4M video of a picture (4:2:0): Chromium's fake camera loops it."""
    image = Image.open(io.BytesIO(picture)).convert("RGB").resize((640, 480))
    y, cb, cr = image.convert("YCbCr").split()
    half = (320, 240)
    frame = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\nFRAME\n" + frame)
    return path


#: every camera stream the page opens, so the test can see that each one was stopped
RECORD_STREAMS = """
window.cameraStreams = [];
const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (constraints) => {
  const stream = await open(constraints);
  window.cameraStreams.push(stream);
  return stream;
};
"""
#: Linux Chromium has neither Web NFC nor BarcodeDetector: stand-ins for both, a tag "tapped"
#: by the test, and a native detector without qr_code (the app must not use it)
NATIVE_STANDINS = """
window.nfcReaders = [];
window.NDEFReader = class {
  constructor() { this.onreading = null; this.onreadingerror = null; nfcReaders.push(this); }
  async scan({ signal } = {}) { this.signal = signal; }
};
window.nfcTap = (text) => nfcReaders[nfcReaders.length - 1].onreading({ serialNumber: '04:a2',
  message: { records: [{ recordType: 'text', encoding: 'utf-8',
                         data: new DataView(new TextEncoder().encode(text).buffer) }] } });
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ['ean_13']; }
  constructor() { window.barcodeDetectorMade = true; }
  async detect() { return []; }
};
"""
ALL_STOPPED = "window.cameraStreams.length > 0 && window.cameraStreams.every(" \
              "(s) => s.getTracks().every((t) => t.readyState === 'ended'))"


def test_the_camera_and_nfc_read_labels_and_are_released(server, patrol_site, team, tmp_path):
    """Chromium's fake camera films the QR label of TAG-1 (the only BarcodeDetector has no
    qr_code: the vendored jsQR decodes the frames); a stand-in NFC reader is tapped with
    TAG-2. The camera stops after the read, and camera and NFC stop when the guard leaves."""
    given = {"lang": "en", "rows": pulled_rows(server, team.headers["guard"], uuid.uuid4().hex),
             "me": {"user_id": patrol_site.guard_id, "username": "guard-a", "role": "guard",
                    "site_ids": [patrol_site.site_id], "device_id": None}}
    video = y4m_of(qr_picture("TAG-1"), tmp_path / "label.y4m")
    with sync_playwright() as pw:
        browser = launch_chromium(pw, "--use-fake-device-for-media-stream",
                                  "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}")
        context = browser.new_context(viewport={"width": 360, "height": 780},
                                      permissions=["camera"])
        context.add_init_script(f"window.PATROL_TEST = {json.dumps(given)};" + RECORD_STREAMS
                                + NATIVE_STANDINS)
        page = context.new_page()
        page.goto(f"{server}/test-app/index.html#/patrol/{ROUND}")
        page.locator(f"li[data-occurrence='{ROUND}'] button").click()
        page.click("button.patrol-camera")
        expect(page.locator(".patrol-message")).to_have_text("Recorded 北门 (QR)")
        page.wait_for_function(ALL_STOPPED)
        assert page.evaluate("document.querySelector('video.patrol-video').srcObject") is None
        [draft] = page.evaluate("window.patrolTest.drafts()")
        assert [(s["tag"], s["method"]) for s in draft["scans"]] == [("TAG-1", "qr")]
        shot(page, "5-camera-read")
        assert page.evaluate("window.barcodeDetectorMade") is None
        fetched = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
        assert any(name.endswith("/scan/jsqr_worker.js") for name in fetched)   # off the page

        page.click("button.patrol-nfc")
        expect(page.locator(".patrol-message")).to_have_text("Hold the phone to the NFC tag…")
        page.evaluate("nfcTap('TAG-2')")
        expect(page.locator(".patrol-message")).to_have_text("Recorded 1栋 (NFC)")

        # open it again and leave at once, while the camera is still starting: it must stop
        # when it comes up, and read nothing into the round
        page.evaluate("document.querySelector('button.patrol-camera').click();"
                      "location.hash = '#/patrol/mine';")
        page.wait_for_function(f"window.cameraStreams.length === 2 && {ALL_STOPPED}")
        expect(page.locator(f"li[data-occurrence='{ROUND}']")).to_contain_text("In progress")
        [draft] = page.evaluate("window.patrolTest.drafts()")
        assert [(s["tag"], s["method"]) for s in draft["scans"]] == [("TAG-1", "qr"), ("TAG-2", "nfc")]
        assert page.evaluate("nfcReaders.map((r) => r.signal.aborted)") == [True]
        browser.close()
