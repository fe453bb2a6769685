"""Complaints and callbacks (seed 001): intake, the 2-day clock, 五清楚一报告, 回访, statistics."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields, validate

from checklists import complaints as rules
from checklists.actors import ADMIN, ENGINEER, SUPERVISOR
from server.auth import current_actor
from server.extensions import get_store
from server.media import UPLOADS_KEY
from server.services import complaint_links, complaints
from sync.mutation_args import CreateTicket

from .blueprint import Blueprint
from .schemas.paging import PageArgs, page_schema

blp = Blueprint("complaints", __name__, url_prefix="/api/v1/complaints",
                description="Residents' complaints: deadlines, handling, callbacks, statistics. "
                            "Residents' names and phones only for the site's supervisors and "
                            "admins and the assignee.")
STATUSES = (rules.RECEIVED, rules.ASSIGNED, rules.RESOLVED, rules.CLOSED)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class ComplaintTicketOut(Schema):
    id = fields.String(required=True)
    status = fields.String(required=True)
    title = fields.String(allow_none=True)
    assignee = fields.String(allow_none=True)
    due_at = fields.String(allow_none=True)
    closed_at = fields.String(allow_none=True, metadata={"description": "null until closed"})


class FindingOut(Schema):
    result_id = fields.String(required=True)
    item = fields.String(required=True)
    via = fields.String(metadata={"description": "submit (the inspector) or review (a "
                                                 "supervisor)"})
    by = fields.String()
    at = fields.String()


class ComplaintOut(Schema):
    id = fields.String(required=True)
    v = fields.Integer()
    site_id = fields.String()
    unit = fields.String()
    channel = fields.String()
    category = fields.String()
    description = fields.String()
    photos = fields.List(fields.String())
    resident = fields.Dict(allow_none=True, metadata={
        "description": "name and phone; null unless you handle this complaint"})
    repair = fields.Boolean()
    received_at = fields.String()
    received_by = fields.String()
    status = fields.String(metadata={"description": " → ".join(STATUSES)})
    validity = fields.String(allow_none=True)
    severity = fields.String(allow_none=True)
    invalid_reason = fields.String()
    escalated = fields.Boolean()
    deadline_at = fields.String(allow_none=True)
    clock = fields.Dict(allow_none=True, metadata={
        "description": "deadline_at, seconds_left (negative: overdue), overdue"})
    assignee_user_id = fields.String(allow_none=True)
    resolved_at = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
    on_time = fields.Boolean(allow_none=True)
    callback_due_at = fields.String(allow_none=True)
    next_callback_on = fields.String(allow_none=True)
    five_clear = fields.Dict(metadata={"description": "五清楚一报告: step -> done, note, by, at"})
    callbacks = fields.List(fields.Dict())
    ticket_ids = fields.List(fields.String())
    tickets = fields.List(fields.Nested(ComplaintTicketOut), metadata={
        "description": "rectification tickets it opened, as they are now"})
    findings = fields.List(fields.Nested(FindingOut), metadata={
        "description": "failed inspection items this complaint caused"})
    history = fields.List(fields.Dict())


class FindingIn(Schema):
    result_id = fields.String(required=True, validate=validate.Length(1, 64))
    item = fields.String(required=True, validate=validate.Length(1, 100))


class ComplaintTicketIn(CreateTicket):
    """A ticket's fields; left out: title from the unit and category, the complaint's
    description, unit (as location), assignee and deadline (as due_at)."""

    title = fields.String(validate=validate.Length(min=1, max=200))

    class Meta:
        exclude = ("ticket_id", "site_id", "result_id", "item")


class ListArgs(PageArgs):
    site = fields.String(required=True, validate=validate.Length(1, 64))
    status = fields.String(validate=validate.OneOf(STATUSES))


class StatsArgs(Schema):
    site = fields.String(required=True, validate=validate.Length(1, 64))
    month = fields.String(required=True, validate=validate.Regexp(
        r"^\d{4}-(0[1-9]|1[0-2])$", error="Give the month as YYYY-MM."))


class StatsOut(Schema):
    month = fields.String()
    total = fields.Integer()
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    valid = fields.Integer()
    invalid = fields.Integer()
    valid_rate = fields.Float(allow_none=True)
    resolved = fields.Integer()
    on_time = fields.Integer()
    on_time_rate = fields.Float(allow_none=True)
    called_back = fields.Integer()
    satisfaction_mean = fields.Float(allow_none=True)
    satisfied_rate = fields.Float(allow_none=True)


class UnitsIn(Schema):
    units = fields.List(fields.String(validate=validate.Regexp(rules.model.UNIT_PATTERN)),
                        required=True, validate=validate.Length(max=20_000))


class ComplaintAlertOut(Schema):
    id = fields.String()
    complaint_id = fields.String()
    site_id = fields.String()
    severity = fields.String()
    category = fields.String()
    unit = fields.String()
    deadline_at = fields.String(allow_none=True)
    at = fields.String()


_NOT_FOUND = {"schema": ErrorSchema, "description": "No such complaint at a site you work at."}
_NO_SITE = {"schema": ErrorSchema, "description": "No such site."}


@blp.route("")
class Complaints(MethodView):
    @blp.auth_required()
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, page_schema(ComplaintOut, "ComplaintList"))
    def get(self, args):
        """The complaints of a site you work at, newest first, each with its clock."""
        return complaints.page_complaints(get_store(), current_actor(), args["site"], _now(),
                                          status=args.get("status"), cursor=args["cursor"],
                                          limit=args["limit"])

    @blp.auth_required(SUPERVISOR, ADMIN)
    @blp.arguments(rules.IntakeSchema)
    @blp.response(201, ComplaintOut)
    def post(self, data):
        """Take in a complaint (听清楚, 问清楚: the description as the resident told it)."""
        return complaints.intake(get_store(), current_actor(), data, _now())


@blp.route("/alerts")
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.response(200, ComplaintAlertOut(many=True))
def alerts():
    """Serious and major complaints raised to you, newest first."""
    return complaints.list_alerts(get_store(), current_actor())


@blp.route("/stats")
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.arguments(StatsArgs, location="query")
@blp.response(200, StatsOut)
def stats(args):
    """A month's statistics: by category, valid rate, on-time rate, satisfaction."""
    return complaints.monthly(get_store(), current_actor(), args["site"], args["month"])


