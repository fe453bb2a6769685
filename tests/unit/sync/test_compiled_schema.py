"""The compiled loader agrees with marshmallow or declines: it never decides differently.

Inputs are valid examples of every request and mutation schema, mangled by
hypothesis (values swapped for other JSON, keys dropped or added, numbers
turned into floats, strings stretched). Whenever the compiled loader answers,
its answer must be byte-for-byte (canonical JSON) what ``Schema.load`` gives.
"""
from __future__ import annotations

import copy

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError

from sync import mutation_args, schemas
from sync.compiled_schema import CompiledSchema, _Unsure, compile_dump, compile_schema

H = "ab" * 32
SHAPES = {"version": 1, "shapes": [
    {"type": "arrow", "points": [[0.1, 0.2], [0.5, 0.6]], "color": "#ff3b30", "width": 0.01},
    {"type": "text", "points": [[0.3, 0.3]], "text": "裂缝 crack", "size": 0.05}]}
RESULT = {"result_id": "r-1", "site_id": "s1", "checklist": {"id": "cl", "version": 2},
          "assignment_id": None,
          "answers": {"a": {"value": "pass"}, "b": {"value": "fail", "photos": [H]}},
          "photos": [{"sha256": H, "item": "b", "content_type": "image/jpeg", "size": 10,
                      "taken_at": "2026-11-23T08:00:00+08:00", "annotations": SHAPES}],
          "gps": {"lat": 31.23, "lon": 121.47, "accuracy_m": 5.0},
          "started_at": "2026-11-23T08:00:00+08:00", "finished_at": None, "note": "ok"}
