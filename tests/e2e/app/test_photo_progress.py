"""The Sync screen shows each photo's upload as it goes: waiting, uploading n %, done, or
refused with the server's reason.

An engineer marks a ticket fixed offline with a large photo (about 1 MB: several 256 KiB tus
chunks), and the phone also holds a "photo" that is no image. Back online, on the Sync screen,
a sync sends them; one PATCH is cut on the way (Playwright aborts it) and the upload resumes.
A MutationObserver records every state the list shows; the test waits for the end states.
"""
from __future__ import annotations

import hashlib

import pytest

from tests.e2e.uploads.test_upload_js_browser import CHUNK, noisy_jpeg

from .conftest import mark_fixed, shot

pytestmark = pytest.mark.slow

#: every (sha256, state, percent, text) the photo list shows, in order
RECORD_ROWS = """() => {
  window.photoRows = [];
  const list = document.querySelector('#photos');
  const seen = (li) => li.dataset.sha256 && photoRows.push({ sha256: li.dataset.sha256,
    state: li.dataset.state, percent: Number(li.dataset.percent), text: li.textContent });
  list.querySelectorAll('li').forEach(seen);
  new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach(seen)))
    .observe(list, { childList: true });
}"""
JUNK = b"\xff\xd8\xff not really a JPEG " * 100
ADD_JUNK = """async (bytes) => {
  const { addPhoto } = await import('/app/static/js/photos.js');
  return (await addPhoto(new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }))).sha256;
}"""


def test_the_sync_screen_shows_each_photos_progress_and_end(live_server, engineer_phone,
                                                            tmp_path):
    base, (context, page) = live_server, engineer_phone
    context.set_offline(True)
    data = noisy_jpeg(11)
    assert len(data) > 3 * CHUNK
    photo = tmp_path / "fixed.jpg"
    photo.write_bytes(data)
    mark_fixed(page, base, photo)
    junk = page.evaluate(ADD_JUNK, list(JUNK))
    big = hashlib.sha256(data).hexdigest()

    page.goto(base + "/app/#/status")
    rows = page.locator("#photos li[data-sha256]")
    page.wait_for_function("() => document.querySelectorAll('#photos li[data-sha256]').length === 2")
    assert sorted(rows.evaluate_all("(ls) => ls.map((l) => l.dataset.state)")) == ["waiting"] * 2
    waiting = page.inner_text(f"#photos li[data-sha256='{big}']")
    assert "整改照片" in waiting and "等待上传" in waiting      # what it is for, and its state
    page.evaluate(RECORD_ROWS)

    patches = {"n": 0}

    def cut_the_second_patch(route, request):
        if request.method == "PATCH":
            patches["n"] += 1
            if patches["n"] == 2:
                return route.abort("connectionreset")
        return route.continue_()
    page.route("**/api/v1/photos/*", cut_the_second_patch)
    context.set_offline(False)
    page.click("#sync-now")
    # the screen may be drawn again after the sync's pull: the recorder saw every row
    page.wait_for_function("([big, junk]) => ['done', 'refused'].every((state, n) => "
                           "photoRows.some((r) => r.sha256 === [big, junk][n] && r.state === state))",
                           arg=[big, junk])
    shot(page, "9-photo-progress")

    seen = page.evaluate("window.photoRows")
    mine = [r for r in seen if r["sha256"] == big]
    uploading = [r["percent"] for r in mine if r["state"] == "uploading"]
    assert len({p for p in uploading if 0 < p < 100}) >= 2, mine   # it rose chunk by chunk
    assert max(uploading) < 100 and uploading[-1] == max(uploading)
    assert any(f"上传中 {p}%" in r["text"] for r in mine for p in uploading if p), mine
    assert (mine[-1]["state"], mine[-1]["percent"]) == ("done", 100)
    assert "已上传" in mine[-1]["text"] and "整改照片" in mine[-1]["text"]
    [refused] = [r["text"] for r in seen if r["sha256"] == junk and r["state"] == "refused"]
    assert "服务器拒收：damaged JPEG header" in refused
    assert patches["n"] > 2                                  # cut once, then resumed

    page.reload()                    # opened again: the refused one stays, with its reason
    page.wait_for_selector(f"#photos li[data-sha256='{junk}'][data-state='refused']")
    assert "damaged JPEG header" in page.inner_text("#photos")
    assert page.locator(f"#photos li[data-sha256='{big}']").count() == 0
