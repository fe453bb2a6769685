"""marshmallow schemas of checkpoints, route versions and schedules, and their loaders.

``load_checkpoint / load_route / load_schedule`` validate a JSON document in
one pass and return the immutable type, or raise :class:`PatrolInvalid`
whose ``.errors`` names every bad field (``stops[2].travel_s``,
``timing.windows[0].checkpoint_id``, ``rrule``). Checks that need other
documents (the site's checkpoints, the route a schedule names) are separate
functions taking them as arguments, so the domain stays free of any store.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from checklists.errors import flatten_errors
from checklists.patrol.errors import PatrolInvalid
from checklists.patrol.model import (
    ORDERS, TIMING_MODES, Assignees, Checkpoint, Route, Schedule, Stop, Timing, Window,
)
from checklists.patrol.recurrence import RuleError, check_rounds_per_day, parse_rule, zone
from checklists.schema_parts import IdField, NonBlankString, StrictNumber

DAY_S = 86_400
MAX_STOPS = 200


def seconds(**kwargs) -> fields.Integer:
    """A whole number of seconds between 0 and a day."""
    return fields.Integer(strict=True, validate=validate.Range(min=0, max=DAY_S), **kwargs)


def minutes(low: int = 0, **kwargs) -> fields.Integer:
    """A whole number of minutes between ``low`` and a day."""
    return fields.Integer(strict=True, validate=validate.Range(min=low, max=DAY_S // 60), **kwargs)


def latitude(**kwargs) -> StrictNumber:
    return StrictNumber(validate=validate.Range(min=-90, max=90), **kwargs)


def longitude(**kwargs) -> StrictNumber:
    return StrictNumber(validate=validate.Range(min=-180, max=180), **kwargs)


class PatrolCheckpointSchema(Schema):
    """A tagged place of a site (the tag code is what its QR/NFC label holds)."""

    id = IdField(required=True)
    site_id = NonBlankString(required=True)
    tag = NonBlankString(required=True, validate=validate.Length(max=256),
                         metadata={"description": "QR/NFC payload, unique within the site"})
    name = NonBlankString(required=True, validate=validate.Length(max=200))
    lat = latitude(required=True)
    lon = longitude(required=True)
    radius_m = StrictNumber(load_default=30.0, validate=validate.Range(min=1, max=5000))
    checklist_id = IdField(metadata={"description": "short checklist answered here"})
    photo_required = fields.Boolean(load_default=False)

    @post_load
    def _make(self, data, **kwargs) -> Checkpoint:
        return Checkpoint(**data)


class PatrolStopSchema(Schema):
    checkpoint_id = IdField(required=True)
    travel_s = seconds(load_default=0, metadata={"description": "expected walk from the stop before"})
    tolerance_s = seconds(load_default=60)
    min_dwell_s = seconds(load_default=0)

    @post_load
    def _make(self, data, **kwargs) -> Stop:
        return Stop(**data)


class PatrolRouteSchema(Schema):
    """One version of a route: its checkpoints in walking order."""

    id = IdField(required=True)
    version = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    site_id = NonBlankString(required=True)
    name = NonBlankString(required=True, validate=validate.Length(max=200))
    order = fields.String(load_default="strict", validate=validate.OneOf(ORDERS))
    stops = fields.List(fields.Nested(PatrolStopSchema), required=True,
                        validate=validate.Length(min=1, max=MAX_STOPS))

    @validates_schema(skip_on_field_errors=True)
    def _unique_stops(self, data, **kwargs):
        seen: set[str] = set()
        for k, stop in enumerate(data["stops"]):
            if stop.checkpoint_id in seen:
                raise ValidationError({k: {"checkpoint_id": ["checkpoint is already on the route"]}},
                                      field_name="stops")
            seen.add(stop.checkpoint_id)

    @post_load
    def _make(self, data, **kwargs) -> Route:
        return Route(stops=tuple(data.pop("stops")), **data)


class PatrolWindowSchema(Schema):
    checkpoint_id = IdField(required=True)
    open_min = minutes(required=True)
    close_min = minutes(required=True)

    @validates_schema(skip_on_field_errors=True)
    def _ordered(self, data, **kwargs):
        if data["close_min"] < data["open_min"]:
            raise ValidationError("must not be before open_min", field_name="close_min")

    @post_load
    def _make(self, data, **kwargs) -> Window:
        return Window(**data)


class PatrolTimingSchema(Schema):
    mode = fields.String(load_default="offset", validate=validate.OneOf(TIMING_MODES))
    windows = fields.List(fields.Nested(PatrolWindowSchema), validate=validate.Length(max=MAX_STOPS))

    @validates_schema(skip_on_field_errors=True)
    def _windows_for_window_mode(self, data, **kwargs):
        if data["mode"] == "window" and not data.get("windows"):
            raise ValidationError("mode 'window' needs windows", field_name="windows")
        if data["mode"] == "offset" and data.get("windows"):
            raise ValidationError("windows are for mode 'window'", field_name="windows")

    @post_load
    def _make(self, data, **kwargs) -> Timing:
        return Timing(data["mode"], tuple(data.get("windows", ())))


class PatrolAssigneesSchema(Schema):
    guards = fields.List(NonBlankString(), validate=validate.Length(min=1, max=100))
    post = NonBlankString()

    @validates_schema(skip_on_field_errors=True)
    def _one_kind(self, data, **kwargs):
        if ("guards" in data) == ("post" in data):
            raise ValidationError("give guards or a post (one of them)", field_name="_schema")

    @post_load
    def _make(self, data, **kwargs) -> Assignees:
        return Assignees(tuple(data.get("guards", ())), data.get("post"))


class PatrolScheduleSchema(Schema):
    """When rounds of a route version start, on the site's clock (RFC 5545 RRULE)."""

    id = IdField(required=True)
    version = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    site_id = NonBlankString(required=True)
    route_id = IdField(required=True)
    route_version = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    timezone = NonBlankString(required=True, metadata={"description": "IANA zone, e.g. Asia/Shanghai"})
    rrule = NonBlankString(required=True, validate=validate.Length(max=500), metadata={
        "description": "RRULE value, e.g. FREQ=DAILY;BYHOUR=22,0,2,4,6;BYMINUTE=0"})
    dtstart = fields.NaiveDateTime(required=True, metadata={
        "description": "first start, local time without offset, e.g. 2026-11-01T22:00"})
    assignees = fields.Nested(PatrolAssigneesSchema, required=True)
    early_start_min = minutes(load_default=5, metadata={"description": "may start this early"})
    grace_min = minutes(load_default=15, metadata={"description": "started later is late"})
    deadline_min = minutes(low=1, load_default=60,
                           metadata={"description": "not finished by start + this is missed"})
    timing = fields.Nested(PatrolTimingSchema, load_default=Timing)

    @validates_schema(skip_on_field_errors=False)
    def _rule_and_times(self, data, **kwargs):
        # runs despite other field errors (each check guards its own inputs), so every
        # problem of a schedule is listed in one answer
        errors: dict[str, list[str]] = {}
        grace, deadline = data.get("grace_min"), data.get("deadline_min")
        if grace is not None and deadline is not None and deadline <= grace:
            errors["deadline_min"] = [f"must be after the grace ({grace} min)"]
        timing = data.get("timing")
        for k, window in enumerate(timing.windows if isinstance(timing, Timing) else ()):
            if deadline is not None and window.close_min > deadline:
                errors[f"timing.windows[{k}].close_min"] = [
                    f"must not be after the deadline ({deadline} min)"]
        if "timezone" in data:
            try:
                zone(data["timezone"])
            except RuleError as err:
                errors["timezone"] = [str(err)]
        if isinstance(data.get("rrule"), str) and isinstance(data.get("dtstart"), datetime):
            try:
                check_rounds_per_day(parse_rule(data["rrule"], data["dtstart"]), data["dtstart"])
            except RuleError as err:
                errors["rrule"] = [str(err)]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _make(self, data, **kwargs) -> Schedule:
        return Schedule(**data)


