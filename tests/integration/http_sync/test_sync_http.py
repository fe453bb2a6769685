"""Push and pull over HTTP with real device tokens on the real store."""
from tests.conftest import PASSWORD

from .conftest import Device, submit


def test_a_pushed_result_is_scored_once_and_pulled_back(guard, team, published):
    r = guard.push(submit(team.site_a["id"], "r1", value="fail",
                          defects=[{"deduction": 1, "note": "积水"}]))
    assert r.status_code == 200, r.json
    [answer] = r.json["results"]
    assert answer["status"] == "applied" and r.json["last_mutation_id"] == 1
    again = guard.push(submit(team.site_a["id"], "r1", value="fail",
                              defects=[{"deduction": 1, "note": "积水"}]), first_id=1)
    assert again.json["results"][0]["status"] == "duplicate"
    pulled = guard.pull().json
    assert pulled["last_mutation_id"] == 1
    changes = [c for b in pulled["buckets"] for c in b["changes"]]
    result = next(c["data"] for c in changes if c["id"] == "r1")
    assert result["score"]["total"] == 4 and result["score"]["max"] == 5
    assert any(c["id"] == "daily-round@1" for c in changes)


def test_a_gap_is_409_with_the_expected_id_and_changes_nothing(guard, team, published, app_store):
    before = app_store.high_water()
    r = guard.push(submit(team.site_a["id"]), first_id=3)
    assert r.status_code == 409 and r.json["expected"] == 1 and r.json["error"] == "mutation_gap"
    assert app_store.high_water() == before


def test_rejections_consume_their_id_and_say_why(guard, team, published):
    r = guard.push(submit(team.site_b["id"]),                      # not the guard's site
                   ("launch_rocket", {}),                          # unknown mutation
                   ("submit_result", {"result_id": "x"}),          # malformed args
                   submit(team.site_a["id"], value="maybe"))       # wrong answer type
    assert r.status_code == 200
    codes = [a["error"]["code"] for a in r.json["results"]]
    assert all(a["status"] == "rejected" for a in r.json["results"])
    assert codes[0] == "forbidden" and len(set(codes)) >= 3
    assert r.json["last_mutation_id"] == 4
    assert guard.push(submit(team.site_a["id"])).json["results"][0]["status"] == "applied"


def test_bad_envelopes_are_422_naming_the_field(guard, client, team):
    h = team.headers["guard"]
    r = client.post("/api/v1/sync/push", headers=h, json={
        "client_id": guard.client_id, "schema_version": 1,
        "mutations": [{"id": n + 1, "name": "x", "args": {}} for n in range(201)]})
    assert r.status_code == 422 and "mutations" in r.json["errors"]["json"]
    r = client.post("/api/v1/sync/push", headers=h, json={
        "client_id": guard.client_id, "schema_version": 1, "mutations": [], "extra": 1})
    assert r.status_code == 422 and {"mutations", "extra"} <= set(r.json["errors"]["json"])
    r = client.post("/api/v1/sync/push", headers=h, data="not json",
                    content_type="text/plain")
    assert r.status_code == 415
    assert client.post("/api/v1/sync/pull", json={}).status_code == 401


def test_a_web_session_cannot_push(client, team, published):
    r = client.post("/api/v1/auth/login", json={"username": "guard-a", "password": PASSWORD})
    assert r.status_code == 200, r.json
    r = client.post("/api/v1/sync/push", json={
        "client_id": "c1", "schema_version": 1,
        "mutations": [{"id": 1, "name": "submit_result", "args": {}}]})
    assert r.status_code == 403


def test_a_client_id_belongs_to_one_device(client, team, accounts, guard, published):
    guard.push(submit(team.site_a["id"]))
    thief = Device(client, accounts.headers(team.users["guard"]))
    thief.client_id = guard.client_id
    assert thief.push(submit(team.site_a["id"]), first_id=2).status_code == 403


def test_guard_of_site_b_never_pulls_site_a(client, team, guard, published):
    guard.push(submit(team.site_a["id"], "secret"))
    other = Device(client, team.guard_b_headers)
    ids = [c["id"] for b in other.pull().json["buckets"] for c in b["changes"]]
    assert "secret" not in ids
