"""/api/v1/tickets: the ticket rules through HTTP, by token and by browser session."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

PHOTO = "ab" * 32


@pytest.fixture
def site(team):
    return team.site_a["id"]


def open_ticket(client, team, site, **fields):
    resp = client.post("/api/v1/tickets", headers=team.headers["supervisor"], json={
        "ticket_id": "t1", "site_id": site, "title": "楼道灯不亮",
        "assignee": team.users["engineer"]["id"], **fields})
    assert resp.status_code == 201, resp.json
    return resp.json


def move(client, headers, frm, to, **extra):
    return client.post("/api/v1/tickets/t1/move", headers=headers,
                       json={"from": frm, "to": to, **extra})


def fix(client, team):
    eng = team.headers["engineer"]
    assert move(client, eng, "open", "in_progress").status_code == 200
    resp = move(client, eng, "in_progress", "fixed", note="换灯管", photos=[PHOTO])
    assert resp.status_code == 200, resp.json
    return resp.json


def test_the_assignee_fixes_and_a_supervisor_verifies(client, team, site):
    ticket = open_ticket(client, team, site)
    assert ticket["status"] == "open" and ticket["allowed_moves"] == ["in_progress", "closed"]
    fixed = fix(client, team)
    assert fixed["fix"]["note"] == "换灯管" and fixed["fix"]["photos"] == [PHOTO]
    resp = move(client, team.headers["supervisor"], "fixed", "verified")
    assert resp.status_code == 200 and resp.json["status"] == "verified"


def test_a_fixer_cannot_verify_their_own_fix(client, team, site):
    open_ticket(client, team, site, assignee=team.users["supervisor"]["id"])
    sup = team.headers["supervisor"]
    move(client, sup, "open", "in_progress")
    assert move(client, sup, "in_progress", "fixed", note="ok", photos=[PHOTO]).status_code == 200
    resp = move(client, sup, "fixed", "verified")
    assert resp.status_code == 409
    assert resp.json["errors"]["allowed"] == ["reopened"]
    assert "fixer" in resp.json["message"]
    assert move(client, team.headers["admin"], "fixed", "verified").status_code == 200


def test_a_guard_cannot_verify(client, team, site):
    open_ticket(client, team, site)
    fix(client, team)
    resp = move(client, team.headers["guard"], "fixed", "verified")
    assert resp.status_code == 409
    assert resp.json["errors"] == {"reason": "forbidden", "current": "fixed", "allowed": []}
    assert client.get("/api/v1/tickets/t1", headers=team.headers["guard"]).json[
        "status"] == "fixed"


def test_a_stale_from_state_is_409_with_the_allowed_moves(client, team, site):
    open_ticket(client, team, site)
    fix(client, team)
    resp = move(client, team.headers["engineer"], "open", "in_progress")
    assert resp.status_code == 409
    assert resp.json["errors"]["current"] == "fixed" and resp.json["errors"]["allowed"] == []
    assert move(client, team.headers["supervisor"], "in_progress", "verified").json[
        "errors"]["allowed"] == ["verified", "reopened"]


def test_a_fix_without_evidence_is_422_naming_the_field(client, team, site):
    open_ticket(client, team, site)
    move(client, team.headers["engineer"], "open", "in_progress")
    resp = move(client, team.headers["engineer"], "in_progress", "fixed", note="done")
    assert resp.status_code == 422 and "photos" in resp.json["errors"]["json"]
    assert client.get("/api/v1/tickets/t1", headers=team.headers["engineer"]).json[
        "status"] == "in_progress"


def test_another_sites_ticket_is_404(client, team, site):
    open_ticket(client, team, site)
    other = team.guard_b_headers
    assert client.get("/api/v1/tickets/t1", headers=other).status_code == 404
    assert move(client, other, "open", "in_progress").status_code == 404
    assert client.patch("/api/v1/tickets/t1", headers=other, json={
        "set": {"cause": "x"}, "base_fv": {"cause": 0}}).status_code == 404
    assert client.get(f"/api/v1/tickets?site={site}", headers=other).status_code == 403


def test_edits_carry_base_versions_and_keep_losing_values(client, team, site):
    open_ticket(client, team, site, description="first")
    sup, eng = team.headers["supervisor"], team.headers["engineer"]
    assert client.patch("/api/v1/tickets/t1", headers=sup, json={
        "set": {"description": "office"}, "base_fv": {"description": 1}}).status_code == 200
    resp = client.patch("/api/v1/tickets/t1", headers=eng, json={
        "set": {"description": "field"}, "base_fv": {"description": 1}})
    assert resp.status_code == 200 and resp.json["description"] == "field"
    assert [c["lost_value"] for c in resp.json["new_conflicts"]] == ["office"]
    resp = client.patch("/api/v1/tickets/t1", headers=eng, json={
        "set": {"responsible": team.users["engineer"]["id"]}, "base_fv": {"responsible": 0}})
    assert resp.status_code == 403


def test_comments_and_listing_with_filters_and_paging(client, team, site):
    sup = team.headers["supervisor"]
    for n in range(3):
        client.post("/api/v1/tickets", headers=sup, json={
            "ticket_id": f"t{n}", "site_id": site, "title": f"#{n}",
            "due_at": "2026-01-01T00:00:00+00:00" if n == 0 else None})
    resp = client.post("/api/v1/tickets/t1/comments", headers=sup, json={"text": "尽快"})
    assert resp.status_code == 201 and resp.json["comments"][0]["text"] == "尽快"
    first = client.get(f"/api/v1/tickets?site={site}&limit=2", headers=sup).json
    rest = client.get(f"/api/v1/tickets?site={site}&limit=2&cursor={first['next_cursor']}",
                      headers=sup).json
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    overdue = client.get(f"/api/v1/tickets?site={site}&overdue=true", headers=sup).json
    assert [t["id"] for t in overdue["items"]] == ["t0"] and overdue["items"][0]["overdue"]
    assert client.get(f"/api/v1/tickets?site={site}&state=fixed", headers=sup).json[
        "items"] == []
    assert client.get("/api/v1/tickets?colour=red", headers=sup).status_code == 422
    assert client.get("/api/v1/tickets", headers=team.headers["admin"]).status_code == 422


def test_a_browser_session_needs_the_csrf_token(app, client, team, site):
    open_ticket(client, team, site)
    fix(client, team)
    web = app.test_client()
    token = web.post("/api/v1/auth/login", json={"username": "supervisor-a",
                                                 "password": PASSWORD}).json["csrf_token"]
    assert web.post("/api/v1/tickets/t1/move",
                    json={"from": "fixed", "to": "verified"}).status_code == 403
    resp = web.post("/api/v1/tickets/t1/move", json={"from": "fixed", "to": "verified"},
                    headers={"X-CSRFToken": token})
    assert resp.status_code == 200 and resp.json["status"] == "verified"
    assert resp.json["history"][-1]["mutation"] is None  # made from the web, not a device


def test_tickets_stored_before_listings_are_indexed_once_and_read_as_today(
        client, team, site, app_store):
    from server.services.tickets import TICKETS_INDEXED, WORKFLOW_STATE, index_stored_tickets
    from server.store.base import Put
    old = {"type": "ticket", "id": "t-old", "v": 3, "site_id": site, "status": "done",
           "title": "旧工单", "fv": {"title": 1}, "fw": {}, "photos": [], "comments": [],
           "conflicts": [], "history": [{"from": "in_progress", "to": "done", "by": "u",
                                         "at": "2026-10-01T08:00:00+00:00"}],
           "created": {"by": "u", "at": "2026-10-01T07:00:00+00:00"}}
    assert app_store.get(WORKFLOW_STATE, TICKETS_INDEXED) is None  # no tickets: untouched
    app_store.commit([Put("tickets", "t-old", old, f"site:{site}")])  # as an older server did
    sup = team.headers["supervisor"]
    assert client.get(f"/api/v1/tickets?site={site}", headers=sup).json["items"] == []
    assert index_stored_tickets(app_store) == 1 and index_stored_tickets(app_store) == 0
    [listed] = client.get(f"/api/v1/tickets?site={site}&state=fixed", headers=sup).json["items"]
    assert listed["status"] == "fixed" and listed["status_stored_as"] == "done"
    assert app_store.get("tickets", "t-old").doc == old  # stored as it was
