"""The markup schema: what devices may send, errors naming the field, limits in OpenAPI."""
from __future__ import annotations

import math

import pytest
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import ValidationError

from server.photos import (MAX_LABEL_CHARS, MAX_POINTS_PER_SHAPE, MAX_SHAPES, MAX_TOTAL_POINTS,
                           AnnotationsSchema)
from sync.annotations import markup_digest


def load(shapes, **extra):
    return AnnotationsSchema().load({"shapes": shapes, **extra})


def errors_of(shapes, **extra):
    with pytest.raises(ValidationError) as caught:
        load(shapes, **extra)
    return caught.value.messages


def test_every_shape_type_loads_with_defaults():
    loaded = load([
        {"type": "arrow", "points": [[0.1, 0.1], [0.5, 0.5]]},
        {"type": "line", "points": [[0, 0], [1, 1]], "color": "#00ff0080", "width": 0.01},
        {"type": "rect", "points": [[0.9, 0.9], [0.1, 0.2]]},
        {"type": "ellipse", "points": [[0.2, 0.2], [0.4, 0.3]]},
        {"type": "freehand", "points": [[0.1, 0.1], [0.2, 0.15], [0.3, 0.1]]},
        {"type": "text", "points": [[0.5, 0.5]], "text": "裂缝 crack\n东立面", "size": 0.05},
    ])
    assert loaded["version"] == 1
    assert [s["type"] for s in loaded["shapes"]] == ["arrow", "line", "rect", "ellipse",
                                                     "freehand", "text"]
    assert loaded["shapes"][0]["color"] == "#ff3b30"
    assert loaded["shapes"][1]["color"] == "#00ff0080"


@pytest.mark.parametrize("point, message", [
    ([1.5, 0.5], "Must be greater than or equal to 0.0 and less than or equal to 1.0."),
    ([-0.1, 0.5], "Must be greater than or equal to 0.0 and less than or equal to 1.0."),
    ([math.nan, 0.5], "Special numeric values (nan or infinity) are not permitted."),
    ([math.inf, 0.5], "Special numeric values (nan or infinity) are not permitted."),
    (["0.5", 0.5], "Not a number."),
    ([True, 0.5], "Not a number."),
])
def test_bad_coordinates_are_refused_with_their_path(point, message):
    errors = errors_of([{"type": "arrow", "points": [[0.1, 0.1], point]}])
    assert errors == {"shapes": {0: {"points": {1: {0: [message]}}}}}


def test_point_must_have_two_coordinates():
    errors = errors_of([{"type": "line", "points": [[0.1, 0.1], [0.2, 0.2, 0.3]]}])
    assert errors == {"shapes": {0: {"points": {1: ["Length must be 2."]}}}}


@pytest.mark.parametrize("shape, field, message", [
    ({"type": "rect", "points": [[0.1, 0.1]]}, "points", "A rect takes exactly 2 points."),
    ({"type": "arrow", "points": [[0.1, 0.1]] * 3}, "points", "A arrow takes exactly 2 points."),
    ({"type": "text", "points": [[0.1, 0.1]] * 2, "text": "x"}, "points",
     "A text takes exactly 1 point."),
    ({"type": "freehand", "points": [[0.1, 0.1]]}, "points", "A freehand needs at least 2 points."),
    ({"type": "text", "points": [[0.1, 0.1]]}, "text", "A text shape needs its text."),
    ({"type": "line", "points": [[0, 0], [1, 1]], "text": "x"}, "text",
     "Only text shapes carry text, not line."),
    ({"type": "hexagon", "points": [[0, 0]]}, "type",
     "Must be one of: arrow, line, rect, ellipse, freehand, text."),
    ({"type": "line", "points": [[0, 0], [1, 1]], "color": "red"}, "color",
     "Not a colour: use #rrggbb or #rrggbbaa."),
    ({"type": "line", "points": [[0, 0], [1, 1]], "width": 0.5}, "width",
     "Must be greater than or equal to 0.001 and less than or equal to 0.05."),
    ({"type": "line", "points": [[0, 0], [1, 1]], "width": math.nan}, "width",
     "Special numeric values (nan or infinity) are not permitted."),
    ({"type": "text", "points": [[0, 0]], "text": "ok", "size": 3}, "size",
     "Must be greater than or equal to 0.01 and less than or equal to 0.2."),
    ({"type": "text", "points": [[0, 0]], "text": "bell\x07"}, "text",
     "Control characters are not allowed (newline is)."),
    ({"type": "line", "points": [[0, 0], [1, 1]], "fill": "#fff"}, "fill", "Unknown field."),
])
def test_shape_errors_name_the_field(shape, field, message):
    assert errors_of([{"type": "line", "points": [[0, 0], [1, 1]]}, shape]) == \
        {"shapes": {1: {field: [message]}}}


