"""The FORMS slice in headless Chromium against the real server (issue 17).

An engineer fills the built-in facilities rubric at 360x780: one deduction item
failed with a defect, a reading outside its threshold (so its evidence rule asks
for a photo and a note), a generated JPEG through the camera input marked up with
every tool (arrow, box, ellipse, freehand with an undo, text); the page is reloaded mid-form and the draft must come back; submit
is refused while evidence is missing, then accepted. The queued mutation must
validate against the server's SubmitResult and annotation schemas, and pushed
through the real sync endpoint it must be stored with the score the preview showed.

Other slices (shell, engine) are not in this branch: the page mounts the screen
under a stand-in ctx, and the engine is the real one when present, else a stand-in
asking the Python engine (standin_server.py).
"""
from __future__ import annotations

import base64
import hashlib
import io
import pathlib
import uuid

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect, sync_playwright

import checklists
from server.extensions import STORE_KEY
from server.services import definitions
from sync.annotations import AnnotationsSchema
from sync.mutation_args import SubmitResult
from tests.browsers import launch_chromium, serving
from tests.conftest import bearer
from tests.e2e.app.facilities_form import (DEFINITION_ID, answer_check, drag,
                                          fail_one_and_flag_a_reading, item, preview, sign)
from tests.e2e.app.standin_server import wsgi

ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "artifacts"

pytestmark = pytest.mark.slow  # a browser start and a dozen screens: ~20 s


