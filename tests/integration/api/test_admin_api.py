"""Admin API for users, sites and devices, and site scope for everyone else."""
import threading

from server.services.accounts import users
from server.services.errors import Conflict
from tests.conftest import FAST_HASH, PASSWORD


def create_user(client, headers, **kw):
    body = {"username": "alice", "password": PASSWORD, "role": "engineer", **kw}
    return client.post("/api/v1/users", json=body, headers=headers)


def test_admin_creates_a_user_who_can_then_log_in(client, team):
    admin = team.headers["admin"]
    resp = create_user(client, admin, display_name="李工", site_ids=[team.site_b["id"]])
    assert resp.status_code == 201
    alice = resp.get_json()
    assert alice["display_name"] == "李工" and alice["site_ids"] == [team.site_b["id"]]
    assert set(alice) == {"id", "username", "display_name", "role", "site_ids", "disabled",
                          "created_at", "updated_at", "department", "reports_to"}
    assert len(alice["id"]) == 32
    assert client.get(f"/api/v1/users/{alice['id']}", headers=admin).get_json() == alice
    login = client.post("/api/v1/auth/login", json={"username": "alice", "password": PASSWORD})
    assert login.status_code == 200


def test_usernames_are_unique_regardless_of_case(client, team):
    admin = team.headers["admin"]
    assert create_user(client, admin).status_code == 201
    resp = create_user(client, admin, username="ALICE")
    assert resp.status_code == 409 and "taken" in resp.get_json()["message"]


def test_concurrent_creates_of_one_username_leave_exactly_one(app_store):
    outcomes = []

    def create():
        try:
            users.create_user(app_store, username="racer", password=PASSWORD, role="guard",
                              hash_method=FAST_HASH)
            outcomes.append("created")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=create) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["created"]
    assert app_store.count("users", "username", "racer") == 1


def test_user_listing_pages_by_username_with_a_cursor(client, team, accounts):
    for name in ("zed", "amy", "Bob"):
        accounts.user("guard", username=name)
    admin = team.headers["admin"]
    seen, cursor = [], None
    while True:
        url = "/api/v1/users?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=admin).get_json()
        assert len(page["items"]) <= 3
        seen += [u["username"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen, key=str.casefold)
    assert len(seen) == len(set(seen)) == 8  # 5 team users + 3


def test_assigning_sites_replaces_them(client, team):
    admin, guard = team.headers["admin"], team.users["guard"]
    url = f"/api/v1/users/{guard['id']}/sites"
    resp = client.put(url, json={"site_ids": [team.site_b["id"], team.site_a["id"]]},
                      headers=admin)
    assert resp.status_code == 200
    assert resp.get_json()["site_ids"] == [team.site_b["id"], team.site_a["id"]]
    codes = [s["code"] for s in client.get("/api/v1/me", headers=team.headers["guard"])
             .get_json()["sites"]]
    assert codes == ["A", "B"]
    resp = client.put(url, json={"site_ids": ["nope"]}, headers=admin)
    assert resp.status_code == 422
    assert resp.get_json()["errors"]["json"] == {"site_ids": {"0": ["Unknown site."]}}
    assert client.put("/api/v1/users/nope/sites", json={"site_ids": []},
                      headers=admin).status_code == 404


def test_sites_are_created_by_admins_with_unique_codes(client, team, app_store):
    admin = team.headers["admin"]
    resp = client.post("/api/v1/sites", json={"code": "C-1", "name": "滨江 Riverside"},
                       headers=admin)
    assert resp.status_code == 201
    site = resp.get_json()
    assert app_store.get("sites", site["id"]).bucket == f"site:{site['id']}"
    again = client.post("/api/v1/sites", json={"code": "c-1", "name": "x"}, headers=admin)
    assert again.status_code == 409
    bad = client.post("/api/v1/sites", json={"code": "has space", "name": ""}, headers=admin)
    assert set(bad.get_json()["errors"]["json"]) == {"code", "name"}


def test_site_scope_guard_of_a_cannot_see_b(client, team):
    guard_a = team.headers["guard"]
    listing = client.get("/api/v1/sites", headers=guard_a).get_json()
    assert [s["code"] for s in listing["items"]] == ["A"] and listing["next_cursor"] is None
    assert client.get(f"/api/v1/sites/{team.site_a['id']}", headers=guard_a).status_code == 200
    hidden = client.get(f"/api/v1/sites/{team.site_b['id']}", headers=guard_a)
    missing = client.get("/api/v1/sites/no-such-site", headers=guard_a)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()  # B's existence is not confirmed
    guard_b = client.get(f"/api/v1/sites/{team.site_b['id']}", headers=team.guard_b_headers)
    assert guard_b.status_code == 200


def test_admin_sees_every_site(client, team):
    admin = team.headers["admin"]
    listing = client.get("/api/v1/sites", headers=admin).get_json()
    assert [s["code"] for s in listing["items"]] == ["A", "B"]
    assert client.get(f"/api/v1/sites/{team.site_b['id']}", headers=admin).status_code == 200


def test_devices_admins_see_all_others_only_their_own(client, team):
    admin, guard = team.headers["admin"], team.headers["guard"]
    everyone = client.get("/api/v1/devices?limit=200", headers=admin).get_json()["items"]
    assert len(everyone) == 5
    created = [d["created_at"] for d in everyone]
    assert created == sorted(created, reverse=True)
    mine = client.get("/api/v1/devices", headers=guard).get_json()["items"]
    assert [d["user_id"] for d in mine] == [team.users["guard"]["id"]]
    other = team.users["engineer"]["id"]
    assert client.get(f"/api/v1/devices?user_id={other}", headers=guard).status_code == 403
    theirs = client.get(f"/api/v1/devices?user_id={other}", headers=admin).get_json()["items"]
    assert [d["user_id"] for d in theirs] == [other]


def test_only_admins_revoke_other_peoples_devices(client, team):
    engineer_device = client.get("/api/v1/devices", headers=team.headers["engineer"]
                                 ).get_json()["items"][0]
    url = f"/api/v1/devices/{engineer_device['id']}/revoke"
    assert client.post(url, headers=team.headers["guard"]).status_code == 404
    assert client.get("/api/v1/me", headers=team.headers["engineer"]).status_code == 200
    first = client.post(url, headers=team.headers["admin"]).get_json()["revoked_at"]
    assert client.get("/api/v1/me", headers=team.headers["engineer"]).status_code == 401
    assert client.post(url, headers=team.headers["admin"]).get_json()["revoked_at"] == first
