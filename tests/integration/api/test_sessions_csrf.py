"""Web sessions: CSRF tokens on state-changing requests, and server-side revocation."""
import pytest

from tests.conftest import PASSWORD

COOKIE = "fieldsync_session"
FOREIGN = {"Origin": "http://127.0.0.1:9999"}  # another port of the same host: SameSite lets it


def log_in(client, username, password=PASSWORD):
    resp = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.json
    return resp.json["csrf_token"]


def copied_cookie(app, client):
    """A second browser holding a copy of ``client``'s session cookie (a captured one)."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


@pytest.fixture
def admin_web(app, team, accounts):
    accounts.user("admin", username="boss")
    web = app.test_client()
    return web, log_in(web, "boss")


def state_changes(team, app_store):
    guard = team.users["guard"]
    device_id = app_store.list("devices", "user", guard["id"]).items[0].id
    return [f"/api/v1/users/{guard['id']}/disable", f"/api/v1/devices/{device_id}/revoke",
            "/api/v1/sync/gc?dry_run=true"]


def test_a_foreign_request_with_the_cookie_but_no_token_is_refused(admin_web, team, app_store):
    web, _ = admin_web
    for url in state_changes(team, app_store):
        resp = web.post(url, headers=FOREIGN)
        assert resp.status_code == 403, url
        body = resp.json
        assert body["code"] == 403 and "X-CSRFToken" in body["message"], body
    assert app_store.get("users", team.users["guard"]["id"]).doc["disabled"] is False
    assert web.post(state_changes(team, app_store)[0],
                    headers={"X-CSRFToken": "forged"}).status_code == 403


def test_with_the_token_the_same_requests_work(admin_web, team, app_store):
    web, token = admin_web
    assert web.get("/api/v1/me").json["csrf_token"] == token
    for url in state_changes(team, app_store):
        assert web.post(url, headers={"X-CSRFToken": token}).status_code == 200, url
    assert app_store.get("users", team.users["guard"]["id"]).doc["disabled"] is True


def test_bearer_requests_need_no_token_and_reads_need_none(admin_web, client, team, app_store):
    web, _ = admin_web
    assert web.get("/api/v1/users", headers=FOREIGN).status_code == 200
    assert client.get("/api/v1/me", headers=team.headers["admin"]).json["csrf_token"] is None
    for url in state_changes(team, app_store)[1:]:
        assert client.post(url, headers=team.headers["admin"]).status_code == 200


def test_a_cookie_copied_before_logout_is_dead_after_it(app, team):
    web = app.test_client()
    log_in(web, "guard-a")
    thief = copied_cookie(app, web)
    assert thief.get("/api/v1/me").status_code == 200
    assert web.post("/api/v1/auth/logout").status_code == 204
    assert thief.get("/api/v1/me").status_code == 401


def test_disabling_ends_sessions_for_good(app, client, team):
    web = app.test_client()
    log_in(web, "guard-a")
    guard_id, admin = team.users["guard"]["id"], team.headers["admin"]
    client.post(f"/api/v1/users/{guard_id}/disable", headers=admin)
    client.post(f"/api/v1/users/{guard_id}/enable", headers=admin)
    assert web.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers=team.headers["guard"]).status_code == 200


def test_an_admin_reset_ends_sessions_and_device_tokens(app, client, team):
    web = app.test_client()
    log_in(web, "guard-a")
    guard_id = team.users["guard"]["id"]
    resp = client.post(f"/api/v1/users/{guard_id}/password", headers=team.headers["admin"],
                       json={"password": "a new secret"})
    assert resp.status_code == 200 and "password" not in resp.json
    assert web.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers=team.headers["guard"]).status_code == 401
    log_in(app.test_client(), "guard-a", "a new secret")
    resp = client.post(f"/api/v1/users/{guard_id}/password", headers=team.headers["admin"],
                       json={"password": "short"})
    assert resp.status_code == 422 and "password" in resp.json["errors"]["json"]
    resp = client.post(f"/api/v1/users/{guard_id}/password", headers=team.headers["guard"],
                       json={"password": "a newer secret"})
    assert resp.status_code in (401, 403)


def test_changing_your_own_password_needs_the_old_one_and_ends_other_sessions(app, team):
    web, other = app.test_client(), app.test_client()
    token = log_in(web, "guard-a")
    log_in(other, "guard-a")
    change = {"old_password": "wrong password", "new_password": "brand new pw"}
    resp = web.post("/api/v1/me/password", json=change, headers={"X-CSRFToken": token})
    assert resp.status_code == 422 and "old_password" in resp.json["errors"]["json"]
    resp = web.post("/api/v1/me/password", json={**change, "old_password": PASSWORD})
    assert resp.status_code == 403  # a cookie request without its token
    resp = web.post("/api/v1/me/password", json={**change, "old_password": PASSWORD},
                    headers={"X-CSRFToken": token})
    assert resp.status_code == 204
    assert web.get("/api/v1/me").status_code == 200
    assert other.get("/api/v1/me").status_code == 401
    log_in(app.test_client(), "guard-a", "brand new pw")


def test_the_front_door_is_the_login_page_and_the_api_docs_stay(client):
    resp = client.get("/")
    assert resp.status_code == 200 and b'id="login"' in resp.data
    assert client.get("/api/docs").status_code == 200


def test_guessing_the_old_password_is_throttled_like_a_login(client, team):
    guard = team.headers["guard"]
    wrong = {"old_password": "not it at all", "new_password": "brand new pw"}
    codes = [client.post("/api/v1/me/password", json=wrong, headers=guard).status_code
             for _ in range(6)]
    assert codes == [422] * 5 + [429]
