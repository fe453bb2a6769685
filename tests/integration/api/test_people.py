"""Users' department and direct supervisor; a site's project lead (API and CLI)."""
from server import cli
from server.services.accounts import users
from server.services.accounts.users import USERS


def test_reports_to_names_an_existing_user_and_never_loops(client, team):
    admin = team.headers["admin"]
    boss, mid = team.users["supervisor"], team.users["engineer"]
    got = client.patch(f"/api/v1/users/{mid['id']}", headers=admin,
                       json={"department": "工程部", "reports_to": boss["id"]})
    assert got.status_code == 200, got.json
    assert got.json["department"] == "工程部" and got.json["reports_to"] == boss["id"]
    loop = client.patch(f"/api/v1/users/{boss['id']}", headers=admin,
                        json={"reports_to": mid["id"]})
    assert loop.status_code == 422 and "reports_to" in loop.json["errors"]["json"]
    itself = client.patch(f"/api/v1/users/{boss['id']}", headers=admin,
                          json={"reports_to": boss["id"]})
    assert itself.status_code == 422
    unknown = client.post("/api/v1/users", headers=admin, json={
        "username": "newbie", "password": "long enough pw", "role": "guard",
        "reports_to": "f" * 32})
    assert unknown.status_code == 422 and "reports_to" in unknown.json["errors"]["json"]
    assert client.get("/api/v1/users/" + boss["id"], headers=admin).json["reports_to"] is None
    cleared = client.patch(f"/api/v1/users/{mid['id']}", headers=admin, json={"reports_to": ""})
    assert cleared.json["reports_to"] is None


def test_old_records_read_with_empty_values(client, team, app_store):
    old = {k: v for k, v in team.users["guard"].items() if k not in ("department", "reports_to")}
    with app_store.transaction() as tx:
        tx.commit([users.user_put(old)])
    assert app_store.get(USERS, old["id"]).doc.get("department") is None
    got = client.get(f"/api/v1/users/{old['id']}", headers=team.headers["admin"])
    assert got.json["department"] == "" and got.json["reports_to"] is None
    site = client.get(f"/api/v1/sites/{team.site_a['id']}", headers=team.headers["admin"])
    assert site.json["lead_user_id"] is None


def test_site_lead_is_set_by_admins_and_must_exist(client, team):
    url = f"/api/v1/sites/{team.site_a['id']}"
    lead = team.users["supervisor"]["id"]
    got = client.patch(url, headers=team.headers["admin"], json={"lead_user_id": lead})
    assert got.status_code == 200 and got.json["lead_user_id"] == lead
    bad = client.patch(url, headers=team.headers["admin"],
                       json={"lead_user_id": "f" * 32, "timezone": "Europe/Paris"})
    assert bad.status_code == 422 and "lead_user_id" in bad.json["errors"]["json"]
    kept = client.get(url, headers=team.headers["admin"]).json
    assert kept["timezone"] != "Europe/Paris" and kept["lead_user_id"] == lead  # nothing half-done
    assert client.patch(url, headers=team.headers["admin"], json={}).status_code == 422
    assert client.patch(url, headers=team.headers["supervisor"],
                        json={"lead_user_id": None}).status_code == 403


def test_cli_sets_department_supervisor_and_lead(runner, team, app_store):
    done = runner.invoke(cli.main, ["user", "add", "zhang", "--role", "guard", "--password",
                                    "long enough pw", "--department", "保安部",
                                    "--reports-to", "supervisor-a"])
    assert done.exit_code == 0, done.output
    zhang = users.find_user(app_store, "zhang")
    assert zhang["department"] == "保安部"
    assert zhang["reports_to"] == team.users["supervisor"]["id"]
    loop = runner.invoke(cli.main, ["user", "edit", "supervisor-a", "--reports-to", "zhang"])
    assert loop.exit_code != 0 and "loop" in loop.output
    assert runner.invoke(cli.main, ["user", "edit", "zhang", "--reports-to", ""]).exit_code == 0
    assert users.find_user(app_store, "zhang")["reports_to"] is None
    lead = runner.invoke(cli.main, ["site", "set-lead", "A", "supervisor-a"])
    assert lead.exit_code == 0, lead.output
    assert app_store.get("sites", team.site_a["id"]).doc["lead_user_id"] == \
        team.users["supervisor"]["id"]
