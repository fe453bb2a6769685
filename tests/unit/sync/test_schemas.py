"""The sync request schemas are strict about the envelope and lenient about device clocks."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError

from sync.schemas import (PhotoQueryRequestSchema, PullRequestSchema, PullResponseSchema,
                          PushRequestSchema, PushResponseSchema)

H = "a" * 64


def push_body(**kw):
    body = {"client_id": "c1", "schema_version": 1,
            "mutations": [{"id": 1, "name": "submit_result", "client_ts": "garbage",
                           "args": {"anything": 1}}]}
    body.update(kw)
    return body


def errors(schema, body):
    with pytest.raises(ValidationError) as info:
        schema().load(body)
    return info.value.messages


def test_push_envelope_loads_and_keeps_args_unvalidated():
    loaded = PushRequestSchema().load(push_body(sent_at="2026-11-23T08:00:00+08:00"))
    assert loaded["mutations"][0]["args"] == {"anything": 1}
    assert loaded["protocol"] == 1


@pytest.mark.parametrize("body, field", [
    (push_body(extra=1), "extra"),
    (push_body(client_id="bad id!"), "client_id"),
    (push_body(schema_version="2"), "schema_version"),
    (push_body(protocol=2), "protocol"),
    (push_body(mutations=[]), "mutations"),
    (push_body(mutations=[{"id": n, "name": "x", "args": {}} for n in range(1, 202)]),
     "mutations"),
    (push_body(mutations=[{"id": 1, "name": "x", "args": {}},
                          {"id": 3, "name": "x", "args": {}}]), "mutations"),
    (push_body(mutations=[{"id": 1.5, "name": "x", "args": {}}]), "mutations"),
    (push_body(mutations=[{"id": 1, "name": "x", "args": [], "more": 1}]), "mutations"),
    (push_body(epoch="e_" + "x" * 63), "epoch"),
    (push_body(epoch=7), "epoch"),
])
def test_push_envelope_errors_name_the_field(body, field):
    assert field in errors(PushRequestSchema, body)


def test_pull_request_defaults_and_limits():
    loaded = PullRequestSchema().load({"client_id": "c1", "schema_version": 1})
    assert loaded["cursors"] == {} and loaded["limit"] == 500
    assert "limit" in errors(PullRequestSchema, {"client_id": "c1", "schema_version": 1,
                                                 "limit": 5000})
    assert "cursors" in errors(PullRequestSchema, {"client_id": "c1", "schema_version": 1,
                                                   "cursors": {"site:a": -1}})
    assert "cursors" in errors(PullRequestSchema, {"client_id": "c1", "schema_version": 1,
                                                   "cursors": {"elsewhere": 1}})
    assert "epoch" in errors(PullRequestSchema, {"client_id": "c1", "schema_version": 1,
                                                 "epoch": "e_" + "x" * 63})


def test_photo_query_wants_lowercase_sha256():
    assert PhotoQueryRequestSchema().load({"sha256": [H]}) == {"sha256": [H]}
    assert "sha256" in errors(PhotoQueryRequestSchema, {"sha256": [H.upper()]})


def test_responses_dump_what_the_core_returns():
    push = {"epoch": "e_1", "last_mutation_id": 2, "write_checkpoint": 9, "results": [
        {"id": 1, "status": "applied", "seq": 8, "missing_photos": [H]},
        {"id": 2, "status": "rejected", "error": {"code": "forbidden", "message": "no"}}]}
    assert PushResponseSchema().load(push) == push
    pull = {"epoch": "e_1", "last_mutation_id": 0, "high_water": 3, "removed_buckets": [],
            "has_more": False,
            "buckets": [{"name": "defs", "cursor": 3, "reset": False, "complete": True,
                         "changes": [{"seq": 3, "type": "definitions", "id": "d", "v": None,
                                      "op": "put", "data": {"x": 1}}]}]}
    assert PullResponseSchema().load(pull) == pull


def test_protocol_info_states_the_limits_the_schemas_enforce():
    from sync.schemas import PUSH_MAX_MUTATIONS, protocol_info
    info = protocol_info(epoch="e_1", photo_max_bytes=1000)
    assert info["limits"]["push_max_mutations"] == PUSH_MAX_MUTATIONS == 200
    assert info["limits"]["photo_max_bytes"] == 1000