EXAMPLES = [
    (mutation_args.SubmitResult, RESULT),
    (mutation_args.AmendResult, {**{k: v for k, v in RESULT.items()
                                    if k not in ("site_id", "checklist", "assignment_id")},
                                 "supersedes": "r-0", "reason": "typo"}),
    (mutation_args.CreateTicket, {"ticket_id": "t1", "site_id": "s1", "title": "Leak",
                                  "priority": "high", "photos": [H], "measurements": {"m": 1}}),
    (mutation_args.EditTicket, {"ticket_id": "t1", "set": {"work_notes": "sealed"},
                                "base_fv": {"work_notes": 2}}),
    (mutation_args.CommentTicket, {"ticket_id": "t1", "comment_id": "c1", "text": "hi"}),
    (mutation_args.MoveTicket, {"ticket_id": "t1", "from": "open", "to": "in_progress"}),
    (schemas.PushRequestSchema, {"client_id": "c1", "schema_version": 1, "sent_at": None,
                                 "mutations": [{"id": 4, "name": "submit_result",
                                                "client_ts": None, "args": RESULT},
                                               {"id": 5, "name": "x", "args": {}}]}),
    (schemas.PullRequestSchema, {"client_id": "c1", "schema_version": 1,
                                 "cursors": {"defs": 3, "site:s1": 0}, "limit": 10}),
    (schemas.PhotoQueryRequestSchema, {"sha256": [H]}),
]
IDS = [cls.__name__ for cls, _ in EXAMPLES]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 300) | st.floats(allow_nan=False)
    | st.text(max_size=5) | st.sampled_from(["pass", H, "2026-11-23T08:00:00Z", "#ff3b30"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=6)


def canonical(value) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def marshmallow_load(schema: Schema, data):
    try:
        return Schema.load(schema, data)
    except ValidationError as exc:
        return ("error", exc.messages)


def compiled_load(schema: Schema, data):
    try:
        return compile_schema(schema)(data)
    except _Unsure:
        return None


def paths(value, prefix=()):
    """Every (container path, key) in a JSON value."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield prefix, key
            yield from paths(inner, prefix + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield prefix, index
            yield from paths(inner, prefix + (index,))


@st.composite
def mangled(draw, example):
    data = copy.deepcopy(example)
    for _ in range(draw(st.integers(1, 3))):
        spots = list(paths(data))
        if not spots:
            break
        path, key = draw(st.sampled_from(spots))
        parent = data
        for step in path:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "drop", "add", "float", "stretch"]))
        if action == "replace":
            parent[key] = draw(json_values)
        elif action == "drop":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=6))] = draw(json_values)
        elif action == "float" and isinstance(parent[key], int) and not isinstance(
                parent[key], bool):
            parent[key] = float(parent[key])
        elif action == "stretch" and isinstance(parent[key], str):
            parent[key] = parent[key] * draw(st.integers(0, 3000))
    return data


@pytest.mark.parametrize("cls, example", EXAMPLES, ids=IDS)
def test_valid_examples_take_the_compiled_path_and_match(cls, example):
    schema = cls()
    expected = marshmallow_load(schema, example)
    assert not isinstance(expected, tuple), expected
    got = compiled_load(schema, example)
    assert got is not None, "the compiled loader declined a valid example"
    assert canonical(got) == canonical(expected)


@pytest.mark.parametrize("cls, example", EXAMPLES, ids=IDS)
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mangled_inputs_are_declined_or_loaded_as_marshmallow_does(cls, example, data):
    schema = cls()
    body = data.draw(mangled(example))
    got = compiled_load(schema, body)
    if got is not None:
        expected = marshmallow_load(schema, body)
        assert not (isinstance(expected, tuple) and expected[0] == "error"), (body, expected)
        assert canonical(got) == canonical(expected)


def test_load_falls_back_to_marshmallow_errors():
    with pytest.raises(ValidationError) as info:
        mutation_args.SubmitResult().load({**RESULT, "gps": {"lat": 95, "lon": 0}})
    assert "lat" in info.value.messages["gps"]


def test_ints_where_floats_are_declared_are_loaded_by_marshmallow_as_floats():
    loaded = mutation_args.SubmitResult().load({**RESULT, "gps": {"lat": 31, "lon": 121}})
    assert canonical(loaded["gps"]) == b'{"lat":31.0,"lon":121.0}'


def agrees_or_declines(schema: Schema, body) -> None:
    expected, got = marshmallow_load(schema, body), compiled_load(schema, body)
    assert got is None or (not isinstance(expected, tuple)
                           and canonical(got) == canonical(expected)), (body, got, expected)


@pytest.mark.parametrize("key", ["", "k" * 101, "k", "k" * 100, "答" * 100])
def test_answer_keys_at_their_length_bounds(key):
    schema = mutation_args.SubmitResult()
    body = {**RESULT, "answers": {"a": {"value": "pass"}, key: {"value": "fail"}}}
    agrees_or_declines(schema, body)
    assert (compiled_load(schema, body) is None) == (not 1 <= len(key) <= 100)


@pytest.mark.parametrize("note", [None, "", "n" * 4000, "n" * 4001, 7])
def test_a_nullable_bounded_text(note):
    schema = mutation_args.SubmitResult()
    body = {**RESULT, "note": note}
    agrees_or_declines(schema, body)
    assert (compiled_load(schema, body) is None) == (note == "n" * 4001 or note == 7)


def test_every_request_and_mutation_schema_is_compiled():
    for cls, _ in EXAMPLES:
        assert issubclass(cls, CompiledSchema), cls


PUSH_RESPONSE = {"epoch": "e_1", "last_mutation_id": 7, "write_checkpoint": 40, "results": [
    {"id": 5, "status": "applied", "seq": 39, "missing_photos": [H]},
    {"id": 6, "status": "duplicate", "seq": None, "original_status": "applied"},
    {"id": 7, "status": "rejected", "error": {"code": "invalid_args", "message": "no",
                                              "errors": {"a": ["x"]}, "known": ["k"]}},
    {"id": 8, "status": "applied", "conflicts": [{"field": "title", "lost_value": "x"}]}]}


def compiled_dump(schema, obj):
    try:
        return compile_dump(schema)(obj)
    except _Unsure:
        return None


def test_the_push_response_takes_the_compiled_dump_and_matches():
    schema = schemas.PushResponseSchema()
    got = compiled_dump(schema, PUSH_RESPONSE)
    assert got is not None
    assert canonical(got) == canonical(Schema.dump(schema, PUSH_RESPONSE))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mangled_responses_are_declined_or_dumped_as_marshmallow_does(data):
    schema = schemas.PushResponseSchema()
    obj = data.draw(mangled(PUSH_RESPONSE))
    got = compiled_dump(schema, obj)
    if got is not None:
        assert canonical(got) == canonical(Schema.dump(schema, obj))
