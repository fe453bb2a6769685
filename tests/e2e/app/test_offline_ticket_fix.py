"""An engineer's phone: open the app online, log in, pull; go offline; reload (the shell
comes from the service worker); Today shows the pulled work; mark a ticket fixed with a
photo and a note offline; back online, sync; the server holds the move exactly once."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from server.services import complaints, plans
from server.services.accounts.users import actor_of
from tests.conftest import PASSWORD
from tests.e2e.device.conftest import jpeg_bytes, sha

from .conftest import log_in, phone, shot

pytestmark = pytest.mark.slow  # a browser, a service worker install, several syncs: ~20 s

TICKET = "leak-1-101"


@pytest.fixture
def work(app_store, client, team, published):
    """A due inspection, an assigned complaint and an open ticket for engineer-a."""
    now = datetime.now(timezone.utc)
    site, engineer = team.site_a["id"], team.users["engineer"]
    sup = actor_of(team.users["supervisor"])
    plans.create_plan(app_store, sup, {
        "site_id": site, "name": "每日巡查", "checklist_id": "daily-round",
        "rrule": "FREQ=DAILY;BYHOUR=0;BYMINUTE=0", "assignee_user_id": engineer["id"],
        "due_offset": {"hours": 23, "minutes": 59}}, now)
    doc = complaints.intake(app_store, sup, {
        "site_id": site, "unit": "1-1-101", "channel": "phone", "category": "repair",
        "description": "水龙头漏水", "photos": [], "repair": None,
        "resident": {"name": "张伟", "phone": "13700000000"}}, now)
    complaints.classify(app_store, sup, doc["id"], {"validity": "valid", "severity": "ordinary",
                        "reason": None, "due_at": None}, now)
    complaints.assign(app_store, sup, doc["id"], engineer["id"], now)
    resp = client.post("/api/v1/tickets", headers=team.headers["supervisor"], json={
        "ticket_id": TICKET, "site_id": site, "title": "1-1-101 厨房漏水",
        "description": "水管接头渗水", "priority": "urgent", "assignee": engineer["id"]})
    assert resp.status_code == 201, resp.json


def ticket_moves(app_store, to: str) -> list[dict]:
    doc = app_store.get("tickets", TICKET).doc
    return [h for h in doc["history"] if h.get("to") == to]


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

    context.set_offline(True)
    page.reload()
    page.wait_for_selector(f"#today-tickets a[data-id='{TICKET}']")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.evaluate("navigator.onLine") is False
    states = page.locator("#today-inspections .card .state").all_inner_texts()
    assert states.count("待完成") == 1, states  # today's is due (tomorrow's may be listed)
    assert "水龙头漏水" in page.inner_text("#today-complaints")
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
    page.wait_for_function("() => document.querySelector('#sync-message').textContent === ''")
    assert len(ticket_moves(app_store, "fixed")) == 1
    assert len(ticket_moves(app_store, "in_progress")) == 1
    page.goto(base + f"/app/#/ticket/{TICKET}")
    page.wait_for_selector("#ticket-state[data-state=fixed]")
    context.close()
