"""The supervisor web in headless Chromium against the real server on a real port.

Debian's ``/usr/bin/chromium`` driven by Playwright's Python package (no
browser download). A supervisor of site A logs in, reads the dashboard,
filters the results list, opens a result and its annotated photo, approves
it, fetches its PDF, and opens the complaints page; screenshots (1280x900) go to ``tests/artifacts/``.
"""
from __future__ import annotations

import io
import pathlib

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from tests.browsers import launch_chromium, log_in, serving
from tests.conftest import PASSWORD
from tests.integration.web.plan_complaint_seeding import seed_complaint
from tests.integration.web.seeding import seed_results

ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "artifacts"

pytestmark = pytest.mark.slow  # a browser start and a PDF: ~15 s


@pytest.fixture
def server(app, client, team):
    """The app on 127.0.0.1 at a free port: bound (so accepting) before the test runs."""
    seeded = seed_results(app, client, team)
    with serving(app) as base:
        yield base, seeded


@pytest.fixture
def browser():
    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        yield chromium
        chromium.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=False)


def test_a_supervisor_reviews_a_result_in_a_browser(server, browser, app_store, team):
    base, seeded = server
    seed_complaint(app_store, team, resolve=False, description="门口积水")
    seed_complaint(app_store, team, days_ago=1)  # resolved in time
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()

    log_in(page, base, "supervisor-a", PASSWORD)
    assert page.locator("#trend svg").count() == 1
    assert page.locator("#latest").inner_text().count("Site A") == 1
    assert "Site B" not in page.content()
    shot(page, "1-dashboard")

    page.click("header nav >> text=检查结果")
    page.wait_for_url(base + "/results")
    page.select_option("select[name=band]", "poor")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**/results?*band=poor*")
    rows = page.locator("#results tr td:first-child a")
    assert rows.count() == 1
    shot(page, "2-results-filtered")

    rows.first.click()
    page.wait_for_url(base + "/results/a-fail")
    assert "地面清洁" in page.inner_text("main")
    page.wait_for_function("document.querySelector('#photos img').naturalWidth > 0")
    shot(page, "3-result")

    with context.expect_page() as opened:
        page.click("#photos a.annotated")
    photo = opened.value
    photo.wait_for_load_state()
    assert f"/api/v1/photos/{seeded.photo}?variant=annotated" in photo.url
    assert photo.evaluate("document.images.length && document.images[0].naturalWidth") > 0
    shot(photo, "4-annotated-photo")

    page.click("#review-approved")
    page.wait_for_url(base + "/results/a-fail")
    assert page.get_attribute("#review-state", "data-state") == "approved"
    assert "supervisor-a" in page.inner_text("#audit")
    shot(page, "5-approved")

    pdf = context.request.get(base + page.get_attribute("#pdf", "href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "地面清洁" in text and "消防通道畅通" in text

    page.click("header nav >> text=投诉")
    page.wait_for_url(base + "/complaints")
    assert page.locator("#complaints tr.overdue").count() == 1
    assert "已解决" in page.inner_text("#complaints")
    shot(page, "6-complaints")

    page.click("#new-complaint")                     # a phone call taken in and handled
    page.fill("#unit", "3-2-301")
    page.fill("#description", "厨房下水道堵塞")
    page.fill("#resident_name", "王芳")
    page.click("#intake button[type=submit]")
    page.wait_for_selector("#classify")
    page.select_option("#validity", "valid")
    page.click("#classify button[type=submit]")
    engineer = page.eval_on_selector(
        "#assignee_user_id", "s => [...s.options].find(o => o.text.startsWith('engineer-a')).value")
    page.select_option("#assignee_user_id", engineer)
    page.click("#assign button[type=submit]")
    page.wait_for_selector("#resolve")
    assert page.get_attribute("#complaint-status", "data-status") == "assigned"
    shot(page, "7-complaint-assigned")
    context.close()
