"""Inspection plans: what a site inspects on a calendar, who does it and when it is due.

A plan is loaded (and refused field by field) by :func:`load_plan`; the
recurrence is RFC 5545 on the site's wall clock through the patrol
schedules' engine (``checklists.patrol.recurrence``), so both calendars
read local times, DST gaps and folds the same way.

The due time of an occurrence is its start moved by ``due_offset`` and then,
optionally, rolled forward to a weekday and set to a time of day: seed 000
§4.3.1's "report by Monday of the second week, before the end of work" is a
monthly start on the 1st, ``due_offset {days: 1}``, ``due_weekday MO`` (the first Monday
after the 1st opens the second calendar week),
``due_time 18:00``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from marshmallow import (EXCLUDE, RAISE, Schema, ValidationError, fields, post_load, validate,
                         validates_schema)

from checklists.actors import ROLES
from checklists.patrol.recurrence import RuleError, parse_rule, zone

from .errors import PlanInvalid

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: occurrences a plan may produce in its first week: inspections, not patrol rounds
MAX_PER_WEEK = 28
OFFSET_UNITS = ("months", "weeks", "days", "hours", "minutes")


class OffsetSchema(Schema):
    """A calendar offset; months count on the calendar (Jan 31 + 1 month = Feb 28)."""

    class Meta:
        unknown = RAISE

    months = fields.Integer(validate=validate.Range(0, 24), load_default=0)
    weeks = fields.Integer(validate=validate.Range(0, 104), load_default=0)
    days = fields.Integer(validate=validate.Range(0, 731), load_default=0)
    hours = fields.Integer(validate=validate.Range(0, 10_000), load_default=0)
    minutes = fields.Integer(validate=validate.Range(0, 100_000), load_default=0)


def offset_delta(offset: dict) -> relativedelta:
    return relativedelta(**{unit: offset.get(unit, 0) for unit in OFFSET_UNITS})


def is_zero(offset: dict) -> bool:
    return not any(offset.get(unit) for unit in OFFSET_UNITS)


@dataclass(frozen=True, slots=True)
class Plan:
    """One stored plan (version ``version``); ``to_doc()`` is what the store keeps."""

    id: str
    version: int
    site_id: str
    name: str
    checklist_id: str
    rrule: str
    dtstart: datetime                # naive, on the site's clock
    timezone: str
    assignee_user_id: str | None
    assignee_role: str | None
    due_offset: dict
    due_weekday: str | None = None
    due_time: str | None = None      # "HH:MM" on the site's clock
    grace: dict | None = None        # overdue until due + grace; None: until the next start
    feedback_days: int | None = None
    template: str | None = None
    active: bool = True
    series: int = 0                  # bumped by every edit: its occurrences get new ids

    def to_doc(self) -> dict[str, Any]:
        return {"type": "plan", "id": self.id, "version": self.version, "site_id": self.site_id,
                "name": self.name, "checklist_id": self.checklist_id, "rrule": self.rrule,
                "dtstart": self.dtstart.isoformat(timespec="minutes"),
                "timezone": self.timezone, "assignee_user_id": self.assignee_user_id,
                "assignee_role": self.assignee_role, "due_offset": dict(self.due_offset),
                "due_weekday": self.due_weekday, "due_time": self.due_time,
                "grace": None if self.grace is None else dict(self.grace),
                "feedback_days": self.feedback_days, "template": self.template,
                "active": self.active, "series": self.series}

    def due_after(self, local_start: datetime) -> datetime:
        """The naive local due time of the occurrence starting at ``local_start``."""
        due = local_start + offset_delta(self.due_offset)
        if self.due_weekday is not None:
            due += timedelta(days=(WEEKDAYS.index(self.due_weekday) - due.weekday()) % 7)
        if self.due_time is not None:
            hour, minute = (int(p) for p in self.due_time.split(":"))
            due = due.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return due


class PlanSchema(Schema):
    """A plan as a client writes it; ``load_plan`` adds the checks across fields."""

    class Meta:
        unknown = RAISE

    id = fields.String(required=True, validate=validate.Length(1, 64))
    version = fields.Integer(load_default=1, validate=validate.Range(min=1))
    site_id = fields.String(required=True, validate=validate.Length(1, 64))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    checklist_id = fields.String(required=True, validate=validate.Length(1, 100))
    rrule = fields.String(required=True, validate=validate.Length(1, 500))
    dtstart = fields.NaiveDateTime(required=True, metadata={
        "description": "first start on the site's clock, no offset (2026-12-01T08:00)"})
    timezone = fields.String(required=True, validate=validate.Length(1, 64))
    assignee_user_id = fields.String(load_default=None, allow_none=True,
                                     validate=validate.Length(1, 64))
    assignee_role = fields.String(load_default=None, allow_none=True,
                                  validate=validate.OneOf(ROLES))
    due_offset = fields.Nested(OffsetSchema, required=True)
    due_weekday = fields.String(load_default=None, allow_none=True,
                                validate=validate.OneOf(WEEKDAYS))
    due_time = fields.String(load_default=None, allow_none=True,
                             validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$",
                                                      error="Give HH:MM (00:00-23:59)."))
    grace = fields.Nested(OffsetSchema, load_default=None, allow_none=True)
    feedback_days = fields.Integer(load_default=None, allow_none=True,
                                   validate=validate.Range(1, 60))
    template = fields.String(load_default=None, allow_none=True)
    active = fields.Boolean(load_default=True)
    series = fields.Integer(load_default=0, validate=validate.Range(min=0))
    type = fields.String(load_default="plan", validate=validate.Equal("plan"))

    @validates_schema
    def _one_assignee(self, data, **kwargs):
        if (data.get("assignee_user_id") is None) == (data.get("assignee_role") is None):
            raise ValidationError("Give either assignee_user_id or assignee_role.",
                                  "assignee_user_id")

    @post_load
    def _make(self, data, **kwargs) -> Plan:
        data.pop("type", None)
        return Plan(**data)


_SCHEMA = PlanSchema()


def load_plan(doc: dict) -> Plan:
    """The plan of ``doc``, or :class:`PlanInvalid` naming every bad field.

    Refused beyond the schema: an unknown zone, a rule that is no RRULE or
    produces more than :data:`MAX_PER_WEEK` occurrences in its first week, a
    rule with no occurrence at all, a due time not after the start.
    """
    try:
        plan = _SCHEMA.load(doc)
    except ValidationError as err:
        raise PlanInvalid(err.normalized_messages()) from None
    try:
        zone(plan.timezone)
    except RuleError as err:
        raise PlanInvalid({"timezone": [str(err)]}) from None
    first = _check_rule(plan)
    due = plan.due_after(first)
    if due <= first:
        raise PlanInvalid({"due_offset": [
            f"The due time ({due:%Y-%m-%d %H:%M}) must come after the start "
            f"({first:%Y-%m-%d %H:%M}); give a positive due_offset."]})
    return plan


def _check_rule(plan: Plan) -> datetime:
    """The first local start of ``plan``'s rule; :class:`PlanInvalid` on ``rrule`` if unusable."""
    try:
        rule = parse_rule(plan.rrule, plan.dtstart)
    except RuleError as err:
        raise PlanInvalid({"rrule": [str(err)]}) from None
    week_end = plan.dtstart + timedelta(days=7)
    first = None
    for n, start in enumerate(rule.xafter(plan.dtstart, inc=True)):
        first = first or start
        if start >= week_end:
            break
        if n >= MAX_PER_WEEK:
            raise PlanInvalid({"rrule": [f"produces more than {MAX_PER_WEEK} occurrences in "
                                         f"its first week; an inspection plan needs far fewer"]})
    if first is None:
        raise PlanInvalid({"rrule": ["produces no occurrence at all (check UNTIL or COUNT)"]})
    return first


def plan_from_doc(doc: dict) -> Plan:
    """Rebuild a stored plan (written by :meth:`Plan.to_doc`, so trusted)."""
    return _SCHEMA.load(doc, unknown=EXCLUDE)
