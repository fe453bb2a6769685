"""What the server refuses is shown with its reason and never blocks the queue: a fix made
offline on a ticket a supervisor closed meanwhile is refused, later changes still go."""
from __future__ import annotations

import pytest

from tests.e2e.device.conftest import jpeg_bytes

from .conftest import TICKET, mark_fixed, shot

pytestmark = pytest.mark.slow


def test_a_refused_fix_is_listed_with_its_reason(live_server, engineer_phone, client, team,
                                                 app_store, tmp_path):
    base, (context, page) = live_server, engineer_phone
    context.set_offline(True)
    photo = tmp_path / "fixed.jpg"
    photo.write_bytes(jpeg_bytes(9, size=(320, 240)))
    mark_fixed(page, base, photo)

    resp = client.post(f"/api/v1/tickets/{TICKET}/move", headers=team.headers["supervisor"],
                       json={"from": "open", "to": "closed", "note": "重复工单"})
    assert resp.status_code == 200, resp.json
    context.set_offline(False)
    page.goto(base + "/app/#/status")
    page.click("#sync-now")
    page.wait_for_function("() => document.querySelector('#status-bar').dataset.waiting === '0'")
    page.wait_for_selector("#rejected li.error")
    refused = page.locator("#rejected li.error").all_inner_texts()
    assert len(refused) == 2 and all(TICKET in line for line in refused), refused
    assert all("整改单状态" in line for line in refused), refused  # the change in words
    assert all(line.split(": ", 1)[1].strip() for line in refused), refused  # a reason each
    assert "服务器拒收 2" in page.inner_text("#status-bar")
    assert app_store.get("tickets", TICKET).doc["status"] == "closed"
    shot(page, "8-refused")
