"""Reviewing results: one door for a web session, an API token and a device's sync push."""
import pytest

from tests.conftest import PASSWORD
from tests.integration.http_sync.conftest import Device, submit


def review(client, headers, result_id, from_state, to, reason=None):
    body = {"from": from_state, "to": to, **({"reason": reason} if reason else {})}
    return client.post(f"/api/v1/results/{result_id}/review", json=body, headers=headers)


@pytest.fixture
def engineer(client, team):
    return Device(client, team.headers["engineer"])


@pytest.fixture
def result_id(engineer, team, published):
    name, args = submit(team.site_a["id"], "r-1", value="fail", defects=[{"deduction": 1}])
    assert engineer.push((name, args)).json["results"][0]["status"] == "applied"
    return "r-1"


@pytest.fixture
def web(app, team):
    """The site A supervisor in a browser: session cookie plus its CSRF header."""
    browser = app.test_client()
    login = browser.post("/api/v1/auth/login",
                         json={"username": "supervisor-a", "password": PASSWORD})
    assert login.status_code == 200, login.json
    return browser, {"X-CSRFToken": login.json["csrf_token"]}


def test_review_moves_are_logged_with_their_door(client, team, result_id, web):
    browser, csrf = web
    first = review(browser, csrf, result_id, "submitted", "has_issues", "楼道有杂物")
    assert first.status_code == 200, first.json
    assert first.json["review"]["state"] == "has_issues"
    assert first.json["review"]["allowed"] == ["approved", "rejected"]
    second = review(client, team.headers["admin"], result_id, "has_issues", "approved")
    assert second.status_code == 200, second.json

    got = client.get(f"/api/v1/results/{result_id}", headers=team.headers["engineer"]).json
    log = got["review"]["log"]
    assert got["review"]["state"] == "approved" and got["review"]["allowed"] == []
    assert [(e["from"], e["to"], e["role"], e["via"]) for e in log] == [
        ("submitted", "has_issues", "supervisor", "session"),
        ("has_issues", "approved", "admin", "token")]
    assert log[0]["reason"] == "楼道有杂物" and log[0]["by"] == team.users["supervisor"]["id"]
    assert "device_id" not in log[0] and log[1]["device_id"]


def test_who_may_review(client, team, accounts, result_id, published):
    guard = review(client, team.headers["guard"], result_id, "submitted", "approved")
    assert guard.status_code == 403 and "supervisor or admin" in guard.json["message"]
    supervisor_b = accounts.user("supervisor", site_ids=[team.site_b["id"]])
    elsewhere = review(client, accounts.headers(supervisor_b), result_id, "submitted",
                       "approved")
    assert elsewhere.status_code == 404
    # A supervisor who inspected cannot review their own result.
    own = Device(client, team.headers["supervisor"])
    own.push(submit(team.site_a["id"], "r-own"))
    mine = review(client, team.headers["supervisor"], "r-own", "submitted", "approved")
    assert mine.status_code == 403 and "inspected" in mine.json["message"]
    assert client.get("/api/v1/results/r-own", headers=team.headers["admin"]
                      ).json["review"] == {"state": "submitted", "log": [],
                                           "allowed": ["approved", "has_issues", "rejected"]}


def test_bad_and_stale_moves_change_nothing(client, team, result_id):
    sup = team.headers["supervisor"]
    no_reason = review(client, sup, result_id, "submitted", "rejected")
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]["json"]
    unknown = review(client, sup, result_id, "submitted", "done")
    assert unknown.status_code == 422 and "to" in unknown.json["errors"]["json"]
    assert review(client, sup, result_id, "submitted", "rejected", "照片不清").status_code == 200
    stale = review(client, sup, result_id, "submitted", "approved")
    assert stale.status_code == 409
    assert stale.json["errors"] == {"current": "rejected", "allowed": []}
    log = client.get(f"/api/v1/results/{result_id}", headers=sup).json["review"]["log"]
    assert [e["to"] for e in log] == ["rejected"]


def test_stale_from_answers_the_moves_allowed_now(client, team, result_id):
    sup = team.headers["supervisor"]
    review(client, sup, result_id, "submitted", "has_issues")
    stale = review(client, team.headers["admin"], result_id, "submitted", "approved")
    assert stale.status_code == 409
    assert stale.json["errors"] == {"current": "has_issues",
                                    "allowed": ["approved", "rejected"]}


def test_a_supervisor_reviews_from_a_device_and_the_inspector_pulls_the_log(
        client, team, result_id, engineer):
    phone = Device(client, team.headers["supervisor"])
    pushed = phone.push(("review_result", {"result_id": result_id, "from": "submitted",
                                           "to": "has_issues", "reason": "缺照片"}),
                        ("review_result", {"result_id": result_id, "from": "submitted",
                                           "to": "approved"}),
                        ("review_result", {"result_id": result_id, "from": "has_issues",
                                           "to": "rejected"}))
    applied, stale, no_reason = pushed.json["results"]
    assert applied["status"] == "applied"
    assert stale["status"] == "rejected" and stale["error"]["code"] == "illegal_move"
    assert stale["error"]["allowed"] == ["approved", "rejected"]
    assert no_reason["status"] == "rejected" and "reason" in no_reason["error"]["errors"]

    pulled = engineer.pull().json
    docs = [c["data"] for b in pulled["buckets"] for c in b["changes"] if c["id"] == result_id]
    (entry,) = docs[-1]["review"]["log"]
    assert docs[-1]["review"]["state"] == "has_issues"
    assert entry["via"] == "sync" and entry["mutation"] == f"{phone.client_id}#1"
    assert entry["reason"] == "缺照片"


def test_a_guard_cannot_review_through_sync_either(client, team, result_id):
    phone = Device(client, team.headers["guard"])
    got = phone.push(("review_result", {"result_id": result_id, "from": "submitted",
                                        "to": "approved"})).json["results"][0]
    assert got["status"] == "rejected" and got["error"]["code"] == "forbidden"


def test_listing_filters_by_review_state(client, team, result_id, engineer):
    engineer.push(submit(team.site_a["id"], "r-2"))
    review(client, team.headers["supervisor"], result_id, "submitted", "approved")
    listed = client.get("/api/v1/results?review_state=approved", headers=team.headers["admin"])
    assert [r["id"] for r in listed.json["items"]] == [result_id]
    assert listed.json["items"][0]["review_state"] == "approved"
    waiting = client.get("/api/v1/results?review_state=submitted",
                         headers=team.headers["admin"])
    assert [r["id"] for r in waiting.json["items"]] == ["r-2"]
