"""Admins edit users (role, sites, password) from the API and the CLI."""
from server.services.accounts import users
from server.cli import main
from tests.conftest import PASSWORD

from .test_cli import fails, ok


def test_an_admin_changes_role_and_sites_and_it_applies_at_once(client, team):
    guard, admin = team.users["guard"], team.headers["admin"]
    url = f"/api/v1/users/{guard['id']}"
    resp = client.patch(url, headers=admin, json={"role": "supervisor",
                                                  "site_ids": [team.site_b["id"]]})
    assert resp.status_code == 200, resp.json
    assert resp.json["role"] == "supervisor" and resp.json["site_ids"] == [team.site_b["id"]]
    me = client.get("/api/v1/me", headers=team.headers["guard"]).json
    assert me["user"]["role"] == "supervisor" and [s["code"] for s in me["sites"]] == ["B"]
    assert client.patch(url, headers=admin, json={}).json["role"] == "supervisor"
    resp = client.patch(url, headers=admin, json={"site_ids": ["nope"]})
    assert resp.status_code == 422 and "site_ids" in resp.json["errors"]["json"]
    resp = client.patch(url, headers=admin, json={"role": "boss"})
    assert resp.status_code == 422 and "role" in resp.json["errors"]["json"]
    assert client.patch("/api/v1/users/missing", headers=admin, json={}).status_code == 404
    assert client.patch(url, headers=team.headers["supervisor"], json={}).status_code == 403


def test_cli_set_password_and_edit(runner, team, app_store, client):
    ok(runner.invoke(main, ["user", "set-password", "guard-a"],
                     input="fresh password\nfresh password\n"))
    assert users.check_password(app_store, "guard-a", "fresh password")
    assert client.get("/api/v1/me", headers=team.headers["guard"]).status_code == 401
    out = ok(runner.invoke(main, ["user", "edit", "GUARD-A", "--role", "engineer",
                                  "--site", "A", "--site", "B", "--name", "小王"]))
    assert "engineer, 2 site(s)" in out
    edited = users.find_user(app_store, "guard-a")
    assert edited["display_name"] == "小王" and len(edited["site_ids"]) == 2
    ok(runner.invoke(main, ["user", "edit", "guard-a", "--no-sites"]))
    assert users.find_user(app_store, "guard-a")["site_ids"] == []
    fails(runner.invoke(main, ["user", "edit", "guard-a", "--site", "ZZZ"]),
          "no site with code 'ZZZ'")
    fails(runner.invoke(main, ["user", "set-password", "guard-a", "--password", "short"]),
          "password: Use at least 8 characters.")
    fails(runner.invoke(main, ["user", "set-password", "nobody", "--password", PASSWORD]),
          "no user named 'nobody'")
