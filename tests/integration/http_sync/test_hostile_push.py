"""Hostile mutations through the HTTP push API: rejected with a reason, never a 500.

One mutation that can never be stored must consume its id and be kept in
``rejections``; answering 500 instead fails the whole batch on every resend
and blocks the device's queue for good (issue 11).
"""
import json

import pytest

from sync.placement import REJECTIONS

from .conftest import submit


def nested(depth: int):
    value = 1
    for _ in range(depth):
        value = {"k": value}
    return value


def ticket(site_id, ticket_id="t1", **fields):
    return ("create_ticket", {"ticket_id": ticket_id, "site_id": site_id, "title": "漏水",
                              **fields})


@pytest.mark.parametrize("measurements, why", [
    (nested(253), "nested deeper"),
    (nested(7), "nested deeper"),
    ({f"k{n}": n for n in range(101)}, "more than 100 keys"),
    ({"note": "x" * 2001}, "longer than 2000"),
    ({"list": list(range(501))}, "more than 500 items"),
])
def test_an_unbounded_measurement_is_rejected_and_the_queue_moves_on(
        guard, team, app_store, measurements, why):
    site = team.site_a["id"]
    r = guard.push(ticket(site, measurements=measurements), ticket(site, "t2"))
    assert r.status_code == 200, r.json
    bad, good = r.json["results"]
    assert bad["status"] == "rejected" and bad["error"]["code"] == "invalid_args"
    assert why in json.dumps(bad["error"]["errors"]["measurements"])
    assert good["status"] == "applied" and r.json["last_mutation_id"] == 2
    kept = app_store.get(REJECTIONS, f"{guard.client_id}#1").doc
    assert kept["code"] == "invalid_args"
    # the resend is a duplicate, not another failure
    again = guard.push(ticket(site, measurements=measurements), first_id=1)
    assert again.status_code == 200 and again.json["results"][0]["status"] == "duplicate"


def test_an_edit_with_a_deep_measurement_is_rejected(guard, team):
    site = team.site_a["id"]
    guard.push(ticket(site))
    r = guard.push(("edit_ticket", {"ticket_id": "t1", "set": {"measurements": nested(300)},
                                    "base_fv": {"measurements": 0}}))
    assert r.status_code == 200
    [answer] = r.json["results"]
    assert answer["status"] == "rejected"
    assert "measurements" in answer["error"]["errors"]["set"]


def test_args_too_deep_to_store_are_kept_as_json_text(guard, team, app_store):
    """Unknown fields are refused, but the rejection still keeps the whole mutation."""
    site = team.site_a["id"]
    args = {"ticket_id": "t1", "site_id": site, "title": "x", "junk": nested(400)}
    r = guard.push(("create_ticket", args))
    assert r.status_code == 200, r.json
    assert r.json["results"][0]["status"] == "rejected"
    kept = app_store.get(REJECTIONS, f"{guard.client_id}#1").doc
    assert json.loads(kept["mutation"]["args_json"]) == args
    assert kept["mutation"]["name"] == "create_ticket"


def test_a_deep_answer_is_rejected(guard, team, published):
    name, args = submit(team.site_a["id"])
    args["answers"]["env.clean"]["note"] = nested(300)
    r = guard.push((name, args))
    assert r.status_code == 200
    assert r.json["results"][0]["status"] == "rejected"
    assert r.json["results"][0]["error"]["code"] == "invalid_answers"


@pytest.mark.parametrize("client_ts", ["9999-12-31T23:59:59+00:00", "yesterday",
                                       "2026-11-23T07:59:00", "0001-01-01T00:00:00+00:00"])
def test_an_unusable_client_ts_rejects_its_mutation_naming_the_field(
        client, guard, team, app_store, client_ts):
    r = client.post("/api/v1/sync/push", headers=guard.headers, json={
        "client_id": guard.client_id, "schema_version": 1, "sent_at": "0001-01-01T00:00:00Z",
        "mutations": [{"id": 1, "name": "create_ticket", "client_ts": client_ts,
                       "args": ticket(team.site_a["id"])[1]}]})
    assert r.status_code == 200, r.json
    [answer] = r.json["results"]
    assert answer["status"] == "rejected" and "client_ts" in answer["error"]["errors"]
    assert app_store.get("tickets", "t1") is None


def test_a_far_off_sent_at_records_no_clock_offset(client, guard, team, app_store):
    r = client.post("/api/v1/sync/push", headers=guard.headers, json={
        "client_id": guard.client_id, "schema_version": 1, "sent_at": "0001-01-01T00:00:00Z",
        "mutations": [{"id": 1, "name": "create_ticket", "client_ts": "2026-11-23T07:59:00Z",
                       "args": ticket(team.site_a["id"])[1]}]})
    assert r.json["results"][0]["status"] == "applied"
    assert app_store.get("tickets", "t1").doc["created"]["clock_offset_ms"] is None


def test_an_integer_beyond_64_bits_is_a_422_naming_it_not_a_float(client, guard, team,
                                                                 app_store):
    args = ticket(team.site_a["id"])[1]
    body = json.dumps({"client_id": guard.client_id, "schema_version": 1, "mutations": [
        {"id": 1, "name": "create_ticket", "client_ts": None,
         "args": {**args, "measurements": {"ok": 2 ** 63, "big": 2 ** 70, "neg": -2 ** 64}}}]})
    r = client.post("/api/v1/sync/push", headers=guard.headers, data=body,
                    content_type="application/json")
    assert r.status_code == 422, r.json
    named = r.json["errors"]["json"]["mutations"]["0"]["args"]["measurements"]
    assert set(named) == {"big", "neg"} and "64 bits" in named["big"][0]
    assert app_store.get("tickets", "t1") is None
    # a long run of digits inside a string is fine
    args["title"] = "9" * 40
    assert guard.push(("create_ticket", args)).json["results"][0]["status"] == "applied"
