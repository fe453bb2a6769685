"""The field app in headless Chromium (Debian ``/usr/bin/chromium``, Playwright's Python
package, no browser download) against the real server on a real port.

* ``live_server`` -- the app on 127.0.0.1 at a free port, bound before the test runs.
* ``chromium`` -- a headless browser; contexts allow service workers (the app needs one).
* ``phone(browser)`` -- a 360x780 context, Chinese, as a phone would open the app.
* ``shot(page, name)`` -- a screenshot into ``tests/artifacts/app-<name>.png``.
* ``work`` -- engineer-a's work at site A, set up by the supervisor through the API.
* ``engineer_phone`` -- (context, page) of engineer-a logged in, pulled, worker installed.
* ``mark_fixed(page, base, photo)`` -- the ticket marked fixed on the phone (queued).
"""
from __future__ import annotations

import pathlib

import pytest
from playwright.sync_api import sync_playwright

from tests.browsers import launch_chromium, serving
from tests.conftest import PASSWORD
from tests.e2e.device.conftest import published  # noqa: F401 (a fixture)

ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "artifacts"
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def live_server(app):
    with serving(app) as base:
        yield base


@pytest.fixture
def chromium():
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        yield browser
        browser.close()


def phone(browser, locale: str = "zh-CN"):
    return browser.new_context(viewport=PHONE, locale=locale, service_workers="allow",
                               has_touch=True, is_mobile=True, device_scale_factor=2)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"app-{name}.png"))


def log_in(page, base: str, username: str, password: str) -> None:
    """Open the app, log in, and wait for the first sync and the installed worker."""
    page.goto(base + "/app")
    page.fill("#login input[name=username]", username)
    page.fill("#login input[name=password]", password)
    page.click("#login button[type=submit]")
    page.wait_for_url("**/app/#/today")
    page.wait_for_function("() => document.querySelector('#status-bar .chip.sync')"
                           " && !!window.fieldsync && window.fieldsync.scheduler.failures === 0"
                           " && document.querySelector('#status-bar').dataset.synced === '1'")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


TICKET = "leak-1-101"


@pytest.fixture
def work(client, team, published):
    """Through the API, as the site's supervisor: an inspection plan for engineers (the
    role), a complaint given to engineer-a, and an open ticket assigned to them."""
    site, engineer = team.site_a["id"], team.users["engineer"]["id"]
    sup = team.headers["supervisor"]

    def post(path, body, status=(200, 201)):
        resp = client.post(f"/api/v1{path}", headers=sup, json=body)
        assert resp.status_code in status, (path, resp.json)
        return resp.json

    post("/plans", {"site_id": site, "name": "每日巡查", "checklist_id": "daily-round",
                    "rrule": "FREQ=DAILY;BYHOUR=0;BYMINUTE=0", "assignee_role": "engineer",
                    "due_offset": {"hours": 23, "minutes": 59}})
    complaint = post("/complaints", {
        "site_id": site, "unit": "1-1-101", "channel": "phone", "category": "repair",
        "description": "水龙头漏水", "resident": {"name": "张伟", "phone": "13700000000"}})
    post(f"/complaints/{complaint['id']}/classify", {"validity": "valid",
                                                     "severity": "ordinary"})
    post(f"/complaints/{complaint['id']}/assign", {"assignee_user_id": engineer})
    post("/tickets", {"ticket_id": TICKET, "site_id": site, "title": "1-1-101 厨房漏水",
                      "description": "水管接头渗水", "priority": "urgent", "assignee": engineer})


def ticket_moves(app_store, to: str) -> list[dict]:
    doc = app_store.get("tickets", TICKET).doc
    return [h for h in doc["history"] if h.get("to") == to]


def mark_fixed(page, base, photo) -> None:
    page.goto(base + f"/app/#/ticket/{TICKET}")
    page.wait_for_selector("#fix")
    page.set_input_files("#fix-photo", str(photo))
    page.fill("#fix-note", "更换接头")
    page.click("#fix-submit")
    page.wait_for_selector("#ticket-queued")


@pytest.fixture
def engineer_phone(live_server, chromium, work):
    context = phone(chromium)
    page = context.new_page()
    log_in(page, live_server, "engineer-a", PASSWORD)
    yield context, page
    context.close()
