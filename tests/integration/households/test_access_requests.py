"""Reading a household file needs the site lead's (or an admin's) approval (seed 001 §4.8)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from server.services import household_access, households
from server.services.accounts import sites
from server.services.accounts.records import from_text, utc_now
from server.services.accounts.users import actor_of
from server.services.errors import Forbidden
from tests.unit.households.builders import NAME, elderly_body

from .conftest import sites_url

REASON = "welfare follow-up"


def ask(client, team, hid, role="supervisor", body=None):
    return client.post(sites_url(team, "households", hid, "access-requests"),
                       json={"reason": REASON} if body is None else body,
                       headers=team.headers[role])


def decide(client, team, rid, headers, **body):
    return client.post(sites_url(team, "access-requests", rid, "decision"),
                       json={"approve": True, **body}, headers=headers)


def test_without_a_grant_the_file_is_refused_naming_what_is_missing(client, team, register):
    url = sites_url(team, "households", register["elderly"]["id"])
    for role in ("supervisor", "admin"):
        r = client.get(url, headers=team.headers[role])
        assert r.status_code == 403 and NAME not in r.get_data(as_text=True)
        assert "no approved access to this household's file; request it" in r.get_json()["message"]
        edited = client.put(url, json=elderly_body(unit="909"), headers=team.headers[role])
        assert edited.status_code == 403
    assert client.get(sites_url(team, "households"),
                      headers=team.headers["supervisor"]).get_json()["items"][0]["unit"] != "909"


def test_request_approve_read_and_the_audit_has_each_step(client, team, register, accounts,
                                                          site_lead):
    hid = register["elderly"]["id"]
    asked = ask(client, team, hid)
    assert asked.status_code == 201 and asked.get_json()["status"] == "requested"
    lead = accounts.headers(site_lead)
    pending = client.get(sites_url(team, "access-requests"), headers=lead).get_json()["items"]
    assert [p["id"] for p in pending] == [asked.get_json()["id"]]
    approved = decide(client, team, pending[0]["id"], lead)
    assert approved.status_code == 200 and approved.get_json()["expires_at"]
    assert client.get(sites_url(team, "access-requests"), headers=lead).get_json()["items"] == []
    record = client.get(sites_url(team, "households", hid), headers=team.headers["supervisor"])
    assert record.status_code == 200 and record.get_json()["occupants"][0]["name"] == NAME
    assert record.get_json()["access_expires_at"] == approved.get_json()["expires_at"]
    trail = client.get(sites_url(team, "household-audit"),
                       headers=team.headers["admin"]).get_json()["items"]
    steps = {(e["action"], e["username"], e["request_id"]) for e in trail
             if e["household_id"] == hid and e["action"] != "create"}  # same second: any order
    rid = asked.get_json()["id"]
    assert steps == {("access-request", "supervisor-a", rid), ("access-approve", "lead-a", rid),
                     ("read", "supervisor-a", rid)}


def test_the_requester_cannot_approve_their_own_request(client, team, register, accounts,
                                                        site_lead):
    hid = register["elderly"]["id"]
    lead = accounts.headers(site_lead)
    own = client.post(sites_url(team, "households", hid, "access-requests"),
                      json={"reason": REASON}, headers=lead).get_json()
    r = decide(client, team, own["id"], lead)
    assert r.status_code == 403 and "own request" in r.get_json()["message"]
    assert client.get(sites_url(team, "households", hid), headers=lead).status_code == 403
    admin_own = ask(client, team, hid, "admin").get_json()
    assert decide(client, team, admin_own["id"], team.headers["admin"]).status_code == 403
    assert decide(client, team, own["id"], team.headers["admin"]).status_code == 200


def test_another_sites_lead_and_other_supervisors_cannot_decide(client, team, register,
                                                                accounts, app_store, site_lead):
    rid = ask(client, team, register["elderly"]["id"]).get_json()["id"]
    lead_b = accounts.user("supervisor", username="lead-b", site_ids=[team.site_b["id"]])
    sites.edit_site(app_store, team.site_b["id"], {"lead_user_id": lead_b["id"]})
    other_a = accounts.user("supervisor", username="other-a", site_ids=[team.site_a["id"]])
    for user in (lead_b, other_a):
        assert decide(client, team, rid, accounts.headers(user)).status_code == 403
        assert client.get(sites_url(team, "access-requests"),
                          headers=accounts.headers(user)).status_code == 403
    through_b = client.post(sites_url(team, "access-requests", rid, "decision", site=team.site_b),
                            json={"approve": True}, headers=accounts.headers(lead_b))
    assert through_b.status_code == 404


def test_deciding_twice_is_a_409(client, team, register, accounts, site_lead):
    rid = ask(client, team, register["elderly"]["id"]).get_json()["id"]
    lead = accounts.headers(site_lead)
    assert decide(client, team, rid, lead).status_code == 200
    again = decide(client, team, rid, team.headers["admin"], approve=False, reason="no")
    assert again.status_code == 409


@pytest.mark.parametrize("body", [{}, {"reason": "  "}])
def test_a_request_without_a_reason_is_a_422_naming_it(client, team, register, body):
    r = ask(client, team, register["elderly"]["id"], body=body)
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]["json"]


def test_a_refusal_without_a_reason_is_a_422_and_changes_nothing(client, team, register,
                                                                 accounts, site_lead):
    rid = ask(client, team, register["elderly"]["id"]).get_json()["id"]
    lead = accounts.headers(site_lead)
    r = decide(client, team, rid, lead, approve=False)
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]["json"]
    assert [p["id"] for p in client.get(sites_url(team, "access-requests"),
                                        headers=lead).get_json()["items"]] == [rid]
    refused = decide(client, team, rid, lead, approve=False, reason="no need")
    assert refused.get_json()["status"] == "refused"
    assert client.get(sites_url(team, "households", register["elderly"]["id"]),
                      headers=team.headers["supervisor"]).status_code == 403


def test_an_expired_grant_is_refused(app_store, team, register, grant):
    hid, at = register["elderly"]["id"], utc_now()
    grant("supervisor", hid, at=at)
    sup = actor_of(team.users["supervisor"])
    site = team.site_a["id"]
    read = households.get_household(app_store, sup, site, hid, at=at + timedelta(hours=23),
                                    door="test")
    assert read["occupants"][0]["name"] == NAME
    with pytest.raises(Forbidden, match="request it"):
        households.get_household(app_store, sup, site, hid, at=at + timedelta(hours=24),
                                 door="test")
    assert household_access.grant_of(app_store, sup, hid, at + timedelta(hours=25)) is None


def test_the_grant_window_is_the_setting(app, client, team, register, accounts, site_lead):
    app.config["HOUSEHOLD_ACCESS_HOURS"] = 2
    rid = ask(client, team, register["elderly"]["id"]).get_json()["id"]
    decided = decide(client, team, rid, accounts.headers(site_lead)).get_json()
    assert from_text(decided["expires_at"]) - from_text(decided["decided_at"]) == timedelta(
        hours=2)