@pytest.fixture
def served(app, team, accounts):
    for raw in checklists.builtin_definitions():
        if raw["id"] in (DEFINITION_ID, "handover-acceptance"):
            definitions.install(app.extensions[STORE_KEY], raw, by="test")
    engineer = team.users["engineer"]
    token = accounts.token(engineer, "forms test phone")
    me = {"user_id": engineer["id"], "username": engineer["username"], "role": "engineer",
          "site_ids": [team.site_a["id"]], "device_id": None}
    with serving(wsgi(app, {"me": me, "token": token})) as base:
        yield base, token, team.site_a["id"]


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught script errors of the page: a test ends by asserting there were none."""
    return []


@pytest.fixture
def page(page_errors):
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN",
                                      geolocation={"latitude": 31.2304, "longitude": 121.4737,
                                                   "accuracy": 12.0},
                                      permissions=["geolocation"])
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # the confirm() before submit
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        yield page
        context.close()
        browser.close()


def camera_jpeg(path: pathlib.Path) -> pathlib.Path:
    """A 'camera' photo larger than the display copy, so the downscale path runs."""
    image = Image.new("RGB", (1600, 1200), (90, 120, 160))
    ImageDraw.Draw(image).rectangle((500, 400, 1100, 800), fill=(230, 220, 40))
    image.save(path, "JPEG", quality=90)
    return path


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"app-inspect-{name}.png"))


def open_form(page, base: str) -> None:
    page.goto(f"{base}/app/test/forms.html#/inspect/{DEFINITION_ID}")
    expect(item(page, "fac.01")).to_be_visible()


def test_an_inspection_is_filled_annotated_resumed_and_submitted(served, page, page_errors,
                                                                 tmp_path, client, app):
    base, token, site_id = served
    open_form(page, base)
    fail_one_and_flag_a_reading(page)
    shot(page, "1-form")

    page.locator(".sc-submit").click()  # refused: the evidence is missing
    blocked = page.locator(".fi-blocked")
    expect(blocked).to_be_visible()
    expect(blocked).to_contain_text("至少需要 1 张照片")  # the server's evidence rule, in Chinese
    shot(page, "2-blocked")
    blocked.locator(".fi-problem-link").first.click()

    item(page, "fac.06.retention").locator("input[type=file]").set_input_files(
        str(camera_jpeg(tmp_path / "camera.jpg")))
    thumb = item(page, "fac.06.retention").locator(".ph-thumb img")
    expect(thumb).to_have_count(1)
    page.wait_for_function("document.querySelector('.ph-thumb img').naturalWidth > 0")
    assert page.evaluate("document.querySelector('.ph-thumb img').naturalWidth") == 1280

    item(page, "fac.06.retention").locator(".ph-annotate").click()
    canvas = page.locator(".an-canvas")
    expect(canvas).to_be_visible()
    drag(page, "arrow", (0.2, 0.25), (0.6, 0.6))
    drag(page, "rect", (0.3, 0.3), (0.7, 0.7))
    drag(page, "ellipse", (0.1, 0.6), (0.3, 0.9))
    drag(page, "freehand", (0.7, 0.1), (0.9, 0.4))
    page.locator(".an-undo").click()  # the freehand stroke goes again
    drag(page, "freehand", (0.75, 0.15), (0.95, 0.35))
    page.locator('.an-tool[data-tool="text"]').click()
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.62)
    page.locator(".an-text").fill("只保存3天")
    page.locator(".an-text").press("Enter")
    shot(page, "3-annotate")
    page.locator(".an-done").click()
    expect(item(page, "fac.06.retention").locator(".ph-annotate")).to_contain_text("5")

    # reload mid-form: the draft (answers, photo, markup) comes back, the note is still to write
    page.wait_for_function("""async () => {
        const [draft] = await window.testCtx.db.drafts.toArray();
        return draft && draft.photos.some((p) => p.annotations && p.annotations.shapes.length === 5);
    }""")  # a tap is saved at once; wait for that write, not for a time
    assert "draft=" in page.url  # so the reload resumes this draft
    page.reload()
    expect(item(page, "fac.01")).to_be_visible()
    expect(item(page, "fac.01").locator('.fi-toggle[data-value="fail"]')).to_have_attribute(
        "aria-pressed", "true")
    expect(item(page, "fac.01").locator("input.fi-deduction")).to_have_value("0.5")
    expect(item(page, "fac.06.retention").locator(".ph-annotate")).to_contain_text("5")
    item(page, "fac.06.retention").locator("textarea.fi-note").fill("录像只保存3天")

    page.locator(".sc-summary").click()
    expect(page.locator(".sc-deduction").first).to_be_visible()
    shot(page, "4-score")
    total, band = preview(page)
    assert (total, band) == (19.5, "excellent")  # 20 points, 0.5 off for the one defect
    expect(page.locator(".sc-deduction")).to_have_count(1)

    page.locator(".sc-submit").click()
    page.wait_for_function("location.hash === '#/today'")
    queued = page.evaluate("window.testCtx.db.outbox.toArray()")
    assert page.evaluate("window.testCtx.db.drafts.toArray()") == []  # deleted with the queueing
    assert [m["name"] for m in queued] == ["submit_result"]
    args = queued[0]["args"]
    SubmitResult().load(args)  # raises with the field if the server would refuse it
    assert args["site_id"] == site_id and args["checklist"] == {"id": DEFINITION_ID, "version": 2}
    assert args["gps"]["accuracy_m"] == 12.0
    [photo] = args["photos"]
    assert photo["item"] == "fac.06.retention"
    markup = AnnotationsSchema().load(photo["annotations"])
    assert [s["type"] for s in markup["shapes"]] == ["arrow", "rect", "ellipse", "freehand", "text"]
    arrow = markup["shapes"][0]["points"]
    assert arrow[0] == pytest.approx([0.2, 0.25], abs=0.01) and arrow[1] == pytest.approx([0.6, 0.6], abs=0.01)
    assert len(markup["shapes"][3]["points"]) > 2 and markup["shapes"][4]["text"] == "只保存3天"
    assert args["answers"]["fac.06.retention"]["photos"] == [photo["sha256"]]

    # through the real push: stored once, scored as the preview said
    headers = bearer(token)
    body = {"client_id": uuid.uuid4().hex, "schema_version": 1,
            "mutations": [{"id": 1, "name": "submit_result", "args": args,
                           "client_ts": args["finished_at"]}]}
    resp = client.post("/api/v1/sync/push", json=body, headers=headers)
    assert resp.status_code == 200 and resp.json["results"][0]["status"] == "applied", resp.json
    stored = app.extensions[STORE_KEY].get("results", args["result_id"]).doc
    assert (stored["score"]["total"], stored["score"]["band"]) == (total, band)

    # the original bytes were kept: they hash to the cited sha256 and render annotated
    original = base64.b64decode(page.evaluate("""async (sha) => {
        const rec = await window.testCtx.db.photos.get(sha);
        const bytes = new Uint8Array(await rec.blob.arrayBuffer());
        let text = ''; for (const b of bytes) text += String.fromCharCode(b);
        return btoa(text); }""", photo["sha256"]))
    assert hashlib.sha256(original).hexdigest() == photo["sha256"]
    resp = client.patch(f"/api/v1/photos/{photo['sha256']}", data=original,
                        headers={**headers, "Upload-Offset": "0", "Upload-Length": str(len(original)),
                                 "Content-Type": "application/offset+octet-stream"})
    assert resp.status_code in (200, 204), resp.data[:300]
    resp = client.get(f"/api/v1/photos/{photo['sha256']}?variant=annotated", headers=headers)
    assert resp.status_code == 200
    assert Image.open(io.BytesIO(resp.data)).size[0] > 0
    (ARTIFACTS / "app-inspect-8-server-annotated.jpg").write_bytes(resp.data)  # beside shot 3
    assert page_errors == []


def stored_drafts(page) -> list[dict]:
    return page.evaluate("window.testCtx.db.drafts.toArray()")


def test_a_handover_with_rooms_and_a_signature_is_kept_then_discarded(served, page, page_errors):
    base, _, _ = served
    page.goto(f"{base}/app/test/forms.html#/inspect/handover-acceptance")
    rooms = page.locator('.fi-section[data-section="ho.rooms"]')
    expect(item(page, "ho.scope")).to_be_visible()
    expect(rooms).to_be_hidden()  # shown for a unit only
    answer_check(page, "ho.scope", "unit")
    expect(rooms).to_be_visible()
    expect(item(page, "ho.unit_no")).to_be_visible()
    expect(item(page, "ho.area")).to_be_hidden()

    add = rooms.locator(".fi-instance-add")
    for label, kind in (("主卧", "dry"), ("卫生间", "wet")):
        add.click()
        instance = rooms.locator(".fi-instance").last
        instance.locator(".fi-instance-label").fill(label)
        answer_check(page, f"ho.rooms[{instance.get_attribute('data-index')}].ho.room.kind", kind)
    # waterproofing is asked in the wet room only, per instance
    expect(item(page, "ho.rooms[0].ho.room.waterproofing")).to_be_hidden()
    expect(item(page, "ho.rooms[1].ho.room.waterproofing")).to_be_visible()
    answer_check(page, "ho.rooms[1].ho.room.walls", "fail")
    shot(page, "5-handover-rooms")

    rooms.locator('.fi-instance[data-index="0"] .fi-instance-remove').click()  # confirm accepted
    expect(rooms.locator(".fi-instance")).to_have_count(1)
    expect(rooms.locator(".fi-instance-label")).to_have_value("卫生间")
    expect(item(page, "ho.rooms[0].ho.room.waterproofing")).to_be_visible()
    expect(item(page, "ho.rooms[0].ho.room.walls").locator('.fi-toggle[data-value="fail"]')
           ).to_have_attribute("aria-pressed", "true")

    signature = item(page, "ho.sign.handover")
    signature.locator(".fi-input").fill("王工")
    signature.locator(".fi-sign").click()
    sign(page)
    shot(page, "6-signature")
    page.locator(".sig-done").click()
    expect(signature.locator("img.fi-signature")).to_be_visible()

    page.wait_for_function("""async () => {
        const [draft] = await window.testCtx.db.drafts.toArray();
        return draft && draft.answers['ho.sign.handover']?.value?.image;
    }""")
    [draft] = stored_drafts(page)
    assert [i["label"] for i in draft["answers"]["ho.rooms"]] == ["卫生间"]
    value = draft["answers"]["ho.sign.handover"]["value"]
    assert value["signer"] == "王工"
    kept = page.evaluate("async (sha) => (await window.testCtx.db.photos.get(sha)).blob.type",
                         value["image"])
    assert kept == "image/png"

    page.goto(f"{base}/app/test/forms.html#/inspect/")
    listed = page.locator(".dl-draft")
    expect(listed).to_have_count(1)
    expect(page.locator(".dl-start")).to_have_count(2)
    shot(page, "7-drafts")
    listed.locator(".dl-discard").click()  # confirm accepted
    expect(page.locator(".dl-draft")).to_have_count(0)
    assert stored_drafts(page) == []
    assert page_errors == []
