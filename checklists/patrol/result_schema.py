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
                                    "checklist_id"?, "checklist_version"?,
                                    "photos": [{"sha256", "exif_time"?}]}}}

A visit's ``checklist_id`` and ``checklist_version`` (given together) name the
checklist version the device rendered; a version that is not a positive
integer is refused, while an unknown version or answers that break its rules
are judged and flagged (``checklists.patrol.visit_answers``).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from checklists.patrol.model import SCAN_METHODS, GpsFix, PhotoRef, RoundResult, Scan, Visit
from checklists.errors import flatten_errors
from checklists.patrol.errors import PatrolInvalid
from checklists.patrol.schemas import latitude, longitude
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
    checklist_id = IdField(allow_none=True, load_default=None,
                           metadata={"description": "the checklist the device rendered"})
    checklist_version = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(min=1),
        metadata={"description": "its version, as the device had pulled it"})

    @validates_schema(skip_on_field_errors=True)
    def _checklist_named_whole(self, data, **kwargs):
        # one without the other names no version to judge the answers by
        if (data["checklist_id"] is None) != (data["checklist_version"] is None):
            missing = "checklist_version" if data["checklist_version"] is None else "checklist_id"
            raise ValidationError("give checklist_id and checklist_version together",
                                  field_name=missing)

    @post_load
    def _make(self, data, **kwargs) -> Visit:
        return Visit(data["answers"], tuple(data["photos"]), data["done_at"],
                     data["checklist_id"], data["checklist_version"])


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
    """A round result; ``PatrolInvalid`` names each field that cannot be judged
    (a visit's as ``visits.<checkpoint>.<field>``)."""
    if not isinstance(data, Mapping):
        raise PatrolInvalid({"_schema": ["a round result must be a JSON object"]})
    try:
        return _RESULT.load(data)
    except ValidationError as err:
        raise PatrolInvalid(flatten_errors(_visit_paths(err.messages))) from None


def _visit_paths(messages: dict) -> dict:
    """marshmallow files a dict value's errors under ``value`` (and a bad key's under
    ``key``): name them as the device wrote them, ``visits.cp2.checklist_version``."""
    visits = messages.get("visits")
    if not isinstance(visits, Mapping):
        return messages
    named = {}
    for checkpoint_id, errors in visits.items():
        if isinstance(errors, Mapping) and {"key", "value"} >= errors.keys():
            value = errors.get("value", {})
            value = dict(value) if isinstance(value, Mapping) else {"_schema": value}
            if "key" in errors:
                value["_schema"] = [*value.get("_schema", ()), *errors["key"]]
            errors = value
        named[checkpoint_id] = errors
    return {**messages, "visits": named}