def test_label_of_5000_characters_is_refused():
    errors = errors_of([{"type": "text", "points": [[0, 0]], "text": "长" * 5000}])
    assert errors == {"shapes": {0: {"text": [f"Length must be between 1 and {MAX_LABEL_CHARS}."]}}}


def test_label_at_the_limit_loads():
    load([{"type": "text", "points": [[0, 0]], "text": "长" * MAX_LABEL_CHARS}])


def test_10000_freehand_points_are_refused_before_reading_them():
    # The items are not even looked at: unparseable ones would otherwise be reported.
    errors = errors_of([{"type": "freehand", "points": ["junk"] * 10_000}])
    assert errors == {"shapes": {0: {"points": [
        f"Longer than maximum length {MAX_POINTS_PER_SHAPE}."]}}}


def test_total_points_are_bounded_across_shapes():
    stroke = {"type": "freehand", "points": [[0.5, 0.5]] * MAX_POINTS_PER_SHAPE}
    count = MAX_TOTAL_POINTS // MAX_POINTS_PER_SHAPE + 1
    errors = errors_of([stroke] * count)
    assert errors == {"shapes": [f"{count * MAX_POINTS_PER_SHAPE} points in all shapes; "
                                 f"at most {MAX_TOTAL_POINTS} are allowed."]}


def test_shape_count_is_bounded():
    errors = errors_of([{"type": "line", "points": [[0, 0], [1, 1]]}] * (MAX_SHAPES + 1))
    assert errors == {"shapes": [f"Longer than maximum length {MAX_SHAPES}."]}


@pytest.mark.parametrize("payload, expected", [
    ({}, {"shapes": ["Missing data for required field."]}),
    ({"shapes": "all of them"}, {"shapes": ["Not a valid list."]}),
    ({"shapes": [], "version": 2}, {"version": ["Must be equal to 1."]}),
    ({"shapes": [42]}, {"shapes": {0: {"_schema": ["Invalid input type."]}}}),
])
def test_malformed_documents_are_refused(payload, expected):
    with pytest.raises(ValidationError) as caught:
        AnnotationsSchema().load(payload)
    assert caught.value.messages == expected


def test_loaded_markup_loads_again_unchanged():
    """The renderer re-validates stored markup, so loading must be idempotent."""
    once = load([{"type": "text", "points": [[0.5, 0.5]], "text": "门"},
                 {"type": "arrow", "points": [[0, 0], [1, 1]]}])
    assert AnnotationsSchema().load(once) == once


def test_digest_is_stable_and_tells_markups_apart():
    a = load([{"type": "rect", "points": [[0.1, 0.1], [0.2, 0.2]]}])
    b = load([{"type": "rect", "points": [[0.1, 0.1], [0.2, 0.3]]}])
    assert markup_digest(a) == markup_digest(dict(reversed(list(a.items()))))
    assert markup_digest(a) != markup_digest(b)


def test_limits_are_visible_in_openapi():
    spec = APISpec("t", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("Annotations", schema=AnnotationsSchema)
    schemas = spec.to_dict()["components"]["schemas"]
    annotations, shape = schemas["Annotations"], schemas["Shape"]
    assert annotations["properties"]["shapes"]["maxItems"] == MAX_SHAPES
    assert str(MAX_TOTAL_POINTS) in annotations["description"]
    points = shape["properties"]["points"]
    assert points["maxItems"] == MAX_POINTS_PER_SHAPE
    assert points["items"]["minItems"] == points["items"]["maxItems"] == 2
    assert points["items"]["items"]["minimum"] == 0 and points["items"]["items"]["maximum"] == 1
    assert shape["properties"]["text"]["maxLength"] == MAX_LABEL_CHARS
    assert shape["properties"]["type"]["enum"] == ["arrow", "line", "rect", "ellipse",
                                                   "freehand", "text"]
