"""marshmallow schema of a round result as a device sends it, and its loader.

What is refused here is what cannot be judged at all (a time without a UTC
offset, a latitude of 200, an accuracy of −5 m, a finish before the start).
What can be judged but looks wrong (an unknown tag, scans out of time order,
a fix too coarse to use) is accepted and flagged on the verdict instead:
field data is evidence, and refusing it would lose it.

Result format::

    {"id", "occurrence_id", "route_id", "route_version",
     "started_at": "2026-11-01T22:03:10+08:00", "finished_at": ... | null,
     "scans": [{"tag", "at", "method": "qr|nfc|gps|manual",
                "gps": {"lat", "lon", "accuracy_m"}?}],
     "visits": {"<checkpoint_id>": {"answers": {...}, "done_at"?,
                                    "photos": [{"sha256", "exif_time"?}]}}}
"""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from checklists.patrol.model import SCAN_METHODS, GpsFix, PhotoRef, RoundResult, Scan, Visit
from checklists.patrol.schemas import latitude, load_with, longitude
from checklists.schema_parts import IdField, NonBlankString, StrictNumber

MAX_SCANS = 2000
#: a fix claiming worse than this is not a position (100 km): refused, not flagged
MAX_ACCURACY_M = 100_000
_SHA256 = r"^[0-9a-f]{64}$"


def device_time(**kwargs) -> fields.AwareDateTime:
    """An ISO 8601 time with its UTC offset (a device's clock reading)."""
    return fields.AwareDateTime(error_messages={
        "invalid_awareness": "Give the time with its UTC offset, e.g. 2026-11-01T22:03:10+08:00."},
        **kwargs)


class PatrolGpsSchema(Schema):
    lat = latitude(required=True)
    lon = longitude(required=True)
    accuracy_m = StrictNumber(required=True, validate=validate.Range(
        min=0, max=MAX_ACCURACY_M, min_inclusive=False))

    @post_load
    def _make(self, data, **kwargs) -> GpsFix:
        return GpsFix(**data)


class PatrolScanSchema(Schema):
    tag = NonBlankString(required=True, validate=validate.Length(max=256))
    at = device_time(required=True)
    method = fields.String(required=True, validate=validate.OneOf(SCAN_METHODS))
    gps = fields.Nested(PatrolGpsSchema, allow_none=True, load_default=None)

    @validates_schema(skip_on_field_errors=True)
    def _gps_scan_has_a_fix(self, data, **kwargs):
        if data["method"] == "gps" and data["gps"] is None:
            raise ValidationError("a gps check-in needs its fix", field_name="gps")

    @post_load
    def _make(self, data, **kwargs) -> Scan:
        return Scan(**data)


class PatrolPhotoRefSchema(Schema):
    sha256 = fields.String(required=True, validate=validate.Regexp(_SHA256, error="Not a sha256 hex digest."))
    exif_time = fields.DateTime(allow_none=True, load_default=None,
                                metadata={"description": "camera time; without offset = site time"})

    @post_load
    def _make(self, data, **kwargs) -> PhotoRef:
        return PhotoRef(**data)


class PatrolVisitSchema(Schema):
    answers = fields.Dict(keys=fields.String(), load_default=dict,
                          metadata={"description": "answers to the checkpoint's checklist"})
    photos = fields.List(fields.Nested(PatrolPhotoRefSchema), load_default=list,
                         validate=validate.Length(max=50))
    done_at = device_time(allow_none=True, load_default=None)

    @post_load
    def _make(self, data, **kwargs) -> Visit:
        return Visit(data["answers"], tuple(data["photos"]), data["done_at"])


class PatrolRoundResultSchema(Schema):
    """One walked round of an occurrence, in the device's clock."""

    id = IdField(required=True)
    occurrence_id = NonBlankString(required=True, validate=validate.Length(max=200))
    route_id = IdField(required=True)
    route_version = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    started_at = device_time(required=True)
    finished_at = device_time(allow_none=True, load_default=None)
    scans = fields.List(fields.Nested(PatrolScanSchema), required=True,
                        validate=validate.Length(max=MAX_SCANS))
    visits = fields.Dict(keys=IdField(), values=fields.Nested(PatrolVisitSchema), load_default=dict)

    @validates_schema(skip_on_field_errors=True)
    def _finish_after_start(self, data, **kwargs):
        finished = data["finished_at"]
        if finished is not None and finished < data["started_at"]:
            raise ValidationError("must not be before started_at", field_name="finished_at")

    @post_load
    def _make(self, data, **kwargs) -> RoundResult:
        return RoundResult(scans=tuple(data.pop("scans")), **data)


_RESULT = PatrolRoundResultSchema()


def load_round_result(data: Any) -> RoundResult:
    """A round result; ``PatrolInvalid`` names each field that cannot be judged."""
    return load_with(_RESULT, data, "round result")

