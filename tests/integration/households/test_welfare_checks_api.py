"""Welfare checks through the API: sightings, the due list, the procedure, the close."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from checklists.actors import Actor
from server.services import households, welfare_checks
from server.services.errors import Forbidden

from .conftest import sites_url

SIGNATURES = [{"party": "property", "name": "主管"}, {"party": "family", "name": "王小明"},
              {"party": "authority", "name": "社区居委会"}]


def due(client, team):
    r = client.get(sites_url(team, "welfare-checks/due"), headers=team.headers["supervisor"])
    assert r.status_code == 200
    return [d["household_id"] for d in r.get_json()["items"]]


def test_a_guards_sighting_clears_the_check_and_days_unseen_bring_it_back(
        client, team, register, app_store):
    hid = register["elderly"]["id"]
    assert due(client, team) == [hid]  # never seen
    r = client.post(sites_url(team, "households", hid, "sightings"), headers=team.headers["guard"])
    assert r.status_code == 204
    assert due(client, team) == []
    guard = Actor(team.users["guard"]["id"], "guard", {team.site_a["id"]})
    supervisor = Actor(team.users["supervisor"]["id"], "supervisor", {team.site_a["id"]})
    later = datetime.now(timezone.utc) + timedelta(days=3, minutes=1)
    assert [d["household_id"] for d in welfare_checks.checks_due(
        app_store, supervisor, team.site_a["id"], at=later)] == [hid]
    welfare_checks.record_sighting(app_store, guard, team.site_a["id"], hid, at=later)
    assert welfare_checks.checks_due(app_store, supervisor, team.site_a["id"], at=later) == []


def test_a_guard_of_another_site_cannot_report_a_sighting(client, team, register):
    hid = register["elderly"]["id"]
    r = client.post(sites_url(team, "households", hid, "sightings"), headers=team.guard_b_headers)
    assert r.status_code == 403
    r = client.post(sites_url(team, "households", hid, "sightings", site=team.site_b),
                    headers=team.guard_b_headers)
    assert r.status_code == 404


def test_the_procedure_from_knock_to_the_three_party_record(client, team, register):
    sup = team.headers["supervisor"]
    opened = client.post(sites_url(team, "welfare-checks"), headers=sup, json={
        "household_id": register["elderly"]["id"], "reason": "3 days not seen"})
    assert opened.status_code == 201
    task = opened.get_json()
    assert due(client, team) == []  # an open check is not listed as due again
    again = client.post(sites_url(team, "welfare-checks"), headers=sup, json={
        "household_id": register["elderly"]["id"], "reason": "again"})
    assert again.status_code == 409
    steps_url = sites_url(team, "welfare-checks", task["id"], "steps")
    early = client.post(steps_url, headers=sup, json={"step": "supervised_entry",
                                                      "outcome": "nobody_normal"})
    assert early.status_code == 422 and "step" in early.get_json()["errors"]["json"]
    for step, outcome in (("knock", "no_answer"), ("ask_neighbours", "abnormal"),
                          ("call_family", "away_no_contact")):
        assert client.post(steps_url, headers=sup,
                           json={"step": step, "outcome": outcome}).status_code == 200
    no_supervisor = client.post(steps_url, headers=sup, json={"step": "supervised_entry",
                                                              "outcome": "seriously_ill"})
    assert "supervised_by" in no_supervisor.get_json()["errors"]["json"]
    for body in ({"step": "supervised_entry", "outcome": "seriously_ill",
                  "supervised_by": "社区居委会"}, {"step": "call_120", "outcome": "called"}):
        assert client.post(steps_url, headers=sup, json=body).status_code == 200
    close_url = sites_url(team, "welfare-checks", task["id"], "close")
    unsigned = client.post(close_url, headers=sup, json={"resolution": "送医"})
    assert unsigned.status_code == 422
    assert "incident_record" in unsigned.get_json()["errors"]["json"]
    closed = client.post(close_url, headers=sup, json={
        "resolution": "送医", "incident_record": {"summary": "入室发现病重,已送医",
                                                "signatures": SIGNATURES}})
    assert closed.status_code == 200
    assert closed.get_json()["state"] == "closed"
    listed = client.get(sites_url(team, "welfare-checks"), headers=sup).get_json()["items"]
    assert [t["state"] for t in listed] == ["closed"]
    assert client.get(sites_url(team, "welfare-checks", task["id"]), headers=sup).get_json() \
        == closed.get_json()


@pytest.mark.parametrize("body, field", [
    ({"step": "dance", "outcome": "called"}, "step"),
    ({"step": "knock"}, "outcome"),
    ({"step": "knock", "outcome": "called"}, "outcome"),
])
def test_bad_steps_are_422_naming_the_field(client, team, register, body, field):
    sup = team.headers["supervisor"]
    task = client.post(sites_url(team, "welfare-checks"), headers=sup, json={
        "household_id": register["elderly"]["id"], "reason": "x"}).get_json()
    r = client.post(sites_url(team, "welfare-checks", task["id"], "steps"), headers=sup,
                    json=body)
    assert r.status_code == 422 and field in r.get_json()["errors"]["json"]


def test_the_service_refuses_a_guard_even_without_the_routes_role_check(app_store, team,
                                                                        register):
    guard = Actor(team.users["guard"]["id"], "guard", {team.site_a["id"]})
    with pytest.raises(Forbidden):
        households.get_household(app_store, guard, team.site_a["id"], register["elderly"]["id"],
                                 at=datetime.now(timezone.utc), door="test")
    with pytest.raises(Forbidden):
        welfare_checks.checks_due(app_store, guard, team.site_a["id"],
                                  at=datetime.now(timezone.utc))
