"""Listings read what they show: complaints by status and violations page by page through
the store's index (newest first, keyset cursors), never a site's whole year filtered."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.services import complaints, violations
from server.services.accounts.users import actor_of
from server.services.complaints import COMPLAINTS, COMPLAINTS_INDEXED, index_stored_complaints
from server.services.stored_indexes import MARKERS
from server.store.base import Put

FIRST = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def intake(store, team, n):
    """Complaint ``n`` received ``n`` minutes after the first (the listing's order)."""
    return complaints.intake(store, actor_of(team.users["supervisor"]), {
        "site_id": team.site_a["id"], "unit": f"1-1-{100 + n}", "channel": "phone",
        "category": "noise", "description": f"第{n}次", "photos": [], "repair": None,
        "resident": {"name": "王", "phone": None}}, FIRST + timedelta(minutes=n))["id"]


def pages(client, url, headers):
    seen, cursor = [], None
    while True:
        body = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=headers)
        assert body.status_code == 200, body.get_json()
        seen.append([x["id"] for x in body.get_json()["items"]])
        cursor = body.get_json()["next_cursor"]
        if cursor is None:
            return seen


def test_complaints_page_newest_first_and_a_status_reads_its_own_key(client, team, app_store):
    sup, site = team.headers["supervisor"], team.site_a["id"]
    ids = [intake(app_store, team, n) for n in range(5)]
    client.post(f"/api/v1/complaints/{ids[1]}/classify", headers=sup,
                json={"validity": "invalid", "reason": "不属物业范围"})
    got = pages(client, f"/api/v1/complaints?site={site}&limit=2", sup)
    assert [len(p) for p in got] == [2, 2, 1]
    assert sum(got, []) == ids[::-1]
    assert pages(client, f"/api/v1/complaints?site={site}&status=closed", sup) == [[ids[1]]]
    assert sum(pages(client, f"/api/v1/complaints?site={site}&status=received&limit=3", sup),
               []) == [i for i in ids[::-1] if i != ids[1]]
    r = client.get(f"/api/v1/complaints?site={site}&cursor=garbage", headers=sup)
    assert r.status_code == 422 and "cursor" in r.get_json()["errors"]["query"]


def test_complaints_stored_before_the_status_listing_are_indexed_once(client, team, app_store):
    sup, site = team.headers["supervisor"], team.site_a["id"]
    cid = intake(app_store, team, 1)
    old = app_store.get_doc(COMPLAINTS, cid)
    app_store.commit([Put(COMPLAINTS, cid, old, None, {"site": (site, old["received_at"])})])
    assert client.get(f"/api/v1/complaints?site={site}&status=received",
                      headers=sup).get_json()["items"] == []          # as an older server left it
    assert index_stored_complaints(app_store) == 1 and index_stored_complaints(app_store) == 0
    assert app_store.get_doc(MARKERS, COMPLAINTS_INDEXED)["records"] == 1
    assert [c["id"] for c in complaints.open_complaints(
        app_store, actor_of(team.users["supervisor"]), site, FIRST)] == [cid]
    assert app_store.get_doc(COMPLAINTS, cid) == old                   # stored as it was


def test_violations_page_newest_first(client, team, app_store):
    guard, site = team.headers["guard"], team.site_a["id"]
    ids = [violations.record(app_store, actor_of(team.users["guard"]), {
        "site_id": site, "unit": f"2-1-{n}01", "kind": "sanitation", "severity": "ordinary",
        "description": "楼道堆物", "remedies": ["persuasion"]}, FIRST + timedelta(minutes=n)
    )["id"] for n in range(1, 4)]
    got = pages(client, f"/api/v1/violations?site={site}&limit=2", guard)
    assert [len(p) for p in got] == [2, 1] and sum(got, []) == ids[::-1]
