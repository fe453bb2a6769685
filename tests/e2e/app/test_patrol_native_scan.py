"""The native scanning path: where the browser's `BarcodeDetector` reads QR codes (Chrome on
Android), the patrol screen uses it for camera frames and for pictures, and falls back to the
vendored jsQR when it fails.

Linux Chromium has no BarcodeDetector, so the page gets a stand-in (the real API's shape):
it lists `qr_code` and "reads" TAG-1 in a camera frame (Chromium's fake camera, a generated
pattern) and TAG-2 in a picture; then it breaks, and a picture of TAG-3's label is read by
jsQR. Web NFC's path (a stand-in NDEFReader) is driven in test_patrol.py.
"""
from __future__ import annotations

import json
import uuid

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browsers import launch_chromium

from .test_patrol import (  # noqa: F401 (fixtures)
    ROUND, patrol_site, pulled_rows, qr_picture, server,
)

pytestmark = pytest.mark.slow  # a browser start

#: a BarcodeDetector that reads QR codes: TAG-1 from a video frame, TAG-2 from a picture,
#: until `window.detectorBroken` is set (then every detect() throws, as a flaky one does)
NATIVE_QR = """
window.detected = [];
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ['ean_13', 'qr_code']; }
  constructor({ formats }) { this.formats = formats; }
  async detect(source) {
    if (window.detectorBroken) throw new DOMException('detector failed', 'NotSupportedError');
    const kind = source instanceof HTMLVideoElement ? 'video' : source.constructor.name;
    detected.push(kind);
    return [{ format: 'qr_code', rawValue: kind === 'video' ? 'TAG-1' : 'TAG-2' }];
  }
};
"""


def test_a_native_barcode_detector_reads_labels_and_jsqr_takes_over_when_it_fails(
        server, patrol_site, team, tmp_path):
    given = {"lang": "en", "rows": pulled_rows(server, team.headers["guard"], uuid.uuid4().hex),
             "me": {"user_id": patrol_site.guard_id, "username": "guard-a", "role": "guard",
                    "site_ids": [patrol_site.site_id], "device_id": None}}
    label = tmp_path / "label.jpg"
    label.write_bytes(qr_picture("TAG-3"))
    with sync_playwright() as pw:
        browser = launch_chromium(pw, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream")
        context = browser.new_context(viewport={"width": 360, "height": 780},
                                      permissions=["camera"])
        context.add_init_script(f"window.PATROL_TEST = {json.dumps(given)};" + NATIVE_QR)
        page = context.new_page()
        page.goto(f"{server}/test-app/index.html#/patrol/{ROUND}")
        page.locator(f"li[data-occurrence='{ROUND}'] button").click()
        page.click("button.patrol-camera")
        expect(page.locator(".patrol-message")).to_have_text("Recorded 北门 (QR)")
        page.set_input_files("input.patrol-picture", str(label))   # the detector says TAG-2
        expect(page.locator(".patrol-message")).to_have_text("Recorded 1栋 (QR)")
        assert page.evaluate("window.detected") == ["video", "ImageBitmap"]
        fetched = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
        assert not any(name.endswith("/vendor/jsQR.js") for name in fetched)   # not needed

        page.evaluate("window.detectorBroken = true")
        page.set_input_files("input.patrol-picture", str(label))   # jsQR reads the label
        expect(page.locator(".patrol-message")).to_have_text("Recorded 2栋 (QR)")
        [draft] = page.evaluate("window.patrolTest.drafts()")
        assert [(s["tag"], s["method"]) for s in draft["scans"]] == [
            ("TAG-1", "qr"), ("TAG-2", "qr"), ("TAG-3", "qr")]
        browser.close()
