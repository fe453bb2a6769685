"""The OpenAPI document and the offline documentation pages."""
import re

import pytest
from openapi_spec_validator import validate

SECURED_ERRORS = {"401", "403"}
JSON_BODY_ERRORS = {"400", "413", "415", "422"}
ACCOUNT_PATHS = ("/api/v1/users/", "/api/v1/sites/", "/api/v1/devices/")


@pytest.fixture
def spec(client):
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    return resp.get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in {"get", "put", "post", "patch", "delete"}:
                yield path, method, op


def test_document_is_valid_openapi_3_0_3(spec):
    assert spec["openapi"] == "3.0.3"
    validate(spec)
    assert spec["components"]["securitySchemes"]["deviceToken"] == {
        "type": "http", "scheme": "bearer",
        "description": "Token from POST /api/v1/auth/device-login"}


def test_every_operation_documents_the_errors_it_can_answer(spec):
    ops = list(operations(spec))
    assert {p for p, _, _ in ops} >= {"/api/v1/me", "/api/v1/users", "/api/v1/sites",
                                      "/api/v1/devices", "/api/v1/auth/device-login"}
    for path, method, op in ops:
        codes = set(op["responses"])
        assert "default" not in codes, (path, method)  # no catch-all: each code is explicit
        if "security" in op:
            assert SECURED_ERRORS <= codes, (path, method)
            assert op["responses"]["401"]["headers"]["WWW-Authenticate"]["required"] is True
        if "requestBody" in op:
            assert JSON_BODY_ERRORS <= codes, (path, method)
            # JSON everywhere but photo chunks (raw bytes, tus-style) and workbooks (.xlsx)
            raw = {"/api/v1/photos/{sha256}": "application/offset+octet-stream",
                   "/api/v1/definitions/import": "application/vnd.openxmlformats-"
                                                 "officedocument.spreadsheetml.sheet"}
            assert list(op["requestBody"]["content"]) == [raw.get(path, "application/json")]
        if "{" in path and path.startswith(ACCOUNT_PATHS):  # (a PUT elsewhere may create)
            assert "404" in codes, (path, method)


def test_auth_endpoints_are_public_and_document_throttling(spec):
    for path in ("/api/v1/auth/login", "/api/v1/auth/device-login"):
        op = spec["paths"][path]["post"]
        assert "security" not in op
        assert op["responses"]["429"]["headers"]["Retry-After"]["required"] is True
    assert spec["paths"]["/api/v1/users"]["post"]["x-roles"] == ["admin"]


def test_paging_is_in_the_body_not_a_header(spec):
    op = spec["paths"]["/api/v1/users"]["get"]
    assert "headers" not in op["responses"]["200"]
    params = {p["name"] for p in op["parameters"]}
    assert params == {"cursor", "limit"}
    page = spec["components"]["schemas"]["UserPage"]
    assert set(page["properties"]) == {"items", "next_cursor"}


def test_password_is_write_only(spec):
    schemas = spec["components"]["schemas"]
    assert "password" not in schemas["User"]["properties"]
    assert schemas["UserIn"]["properties"]["password"]["writeOnly"] is True


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


@pytest.mark.parametrize("page", ["/api/docs", "/api/redoc", "/api/"])
def test_docs_pages_load_only_local_assets(client, page):
    resp = client.get(page)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert not EXTERNAL.search(html), "a docs page must not load anything from another host"
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert assets
    for url in assets:
        got = client.get(url)
        assert got.status_code == 200, url
        got.close()


def test_swagger_ui_does_not_call_the_online_validator(client):
    html = client.get("/api/docs").get_data(as_text=True)
    assert '"validatorUrl": null' in html


def test_session_scheme_names_the_configured_cookie(spec, app):
    assert spec["components"]["securitySchemes"]["session"]["name"] == \
        app.config["SESSION_COOKIE_NAME"] == "fieldsync_session"


def test_vendored_viewers_are_served(client):
    for url, needle in [("/static/vendor/swagger-ui/swagger-ui-bundle.js", b"SwaggerUIBundle"),
                        ("/static/vendor/redoc/redoc.standalone.js", b"Redoc")]:
        resp = client.get(url)
        assert resp.status_code == 200 and needle in resp.data
        resp.close()