@blp.route("/stats.csv")
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.arguments(StatsArgs, location="query")
@blp.response(200, {"type": "string"}, content_type="text/csv")
def stats_csv(args):
    """The month's statistics as CSV (UTF-8 with BOM, opens in Excel)."""
    data = complaints.monthly(get_store(), current_actor(), args["site"], args["month"])
    return Response(rules.stats_csv(data), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=complaints-{args['month']}.csv"})


@blp.route("/units/<site_id>", methods=["PUT"])
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.arguments(UnitsIn)
@blp.response(200, UnitsIn)
@blp.alt_response(404, **_NO_SITE)
def set_units(data, site_id):
    """Set a site's unit register; complaints and violations then name one of its units."""
    return complaints.set_units(get_store(), current_actor(), site_id, data["units"])


@blp.route("/units/<site_id>", methods=["GET"])
@blp.auth_required()
@blp.response(200, UnitsIn)
@blp.alt_response(404, **_NO_SITE)
def get_units(site_id):
    """A site's unit register (empty: none set, any well-formed unit label is taken)."""
    return complaints.get_units(get_store(), current_actor(), site_id)


@blp.route("/<complaint_id>")
@blp.auth_required()
@blp.response(200, ComplaintOut)
@blp.alt_response(404, **_NOT_FOUND)
def get_complaint(complaint_id):
    """One complaint with its clock."""
    return complaints.get_complaint(get_store(), current_actor(), complaint_id, _now())


@blp.route("/<complaint_id>/classify", methods=["POST"])
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.arguments(rules.ClassifySchema)
@blp.response(200, ComplaintOut)
@blp.alt_response(404, **_NOT_FOUND)
def classify(data, complaint_id):
    """Valid (2-day deadline) or invalid (closed, with what the resident was told); serious
    and major ones alert the site's managers."""
    return complaints.classify(get_store(), current_actor(), complaint_id, data, _now())


@blp.route("/<complaint_id>/assign", methods=["POST"])
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.arguments(rules.AssignSchema)
@blp.response(200, ComplaintOut)
@blp.alt_response(404, **_NOT_FOUND)
def assign(data, complaint_id):
    """Give a valid complaint to an engineer, supervisor or admin (it reaches their device)."""
    return complaints.assign(get_store(), current_actor(), complaint_id,
                             data["assignee_user_id"], _now())


@blp.route("/<complaint_id>/steps", methods=["POST"])
@blp.auth_required(ENGINEER, SUPERVISOR, ADMIN)
@blp.arguments(rules.StepSchema)
@blp.response(200, ComplaintOut)
@blp.alt_response(404, **_NOT_FOUND)
def record_step(data, complaint_id):
    """Record a step of 五清楚一报告 (assignee, supervisors, admins)."""
    return complaints.record_step(get_store(), current_actor(), complaint_id, data["step"],
                                  data["note"], _now())


@blp.route("/<complaint_id>/resolve", methods=["POST"])
@blp.auth_required(ENGINEER, SUPERVISOR, ADMIN)
@blp.arguments(rules.ResolveSchema)
@blp.response(200, ComplaintOut)
@blp.alt_response(404, **_NOT_FOUND)
def resolve(data, complaint_id):
    """Resolve an assigned complaint (on time when by its deadline)."""
    return complaints.resolve(get_store(), current_actor(), complaint_id, data["resolution"],
                              _now())


@blp.route("/<complaint_id>/callbacks", methods=["POST"])
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.arguments(rules.CallbackSchema)
@blp.response(201, ComplaintOut)
@blp.alt_response(404, **_NOT_FOUND)
def add_callback(data, complaint_id):
    """回访 after resolution; 'not resolved' reopens it with the next callback date."""
    return complaints.callback(get_store(), current_actor(), complaint_id, data, _now())


@blp.route("/<complaint_id>/tickets", methods=["POST"])
@blp.auth_required(ENGINEER, SUPERVISOR, ADMIN)
@blp.arguments(ComplaintTicketIn)
@blp.response(201, ComplaintOut)
@blp.alt_response(404, **_NOT_FOUND)
def open_ticket(data, complaint_id):
    """Open a rectification ticket for a valid complaint (its handlers); the ticket's source
    names the complaint and the complaint lists the ticket with its state."""
    return complaint_links.open_ticket(
        get_store(), current_actor(), complaint_id, data,
        current_app.extensions[UPLOADS_KEY].complete_among, _now())


@blp.route("/<complaint_id>/findings", methods=["POST"])
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.arguments(FindingIn)
@blp.response(201, ComplaintOut)
@blp.alt_response(404, **_NOT_FOUND)
def link_finding(data, complaint_id):
    """Link a result's failed item to this complaint (it caused the finding); the result
    shows the link too. An inspector links it in the submission (complaint_links)."""
    return complaint_links.link_finding(get_store(), current_actor(), complaint_id,
                                        data["result_id"], data["item"], _now())
