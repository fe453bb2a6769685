"""The dashboard's blocks: tickets by age, composite, patrol week, plans, complaints."""
from __future__ import annotations


def open_late_ticket(client, team, site_id):
    resp = client.post("/api/v1/tickets", headers=team.headers["supervisor"], json={
        "ticket_id": "late", "site_id": site_id, "title": "门禁损坏",
        "due_at": "2026-01-01T00:00:00+00:00"})
    assert resp.status_code == 201, resp.json


def file_complaint(client, team):
    resp = client.post("/api/v1/complaints", headers=team.headers["supervisor"], json={
        "site_id": team.site_a["id"], "unit": "5-1-602", "channel": "visit",
        "category": "repair", "description": "卫生间漏水",
        "resident": {"name": "李秀英", "phone": "13912345678"}})
    assert resp.status_code == 201, resp.json
    cid = resp.json["id"]
    classified = client.post(f"/api/v1/complaints/{cid}/classify", headers=team.headers[
        "supervisor"], json={"validity": "valid", "severity": "major"})
    assert classified.status_code == 200, classified.json


def test_the_blocks_show_waiting_tickets_and_open_complaints(client, web, team, seeded):
    open_late_ticket(client, team, seeded.site_a)
    file_complaint(client, team)
    page = web("supervisor-a").get("/dashboard")
    assert page.status_code == 200
    block = page.text[page.text.index('id="blocks-A"'):]
    assert 'href="/tickets/late"' in block and "门禁损坏" in block
    assert "卫生间漏水" in block and "13912345678" not in block
    assert 'class="patrol-week"' in block and 'class="composite"' in block
    assert 'class="tickets-by-age"' in block


def test_the_blocks_keep_to_my_sites(client, web, accounts, team, seeded):
    open_late_ticket(client, team, seeded.site_a)
    file_complaint(client, team)
    accounts.user("supervisor", username="supervisor-b", site_ids=[seeded.site_b])
    page = web("supervisor-b").get("/dashboard")
    assert page.status_code == 200 and 'id="blocks-B"' in page.text
    assert 'id="blocks-A"' not in page.text
    assert "门禁损坏" not in page.text and "卫生间漏水" not in page.text
