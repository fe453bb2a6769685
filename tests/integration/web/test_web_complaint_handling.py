"""A complaint taken in and handled from the supervisor's pages: intake, classify, assign,
a step of 五清楚一报告, resolve -- each through the same service as the API, with CSRF,
readable refusals, site scope and no half-written complaint."""
from __future__ import annotations

from datetime import UTC, datetime

from server.services import complaints
from server.services.accounts.users import actor_of

from .plan_complaint_seeding import RESIDENT, seed_complaint

EN = {"Accept-Language": "en"}
INTAKE = {"unit": "3-2-301", "channel": "phone", "category": "repair",
          "description": "厨房下水道堵塞", "resident_name": RESIDENT["name"],
          "resident_phone": RESIDENT["phone"], "repair": "y"}


def stored(app_store, team, cid) -> dict:
    return complaints.get_complaint(app_store, actor_of(team.users["admin"]), cid,
                                    datetime.now(UTC))


def section(page, element_id: str) -> str:
    return page.text[page.text.index(f'id="{element_id}"'):][:3000]


def test_a_complaint_goes_from_intake_to_resolved_through_the_pages(web, app_store, team):
    browser = web("supervisor-a", **EN)
    form = browser.get(f"/complaints/new?site={team.site_a['id']}", headers=EN)
    assert form.status_code == 200 and 'id="intake"' in form.text
    taken = browser.post("/complaints/new", {**INTAKE, "site_id": team.site_a["id"]},
                         headers=EN)
    assert taken.status_code == 302, taken.text
    cid = taken.headers["Location"].rsplit("/", 1)[1]
    doc = stored(app_store, team, cid)
    assert (doc["status"], doc["unit"], doc["resident"]["phone"]) == (
        "received", "3-2-301", RESIDENT["phone"])
    assert doc["repair"] is True

    page = browser.get(f"/complaints/{cid}", headers=EN)
    assert 'id="classify"' in page.text and 'id="assign"' not in page.text  # not valid yet
    assert browser.post(f"/complaints/{cid}/classify", {
        "validity": "valid", "severity": "ordinary"}, headers=EN).status_code == 302
    assert stored(app_store, team, cid)["validity"] == "valid"

    page = browser.get(f"/complaints/{cid}", headers=EN)
    assignees = section(page, "assign")
    assert "engineer-a" in assignees and "guard-a" not in assignees   # guards do not handle
    engineer = team.users["engineer"]["id"]
    assert browser.post(f"/complaints/{cid}/assign", {"assignee_user_id": engineer},
                        headers=EN).status_code == 302
    assert browser.post(f"/complaints/{cid}/steps", {"step": "followed", "note": "已派维修工"},
                        headers=EN).status_code == 302
    assert browser.post(f"/complaints/{cid}/resolve", {"resolution": "疏通下水道"},
                        headers=EN).status_code == 302
    doc = stored(app_store, team, cid)
    assert (doc["status"], doc["assignee_user_id"], doc["resolution"]) == (
        "resolved", engineer, "疏通下水道")
    assert doc["five_clear"]["followed"]["note"] == "已派维修工"
    page = browser.get(f"/complaints/{cid}", headers=EN)
    assert 'id="add-callback"' in page.text and 'id="resolve"' not in page.text


def test_refused_forms_say_why_and_store_nothing(web, app_store, team):
    browser = web("supervisor-a", **EN)
    browser.get("/complaints/new", headers=EN)
    bad = browser.post("/complaints/new", {**INTAKE, "site_id": team.site_a["id"],
                                           "unit": "no such unit!", "resident_phone": "call me"},
                       headers=EN)
    assert bad.status_code == 400
    assert "building-entrance-room" in bad.text and "Not a phone number" in bad.text
    too_long = browser.post("/complaints/new", {**INTAKE, "site_id": team.site_a["id"],
                                                "description": "漏" * 8001}, headers=EN)
    assert too_long.status_code == 400 and "8000" in too_long.text
    assert complaints.list_complaints(app_store, actor_of(team.users["supervisor"]),
                                      team.site_a["id"], datetime.now(UTC)) == []

    cid = seed_complaint(app_store, team, resolve=False)["id"]
    browser.get(f"/complaints/{cid}", headers=EN)
    before = stored(app_store, team, cid)
    invalid = browser.post(f"/complaints/{cid}/classify", {"validity": "invalid",
                                                           "severity": "ordinary"}, headers=EN)
    assert invalid.status_code == 400 and "Say why the complaint is invalid" in invalid.text
    assert 'id="classify"' in invalid.text
    guard = browser.post(f"/complaints/{cid}/assign",
                         {"assignee_user_id": team.users["guard"]["id"]}, headers=EN)
    assert guard.status_code == 400 and "guards do not handle" in guard.text
    empty = browser.post(f"/complaints/{cid}/resolve", {"resolution": "  "}, headers=EN)
    assert empty.status_code == 400 and 'id="resolve"' in empty.text
    assert stored(app_store, team, cid)["history"] == before["history"]
    no_token = browser.post(f"/complaints/{cid}/resolve", {"resolution": "修好了"}, token=False)
    assert no_token.status_code == 403
    assert stored(app_store, team, cid)["status"] == "assigned"


def test_another_sites_complaint_cannot_be_handled_or_taken_in(web, app_store, team):
    theirs = seed_complaint(app_store, team, site="site_b", resolve=False)["id"]
    before = stored(app_store, team, theirs)
    browser = web("supervisor-a", **EN)
    browser.get("/complaints", headers=EN)
    for action, form in (("classify", {"validity": "valid", "severity": "ordinary"}),
                         ("assign", {"assignee_user_id": team.users["engineer"]["id"]}),
                         ("steps", {"step": "asked", "note": "x"}),
                         ("resolve", {"resolution": "x"})):
        assert browser.post(f"/complaints/{theirs}/{action}", form).status_code == 404, action
    after = stored(app_store, team, theirs)
    assert (after["status"], after["history"], after["five_clear"]) == (
        before["status"], before["history"], before["five_clear"])
    elsewhere = browser.post("/complaints/new", {**INTAKE, "site_id": team.site_b["id"]},
                             headers=EN)
    assert elsewhere.status_code == 403
    assert [c["id"] for c in complaints.list_complaints(
        app_store, actor_of(team.users["admin"]), team.site_b["id"], datetime.now(UTC))] \
        == [theirs]
    guard = web("guard-a", **EN)
    assert guard.get("/complaints/new").status_code == 403
