"""An engineer's phone: open the app online, log in, pull; go offline; reload (the shell
comes from the service worker); Today shows the pulled work; mark a ticket fixed with a
photo and a note offline; back online, sync; the server holds the move exactly once."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.e2e.device.conftest import jpeg_bytes, sha

from .conftest import TICKET, log_in, phone, shot, ticket_moves

pytestmark = pytest.mark.slow  # a browser, a service worker install, several syncs: ~20 s

def test_a_ticket_fixed_offline_reaches_the_server_once(live_server, chromium, app_store,
                                                         work, tmp_path):
    base = live_server
    context = phone(chromium)
    page = context.new_page()
    page.goto(base + "/app")
    page.wait_for_selector("#login")
    shot(page, "1-login")
    log_in(page, base, "engineer-a", PASSWORD)
    page.wait_for_selector(f"#today-tickets a[data-id='{TICKET}']")
    # persistent storage was asked for at login; a refusal is on screen
    persisted = page.evaluate("navigator.storage.persisted()")
    assert page.locator("#status-bar #storage-chip").count() == (0 if persisted else 1)

    context.set_offline(True)
    page.reload()
    page.wait_for_selector(f"#today-tickets a[data-id='{TICKET}']")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.evaluate("navigator.onLine") is False
    states = page.locator("#today-inspections .card .state").all_inner_texts()
    assert states.count("待完成") == 1, states  # today's is due (tomorrow's may be listed)
    assert "维修: 水龙头漏水" in page.inner_text("#today-complaints")  # the category by name
    assert page.locator("#status-bar .chip.off").count() == 1
    shot(page, "2-today-offline")

    page.click(f"#today-tickets a[data-id='{TICKET}']")
    page.wait_for_selector("#fix")
    photo = tmp_path / "fixed.jpg"
    photo.write_bytes(jpeg_bytes(21, size=(640, 480)))
    page.set_input_files("#fix-photo", str(photo))
    page.fill("#fix-note", "更换接头, 试水无渗漏")
    shot(page, "3-ticket-fix")
    page.click("#fix-submit")
    page.wait_for_selector("#ticket-queued")
    assert page.get_attribute("#ticket-state", "data-state") == "fixed"
    assert page.get_attribute("#status-bar", "data-waiting") == "2"  # start work, then fixed
    assert app_store.get("tickets", TICKET).doc["status"] == "open"  # nothing left the phone
    shot(page, "4-ticket-queued")

    # a reload offline keeps the queued moves (IndexedDB), then back online and sync
    page.reload()
    page.wait_for_selector("#ticket-queued")
    context.set_offline(False)
    page.goto(base + "/app/#/status")
    page.click("#sync-now")
    page.wait_for_function("() => document.querySelector('#status-bar').dataset.waiting === '0'")
    doc = app_store.get("tickets", TICKET).doc
    assert doc["status"] == "fixed" and doc["fix"]["photos"] == [sha(photo.read_bytes())]
    assert doc["fix"]["note"] == "更换接头, 试水无渗漏"
    shot(page, "5-status-synced")

    # syncing again (and again after a reload) sends nothing twice
    page.click("#sync-now")
    page.reload()
    page.click("#sync-now")
    page.wait_for_function("() => window.fieldsync.scheduler.running === null"
                           " && document.querySelector('#status-bar').dataset.waiting === '0'")
    assert len(ticket_moves(app_store, "fixed")) == 1
    assert len(ticket_moves(app_store, "in_progress")) == 1
    page.goto(base + f"/app/#/ticket/{TICKET}")
    page.wait_for_selector("#ticket-state[data-state=fixed]")
    context.close()
