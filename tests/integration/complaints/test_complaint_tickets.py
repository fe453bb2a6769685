"""A complaint opens a rectification ticket: the ticket names its complaint as its source,
the complaint lists the ticket as it is now (its closure too), and a refusal on either side
stores neither."""
from __future__ import annotations

import json

PHONE, NAME = "13912345678", "李秀英"
PHOTO = "ab" * 32


def complaint(client, team, *, classify=True, assign=True):
    sup = team.headers["supervisor"]
    cid = client.post("/api/v1/complaints", headers=sup, json={
        "site_id": team.site_a["id"], "unit": "5-1-602", "channel": "visit",
        "category": "repair", "description": "卫生间漏水",
        "resident": {"name": NAME, "phone": PHONE}}).get_json()["id"]
    if classify:
        client.post(f"/api/v1/complaints/{cid}/classify", headers=sup,
                    json={"validity": "valid", "severity": "ordinary"})
    if assign:
        client.post(f"/api/v1/complaints/{cid}/assign", headers=sup,
                    json={"assignee_user_id": team.users["engineer"]["id"]})
    return cid


def move(client, headers, ticket_id, frm, to, **extra):
    r = client.post(f"/api/v1/tickets/{ticket_id}/move", headers=headers,
                    json={"from": frm, "to": to, **extra})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_a_complaint_opens_a_ticket_and_shows_its_closure(client, team):
    sup, eng = team.headers["supervisor"], team.headers["engineer"]
    cid = complaint(client, team)
    r = client.post(f"/api/v1/complaints/{cid}/tickets", headers=sup,
                    json={"priority": "urgent"})
    assert r.status_code == 201, r.get_json()
    [summary] = r.get_json()["tickets"]
    assert summary["status"] == "open" and summary["closed_at"] is None
    ticket = client.get(f"/api/v1/tickets/{summary['id']}", headers=eng).get_json()
    assert ticket["source"] == {"kind": "complaint", "id": cid}
    assert ticket["assignee"] == team.users["engineer"]["id"]         # the complaint's
    assert ticket["location"] == "5-1-602" and ticket["priority"] == "urgent"
    assert PHONE not in json.dumps(ticket) and NAME not in json.dumps(ticket, ensure_ascii=False)
    move(client, eng, summary["id"], "open", "in_progress")
    move(client, eng, summary["id"], "in_progress", "fixed", note="换了角阀", photos=[PHOTO])
    move(client, sup, summary["id"], "fixed", "verified")
    closed = move(client, sup, summary["id"], "verified", "closed")
    seen = client.get(f"/api/v1/complaints/{cid}", headers=sup).get_json()
    assert seen["tickets"][0]["status"] == "closed"
    assert seen["tickets"][0]["closed_at"] == closed["history"][-1]["at"]
    assert seen["history"][-1]["event"] == "ticket_opened"


def test_the_assignee_may_open_one_a_guard_and_another_site_may_not(client, team):
    cid = complaint(client, team)
    r = client.post(f"/api/v1/complaints/{cid}/tickets", headers=team.headers["engineer"],
                    json={"title": "更换角阀"})
    assert r.status_code == 201 and r.get_json()["tickets"][0]["title"] == "更换角阀"
    assert client.post(f"/api/v1/complaints/{cid}/tickets", headers=team.headers["guard"],
                       json={}).status_code == 403
    assert client.post(f"/api/v1/complaints/{cid}/tickets", headers=team.guard_b_headers,
                       json={}).status_code == 403
    assert client.post("/api/v1/complaints/nope/tickets", headers=team.headers["supervisor"],
                       json={}).status_code == 404


def test_refusals_store_neither_ticket_nor_complaint_change(client, team):
    sup = team.headers["supervisor"]
    site = team.site_a["id"]
    unclassified = complaint(client, team, classify=False, assign=False)
    r = client.post(f"/api/v1/complaints/{unclassified}/tickets", headers=sup, json={})
    assert r.status_code == 422 and "status" in r.get_json()["errors"]["json"]
    cid = complaint(client, team)
    r = client.post(f"/api/v1/complaints/{cid}/tickets", headers=team.headers["engineer"],
                    json={"responsible": team.users["engineer"]["id"]})
    assert r.status_code == 403                    # only supervisors name who answers for it
    r = client.post(f"/api/v1/complaints/{cid}/tickets", headers=sup, json={"due_at": "soon"})
    assert r.status_code == 422 and "due_at" in r.get_json()["errors"]["json"]
    listed = client.get(f"/api/v1/tickets?site={site}", headers=sup).get_json()["items"]
    assert listed == []
    for complaint_id in (unclassified, cid):
        assert client.get(f"/api/v1/complaints/{complaint_id}",
                          headers=sup).get_json()["tickets"] == []
