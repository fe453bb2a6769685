"""Inspection plans and their occurrences (seed 000 §4.3, seed 004 daily/weekly/monthly tiers)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask.views import MethodView
from werkzeug.routing import BaseConverter
from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields, validate

from checklists.actors import ADMIN, ROLES, SUPERVISOR
from checklists.plans import STATES
from checklists.plans.model import WEEKDAYS, OffsetSchema
from checklists.plans.templates import TEMPLATES
from server.auth import current_actor
from server.extensions import get_store
from server.services import plans

from .blueprint import Blueprint
from .schemas.paging import PageArgs, page_schema

blp = Blueprint("plans", __name__, url_prefix="/api/v1/plans",
                description="Inspection plans: recurring inspections, who does them, when due.")


def _now() -> datetime:
    return datetime.now(timezone.utc)


class PlanIn(Schema):
    """A new plan; with ``template`` every field it sets may be left out (or overridden)."""

    site_id = fields.String(required=True, validate=validate.Length(1, 64))
    template = fields.String(validate=validate.OneOf(TEMPLATES))
    name = fields.String(validate=validate.Length(1, 200))
    checklist_id = fields.String(validate=validate.Length(1, 100),
                                 metadata={"description": "a published checklist's id"})
    rrule = fields.String(validate=validate.Length(1, 500),
                          metadata={"example": "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=8"})
    dtstart = fields.String(validate=validate.Length(1, 32), metadata={
        "description": "first start on the site's clock (default: the 1st of this month)",
        "example": "2026-12-01T08:00"})
    assignee_user_id = fields.String(validate=validate.Length(1, 64))
    assignee_role = fields.String(validate=validate.OneOf(ROLES))
    due_offset = fields.Nested(OffsetSchema)
    due_weekday = fields.String(validate=validate.OneOf(WEEKDAYS))
    due_time = fields.String(validate=validate.Length(5, 5), metadata={"example": "18:00"})
    grace = fields.Nested(OffsetSchema, metadata={
        "description": "overdue until due + grace (default: until the next start)"})
    feedback_days = fields.Integer(validate=validate.Range(1, 60))


class PlanPatchIn(Schema):
    """What to change; occurrences not yet started are regenerated, the rest kept."""

    name = fields.String(validate=validate.Length(1, 200))
    rrule = fields.String(validate=validate.Length(1, 500))
    dtstart = fields.String(validate=validate.Length(1, 32))
    assignee_user_id = fields.String(validate=validate.Length(1, 64), metadata={
        "description": "a person (drops the role)"})
    assignee_role = fields.String(validate=validate.OneOf(ROLES), metadata={
        "description": "a role (drops the person)"})
    due_offset = fields.Nested(OffsetSchema)
    due_weekday = fields.String(allow_none=True, validate=validate.OneOf(WEEKDAYS))
    due_time = fields.String(allow_none=True, validate=validate.Length(5, 5))
    grace = fields.Nested(OffsetSchema, allow_none=True)
    feedback_days = fields.Integer(allow_none=True, validate=validate.Range(1, 60))
    active = fields.Boolean(metadata={"description": "false: like retire; true: resume"})


class PlanOut(Schema):
    id = fields.String(required=True)
    version = fields.Integer()
    site_id = fields.String()
    name = fields.String()
    checklist_id = fields.String()
    rrule = fields.String()
    dtstart = fields.String()
    timezone = fields.String()
    assignee_user_id = fields.String(allow_none=True)
    assignee_role = fields.String(allow_none=True)
    due_offset = fields.Dict()
    due_weekday = fields.String(allow_none=True)
    due_time = fields.String(allow_none=True)
    grace = fields.Dict(allow_none=True)
    feedback_days = fields.Integer(allow_none=True)
    template = fields.String(allow_none=True)
    active = fields.Boolean()
    series = fields.Integer(metadata={"description": "bumped by each edit"})
    created_at = fields.String()
    updated_at = fields.String()
    retired_at = fields.String()


class PlanOccurrenceOut(Schema):
    id = fields.String(required=True)
    plan_id = fields.String()
    site_id = fields.String()
    name = fields.String()
    checklist_id = fields.String()
    assignee_user_id = fields.String(allow_none=True)
    assignee_role = fields.String(allow_none=True)
    local_start = fields.String()
    start = fields.String()
    due_at = fields.String()
    closes_at = fields.String()
    state = fields.String(metadata={"description": "the state now: " + ", ".join(STATES)})
    seconds_left = fields.Integer(allow_none=True, metadata={
        "description": "until due; negative: overdue by that much; null once done"})
    result_id = fields.String(allow_none=True)
    done_at = fields.String(allow_none=True)
    late = fields.Boolean(allow_none=True)
    feedback_due = fields.String()


class TemplateOut(Schema):
    key = fields.String(required=True)
    name = fields.String()
    source = fields.String(metadata={"description": "the seed and clause it comes from"})
    checklist_id = fields.String()
    assignee_role = fields.String()
    rrule = fields.String()
    due_offset = fields.Dict()
    due_weekday = fields.String()
    due_time = fields.String()
    grace = fields.Dict()
    feedback_days = fields.Integer()


class RefreshOut(Schema):
    plans = fields.Integer(metadata={"description": "active plans"})
    generated = fields.Integer(metadata={"description": "occurrences created"})
    advanced = fields.Integer(metadata={"description": "occurrences whose state changed"})


class SiteArgs(Schema):
    site = fields.String(required=True, validate=validate.Length(1, 64))


class OccurrenceArgs(SiteArgs, PageArgs):
    state = fields.String(validate=validate.OneOf(STATES))
    mine = fields.Boolean(load_default=False,
                          metadata={"description": "only those assigned to you or your role"})
    start_from = fields.AwareDateTime(data_key="from", load_default=None, metadata={
        "description": "occurrences starting at or after (default: 62 days ago)"})
    start_to = fields.AwareDateTime(data_key="to", load_default=None, metadata={
        "description": "occurrences starting before (default: 40 days ahead); at most 400 "
                       "days after from"})


class RefreshArgs(Schema):
    horizon_days = fields.Integer(load_default=40, validate=validate.Range(1, 400))


class PlanIdConverter(BaseConverter):
    """``<plan_id:…>``: any segment but this blueprint's own words.

    WHY: ``/plans/templates`` also matched ``/plans/<plan_id>``, so its ``Allow``
    advertised PATCH, which it does not take (the OpenAPI fuzz checks ``Allow``).
    """

    regex = r"(?!(?:templates|occurrences)(?![^/]))[^/]+"


def init_api(app, api) -> None:
    """Register the path converter with Flask and document it in OpenAPI (a string)."""
    app.url_map.converters["plan_id"] = PlanIdConverter
    api.register_converter(PlanIdConverter, lambda _: {"type": "string"})


@blp.route("/templates")
@blp.auth_required()
@blp.response(200, TemplateOut(many=True))
def templates():
    """The built-in plan templates, each citing the seed it comes from."""
    return plans.list_templates()


@blp.route("")
class Plans(MethodView):
    @blp.auth_required()
    @blp.arguments(SiteArgs, location="query")
    @blp.response(200, PlanOut(many=True))
    def get(self, args):
        """The plans of a site you work at (retired ones included)."""
        return plans.list_plans(get_store(), current_actor(), args["site"])

    @blp.auth_required(SUPERVISOR, ADMIN)
    @blp.arguments(PlanIn)
    @blp.response(201, PlanOut)
    def post(self, data):
        """Create a plan (from a template or in full); its occurrences are generated at once."""
        return plans.create_plan(get_store(), current_actor(), data, _now())


@blp.route("/occurrences")
@blp.auth_required()
@blp.arguments(OccurrenceArgs, location="query")
@blp.response(200, page_schema(PlanOccurrenceOut, "PlanOccurrenceList"))
def occurrences(args):
    """A site's occurrences starting in a window, by start, each with its state and clock
    now; with state or mine a page may hold fewer than limit (follow next_cursor)."""
    return plans.page_occurrences(get_store(), current_actor(), args.pop("site"), _now(),
                                  **args)


@blp.route("/occurrences/refresh", methods=["POST"])
@blp.auth_required(ADMIN)
@blp.arguments(RefreshArgs, location="query")
@blp.response(200, RefreshOut)
def refresh(args):
    """Generate occurrences ahead and store their current states (what `fieldsync plans
    refresh` runs; idempotent)."""
    return plans.refresh(get_store(), _now(), timedelta(days=args["horizon_days"]))


@blp.route("/<plan_id:plan_id>")
@blp.auth_required()
@blp.response(200, PlanOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such plan at a site you work at.")
def get_plan(plan_id):
    """One plan."""
    return plans.get_plan(get_store(), current_actor(), plan_id)


@blp.route("/<plan_id:plan_id>", methods=["PATCH"])
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.arguments(PlanPatchIn)
@blp.response(200, PlanOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such plan at a site you work at.")
def update_plan(data, plan_id):
    """Edit a plan (recurrence, assignee, due time, active): occurrences not yet started
    are regenerated; started, done, overdue and missed ones are kept as they are."""
    return plans.update_plan(get_store(), current_actor(), plan_id, data, _now())


@blp.route("/<plan_id:plan_id>/retire", methods=["POST"])
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.response(200, PlanOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such plan at a site you work at.")
def retire(plan_id):
    """Stop a plan: occurrences not yet started are cancelled, the rest kept."""
    return plans.retire_plan(get_store(), current_actor(), plan_id, _now())
