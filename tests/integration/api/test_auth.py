"""Logging in and out: web sessions, device tokens, revocation, disabling, throttling."""
from datetime import timedelta

import pytest
from werkzeug.security import check_password_hash

from server.services.accounts import devices, users
from server.services.accounts.records import from_text
from server.extensions import THROTTLE_KEY
from tests.conftest import PASSWORD, bearer


def device_login(client, username, password=PASSWORD, **extra):
    return client.post("/api/v1/auth/device-login", json={
        "username": username, "password": password, "device_name": "phone", **extra})


def test_session_login_me_logout(client, team):
    resp = client.post("/api/v1/auth/login", json={"username": "GUARD-A", "password": PASSWORD})
    assert resp.status_code == 200
    assert resp.get_json()["username"] == "guard-a" and "password_hash" not in resp.get_json()
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    me = client.get("/api/v1/me").get_json()
    assert me["user"]["role"] == "guard" and me["device"] is None
    assert [s["code"] for s in me["sites"]] == ["A"]
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_device_login_issues_a_token_shown_once_and_stored_hashed(client, team, app_store):
    resp = device_login(client, "engineer-a", install_id="install-1")
    assert resp.status_code == 201
    body = resp.get_json()
    token, device = body["token"], body["device"]
    assert token.startswith("fsd_") and len(token) > 40
    assert body["user"]["username"] == "engineer-a"
    stored = app_store.get("devices", device["id"]).doc
    assert stored["token_hash"] == devices.token_hash(token) and token not in str(stored)
    assert "token_hash" not in device
    me = client.get("/api/v1/me", headers=bearer(token)).get_json()
    assert me["device"]["id"] == device["id"] and me["user"]["role"] == "engineer"


def test_wrong_password_and_unknown_user_look_the_same(client, team):
    wrong = device_login(client, "guard-a", "wrong password")
    unknown = device_login(client, "nobody", "wrong password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json()["message"] == unknown.get_json()["message"]


def test_revoked_device_gets_401_at_once(client, team):
    token = device_login(client, "guard-a").get_json()
    me = bearer(token["token"])
    assert client.get("/api/v1/me", headers=me).status_code == 200
    resp = client.post(f"/api/v1/devices/{token['device']['id']}/revoke", headers=me)
    assert resp.status_code == 200 and resp.get_json()["revoked_at"]
    assert client.get("/api/v1/me", headers=me).status_code == 401


def test_logging_in_again_from_the_same_install_revokes_its_old_token(client, team):
    old = device_login(client, "guard-a", install_id="phone-7").get_json()["token"]
    other = device_login(client, "guard-a", install_id="phone-8").get_json()["token"]
    new = device_login(client, "guard-a", install_id="phone-7").get_json()["token"]
    assert client.get("/api/v1/me", headers=bearer(old)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(new)).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200


def test_disabled_user_gets_401_on_token_session_and_login(client, team, app):
    guard = team.users["guard"]
    session_client = app.test_client()
    session_client.post("/api/v1/auth/login", json={"username": "guard-a", "password": PASSWORD})
    assert session_client.get("/api/v1/me").status_code == 200
    resp = client.post(f"/api/v1/users/{guard['id']}/disable", headers=team.headers["admin"])
    assert resp.status_code == 200 and resp.get_json()["disabled"] is True
    assert client.get("/api/v1/me", headers=team.headers["guard"]).status_code == 401
    assert session_client.get("/api/v1/me").status_code == 401
    body = device_login(client, "guard-a").get_json()
    assert body["code"] == 401 and "disabled" in body["message"]
    client.post(f"/api/v1/users/{guard['id']}/enable", headers=team.headers["admin"])
    assert client.get("/api/v1/me", headers=team.headers["guard"]).status_code == 200


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_repeated_failures_are_throttled_with_growing_backoff(client, team, app):
    clock = FakeClock()
    app.extensions[THROTTLE_KEY].clock = clock
    for _ in range(5):
        assert device_login(client, "guard-a", "wrong password").status_code == 401
    # Locked out -- even the right password is refused, so guessing cannot go on.
    resp = device_login(client, "guard-a")
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "2"
    assert resp.get_json()["code"] == 429
    # Another username, or the web login of another user, is not affected.
    assert device_login(client, "engineer-a").status_code == 201
    clock.now += 2
    assert device_login(client, "guard-a", "wrong password").status_code == 401
    resp = client.post("/api/v1/auth/login", json={"username": "guard-a", "password": PASSWORD})
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "4"  # doubled
    clock.now += 4
    assert device_login(client, "guard-a").status_code == 201  # success forgives
    assert device_login(client, "guard-a", "wrong password").status_code == 401
    assert device_login(client, "guard-a").status_code == 201


def test_throttle_is_per_client_address(client, team, app):
    app.extensions[THROTTLE_KEY].clock = FakeClock()
    elsewhere = {"REMOTE_ADDR": "10.0.0.9"}
    for _ in range(5):
        device_login(client, "guard-a", "wrong password")
    assert device_login(client, "guard-a").status_code == 429
    resp = client.post("/api/v1/auth/device-login", environ_base=elsewhere, json={
        "username": "guard-a", "password": PASSWORD, "device_name": "phone"})
    assert resp.status_code == 201


def test_last_seen_is_written_at_most_once_per_interval(app_store, accounts):
    device, token = devices.register_device(app_store, accounts.user("guard"), name="p2")
    start = from_text(device["last_seen_at"])
    interval = timedelta(seconds=60)
    seq = app_store.high_water()
    devices.authenticate_token(app_store, token, touch_interval=interval,
                               now=start + timedelta(seconds=59))
    assert app_store.high_water() == seq  # within the interval: no write
    later = start + timedelta(seconds=61)
    actor = devices.authenticate_token(app_store, token, touch_interval=interval, now=later)
    assert app_store.high_water() == seq + 1
    assert actor.device_id == device["id"]
    assert from_text(app_store.get("devices", device["id"]).doc["last_seen_at"]) == later


def test_passwords_are_stored_as_scrypt_hashes_by_default(app_store):
    user = users.create_user(app_store, username="slowhash", password=PASSWORD, role="guard")
    stored = app_store.get("users", user["id"]).doc["password_hash"]
    assert stored.startswith("scrypt:") and check_password_hash(stored, PASSWORD)
    assert PASSWORD not in str(app_store.get("users", user["id"]).doc)


@pytest.mark.parametrize("field, value", [("device_name", ""), ("device_name", "x" * 101),
                                          ("install_id", "")])
def test_device_login_validates_its_fields(client, team, field, value):
    resp = device_login(client, "guard-a", **{field: value})
    assert resp.status_code == 422 and field in resp.get_json()["errors"]["json"]
