"""A supervisor sets up a patrol in headless Chromium: two checkpoints, a route through
them, downloads the route's QR label sheet and schedules its rounds (screenshots
``web-patrol-*.png``)."""
from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browsers import launch_chromium, log_in, serving
from tests.conftest import PASSWORD
from tests.integration.patrol.test_labels import pdf_text

from .test_browser import shot

pytestmark = pytest.mark.slow  # a browser start and a PDF


@pytest.fixture
def base(app, team):
    with serving(app) as url:
        yield url


def test_a_supervisor_sets_up_a_patrol_and_prints_its_labels(base, team):
    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        try:
            context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                           locale="zh-CN", accept_downloads=True)
            page = context.new_page()
            log_in(page, base, "supervisor-a", PASSWORD)

            page.click("header nav >> text=巡更")
            page.click("#setup-link")
            page.wait_for_url("**/patrol/setup?site=*")
            for name, tag, lat in [("北门", "NHG-01", "31.2"), ("1栋", "NHG-02", "31.201")]:
                page.click("#checkpoints summary")
                page.fill("#add-checkpoint input[name=name]", name)
                page.fill("#add-checkpoint input[name=tag]", tag)
                page.fill("#add-checkpoint input[name=lat]", lat)
                page.fill("#add-checkpoint input[name=lon]", "121.4")
                page.click("#add-checkpoint button[type=submit]")
                page.wait_for_selector(f"text=已添加巡更点 {name}。")
            shot(page, "patrol-1-checkpoints")

            page.click("#new-route")
            page.fill("#route-form input[name=route_id]", "night-walk")
            page.fill("#route-form input[name=name]", "夜巡路线")
            rows = page.locator("#stops tr")
            for n, name in enumerate(["北门", "1栋"], start=1):
                row = rows.filter(has_text=name)
                row.locator("input[name$=-position]").fill(str(n))
                row.locator("input[name$=-travel_s]").fill("120")
            shot(page, "patrol-2-route-form")
            page.click("#route-form button[type=submit]")
            page.wait_for_selector("#route-night-walk")
            shot(page, "patrol-3-setup")

            with page.expect_download() as download:
                page.click("#route-night-walk a.labels")
            pdf = download.value.path().read_bytes()
            text = pdf_text(pdf)
            assert pdf.startswith(b"%PDF") and "北门" in text and "NHG-02" in text

            page.click("#new-schedule")
            page.fill("#schedule-form input[name=times]", "22:00, 00:00, 02:00")
            page.check("#schedule-form input[name=guards]")
            shot(page, "patrol-4-schedule-form")
            page.click("#schedule-form button[type=submit]")
            page.wait_for_selector("text=排班已添加，巡更已排出。")
            assert "每天：22:00、00:00、02:00" in page.inner_text("#schedules")
        finally:
            chromium.close()
