"""Every item type a checkpoint's checklist may hold, answered in the patrol screen.

The gate post of site A (checkpoint cp2, TAG-2) gets a checklist with a photo item, a
reading and a value calculated from it, a signature and a repeated section (parked cars). The
guard answers them with the inspection form's own widgets; the finished round is pushed to
the real server, which stores the answers as given and waits for the bytes of both the photo
item's picture and the signature (the visit's photos name them).
"""
from __future__ import annotations

import hashlib
import uuid

import pytest
from playwright.sync_api import expect, sync_playwright

from server.services import definitions
from tests.browsers import launch_chromium

from .facilities_form import sign
from .test_patrol import (  # noqa: F401 (fixtures)
    ITEM, ROUND, night_page, patrol_site, problem_photo, pulled_rows, push_round, server, shot,
)

pytestmark = pytest.mark.slow  # a browser start

GATE_CHECK = {
    "id": "gate-check", "version": 1, "kind": "patrol_checkpoint",
    "title": {"zh": "大门岗检查", "en": "Gate post check"}, "scoring": {"unanswered": "zero"},
    "sections": [
        {"id": "g.main", "title": {"zh": "大门", "en": "Gate"}, "items": [
            {"id": "g.tag", "type": "checkpoint", "required": True,
             "label": {"zh": "扫描标签", "en": "Scan the tag"}},
            {"id": "g.barrier", "type": "photo", "required": True, "min_count": 1,
             "label": {"zh": "道闸照片", "en": "Photo of the barrier"}},
            {"id": "g.staff", "type": "reading", "unit": "人", "weight": 0,
             "label": {"zh": "在岗人数", "en": "Staff on post"}},
            {"id": "g.shifts", "type": "calculate", "label": {"zh": "两班合计", "en": "Both shifts"},
             "calculation": {"*": [{"var": "g.staff"}, 2]}},
            {"id": "g.sign", "type": "signature", "required": True,
             "label": {"zh": "值班员签字", "en": "Guard on duty"}}]},
        {"id": "g.cars", "title": {"zh": "停放车辆", "en": "Parked cars"},
         "repeat": {"min": 1, "max": 5, "label": {"zh": "车牌", "en": "Plate"}},
         "items": [{"id": "g.car.pass", "type": "check", "required": True,
                    "label": {"zh": "通行证有效", "en": "Pass valid"}}]},
    ]}


@pytest.fixture
def gate_checklist(client, app_store, patrol_site):
    definitions.install(app_store, GATE_CHECK, by="test")
    r = client.patch(f"/api/v1/patrol/sites/{patrol_site.site_id}/checkpoints/cp2",
                     json={"checklist_id": "gate-check"}, headers=patrol_site.boss)
    assert r.status_code == 200, r.get_json()


def test_a_checkpoint_asks_photo_signature_repeat_and_calculated_items(
        server, patrol_site, gate_checklist, team, tmp_path):
    guard = team.headers["guard"]
    client_id = uuid.uuid4().hex
    # a guard of two sites: each round says which site it is at, by name
    given = {"lang": "zh", "rows": pulled_rows(server, guard, client_id),
             "me": {"user_id": patrol_site.guard_id, "username": "guard-a", "role": "guard",
                    "site_ids": [patrol_site.site_id, team.site_b["id"]], "device_id": None}}
    photo = tmp_path / "barrier.jpg"
    photo.write_bytes(problem_photo())
    errors = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        _, page = night_page(browser, server, given, errors)
        expect(page.locator(f"li[data-occurrence='{ROUND}'] .patrol-site")).to_have_text("Site A · ")
        page.locator(f"li[data-occurrence='{ROUND}'] button").click()
        page.fill("input.patrol-typed", "TAG-2")
        page.click("button.patrol-record")

        visit = page.locator(".patrol-visit")
        expect(visit.locator(f"{ITEM}'g.tag'] input")).to_have_value("TAG-2")   # the scan
        barrier = visit.locator(f"{ITEM}'g.barrier']")
        barrier.locator("input[type=file]").set_input_files(str(photo))
        expect(barrier.locator(".ph-thumb")).to_have_count(1)
        expect(barrier.locator(".ph-annotate")).to_have_count(0)   # a round keeps no markup
        visit.locator(f"{ITEM}'g.staff'] input").fill("3")
        expect(visit.locator(f"{ITEM}'g.shifts'] .fi-calculated")).to_have_text("= 6")
        signature = visit.locator(f"{ITEM}'g.sign']")
        signature.locator(".fi-input").fill("李保安")
        signature.locator(".fi-sign").click()
        sign(page)
        page.locator(".sig-done").click()
        expect(signature.locator("img.fi-signature")).to_be_visible()
        cars = visit.locator(".fi-section[data-section='g.cars']")
        cars.locator(".fi-instance-add").click()
        cars.locator(".fi-instance-label").fill("粤B12345")
        visit.locator(".fi-item[data-path='g.cars[0].g.car.pass'] "
                      ".fi-toggle[data-value='pass']").click()
        shot(page, "6-checkpoint-items")
        visit.locator("button.patrol-save").click()
        expect(page.locator(".patrol-message")).to_have_text("已保存")
        expect(visit).to_be_hidden()
        # opened again, a reading typed (saved only after a pause) and finished at once:
        # the round has it, and no later save brings the finished round back as a draft
        page.locator("li[data-checkpoint='cp2']").click()
        visit.locator(f"{ITEM}'g.staff'] input").fill("4")
        page.click("button.patrol-finish")                     # 4 stops left: confirmed
        expect(page.locator(".patrol-done")).to_be_visible()
        assert page.evaluate("window.patrolTest.drafts()") == []
        [queued] = page.evaluate("window.patrolTest.outbox()")
        kinds = {p["sha256"]: p["kind"] for p in page.evaluate("window.patrolTest.photos()")}
        browser.close()
    assert errors == []

    push_round(server, guard, client_id, queued["args"])

    [walked] = patrol_site.rounds()
    visit = walked["result"]["visits"]["cp2"]
    barrier_sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    [signature_sha] = [sha for sha, kind in kinds.items() if kind == "signature"]
    assert kinds[barrier_sha] == "patrol"
    answers = visit["answers"]
    assert answers["g.tag"] == {"value": "TAG-2"}
    assert answers["g.barrier"] == {"photos": [barrier_sha]}
    assert answers["g.staff"] == {"value": 4}
    assert "g.shifts" not in answers                  # calculated from the answers, never sent
    assert answers["g.sign"] == {"value": {"signer": "李保安", "image": signature_sha}}
    assert answers["g.cars"] == [{"label": "粤B12345", "answers": {"g.car.pass": {"value": "pass"}}}]
    assert visit["photos"] == [{"sha256": barrier_sha, "exif_time": "2026-11-02T22:09:30"},
                               {"sha256": signature_sha}]
    assert sorted(walked["missing_photos"]) == sorted([barrier_sha, signature_sha])
