"""A user of several sites chooses a site by its name, not its id.

The device pulls each of its sites' records (type ``sites`` in the ``site:<id>`` bucket), so
the inspection screen's site picker names them offline; the draft keeps the chosen site's id.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import log_in, phone, shot

pytestmark = pytest.mark.slow


def test_the_site_picker_names_each_site(live_server, chromium, accounts, published):
    south = accounts.site("NH", "南湖花园")
    north = accounts.site("BA", "北岸公寓")
    accounts.user("engineer", username="engineer-two", site_ids=[south["id"], north["id"]])
    context = phone(chromium)
    page = context.new_page()
    log_in(page, live_server, "engineer-two", PASSWORD)
    page.goto(live_server + "/app/#/inspect/daily-round")
    picker = page.locator("select.fi-site")
    expect(picker).to_be_visible()
    options = picker.locator("option").evaluate_all(
        "(os) => os.map((o) => [o.value, o.textContent])")
    assert sorted(options[1:]) == sorted([[south["id"], "南湖花园"], [north["id"], "北岸公寓"]])
    assert all(o[1] not in (south["id"], north["id"]) for o in options)
    shot(page, "10-site-picker")
    picker.select_option(label="北岸公寓")
    page.wait_for_function("""async (id) => {
        const { db } = await import('/app/static/js/db.js');
        return (await db.drafts.toArray()).some((d) => d.site_id === id);
    }""", arg=north["id"])
    context.close()
