"""Residents' names and phones reach only those who handle the complaint -- the site's
supervisors and admins and its assignee -- through every door: each API answer, the pull
(tasks, alerts, tickets and findings a complaint leads to), and the CSV exports. A
reassigned engineer loses the contact from their device."""
from __future__ import annotations

import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from server.services import definitions
from tests.integration.http_sync.conftest import DEFINITION, Device, submit

PHONE, NAME = "13700001234", "赵丽华"


def leaks(response_or_bytes) -> bool:
    text = response_or_bytes if isinstance(response_or_bytes, str) else (
        response_or_bytes.decode("utf-8-sig") if isinstance(response_or_bytes, bytes)
        else json.dumps(response_or_bytes.get_json(), ensure_ascii=False))
    return PHONE in text or NAME in text


def pulled(client, headers, cursors=None, client_id=None):
    return client.post("/api/v1/sync/pull", headers=headers, json={
        "client_id": client_id or uuid.uuid4().hex, "schema_version": 1,
        "cursors": cursors or {}, "limit": 1000})


@pytest.fixture
def scene(client, team, accounts, app_store):
    """A valid, assigned complaint with a ticket it opened and a finding it caused."""
    definitions.install(app_store, DEFINITION, by="test")
    site, sup = team.site_a["id"], team.headers["supervisor"]
    other = accounts.user("engineer", username="engineer-2", site_ids=[site])
    answers = {}
    cid = client.post("/api/v1/complaints", headers=sup, json={
        "site_id": site, "unit": "5-1-602", "channel": "phone", "category": "repair",
        "description": "卫生间漏水", "resident": {"name": NAME, "phone": PHONE}}).get_json()["id"]
    steps = [("classify", sup, {"validity": "valid", "severity": "major"}),
             ("assign", sup, {"assignee_user_id": team.users["engineer"]["id"]}),
             ("steps", team.headers["engineer"], {"step": "followed", "note": "已上门"}),
             ("tickets", team.headers["engineer"], {"title": "更换角阀"})]
    for path, headers, body in steps:
        answers[path] = client.post(f"/api/v1/complaints/{cid}/{path}", headers=headers,
                                    json=body)
        assert answers[path].status_code in (200, 201), answers[path].get_json()
    Device(client, team.headers["guard"]).push(submit(site, "r-leak", value="fail",
                                                      defects=[{"deduction": 1}]))
    answers["findings"] = client.post(f"/api/v1/complaints/{cid}/findings", headers=sup,
                                      json={"result_id": "r-leak", "item": "env.clean"})
    return cid, other, answers


def test_handlers_see_the_contact_in_every_answer(client, team, scene):
    cid, _, answers = scene
    assert all(leaks(r) for r in answers.values())
    for role in ("supervisor", "engineer", "admin"):
        r = client.get(f"/api/v1/complaints/{cid}", headers=team.headers[role])
        assert r.get_json()["resident"] == {"name": NAME, "phone": PHONE}, role


def test_no_one_else_gets_it_through_any_door(client, team, accounts, scene):
    cid, other, _ = scene
    site = team.site_a["id"]
    for headers in (team.headers["guard"], accounts.headers(other)):
        for url in (f"/api/v1/complaints?site={site}", f"/api/v1/complaints/{cid}",
                    f"/api/v1/complaints?site={site}&status=assigned",
                    "/api/v1/results/r-leak", f"/api/v1/tickets?site={site}"):
            r = client.get(url, headers=headers)
            assert r.status_code == 200 and not leaks(r), url
        r = pulled(client, headers)
        assert r.status_code == 200 and not leaks(r)
        types = {c["type"] for b in r.get_json()["buckets"] for c in b["changes"]}
        assert {"tickets", "complaint_links"} <= types and "complaint_tasks" not in types
    # managers' alerts and devices carry no contact; nor do the exports
    sup = team.headers["supervisor"]
    assert not leaks(client.get("/api/v1/complaints/alerts", headers=sup))
    month = datetime.now(ZoneInfo(team.site_a["timezone"])).strftime("%Y-%m")
    for url in (f"/api/v1/complaints/stats.csv?site={site}&month={month}",
                f"/api/v1/violations/finance.csv?site={site}&month={month}"):
        r = client.get(url, headers=sup)
        assert r.status_code == 200 and not leaks(r.data), url
    alerts = [c for b in pulled(client, sup).get_json()["buckets"] for c in b["changes"]
              if c["type"] == "complaint_alerts"]
    assert alerts and not leaks(json.dumps(alerts, ensure_ascii=False))


def test_a_reassigned_engineer_loses_the_contact(client, team, accounts, scene):
    cid, other, _ = scene
    eng = team.headers["engineer"]
    first = pulled(client, eng, client_id="eng-phone").get_json()
    task = [c for b in first["buckets"] for c in b["changes"] if c["type"] == "complaint_tasks"]
    assert [t["data"]["resident"]["phone"] for t in task] == [PHONE]
    r = client.post(f"/api/v1/complaints/{cid}/assign", headers=team.headers["supervisor"],
                    json={"assignee_user_id": other["id"]})
    assert r.status_code == 200
    again = pulled(client, eng, {b["name"]: b["cursor"] for b in first["buckets"]},
                   "eng-phone")
    gone = [c for b in again.get_json()["buckets"] for c in b["changes"]
            if c["type"] == "complaint_tasks"]
    assert [c["op"] for c in gone] == ["del"] and not leaks(again)
    assert client.get(f"/api/v1/complaints/{cid}", headers=eng).get_json()["resident"] is None
    assert leaks(pulled(client, accounts.headers(other)))
