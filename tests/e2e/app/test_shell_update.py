"""A new app shell waits: the app offers the update, refuses it while a form is open, and
activates it (SKIP_WAITING, then one reload) only when the user accepts."""
from __future__ import annotations

import pytest

import server.field_app as field_app

from .conftest import TICKET, shot

pytestmark = pytest.mark.slow


def test_an_update_waits_until_the_user_accepts_with_no_form_open(live_server, engineer_phone,
                                                                 monkeypatch):
    base, (_, page) = live_server, engineer_phone
    old = page.evaluate("caches.keys()")

    monkeypatch.setattr(field_app, "shell_version", lambda: "0123456789abcdef")  # a new release
    page.goto(base + f"/app/#/ticket/{TICKET}")
    page.wait_for_selector("#fix")
    page.fill("#fix-note", "正在填写")  # a form with unsaved input
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    page.wait_for_selector("#update-bar:not([hidden]) #update-reload")
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => !!r.waiting)")
    shot(page, "6-update-ready")

    page.click("#update-reload")  # refused: the form is open
    assert "请先保存或关闭正在填写的表单" in page.inner_text("#update-bar")
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => !!r.waiting)")
    assert page.input_value("#fix-note") == "正在填写"  # nothing reloaded under the form

    page.goto(base + "/app/#/today")  # the form is left (its input discarded by the user)
    page.wait_for_selector("#update-bar #update-reload")
    with page.expect_event("load"):
        page.click("#update-reload")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert page.evaluate("caches.keys()") == ["fieldsync-shell-0123456789abcdef"] != old
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => !r.waiting)")
