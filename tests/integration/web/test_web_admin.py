"""Admin pages: users, sites, devices and checklists, over the account services."""
from server.extensions import STORE_KEY

from .seeding import DEFINITION


def test_adding_a_user_with_sites(app, web, team):
    admin = web("admin-a")
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "guard-b" in page.text
    resp = admin.post("/admin/users", {"username": "newbie", "display_name": "新人",
                                       "role": "guard", "password": "long enough pw",
                                       "site_ids": [team.site_b["id"]]})
    assert resp.status_code == 302
    store = app.extensions[STORE_KEY]
    user = next(r.doc for r in store.list("users", "all", "all").items
                if r.doc["username"] == "newbie")
    assert user["site_ids"] == [team.site_b["id"]] and user["role"] == "guard"
    assert web("newbie", password="long enough pw").get("/account").status_code == 200


def test_a_refused_user_says_why_and_stores_nothing(app, web, team):
    admin = web("admin-a", **{"Accept-Language": "en"})
    admin.get("/admin/users")
    short = admin.post("/admin/users", {"username": "x!", "role": "guard", "password": "short"})
    assert short.status_code == 400
    assert "Use at least 8 characters." in short.text and "Use 3-64 letters" in short.text
    taken = admin.post("/admin/users", {"username": "guard-a", "role": "guard",
                                        "password": "long enough pw"})
    assert taken.status_code == 409 and "already taken" in taken.text
    no_token = admin.post("/admin/users", {"username": "sneaky", "role": "admin",
                                           "password": "long enough pw"}, token=False)
    assert no_token.status_code == 403
    names = {r.doc["username"] for r in app.extensions[STORE_KEY].list("users", "all", "all").items}
    assert "sneaky" not in names and "x!" not in names


def test_disable_reset_and_sites_of_a_user(app, web, team):
    admin, guard = web("admin-a"), web("guard-a")
    guard_id = team.users["guard"]["id"]
    page = admin.get(f"/admin/users/{guard_id}")
    assert page.status_code == 200 and "test phone" in page.text
    assert admin.post(f"/admin/users/{guard_id}/disable").status_code == 302
    assert guard.client.get("/account").status_code == 302  # logged out at once
    assert admin.post(f"/admin/users/{guard_id}/enable").status_code == 302
    assert admin.post(f"/admin/users/{guard_id}/password", {"password": "x"}).status_code == 400
    assert admin.post(f"/admin/users/{guard_id}/password",
                      {"password": "another long pw"}).status_code == 302
    assert web("guard-a", password="another long pw")
    assert admin.post(f"/admin/users/{guard_id}/sites",
                      {"site_ids": [team.site_a["id"], team.site_b["id"]]}).status_code == 302
    store = app.extensions[STORE_KEY]
    assert store.get("users", guard_id).doc["site_ids"] == [team.site_a["id"], team.site_b["id"]]
    assert admin.get("/admin/users/no-such-user").status_code == 404


def test_sites_add_and_time_zone(app, web, team):
    admin = web("admin-a")
    admin.get("/admin/sites")
    assert admin.post("/admin/sites", {"code": "NHG", "name": "南湖花园",
                                       "timezone": ""}).status_code == 302
    page = admin.get("/admin/sites")
    assert "南湖花园" in page.text and "Asia/Shanghai" in page.text
    assert admin.post("/admin/sites", {"code": "NHG", "name": "again"}).status_code == 409
    bad = admin.post("/admin/sites", {"code": "X", "name": "x", "timezone": "Mars/Base"})
    assert bad.status_code == 400 and "Mars/Base" in bad.text
    site_a = team.site_a["id"]
    assert admin.post(f"/admin/sites/{site_a}/timezone",
                      {"timezone": "Europe/Berlin"}).status_code == 302
    assert app.extensions[STORE_KEY].get("sites", site_a).doc["timezone"] == "Europe/Berlin"
    assert admin.post(f"/admin/sites/{site_a}/timezone", {"timezone": "nowhere"}
                      ).status_code == 400


def test_revoking_a_device(app, web, client, team):
    admin = web("admin-a")
    page = admin.get("/admin/devices")
    assert page.status_code == 200 and "guard-b" in page.text
    device = app.extensions[STORE_KEY].list("devices", "user", team.guard_b["id"]).items[0]
    assert admin.post(f"/admin/devices/{device.id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers=team.guard_b_headers).status_code == 401


def test_checklists_list_and_one_version(app, web, team, seeded):
    admin = web("admin-a")
    page = admin.get("/admin/definitions")
    assert page.status_code == 200 and "环境巡查" in page.text
    one = admin.get(f"/admin/definitions/{DEFINITION['id']}/1")
    assert one.status_code == 200 and "消防通道畅通" in one.text and "良好" in one.text
    assert admin.get(f"/admin/definitions/{DEFINITION['id']}/9").status_code == 404


def test_the_users_csv_is_for_admins_and_has_no_secrets(web, team):
    resp = web("admin-a").get("/admin/users/export.csv")
    assert resp.status_code == 200 and resp.data.startswith("\ufeff".encode())
    text = resp.data.decode("utf-8-sig")
    assert text.startswith("id,username,display_name,role,sites")
    assert ",guard-b,guard-b,guard,B," in text
    assert "pbkdf2" not in text and "scrypt" not in text and "password" not in text
    assert web("supervisor-a").get("/admin/users/export.csv").status_code == 403
