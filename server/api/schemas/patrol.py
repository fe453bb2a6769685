"""Bodies of the patrol API: the domain's own schemas validate what comes in.

Each ``*In`` schema is the ``checklists.patrol`` schema of that document
minus what the URL or the server decides (site, version), returning the body
as sent: the service loads it through the domain once more, so the domain
stays the one definition of a valid checkpoint, route or schedule.
"""
from __future__ import annotations

from marshmallow import Schema, fields, post_load, validate

from checklists.patrol import PatrolCheckpointSchema, PatrolRouteSchema, PatrolScheduleSchema
from checklists.schema_parts import IdField

MONTH = validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="Give a month as YYYY-MM.")


class _AsSent:
    """Validate with the domain schema, hand the body on as sent."""

    @post_load(pass_original=True)
    def _make(self, data, original, **kwargs):
        return dict(original)


class CheckpointIn(_AsSent, PatrolCheckpointSchema):
    class Meta:
        exclude = ("site_id",)

    id = IdField(metadata={"description": "chosen by the server when omitted"})


class CheckpointPatchIn(CheckpointIn):
    """The fields to change (use with ``partial=True``)."""


class RouteIn(_AsSent, PatrolRouteSchema):
    class Meta:
        exclude = ("site_id", "version")

    id = IdField(metadata={"description": "new routes only; chosen by the server when omitted"})


class ScheduleIn(_AsSent, PatrolScheduleSchema):
    class Meta:
        exclude = ("site_id", "version")

    id = IdField(metadata={"description": "new schedules only; chosen by the server when omitted"})
    route_version = fields.Integer(strict=True, validate=validate.Range(min=1),
                                   metadata={"description": "default: the route's newest"})
    timezone = fields.String(validate=validate.Length(min=1, max=64),
                             metadata={"description": "IANA zone; default: the site's"})


class CheckpointOut(PatrolCheckpointSchema):
    pass


class _Record(Schema):
    """What every stored patrol record has."""

    id = fields.String(required=True)
    v = fields.Integer(required=True, metadata={"description": "bumped on every change"})
    site_id = fields.String(required=True)


class RouteRecordOut(_Record):
    id = fields.String(required=True, metadata={"description": "<route id>@<version>"})
    route = fields.Nested(PatrolRouteSchema, required=True)
    published = fields.Dict(required=True)


class ScheduleRecordOut(_Record):
    active = fields.Boolean(required=True)
    schedule = fields.Dict(required=True, metadata={"description": "the schedule version"})
    saved = fields.Dict(required=True)


class _Slot(_Record):
    """A planned round's place: its schedule, route, local start, deadline, assignees."""

    schedule_id = fields.String(required=True)
    route_id = fields.String(required=True)
    local_start = fields.String(required=True, metadata={"description": "on the site's clock"})
    deadline = fields.String(required=True)
    assignees = fields.Dict(required=True)


class OccurrenceOut(_Slot):
    schedule_version = fields.Integer(required=True)
    route_version = fields.Integer(required=True)
    timezone = fields.String(required=True)
    start = fields.String(required=True)
    opens = fields.String(required=True)
    late_after = fields.String(required=True)
    timing = fields.Dict(required=True)
    status = fields.String(required=True, metadata={"description": "scheduled|missed|cancelled"})
    round_id = fields.String(allow_none=True)
    missed_at = fields.String(allow_none=True)


class RoundOut(_Record):
    occurrence_id = fields.String(required=True)
    guard_id = fields.String(required=True)
    local_start = fields.String(required=True)
    result = fields.Dict(required=True, metadata={"description": "the round as the device sent it"})
    verdict = fields.Dict(required=True, metadata={
        "description": "the verdict record plus lines: {code, checkpoint_id, numbers, zh, en}"})
    photos = fields.List(fields.Dict(), required=True, metadata={
        "description": "[{sha256, item: the checkpoint id}]"})
    missing_photos = fields.List(fields.String(), required=True)
    media = fields.String(required=True, metadata={"description": "complete once every photo arrived"})
    submitted = fields.Dict(required=True)


class AlertOut(_Slot):
    kind = fields.String(required=True, metadata={"description": "missed_round"})
    occurrence_id = fields.String(required=True)
    raised_at = fields.String(required=True)
    late_round_id = fields.String(allow_none=True, metadata={
        "description": "the round that arrived after the alert, if any"})


class PunctualityOut(Schema):
    guard_id = fields.String(required=True)
    month = fields.String(required=True)
    rounds = fields.Integer(required=True)
    completed = fields.Integer(required=True)
    partial = fields.Integer(required=True)
    late_starts = fields.Integer(required=True)
    flagged = fields.Integer(required=True)
    after_missed_alert = fields.Integer(required=True)
    stops = fields.Integer(required=True)
    stops_on_time = fields.Integer(required=True)
    punctuality = fields.Float(required=True, allow_none=True,
                               metadata={"description": "percent of stops on time"})


class DayArgs(Schema):
    day = fields.Date(required=True, metadata={"description": "the site's local day, YYYY-MM-DD"})


class MonthArgs(Schema):
    month = fields.String(required=True, validate=MONTH,
                          metadata={"description": "the site's local month, YYYY-MM"})


class VersionArgs(Schema):
    version = fields.Integer(validate=validate.Range(min=1),
                             metadata={"description": "default: the newest"})


def items_schema(item: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict({"items": fields.List(fields.Nested(item), required=True)}, name=name)
