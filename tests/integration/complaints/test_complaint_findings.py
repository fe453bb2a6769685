"""A failed inspection item linked to the complaint that caused it: by the inspector in the
submission or by a supervisor on the result; checked (same site, the complaint exists, the
item is a finding) and shown on both sides."""
from __future__ import annotations

import pytest

from server.services import definitions
from tests.integration.http_sync.conftest import DEFINITION, Device, submit


@pytest.fixture
def published(app_store):
    return definitions.install(app_store, DEFINITION, by="test")


def new_complaint(client, headers, site_id):
    return client.post("/api/v1/complaints", headers=headers, json={
        "site_id": site_id, "unit": "5-1-602", "channel": "visit", "category": "environment",
        "description": "大堂地面有积水", "resident": {"name": "李秀英"}}).get_json()["id"]


def submit_linked(site_id, result_id, complaint_id, *, value="fail", item="env.clean"):
    name, args = submit(site_id, result_id, value=value, defects=[{"deduction": 1}]
                        if value == "fail" else None)
    return name, {**args, "complaint_links": [{"item": item, "complaint_id": complaint_id}]}


def test_the_inspector_links_a_failed_item_in_the_submission(client, team, published):
    site = team.site_a["id"]
    cid = new_complaint(client, team.headers["supervisor"], site)
    guard = Device(client, team.headers["guard"])
    r = guard.push(submit_linked(site, "r-wet-floor", cid))
    assert r.get_json()["results"][0]["status"] == "applied", r.get_json()
    result = client.get("/api/v1/results/r-wet-floor", headers=team.headers["supervisor"])
    [link] = result.get_json()["complaint_links"]
    assert (link["item"], link["complaint_id"], link["via"]) == ("env.clean", cid, "submit")
    complaint = client.get(f"/api/v1/complaints/{cid}", headers=team.headers["guard"]).get_json()
    assert [(f["result_id"], f["item"]) for f in complaint["findings"]] == [
        ("r-wet-floor", "env.clean")]


@pytest.mark.parametrize("case", ["other-site", "unknown", "passed-item"])
def test_a_bad_link_rejects_the_submission_naming_the_field(client, team, published, case):
    site = team.site_a["id"]
    cid = {"other-site": lambda: new_complaint(client, team.headers["admin"],
                                               team.site_b["id"]),
           "unknown": lambda: "no-such-complaint",
           "passed-item": lambda: new_complaint(client, team.headers["supervisor"], site)}[case]()
    guard = Device(client, team.headers["guard"])
    r = guard.push(submit_linked(site, "r-bad", cid, value="pass" if case == "passed-item"
                                 else "fail"))
    outcome = r.get_json()["results"][0]
    assert outcome["status"] == "rejected" and "complaint_links" in outcome["error"]["errors"]
    assert client.get("/api/v1/results/r-bad",
                      headers=team.headers["supervisor"]).status_code == 404


def test_a_supervisor_links_a_finding_on_the_result(client, team, published):
    site, sup = team.site_a["id"], team.headers["supervisor"]
    cid = new_complaint(client, sup, site)
    guard = Device(client, team.headers["guard"])
    guard.push(submit(site, "r-1", value="fail", defects=[{"deduction": 1}]))
    body = {"result_id": "r-1", "item": "env.clean"}
    for _ in range(2):                                    # linking twice is one link
        r = client.post(f"/api/v1/complaints/{cid}/findings", headers=sup, json=body)
        assert r.status_code == 201, r.get_json()
    assert [f["via"] for f in r.get_json()["findings"]] == ["review"]
    links = client.get("/api/v1/results/r-1", headers=sup).get_json()["complaint_links"]
    assert [(x["complaint_id"], x["by"]) for x in links] == [(cid, team.users["supervisor"]["id"])]
    assert client.post(f"/api/v1/complaints/{cid}/findings", headers=team.headers["guard"],
                       json=body).status_code == 403
    r = client.post(f"/api/v1/complaints/{cid}/findings", headers=sup,
                    json={"result_id": "r-1", "item": "env.other"})
    assert r.status_code == 422 and "item" in r.get_json()["errors"]["json"]
    r = client.post(f"/api/v1/complaints/{cid}/findings", headers=sup,
                    json={"result_id": "nope", "item": "env.clean"})
    assert r.status_code == 422 and "result_id" in r.get_json()["errors"]["json"]
    other = new_complaint(client, team.headers["admin"], team.site_b["id"])
    assert client.post(f"/api/v1/complaints/{other}/findings", headers=sup,
                       json=body).status_code == 404
    r = client.post(f"/api/v1/complaints/{other}/findings", headers=team.headers["admin"],
                    json=body)                       # the result is of another site
    assert r.status_code == 422 and "complaint_id" in r.get_json()["errors"]["json"]
