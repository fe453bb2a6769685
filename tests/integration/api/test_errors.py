"""Bad requests get a clear 4xx in the ErrorSchema shape -- never a 500."""
import json

import pytest

from server.services.accounts import users
from tests.conftest import PASSWORD, bearer, make_app
from server.extensions import close_store

ERROR_KEYS = {"code", "status", "message", "errors"}


def assert_error(resp, code):
    assert resp.status_code == code, resp.get_data(as_text=True)
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["code"] == code and set(body) <= ERROR_KEYS and body["status"]
    return body


def new_user(**kw):
    return {"username": "new-user", "password": PASSWORD, "role": "guard", **kw}


# -- 401 -----------------------------------------------------------------------

@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": "Bearer fsd_not-a-token"},
])
def test_unauthenticated_gets_401_with_bearer_challenge(client, team, headers):
    resp = client.get("/api/v1/me", headers=headers)
    assert_error(resp, 401)
    assert resp.headers["WWW-Authenticate"] == 'Bearer realm="fieldsync"'


def test_auth_is_checked_before_the_body_is_parsed(client):
    resp = client.post("/api/v1/users", data="{not json", content_type="application/json")
    assert_error(resp, 401)


# -- 403 / 404 -------------------------------------------------------------------

@pytest.mark.parametrize("role", ["guard", "engineer", "supervisor"])
def test_admin_endpoints_are_403_for_other_roles(client, team, role):
    body = assert_error(client.get("/api/v1/users", headers=team.headers[role]), 403)
    assert "admin" in body["message"]
    resp = client.post("/api/v1/sites", json={"code": "X", "name": "x"},
                       headers=team.headers[role])
    assert_error(resp, 403)


def test_unknown_ids_and_routes_are_json_404(client, team):
    assert_error(client.get("/api/v1/users/nope", headers=team.headers["admin"]), 404)
    assert_error(client.post("/api/v1/devices/nope/revoke", headers=team.headers["admin"]), 404)
    assert_error(client.get("/api/v1/no-such-thing"), 404)


# -- 405 -----------------------------------------------------------------------

def test_wrong_method_gets_405_with_allow_header(client, team):
    resp = client.delete("/api/v1/users", headers=team.headers["admin"])
    assert_error(resp, 405)
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "POST", "HEAD", "OPTIONS"}


# -- 413 / 415 / 400 -------------------------------------------------------------

def test_body_over_max_content_length_gets_413(tmp_path):
    app = make_app(tmp_path / "small", MAX_CONTENT_LENGTH=1000)
    try:
        client = app.test_client()
        resp = client.post("/api/v1/auth/login",
                           json={"username": "x" * 2000, "password": "p"})
        assert_error(resp, 413)
    finally:
        close_store(app)


@pytest.mark.parametrize("kwargs", [
    {"data": '{"username": "a", "password": "b"}', "content_type": "text/plain"},
    {"data": {"username": "a", "password": "b"}},  # form-encoded
    {"data": b"\x00\x01", "content_type": "application/octet-stream"},
])
def test_non_json_body_gets_415(client, kwargs):
    body = assert_error(client.post("/api/v1/auth/login", **kwargs), 415)
    assert "application/json" in body["message"]


@pytest.mark.parametrize("raw", [
    b"{not json",
    b'{"username": "a", "password": NaN}',
    b'{"username": "\\ud800", "password": "b"}',   # a lone surrogate cannot be stored
    b'{"username": "\xff", "password": "b"}',       # not UTF-8
])
def test_malformed_json_gets_400(client, raw):
    resp = client.post("/api/v1/auth/login", data=raw, content_type="application/json")
    body = assert_error(resp, 400)
    assert body["errors"] == {"json": ["Invalid JSON body."]}


# -- 422 -----------------------------------------------------------------------

def test_validation_errors_name_the_field(client, team):
    admin = team.headers["admin"]
    body = assert_error(client.post("/api/v1/users", headers=admin, json=new_user(
        role="boss", password="short", surprise=1)), 422)
    errors = body["errors"]["json"]
    assert set(errors) == {"role", "password", "surprise"}
    assert errors["surprise"] == ["Unknown field."]


def test_empty_body_names_every_missing_field(client, team):
    body = assert_error(client.post("/api/v1/users", headers=team.headers["admin"]), 422)
    assert set(body["errors"]["json"]) == {"username", "password", "role"}


def test_non_object_body_gets_422(client, team):
    resp = client.post("/api/v1/users", headers=team.headers["admin"], json=["a", "b"])
    assert "_schema" in assert_error(resp, 422)["errors"]["json"]


def test_unknown_site_id_is_named_by_position(client, team):
    resp = client.post("/api/v1/users", headers=team.headers["admin"],
                       json=new_user(site_ids=[team.site_a["id"], "nope"]))
    body = assert_error(resp, 422)
    assert body["errors"] == {"json": {"site_ids": {"1": ["Unknown site."]}}}


@pytest.mark.parametrize("query", ["cursor=garbage", "limit=0", "limit=201", "limit=x",
                                   "limit=5&limit=6"])
def test_bad_paging_query_gets_422(client, team, query):
    resp = client.get(f"/api/v1/users?{query}", headers=team.headers["admin"])
    body = assert_error(resp, 422)
    assert set(body["errors"]["query"]) <= {"cursor", "limit"}


def test_nothing_is_stored_for_a_rejected_request(client, team, app_store):
    before = app_store.high_water()
    client.post("/api/v1/users", headers=team.headers["admin"],
                json=new_user(site_ids=["nope"]))
    client.post("/api/v1/users", headers=team.headers["admin"], json=new_user(role="boss"))
    assert app_store.high_water() == before
    assert users.find_user(app_store, "new-user") is None


def test_error_bodies_are_json_even_for_werkzeug_errors(client):
    resp = client.get("/api/v1/nothing")
    assert json.loads(resp.data)["status"] == "Not Found"


def test_a_repeated_single_valued_parameter_is_named(client, team):
    resp = client.get("/api/v1/devices?user_id=a&user_id=b", headers=team.headers["admin"])
    body = assert_error(resp, 422)
    assert body["errors"]["query"] == {"user_id": ["Give this parameter once."]}


def test_integers_beyond_64_bits_are_refused_by_every_json_endpoint(client):
    """The JSON parsing layer names them, before any schema could see a float."""
    body = '{"username": "guard-a", "password": 123456789012345678901234567890}'
    resp = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    errors = assert_error(resp, 422)["errors"]["json"]
    assert "64 bits" in errors["password"][0]
