"""Issue 17's whole scenario through the real shell (no stand-in ctx): a guard opens the app
online, logs in and pulls; the phone goes offline and the app is reloaded (the shell comes
from the service worker); a patrol round is walked with typed codes and one QR label decoded
from a picture; an inspection is filled with a photo marked up with an arrow, its preview's
total and band noted; back online, one sync, and the connection is cut in the middle of the
photo's upload. The server holds the result once, scored as the preview said, the annotated
photo renders, the round is stored once with its typed scans flagged manual, and the upload
resumed without the server receiving again what it had.
"""
from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect, sync_playwright

import checklists
from server.services import definitions
from tests.browsers import launch_chromium, serving
from tests.conftest import PASSWORD
from tests.e2e.uploads.conftest import PatchCounter
from tests.e2e.uploads.test_upload_js_browser import CHUNK, noisy_jpeg
from tests.integration.patrol.site_setup import PatrolSite

from .conftest import log_in, shot
from .facilities_form import DEFINITION_ID, drag, fail_one_and_flag_a_reading, item, preview
from .test_patrol import qr_picture
from .test_patrol_in_shell import walk_five

pytestmark = pytest.mark.slow  # one browser, a worker install, a round, a form, two syncs


@pytest.fixture
def field_site(client, team, app_store):
    """guard-a's night rounds at site A, and the facilities rubric any worker may start."""
    site = PatrolSite(client, team, app_store)
    site.set_up()
    raw = next(d for d in checklists.builtin_definitions() if d["id"] == DEFINITION_ID)
    definitions.install(app_store, raw, by="test")
    return site


@pytest.fixture
def counted_server(app):
    """The app on a real port, PATCH bodies counted (and the second one cut mid-request)."""
    counter = PatchCounter(app, drop_patches={2})
    with serving(counter) as base:
        yield base, counter


def test_a_field_day_offline_then_one_sync(field_site, counted_server, team, app_store,
                                           tmp_path):
    base, counter = counted_server
    label = tmp_path / "label-TAG-3.jpg"
    label.write_bytes(qr_picture("TAG-3"))
    photo = noisy_jpeg(7)                      # about 1 MB: several 256 KiB chunks
    assert len(photo) > 3 * CHUNK
    (tmp_path / "leak.jpg").write_bytes(photo)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context(
            viewport={"width": 360, "height": 780}, locale="zh-CN", service_workers="allow",
            timezone_id="Asia/Shanghai", permissions=["geolocation"],
            geolocation={"latitude": 31.2304, "longitude": 121.4737, "accuracy": 12.0})
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, base, "guard-a", PASSWORD)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")

        context.set_offline(True)
        page.reload()                           # the shell from the worker, data from Dexie
        expect(page.locator("#today-rounds")).to_be_visible()
        assert page.evaluate("navigator.onLine") is False
        shot(page, "today")

        link = page.locator("#today-rounds a[href*='#/patrol/']").first
        occurrence = link.get_attribute("href").split("occurrence=")[1]
        link.click()
        page.locator(f"li[data-occurrence='{occurrence}'] button").click()
        walk_five(page, label)
        shot(page, "patrol-progress")
        page.click("button.patrol-finish")
        expect(page.locator("p.patrol-done")).to_be_visible()

        page.goto(base + "/app/#/today")
        page.click("#today-start")
        page.locator(f".dl-start[href$='/{DEFINITION_ID}']").click()
        expect(item(page, "fac.01")).to_be_visible()
        fail_one_and_flag_a_reading(page)
        retention = item(page, "fac.06.retention")
        retention.locator("input[type=file]").set_input_files(str(tmp_path / "leak.jpg"))
        expect(retention.locator(".ph-thumb img")).to_have_count(1)
        retention.locator(".ph-annotate").click()
        expect(page.locator(".an-canvas")).to_be_visible()
        drag(page, "arrow", (0.2, 0.25), (0.6, 0.6))
        shot(page, "annotation")
        page.locator(".an-done").click()
        retention.locator("textarea.fi-note").fill("录像只保存3天")
        page.locator(".sc-summary").click()
        total, band = preview(page)
        shot(page, "inspection-score")
        page.locator(".sc-submit").click()
        page.wait_for_function("() => location.hash === '#/today'")  # a function: the CSP forbids eval
        queued = page.evaluate("window.fieldsync.ctx.db.outbox.toArray()")
        [result_args] = [m["args"] for m in queued if m["name"] == "submit_result"]

        page.goto(base + "/app/#/status")      # still offline: the reason, in Chinese
        page.click("#sync-now")
        expect(page.locator("#sync-message")).to_contain_text("离线：连不上服务器")
        shot(page, "sync-offline-zh")

        context.set_offline(False)
        page.click("#sync-now")
        page.wait_for_function("() => document.querySelector('#status-bar').dataset.waiting === '0'"
                               " && document.querySelector('#status-bar').dataset.photos === '0'"
                               " && (b => b && !b.disabled)(document.querySelector('#sync-now'))")
        shot(page, "sync")
        browser.close()
    assert errors == []

    # the inspection: stored once, scored as the preview said, its photo marked up
    results = [r.doc for r in app_store.scan("results") if r.doc["checklist"]["id"] == DEFINITION_ID]
    assert [r["id"] for r in results] == [result_args["result_id"]]
    assert (results[0]["score"]["total"], results[0]["score"]["band"]) == (total, band)
    [cited] = result_args["photos"]
    assert cited["sha256"] == hashlib.sha256(photo).hexdigest()   # the name the server computes
    assert [s["type"] for s in cited["annotations"]["shapes"]] == ["arrow"]
    client = counter.app.test_client()
    resp = client.get(f"/api/v1/photos/{cited['sha256']}?variant=annotated",
                      headers=team.headers["supervisor"])
    assert (resp.status_code, resp.mimetype) == (200, "image/jpeg")

    # the upload cut once in the middle resumed: nothing the server had was sent again
    assert counter.dropped == 1
    assert len(photo) <= counter.received <= len(photo) + CHUNK

    # the round: stored once, the typed scans flagged manual
    day = occurrence.rsplit(".", 1)[1]
    [walked] = field_site.rounds(day=f"{day[:4]}-{day[4:6]}-{day[6:8]}")
    assert walked["occurrence_id"] == occurrence
    assert [s["method"] for s in walked["result"]["scans"]] == ["manual"] * 2 + ["qr"] + ["manual"] * 2
    assert [c["manual"] for c in walked["verdict"]["checkpoints"]] == [True, True, False, True, True]
