"""Violations: anyone at the site records and persuades, only managers penalise; retention
class by severity; the month-end finance copy as CSV."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest


def body(team, **over):
    return {"site_id": team.site_a["id"], "unit": "2-1-502", "kind": "fire",
            "severity": "ordinary", "description": "消防通道堆放杂物",
            "remedies": ["persuasion"]} | over


def post(client, headers, data):
    return client.post("/api/v1/violations", json=data, headers=headers)


def test_a_guard_records_and_persuades_but_may_not_penalise(client, team):
    ok = post(client, team.headers["guard"], body(team))
    assert ok.status_code == 201
    assert ok.get_json()["retention"]["class"] == "violation-ordinary"
    assert ok.get_json()["retention"]["years"] == 1
    penalty = body(team, severity="major", remedies=["persuasion", "compensation"],
                   compensation_amount="350.00")
    refused = post(client, team.headers["guard"], penalty)
    assert refused.status_code == 403 and "remedies" in refused.get_json()["message"]
    site = team.site_a["id"]
    assert len(client.get(f"/api/v1/violations?site={site}",
                          headers=team.headers["guard"]).get_json()["items"]) == 1   # nothing added
    major = post(client, team.headers["supervisor"], penalty)
    assert major.status_code == 201
    assert major.get_json()["retention"]["years"] == 5


@pytest.mark.parametrize("over, field", [
    ({"remedies": ["compensation"]}, "compensation_amount"),
    ({"remedies": ["persuasion"], "compensation_amount": "10"}, "compensation_amount"),
    ({"remedies": ["rectify"]}, "rectify_by"),
    ({"remedies": ["rectify"], "rectify_by": "2020-01-01"}, "rectify_by"),
    ({"remedies": []}, "remedies"),
    ({"remedies": ["fine"]}, "remedies"),
    ({"severity": "medium"}, "severity"),
    ({"unit": ""}, "unit"),
])
def test_bad_records_are_422_naming_the_field(client, team, over, field):
    r = post(client, team.headers["supervisor"], body(team, **over))
    assert r.status_code == 422, r.get_json()
    assert field in r.get_json()["errors"]["json"]


def test_month_end_copy_for_finance(client, team):
    sup = team.headers["supervisor"]
    post(client, sup, body(team, severity="major", remedies=["compensation"],
                           compensation_amount="1200.5"))
    month = datetime.now(ZoneInfo(team.site_a["timezone"])).strftime("%Y-%m")
    url = f"/api/v1/violations/finance.csv?site={team.site_a['id']}&month={month}"
    r = client.get(url, headers=sup)
    assert r.status_code == 200 and r.data.startswith("\ufeff".encode())
    lines = r.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,recorded_at,unit") and "1200.50" in lines[1]
    assert client.get(url, headers=team.headers["guard"]).status_code == 403
    assert client.get(f"/api/v1/violations?site={team.site_b['id']}",
                      headers=sup).status_code == 403


def test_an_amount_out_of_range_is_422(client, team):
    for amount in ("0", "-5", "10000000.01"):
        r = post(client, team.headers["supervisor"], body(team, remedies=["compensation"],
                                                          compensation_amount=amount))
        assert r.status_code == 422 and "compensation_amount" in r.get_json()["errors"]["json"]
