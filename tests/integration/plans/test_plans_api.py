"""The plans API: templates, creation, scope and roles, bad input refused whole."""
from __future__ import annotations

import pytest

import server.cli


def body(team, **over):
    return {"site_id": team.site_a["id"], "template": "manager-weekly",
            "checklist_id": "daily-round", "dtstart": "2026-11-30T09:00"} | over


def test_a_supervisor_plans_from_a_template_and_lists_occurrences(client, team, published):
    sup = team.headers["supervisor"]
    assert {t["key"] for t in client.get("/api/v1/plans/templates", headers=sup).get_json()} >= {
        "self-inspection", "city-monthly", "supervisor-daily", "manager-weekly",
        "company-monthly"}
    r = client.post("/api/v1/plans", json=body(team), headers=sup)
    assert r.status_code == 201, r.get_json()
    plan = r.get_json()
    assert (plan["assignee_role"], plan["timezone"]) == ("supervisor", "Asia/Shanghai")
    site = team.site_a["id"]
    occs = client.get(f"/api/v1/plans/occurrences?site={site}&mine=true",
                      headers=sup).get_json()["items"]
    assert occs and all(o["plan_id"] == plan["id"] for o in occs)
    assert client.get(f"/api/v1/plans/occurrences?site={site}&mine=true",
                      headers=team.headers["guard"]).get_json()["items"] == []
    retired = client.post(f"/api/v1/plans/{plan['id']}/retire", headers=sup).get_json()
    assert retired["active"] is False


@pytest.mark.parametrize("over, field", [
    ({"rrule": "FREQ=MINUTELY"}, "rrule"),
    ({"due_offset": {}, "template": None, "name": "x", "assignee_role": "supervisor",
      "rrule": "FREQ=DAILY"}, "due_offset"),
    ({"checklist_id": "no-such-list"}, "checklist_id"),
    ({"assignee_user_id": "nobody"}, "assignee_user_id"),
    ({"dtstart": "next tuesday"}, "dtstart"),
    ({"template": "weekly-ish"}, "template"),
])
def test_bad_plans_get_422_naming_the_field_and_store_nothing(client, team, published, over,
                                                              field):
    data = {k: v for k, v in body(team, **over).items() if v is not None}
    r = client.post("/api/v1/plans", json=data, headers=team.headers["supervisor"])
    assert r.status_code == 422, r.get_json()
    assert field in str(r.get_json()["errors"])
    assert client.get(f"/api/v1/plans?site={team.site_a['id']}",
                      headers=team.headers["supervisor"]).get_json() == []


def test_roles_and_sites_are_enforced(client, team, published):
    assert client.post("/api/v1/plans", json=body(team),
                       headers=team.headers["guard"]).status_code == 403
    other = body(team, site_id=team.site_b["id"])
    assert client.post("/api/v1/plans", json=other,
                       headers=team.headers["supervisor"]).status_code == 403
    assert client.get(f"/api/v1/plans?site={team.site_b['id']}",
                      headers=team.headers["supervisor"]).status_code == 403


def test_the_refresh_command_runs(runner, client, team, published):
    client.post("/api/v1/plans", json=body(team), headers=team.headers["supervisor"])
    result = runner.invoke(server.cli.main, ["plans", "refresh"])
    assert result.exit_code == 0, result.output
    assert "1 active plan(s)" in result.output


def test_refresh_over_the_api_is_for_admins(client, team, published):
    client.post("/api/v1/plans", json=body(team), headers=team.headers["supervisor"])
    url = "/api/v1/plans/occurrences/refresh?horizon_days=10"
    assert client.post(url, headers=team.headers["supervisor"]).status_code == 403
    r = client.post(url, headers=team.headers["admin"])
    assert r.status_code == 200 and r.get_json()["plans"] == 1
    assert client.get("/api/v1/plans/occurrences/refresh",
                      headers=team.headers["admin"]).status_code in (404, 405)
