"""Maintenance tasks through the API: created from the plan, overdue on the supervisor's list,
completed by an engineer, bad input named."""
from __future__ import annotations


def test_tasks_from_the_plan_overdue_and_completed(client, team):
    sup, eng = team.headers["supervisor"], team.headers["engineer"]
    site = team.site_a["id"]
    made = client.post("/api/v1/maintenance/tasks", headers=sup,
                       json={"site_id": site, "first_due": "2020-01-15"})
    assert made.status_code == 201 and len(made.get_json()) > 10
    again = client.post("/api/v1/maintenance/tasks", headers=sup,
                        json={"site_id": site, "first_due": "2020-01-15"})
    assert again.get_json() == []                                    # nothing duplicated
    overdue = client.get(f"/api/v1/maintenance/tasks?site={site}&overdue=true",
                         headers=sup).get_json()
    ids = {t["item_id"] for t in overdue}
    assert "mp.roof.drains" in ids and "mp.facade.sills" not in ids  # no rainy season yet
    assert client.put(f"/api/v1/maintenance/sites/{site}", headers=sup,
                      json={"rainy_season_start": "5-1"}).status_code == 422
    assert client.put(f"/api/v1/maintenance/sites/{site}", headers=sup,
                      json={"rainy_season_start": "05-01"}).status_code == 200
    task_id = f"{site}.mp.fire.cabinets"
    r = client.post(f"/api/v1/maintenance/tasks/{task_id}/complete", headers=eng,
                    json={"done_on": "2026-11-01"})
    assert r.status_code == 422 and "intact_rate" in r.get_json()["errors"]["json"]
    r = client.post(f"/api/v1/maintenance/tasks/{task_id}/complete", headers=eng,
                    json={"done_on": "2026-11-01", "intact_rate": 100})
    assert r.status_code == 200 and r.get_json()["completions"][0]["counts"] is True
    assert client.post(f"/api/v1/maintenance/tasks/{task_id}/complete",
                       headers=team.guard_b_headers,
                       json={"done_on": "2026-11-01"}).status_code == 403
    assert client.post("/api/v1/maintenance/tasks", headers=team.headers["guard"],
                       json={"site_id": site, "first_due": "2027-01-01"}).status_code == 403
