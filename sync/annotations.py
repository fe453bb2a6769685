"""The device's vector markup over a photo, as a marshmallow schema.

Markup is data kept beside the untouched original, never burnt into it: the
``annotated`` variant is rendered from it and can be regenerated at any time.
Coordinates are fractions (0-1) of the upright image's width and height, and
stroke width and text size are fractions of its long side, so the same markup
fits the display copy, a thumbnail or the full-size original.

Every size is bounded so a hostile or buggy device cannot make validation or
rendering slow: the limits are the module constants below and appear in the
OpenAPI document (``maxItems``/``maxLength`` and the descriptions). The
total-points check runs on the raw payload *before* field-by-field
deserialisation, so 100,000 points are refused as fast as 10.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from typing import Any

from marshmallow import (Schema, ValidationError, fields, pre_load, validate,
                         validates_schema)

MAX_SHAPES = 100
MAX_POINTS_PER_SHAPE = 2_000
MAX_TOTAL_POINTS = 10_000
MAX_LABEL_CHARS = 200

SHAPE_TYPES = ("arrow", "line", "rect", "ellipse", "freehand", "text")
#: How many points each shape type takes; ``None`` means "2 up to the limit".
POINTS_PER_TYPE: dict[str, int | None] = {
    "arrow": 2, "line": 2, "rect": 2, "ellipse": 2, "text": 1, "freehand": None,
}

DEFAULT_COLOR = "#ff3b30"
DEFAULT_STROKE = 0.006
DEFAULT_TEXT_SIZE = 0.035


class BoundedList(fields.List):
    """A ``List`` that checks its ``Length(max=...)`` *before* deserialising the
    items (marshmallow runs validators afterwards, i.e. after all the work)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        limit = min((v.max for v in self.validators
                     if isinstance(v, validate.Length) and v.max is not None), default=None)
        if limit is not None and isinstance(value, (list, tuple)) and len(value) > limit:
            raise ValidationError(f"Longer than maximum length {limit}.")
        return super()._deserialize(value, attr, data, **kwargs)


class Coordinate(fields.Float):
    """A finite JSON number in 0-1 (no NaN, no strings, no booleans)."""

    def __init__(self, **kwargs: Any):
        super().__init__(allow_nan=False, validate=validate.Range(0.0, 1.0), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError("Not a number.")
        return super()._deserialize(value, attr, data, **kwargs)


def _printable_label(text: str) -> None:
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch != "\n" for ch in text):
        raise ValidationError("Control characters are not allowed (newline is).")


def _point_field() -> fields.Field:
    return fields.List(Coordinate(), validate=validate.Length(equal=2),
                       metadata={"description": "[x, y]: fractions of the upright image's "
                                                "width and height, 0-1, origin top left."})


_SHAPE_DESCRIPTION = (
    "One mark. `points` by type: `arrow`/`line` [from, to] (the arrow's head is at `to`); "
    "`rect`/`ellipse` two opposite corners of the box; `text` one point, the label's "
    "top-left corner; `freehand` 2 or more points of one stroke.")


class ShapeSchema(Schema):
    """One mark of the markup; see ``_SHAPE_DESCRIPTION`` (also its OpenAPI text)."""

    class Meta:
        title = "Shape"
        description = _SHAPE_DESCRIPTION

    type = fields.String(required=True, validate=validate.OneOf(SHAPE_TYPES))
    color = fields.String(
        load_default=DEFAULT_COLOR,
        validate=validate.Regexp(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$",
                                 error="Not a colour: use #rrggbb or #rrggbbaa."),
        metadata={"description": "#rrggbb, or #rrggbbaa with alpha.", "example": "#ff3b30"})
    width = fields.Float(
        load_default=DEFAULT_STROKE, allow_nan=False, validate=validate.Range(0.001, 0.05),
        metadata={"description": "Stroke width as a fraction of the image's long side "
                                 "(0.006 is about 12 px on a 2048 px display copy)."})
    points = BoundedList(
        _point_field(), required=True,
        validate=validate.Length(min=1, max=MAX_POINTS_PER_SHAPE),
        metadata={"description": f"At most {MAX_POINTS_PER_SHAPE} points per shape and "
                                 f"{MAX_TOTAL_POINTS} over all shapes; count by type above."})
    text = fields.String(
        validate=[validate.Length(min=1, max=MAX_LABEL_CHARS), _printable_label],
        metadata={"description": f"Label of a `text` shape (Chinese or English), at most "
                                 f"{MAX_LABEL_CHARS} characters; newlines allowed."})
    size = fields.Float(
        load_default=DEFAULT_TEXT_SIZE, allow_nan=False, validate=validate.Range(0.01, 0.2),
        metadata={"description": "Text height as a fraction of the image's long side."})

    @validates_schema
    def _fits_its_type(self, data: Mapping[str, Any], **_: Any) -> None:
        kind, points = data.get("type"), data.get("points")
        if kind not in POINTS_PER_TYPE or points is None:
            return  # the field errors already say what is wrong
        wanted = POINTS_PER_TYPE[kind]
        if wanted is None and len(points) < 2:
            raise ValidationError(f"A {kind} needs at least 2 points.", "points")
        if wanted is not None and len(points) != wanted:
            raise ValidationError(f"A {kind} takes exactly {wanted} point"
                                  f"{'s' if wanted > 1 else ''}.", "points")
        if kind == "text" and "text" not in data:
            raise ValidationError("A text shape needs its text.", "text")
        if kind != "text" and "text" in data:
            raise ValidationError(f"Only text shapes carry text, not {kind}.", "text")


class AnnotationsSchema(Schema):
    """The markup of one photo: an ordered list of shapes, drawn first to last."""

    class Meta:
        title = "Annotations"
        description = (f"Vector markup drawn over a photo. Limits: at most {MAX_SHAPES} shapes, "
                       f"{MAX_POINTS_PER_SHAPE} points per shape, {MAX_TOTAL_POINTS} points in "
                       f"all, {MAX_LABEL_CHARS} characters per label.")

    version = fields.Integer(load_default=1, validate=validate.Equal(1),
                             metadata={"description": "Markup format version."})
    shapes = BoundedList(fields.Nested(ShapeSchema), required=True,
                         validate=validate.Length(max=MAX_SHAPES),
                         metadata={"description": f"At most {MAX_SHAPES} shapes."})

    @pre_load
    def _bounded_total_points(self, data: Any, **_: Any) -> Any:
        shapes = data.get("shapes") if isinstance(data, Mapping) else None
        if isinstance(shapes, list) and len(shapes) <= MAX_SHAPES:
            total = sum(len(s["points"]) for s in shapes
                        if isinstance(s, Mapping) and isinstance(s.get("points"), list))
            if total > MAX_TOTAL_POINTS:
                raise ValidationError(f"{total} points in all shapes; at most "
                                      f"{MAX_TOTAL_POINTS} are allowed.", "shapes")
        return data


def markup_digest(annotations: Mapping[str, Any]) -> str:
    """A stable hash of loaded markup, naming its rendering in the cache."""
    canonical = json.dumps(annotations, sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False, default=repr)
    return hashlib.sha256(canonical.encode()).hexdigest()
