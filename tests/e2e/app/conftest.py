"""The field app in headless Chromium (Debian ``/usr/bin/chromium``, Playwright's Python
package, no browser download) against the real server on a real port.

* ``live_server`` -- the app on 127.0.0.1 at a free port, bound before the test runs.
* ``chromium`` -- a headless browser; contexts allow service workers (the app needs one).
* ``phone(browser)`` -- a 360x780 context, Chinese, as a phone would open the app.
* ``shot(page, name)`` -- a screenshot into ``tests/artifacts/app-<name>.png``.
"""
from __future__ import annotations

import pathlib
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.e2e.device.conftest import published  # noqa: F401 (a fixture)

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "artifacts"
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def live_server(app):
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join()


@pytest.fixture
def chromium():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox"])
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
