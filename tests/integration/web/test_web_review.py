"""The result page's review actions, audit log, tickets and follow-up blocks."""
from __future__ import annotations

import pytest

from checklists.actors import Actor
from server.extensions import STORE_KEY
from server.services import results


def review_state(app, team, result_id="a-fail") -> dict:
    admin = Actor(team.users["admin"]["id"], "admin", frozenset())
    return results.get_result(app.extensions[STORE_KEY], admin, result_id)["review"]


def test_a_supervisor_approves_and_the_audit_log_shows_it(app, web, team, seeded):
    browser = web("supervisor-a")
    page = browser.get("/results/a-fail")
    assert page.status_code == 200
    assert 'id="review-approved"' in page.text and 'id="review-rejected"' in page.text
    done = browser.post("/results/a-fail/review", {"from_state": "submitted", "to": "approved"})
    assert done.status_code == 302 and done.location.endswith("/results/a-fail")
    assert review_state(app, team)["state"] == "approved"
    page = browser.get("/results/a-fail")
    assert 'data-state="approved"' in page.text
    assert 'id="audit"' in page.text and "supervisor-a" in page.text and "session" in page.text


def test_rejecting_needs_a_reason_named_on_a_400_page(app, web, team, seeded):
    browser = web("supervisor-a")
    browser.get("/results/a-fail")
    refused = browser.post("/results/a-fail/review", {"from_state": "submitted", "to": "rejected"})
    assert refused.status_code == 400 and "reason" in refused.text
    assert review_state(app, team)["state"] == "submitted"
    done = browser.post("/results/a-fail/review", {"from_state": "submitted", "to": "rejected",
                                                   "reason": "照片看不清"})
    assert done.status_code == 302
    assert review_state(app, team)["log"][-1]["reason"] == "照片看不清"


def test_a_stale_move_is_409_naming_the_state_and_the_moves_possible(app, web, team, seeded):
    browser = web("supervisor-a", **{"Accept-Language": "en"})
    browser.get("/results/a-fail")
    assert browser.post("/results/a-fail/review",
                        {"from_state": "submitted", "to": "has_issues"}).status_code == 302
    stale = browser.post("/results/a-fail/review", {"from_state": "submitted", "to": "rejected",
                                                    "reason": "x"},
                         headers={"Accept-Language": "en"})
    assert stale.status_code == 409
    assert 'id="moves"' in stale.text and "It is now: has issues." in stale.text
    assert "Possible now: approved, rejected." in stale.text
    browser.post("/results/a-fail/review", {"from_state": "has_issues", "to": "approved"})
    final = browser.post("/results/a-fail/review", {"from_state": "has_issues", "to": "rejected",
                                                    "reason": "x"},
                         headers={"Accept-Language": "en"})
    assert final.status_code == 409 and "You cannot move it from here." in final.text


@pytest.mark.parametrize("data", [{"from_state": "submitted", "to": "sideways"},
                                  {"to": "approved"}])
def test_a_bad_review_form_is_a_readable_400(web, team, seeded, data):
    browser = web("supervisor-a")
    browser.get("/results/a-fail")
    resp = browser.post("/results/a-fail/review", data)
    assert resp.status_code == 400 and ("to" in resp.text or "from_state" in resp.text)


def test_review_needs_the_csrf_token(app, web, team, seeded):
    browser = web("supervisor-a")
    browser.get("/results/a-fail")
    resp = browser.post("/results/a-fail/review", {"from_state": "submitted", "to": "approved"},
                        token=False)
    assert resp.status_code == 403
    assert review_state(app, team)["state"] == "submitted"


def test_review_scope_other_site_404_and_field_roles_403(app, web, accounts, team, seeded):
    accounts.user("supervisor", username="supervisor-b", site_ids=[seeded.site_b])
    other = web("supervisor-b")
    assert other.get("/results/a-fail").status_code == 404
    assert other.post("/results/a-fail/review",
                      {"from_state": "submitted", "to": "approved"}).status_code == 404
    for role in ("guard-a", "engineer-a"):
        browser = web(role)
        assert browser.get("/results/a-fail").status_code == 403
        assert browser.post("/results/a-fail/review",
                            {"from_state": "submitted", "to": "approved"}).status_code == 403
    assert review_state(app, team)["state"] == "submitted"


def test_the_result_page_lists_the_tickets_it_raised(client, web, team, seeded):
    resp = client.post("/api/v1/tickets", headers=team.headers["supervisor"], json={
        "ticket_id": "a-fail:env.floor", "site_id": seeded.site_a, "title": "地面有垃圾",
        "result_id": "a-fail", "item": "env.floor",
        "assignee": team.users["engineer"]["id"]})
    assert resp.status_code == 201, resp.json
    page = web("supervisor-a").get("/results/a-fail")
    assert 'href="/tickets/a-fail:env.floor"' in page.text and "地面有垃圾" in page.text
    assert 'id="appeals"' in page.text
    assert "地面有垃圾" not in web("supervisor-a").get("/results/a-pass").text
