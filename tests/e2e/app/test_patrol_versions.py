"""The app's visits name the checklist version they were answered on, across a new version.

Site A's gate checklist ``gate-check`` (``tests/unit/patrol/builders``) is cp2's; the
guard answers it at version 1 and saves. Version 2 (the barrier item renamed) is then
published, made cp4's too, and pulled; the page reloads mid-round. Reopened, cp2's form
still asks version 1's items (its answers were given to them); cp4, answered now, asks
version 2's. The finished round names both, and the server judges each by its own version:
no answer flags.
"""
from __future__ import annotations

import json
import uuid

import pytest
from playwright.sync_api import expect, sync_playwright

from server.services import definitions
from tests.browsers import launch_chromium
from tests.unit.patrol.builders import gate_checklist_doc

from .test_patrol import (  # noqa: F401 (fixtures)
    ITEM, ROUND, night_page, patrol_site, pulled_rows, push_round, server,
)

pytestmark = pytest.mark.slow  # a browser start


def answer_at(page, tag: str, item: str) -> None:
    """Type ``tag``, pass the check ``item`` of its checklist and save the visit."""
    page.fill("input.patrol-typed", tag)
    page.click("button.patrol-record")
    visit = page.locator(".patrol-visit")
    visit.locator(f"{ITEM}'{item}'] .fi-toggle[data-value='pass']").click()
    visit.locator("button.patrol-save").click()
    expect(page.locator(".patrol-message")).to_have_text("已保存")
    expect(visit).to_be_hidden()


def test_each_visit_names_the_version_it_was_answered_on(server, patrol_site, client, team):
    guard = team.headers["guard"]
    client_id = uuid.uuid4().hex
    patrol_site.gate_checklist(1)
    me = {"user_id": patrol_site.guard_id, "username": "guard-a", "role": "guard",
          "site_ids": [patrol_site.site_id], "device_id": None}
    given = {"lang": "zh", "rows": pulled_rows(server, guard, client_id), "me": me}
    errors = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context, page = night_page(browser, server, given, errors)
        page.locator(f"li[data-occurrence='{ROUND}'] button").click()
        answer_at(page, "TAG-2", "g.barrier")
        [draft] = page.evaluate("window.patrolTest.drafts()")
        assert (draft["visits"]["cp2"]["checklist_id"],
                draft["visits"]["cp2"]["checklist_version"]) == ("gate-check", 1)

        # version 2 is published and pulled while the round is walked
        definitions.install(patrol_site.store, gate_checklist_doc(2), by="test")
        r = client.patch(f"/api/v1/patrol/sites/{patrol_site.site_id}/checkpoints/cp4",
                         json={"checklist_id": "gate-check"}, headers=patrol_site.boss)
        assert r.status_code == 200, r.get_json()
        given["rows"] = pulled_rows(server, guard, client_id)
        context.add_init_script(f"window.PATROL_TEST = {json.dumps(given)};")
        page.reload()

        page.locator("li[data-checkpoint='cp2']").click()
        visit = page.locator(".patrol-visit")
        expect(visit.locator(f"{ITEM}'g.barrier']")).to_contain_text("道闸正常")   # version 1
        expect(visit.locator(f"{ITEM}'g.arm']")).to_have_count(0)
        visit.locator("button.patrol-save").click()
        expect(visit).to_be_hidden()
        answer_at(page, "TAG-4", "g.arm")                                         # version 2
        page.click("button.patrol-finish")                     # 3 stops left: confirmed
        expect(page.locator(".patrol-done")).to_be_visible()
        [queued] = page.evaluate("window.patrolTest.outbox()")
        browser.close()
    assert errors == []

    visits = queued["args"]["visits"]
    assert {cid: (v["checklist_id"], v["checklist_version"]) for cid, v in visits.items()} == {
        "cp2": ("gate-check", 1), "cp4": ("gate-check", 2)}
    push_round(server, guard, client_id, queued["args"])
    [walked] = patrol_site.rounds()
    assert walked["result"]["visits"]["cp2"]["answers"] == {"g.barrier": {"value": "pass"}}
    assert [f for f in walked["verdict"]["flags"] if f["checkpoint_id"]] == []