_CHECKPOINT = PatrolCheckpointSchema()
_ROUTE = PatrolRouteSchema()
_SCHEDULE = PatrolScheduleSchema()


def load_with(schema: Schema, data: Any, what: str):
    """``schema.load(data)``, or :class:`PatrolInvalid` with every error path-named."""
    if not isinstance(data, Mapping):
        raise PatrolInvalid({"_schema": [f"a {what} must be a JSON object"]})
    try:
        return schema.load(data)
    except ValidationError as err:
        raise PatrolInvalid(flatten_errors(err.messages)) from None


def load_checkpoint(data: Any) -> Checkpoint:
    return load_with(_CHECKPOINT, data, "checkpoint")


def load_route(data: Any, checkpoints: Mapping[str, Checkpoint] | None = None) -> Route:
    """A route version; with the site's ``checkpoints`` (by id) each stop must name one."""
    route = load_with(_ROUTE, data, "route")
    if checkpoints is not None:
        errors = {f"stops[{k}].checkpoint_id": [f"no checkpoint {s.checkpoint_id!r} in the site"]
                  for k, s in enumerate(route.stops)
                  if getattr(checkpoints.get(s.checkpoint_id), "site_id", None) != route.site_id}
        if errors:
            raise PatrolInvalid(errors)
    return route


def load_schedule(data: Any, route: Route | None = None) -> Schedule:
    """A schedule version; with its ``route`` version, the windows must name its stops."""
    schedule = load_with(_SCHEDULE, data, "schedule")
    if route is not None:
        errors: dict[str, list[str]] = {}
        if (route.id, route.version, route.site_id) != (
                schedule.route_id, schedule.route_version, schedule.site_id):
            errors["route_version"] = [f"route {route.ref} of site {route.site_id} does not match"]
        for k, window in enumerate(schedule.timing.windows):
            if window.checkpoint_id not in route.position:
                errors[f"timing.windows[{k}].checkpoint_id"] = [f"not a stop of route {route.ref}"]
        if errors:
            raise PatrolInvalid(errors)
    return schedule


def tag_clashes(checkpoints: Iterable[Checkpoint]) -> dict[str, list[str]]:
    """Errors for checkpoints of one site sharing a tag code: ``{"<id>.tag": [...]}``.

    A service runs it over the site's checkpoints plus the new one before writing.
    """
    owner: dict[tuple[str, str], str] = {}
    errors: dict[str, list[str]] = {}
    for checkpoint in checkpoints:
        key = (checkpoint.site_id, checkpoint.tag)
        first = owner.setdefault(key, checkpoint.id)
        if first != checkpoint.id:
            errors[f"{checkpoint.id}.tag"] = [f"tag {checkpoint.tag!r} is already on checkpoint {first}"]
    return errors
