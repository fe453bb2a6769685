"""The tickets board, its CSV and a ticket's page: scope, moves, CSRF, bad filters."""
from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture
def fixed_ticket(client, team, seeded):
    """A ticket from result a-fail, fixed by the engineer with the result's photo."""
    resp = client.post("/api/v1/tickets", headers=team.headers["supervisor"], json={
        "ticket_id": "a-fail:env.floor", "site_id": seeded.site_a, "title": "地面有垃圾",
        "result_id": "a-fail", "item": "env.floor",
        "assignee": team.users["engineer"]["id"]})
    assert resp.status_code == 201, resp.json
    eng = team.headers["engineer"]
    for frm, to, extra in (("open", "in_progress", {}),
                           ("in_progress", "fixed", {"note": "已清扫", "photos": [seeded.photo]})):
        moved = client.post("/api/v1/tickets/a-fail:env.floor/move", headers=eng,
                            json={"from": frm, "to": to, **extra})
        assert moved.status_code == 200, moved.json
    return "a-fail:env.floor"


def test_the_board_shows_my_sites_tickets_by_state(client, web, team, seeded, fixed_ticket):
    late = client.post("/api/v1/tickets", headers=team.headers["supervisor"], json={
        "ticket_id": "late", "site_id": seeded.site_a, "title": "门禁损坏",
        "due_at": "2026-01-01T00:00:00+00:00"})
    assert late.status_code == 201, late.json
    page = web("supervisor-a").get("/tickets")
    assert page.status_code == 200
    assert 'id="col-fixed"' in page.text and "地面有垃圾" in page.text
    column = page.text[page.text.index('id="col-open"'):]
    assert '<tr class="overdue">' in column and "门禁损坏" in column
    assert f'href="/tickets/{fixed_ticket}"' in page.text
    open_only = web("supervisor-a").get(f"/tickets?site={seeded.site_a}&state=open")
    assert open_only.status_code == 200 and "地面有垃圾" not in open_only.text
    mine = web("supervisor-a").get("/tickets?assignee=engineer-a")
    assert "地面有垃圾" in mine.text


@pytest.mark.parametrize("query, field", [("state=sideways", "state"),
                                          ("assignee=nobody-here", "assignee"),
                                          ("overdue=perhaps", "overdue")])
def test_bad_board_filters_are_a_readable_400(web, team, seeded, query, field):
    page = web("supervisor-a").get(f"/tickets?{query}")
    assert page.status_code == 400 and 'id="problems"' in page.text
    assert f"<strong>{field}</strong>" in page.text


def test_another_sites_board_csv_and_ticket_are_not_found(web, accounts, team, seeded,
                                                          fixed_ticket):
    accounts.user("supervisor", username="supervisor-b", site_ids=[seeded.site_b])
    other = web("supervisor-b")
    assert "地面有垃圾" not in other.get("/tickets").text
    assert other.get(f"/tickets?site={seeded.site_a}").status_code == 404
    assert other.get(f"/tickets.csv?site={seeded.site_a}").status_code == 404
    assert other.get(f"/tickets/{fixed_ticket}").status_code == 404
    assert other.post(f"/tickets/{fixed_ticket}/move",
                      {"from_state": "fixed", "to": "verified"}).status_code == 404
    for role in ("guard-a", "engineer-a"):
        assert web(role).get("/tickets").status_code == 403
        assert web(role).get(f"/tickets/{fixed_ticket}").status_code == 403


def test_the_csv_is_utf8_with_a_bom(web, team, seeded, fixed_ticket):
    resp = web("supervisor-a").get("/tickets.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert [(r["id"], r["title"], r["state"], r["assignee"], r["overdue"]) for r in rows] == [
        (fixed_ticket, "地面有垃圾", "fixed", "engineer-a", "False")]


def test_a_ticket_page_shows_the_fix_and_a_supervisor_verifies(web, team, seeded, fixed_ticket):
    browser = web("supervisor-a")
    page = browser.get(f"/tickets/{fixed_ticket}")
    assert page.status_code == 200
    assert f"/api/v1/photos/{seeded.photo}?variant=thumb" in page.text  # the after photo
    assert "已清扫" in page.text and 'id="history"' in page.text
    assert 'id="move-verified"' in page.text and 'id="move-reopened"' in page.text
    done = browser.post(f"/tickets/{fixed_ticket}/move", {"from_state": "fixed", "to": "verified"})
    assert done.status_code == 302
    assert 'id="move-closed"' in browser.get(f"/tickets/{fixed_ticket}").text


def test_a_stale_or_illegal_ticket_move_is_409_with_the_moves_possible(web, team, seeded,
                                                                      fixed_ticket):
    browser = web("supervisor-a", **{"Accept-Language": "en"})
    browser.get(f"/tickets/{fixed_ticket}")
    en = {"Accept-Language": "en"}
    stale = browser.post(f"/tickets/{fixed_ticket}/move", {"from_state": "open", "to": "closed"},
                         headers=en)
    assert stale.status_code == 409 and "It is now: fixed." in stale.text
    assert "Possible now: verified, reopened." in stale.text


def test_ticket_moves_need_the_csrf_token_and_a_good_form(web, team, seeded, fixed_ticket):
    browser = web("supervisor-a")
    browser.get(f"/tickets/{fixed_ticket}")
    assert browser.post(f"/tickets/{fixed_ticket}/move", {"from_state": "fixed", "to": "verified"},
                        token=False).status_code == 403
    bad = browser.post(f"/tickets/{fixed_ticket}/move", {"from_state": "fixed", "to": "gone"})
    assert bad.status_code == 400 and "to" in bad.text
    assert 'id="move-verified"' in browser.get(f"/tickets/{fixed_ticket}").text  # unchanged
