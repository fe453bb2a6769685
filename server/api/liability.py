"""Who answers for deductions: per-deduction responsibility and the monthly summary."""
from __future__ import annotations

from flask import Response, current_app
from flask_smorest.error_handler import ErrorSchema
from marshmallow import RAISE, Schema, fields, validate

from server.services.accounts.records import utc_now
from server.auth import current_actor
from server.extensions import get_store
from server.services import liability, responsibility
from server.services.workflow_settings import liability_split

from .blueprint import Blueprint

blp = Blueprint("liability", __name__, url_prefix="/api/v1",
                description="Deductions attributed to people; the monthly liability summary "
                            "(70/30 split, sanctions, joint liability).")
CSV = "text/csv"


class AssignmentIn(Schema):
    deduction = fields.String(required=True, validate=validate.Length(1, 200))
    user_id = fields.String(required=True, validate=validate.Length(1, 64))


class ResponsibilityIn(Schema):
    assignments = fields.List(fields.Nested(AssignmentIn), required=True,
                              validate=validate.Length(1, 500))


class DeductionOut(Schema):
    deduction = fields.String(required=True)
    item_id = fields.String(required=True)
    instance = fields.Integer(required=True, allow_none=True)
    points = fields.Float(required=True)
    person_id = fields.String(required=True, allow_none=True)
    source = fields.String(required=True, metadata={"description": "assigned | lead"})


class ResponsibilityOut(Schema):
    deductions = fields.List(fields.Nested(DeductionOut), required=True)


@blp.route("/results/<result_id>/responsibility", methods=["PUT"])
@blp.auth_required()
@blp.arguments(ResponsibilityIn)
@blp.response(200, ResponsibilityOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such result at your sites.")
def set_responsibility(data, result_id):
    """Name who answers for deductions of a result (supervisors of its site; the others
    stay with whoever had them, by default the site's project lead)."""
    return {"deductions": responsibility.assign(get_store(), current_actor(), result_id,
                                                data["assignments"], at=utc_now())}


class LiabilitySummaryArgs(Schema):
    month = fields.String(required=True, validate=validate.Length(1, 7),
                          metadata={"example": "2026-11"})
    site = fields.List(fields.String(validate=validate.Length(1, 64)), metadata={
        "description": "site id; repeat for several (default: every site you may see)"})
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")),
                           metadata={"description": "csv: UTF-8 with a BOM, for Excel"})


class LiablePersonOut(Schema):
    person_id = fields.String(required=True, allow_none=True)
    username = fields.String(required=True, allow_none=True)
    display_name = fields.String(required=True)
    reports_to = fields.String(required=True, allow_none=True)
    deductions = fields.Integer(required=True)
    points_lost = fields.Float(required=True)
    own_share = fields.Float(required=True)
    supervisor_share = fields.Float(required=True)
    total = fields.Float(required=True)
    sanction = fields.Boolean(required=True)
    joint_liability_items = fields.List(fields.String(), required=True)
    evidence = fields.List(fields.Dict(), required=True)


class LiabilityDepartmentOut(Schema):
    department = fields.String(required=True)
    people = fields.List(fields.Nested(LiablePersonOut), required=True)


class LiabilitySummaryOut(Schema):
    month = fields.String(required=True)
    due_by = fields.String(required=True, metadata={"description": "the 28th of the month"})
    site_ids = fields.List(fields.String(), required=True)
    split = fields.Dict(required=True)
    departments = fields.List(fields.Nested(LiabilityDepartmentOut), required=True)
    sanctions = fields.List(fields.Dict(), required=True)
    joint_liability = fields.List(fields.Dict(), required=True)


@blp.route("/liability/summary")
@blp.auth_required()
@blp.arguments(LiabilitySummaryArgs, location="query", unknown=RAISE)
@blp.response(200, LiabilitySummaryOut)
@blp.doc(responses={"200": {"description": "The summary (format=csv: as CSV, UTF-8 with BOM)",
                            "content": {"application/json": {"schema": LiabilitySummaryOut},
                                        CSV: {"schema": {"type": "string"}}}}})
def summary(args):
    """The month's deductions by department and person: shares, sanctions (≥3 deductions)
    and joint liability (the same item ≥3 times under one supervisor)."""
    body = liability.monthly_summary(
        get_store(), current_actor(), month=args["month"], site_ids=args.get("site") or [],
        split=liability_split(current_app.config),
        default_zone=current_app.config["DEFAULT_TIMEZONE"])
    if args["format"] == "csv":
        return Response(liability.summary_csv(body), mimetype=CSV, content_type=f"{CSV}; "
                        "charset=utf-8", headers={
                            "Content-Disposition": f'attachment; filename="liability-'
                                                   f'{body["month"]}.csv"'})
    return body
