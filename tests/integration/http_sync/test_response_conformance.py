"""Error answers the fuzzer rarely reaches still match what the OpenAPI document declares.

Each response is checked as schemathesis' ``response_schema_conformance``
would: its status must be documented for the operation and its body must
validate against the documented schema (which allows no extra properties).
"""
import json

import pytest
import schemathesis

from tests.conftest import PASSWORD
from .conftest import Device, submit


@pytest.fixture
def conforms(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    document = app.test_client().get("/api/openapi.json").json

    def check(method: str, path: str, response) -> None:
        documented = document["paths"][path][method.lower()]["responses"]
        assert str(response.status_code) in documented, \
            f"{method} {path} answered {response.status_code}, documented: {sorted(documented)}"
        schema[path][method.upper()].validate_response(response)
    return check


def test_client_not_owned_matches_the_documented_403(client, team, accounts, conforms):
    owner = Device(client, team.headers["guard"])
    owner.push(("create_ticket", {"ticket_id": "t1", "site_id": team.site_a["id"],
                                  "title": "x"}))
    thief = Device(client, accounts.headers(team.users["guard"]))
    thief.client_id = owner.client_id
    pushed = thief.push(("create_ticket", {"ticket_id": "t2", "site_id": team.site_a["id"],
                                           "title": "x"}), first_id=2)
    assert pushed.status_code == 403 and pushed.json["error"] == "client_not_owned"
    conforms("POST", "/api/v1/sync/push", pushed)
    pulled = thief.pull()
    assert pulled.status_code == 403
    conforms("POST", "/api/v1/sync/pull", pulled)


def test_session_and_csrf_refusals_match_their_documents(app, team, conforms):
    web = app.test_client()
    web.post("/api/v1/auth/login", json={"username": "guard-a", "password": PASSWORD})
    conforms("POST", "/api/v1/sync/push", web.post("/api/v1/sync/push", json={
        "client_id": "c1", "schema_version": 1,
        "mutations": [{"id": 1, "name": "submit_result", "args": {}}]}))
    refused = web.post(f"/api/v1/devices/{'0' * 32}/revoke")
    assert refused.status_code == 403
    conforms("POST", "/api/v1/devices/{device_id}/revoke", refused)


def test_hostile_push_answers_match_their_documents(client, guard, team, published, conforms):
    body = {"client_id": guard.client_id, "schema_version": 1, "mutations": [
        {"id": 1, "name": "create_ticket", "client_ts": "9999-01-01T00:00:00Z",
         "args": {"ticket_id": "t1", "site_id": team.site_a["id"], "title": "x"}}]}
    conforms("POST", "/api/v1/sync/push", client.post("/api/v1/sync/push", json=body,
                                                      headers=guard.headers))
    body["client_id"] += "x"
    big = json.dumps(body).replace('"title": "x"', '"title": "x", "measurements": {"n": '
                                   + str(2 ** 80) + "}")
    conforms("POST", "/api/v1/sync/push", client.post(
        "/api/v1/sync/push", data=big, content_type="application/json", headers=guard.headers))
    conforms("POST", "/api/v1/sync/push", guard.push(submit(team.site_b["id"])))


def test_every_operation_documents_the_storage_outage_503(client):
    document = client.get("/api/openapi.json").json
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            outage = operation["responses"].get("503")
            assert outage is not None, f"{method.upper()} {path} does not document 503"
            assert "Retry-After" in outage["headers"], f"{method.upper()} {path}"
