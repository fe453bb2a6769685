"""The register's scope (site A/B, each role), its audit log and refusals of bad input."""
from __future__ import annotations

import pytest

from tests.unit.households.builders import NAME, elderly_body, rental_body

from .conftest import sites_url


def audit(client, team, headers=None):
    r = client.get(sites_url(team, "household-audit"), headers=headers or team.headers["admin"])
    assert r.status_code == 200
    return r.get_json()["items"]


def test_supervisor_creates_reads_and_replaces_a_record(client, team, register, grant):
    sup = team.headers["supervisor"]
    elderly = register["elderly"]
    assert elderly["occupants"][0]["name"] == NAME and elderly["version"] == 1
    url = sites_url(team, "households", elderly["id"])
    expires = grant("supervisor", elderly["id"])["expires_at"]
    assert client.get(url, headers=sup).get_json() == {**elderly, "access_expires_at": expires}
    changed = client.put(url, json=elderly_body(unit="202"), headers=sup).get_json()
    assert (changed["unit"], changed["version"], changed["created_at"]) == (
        "202", 2, elderly["created_at"])
    listing = client.get(sites_url(team, "households"), headers=sup).get_json()
    assert [h["unit"] for h in listing["items"]] == ["1203", "202"]  # building 1, then 3
    assert NAME not in str(listing)  # summaries only


def test_every_full_read_is_audited_with_who_when_and_the_door(client, team, register, grant):
    hid = register["elderly"]["id"]
    assert [e["action"] for e in audit(client, team)] == ["create", "create"]
    grants = {grant(role, hid)["id"] for role in ("admin", "supervisor")}
    client.get(sites_url(team, "households", hid), headers=team.headers["admin"])
    client.get(sites_url(team, "households", hid), headers=team.headers["supervisor"])
    reads = [e for e in audit(client, team) if e["action"] == "read"]
    assert len(reads) == 2
    assert {e["username"] for e in reads} == {"admin-a", "supervisor-a"}
    assert all(e["household_id"] == hid and e["device_id"] for e in reads)
    assert {e["request_id"] for e in reads} == grants  # each read names its approval
    assert {e["door"] for e in reads} == {
        "GET /api/v1/sites/<site_id>/households/<household_id>"}
    client.delete(sites_url(team, "households", hid), headers=team.headers["supervisor"])
    assert client.get(sites_url(team, "households", hid),
                      headers=team.headers["supervisor"]).status_code == 404
    entries = audit(client, team, team.headers["supervisor"])
    assert len(entries) == 9 and "delete" in {e["action"] for e in entries}


def test_a_refused_read_writes_no_audit_entry(client, team, register):
    before = len(audit(client, team))
    for role in ("guard", "engineer"):
        r = client.get(sites_url(team, "households", register["elderly"]["id"]),
                       headers=team.headers[role])
        assert r.status_code == 403
    assert len(audit(client, team)) == before


@pytest.mark.parametrize("path", ["households", "household-audit", "household-changes",
                                  "household-reminders", "household-monthly-updates",
                                  "welfare-checks", "welfare-checks/due"])
def test_only_supervisors_of_the_site_and_admins_see_register_endpoints(
        client, team, accounts, register, path):
    sup_b = accounts.user("supervisor", site_ids=[team.site_b["id"]])
    for headers, status in ((team.headers["guard"], 403), (team.headers["engineer"], 403),
                            (accounts.headers(sup_b), 403), (team.guard_b_headers, 403),
                            (team.headers["supervisor"], 200), (team.headers["admin"], 200)):
        assert client.get(sites_url(team, path), headers=headers).status_code == status, headers


def test_a_record_of_site_a_is_not_found_through_site_b(client, team, register):
    hid = register["rental"]["id"]
    r = client.get(sites_url(team, "households", hid, site=team.site_b),
                   headers=team.headers["admin"])
    assert r.status_code == 404


@pytest.mark.parametrize("body, location, field", [
    (rental_body(categories=["landlord"]), "json", "categories"),
    (rental_body(tenancy=None), "json", "tenancy"),
    (rental_body(helpers=[{"kind": "nanny", "name": "x", "pass_issued": "2026-01-01",
                           "pass_expires": "2026-06-01"}]), "json", "helpers"),
    (elderly_body(occupants=[{"name": NAME, "birth_date": "1990-01-01"}]), "json", "occupants"),
    ({"building": "1"}, "json", "unit"),
])
def test_bad_input_is_a_422_naming_the_field_and_stores_nothing(client, team, body, location,
                                                                 field):
    r = client.post(sites_url(team, "households"), json=body, headers=team.headers["supervisor"])
    assert r.status_code == 422
    assert any(key.startswith(field) for key in r.get_json()["errors"][location]), r.get_json()
    assert client.get(sites_url(team, "households"),
                      headers=team.headers["admin"]).get_json()["items"] == []
    assert audit(client, team) == []


def test_unknown_site_is_a_404_for_an_admin(client, team):
    r = client.post("/api/v1/sites/nope/households", json=rental_body(),
                    headers=team.headers["admin"])
    assert r.status_code == 404


def test_monthly_update_lists_changes_per_team(client, team, register, grant):
    sup = team.headers["supervisor"]
    grant("supervisor", register["rental"]["id"])
    first = client.post(sites_url(team, "household-monthly-updates"), headers=sup)
    assert first.status_code == 201
    added = first.get_json()["changes"]["security"]["added"]
    assert sorted(e["unit"] for e in added) == ["1203", "201"]
    edited = client.put(sites_url(team, "households", register["rental"]["id"]),
                        json=rental_body(unit="1204"), headers=sup)
    assert edited.status_code == 200
    pending = client.get(sites_url(team, "household-changes"), headers=sup).get_json()
    assert pending["since"] == first.get_json()["at"]
    assert [(e["unit"], e["changed_fields"]) for e in pending["changes"]["repair"]["changed"]] \
        == [("1204", ["unit"])]
    client.post(sites_url(team, "household-monthly-updates"), headers=sup)
    updates = client.get(sites_url(team, "household-monthly-updates"), headers=sup).get_json()
    assert len(updates["items"]) == 2 and "snapshot" not in updates["items"][0]
    assert NAME not in str(updates)


def test_reminders_list_the_monthly_update_until_it_is_done(client, team, register):
    sup = team.headers["supervisor"]
    kinds = [r["kind"] for r in client.get(sites_url(team, "household-reminders"),
                                           headers=sup).get_json()["items"]]
    assert "monthly_update" in kinds
    client.post(sites_url(team, "household-monthly-updates"), headers=sup)
    kinds = [r["kind"] for r in client.get(sites_url(team, "household-reminders"),
                                           headers=sup).get_json()["items"]]
    assert "monthly_update" not in kinds


@pytest.mark.parametrize("path", ["households", "household-audit", "watch-items",
                                  "household-reminders", "welfare-checks"])
def test_an_admin_naming_an_unknown_site_gets_404(client, team, path):
    assert client.get(f"/api/v1/sites/nope/{path}",
                      headers=team.headers["admin"]).status_code == 404
