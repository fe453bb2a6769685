"""Residents' violations (seed 001 第二篇): the record, remedies, month-end copy for finance."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Response
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields, validate

from checklists import violations as rules
from checklists.actors import ADMIN, SUPERVISOR
from server.auth import current_actor
from server.extensions import get_store
from server.services import violations

from .blueprint import Blueprint
from .schemas.paging import PageArgs, page_schema

blp = Blueprint("violations", __name__, url_prefix="/api/v1/violations",
                description="Residents' violations: anyone at the site records one and "
                            "persuades; only supervisors and admins record a penalty.")
_MONTH = validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="Give the month as YYYY-MM.")


class ViolationOut(Schema):
    id = fields.String(required=True)
    site_id = fields.String()
    unit = fields.String()
    kind = fields.String()
    severity = fields.String()
    description = fields.String()
    remedies = fields.List(fields.String())
    compensation_amount = fields.String(allow_none=True)
    rectify_by = fields.String(allow_none=True)
    photos = fields.List(fields.String())
    recorded_at = fields.String()
    recorded_by = fields.String()
    month = fields.String()
    retention = fields.Dict(metadata={"description": "class, years, keep_until"})


class ListArgs(PageArgs):
    site = fields.String(required=True, validate=validate.Length(1, 64))
    month = fields.String(validate=_MONTH)


class FinanceArgs(Schema):
    site = fields.String(required=True, validate=validate.Length(1, 64))
    month = fields.String(required=True, validate=_MONTH)


@blp.route("")
class Violations(MethodView):
    @blp.auth_required()
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, page_schema(ViolationOut, "ViolationList"))
    def get(self, args):
        """A site's violations (of one month: the site's clock), newest first."""
        return violations.page_violations(get_store(), current_actor(), args["site"],
                                          args.get("month"), cursor=args["cursor"],
                                          limit=args["limit"])

    @blp.auth_required()
    @blp.arguments(rules.ViolationSchema)
    @blp.response(201, ViolationOut)
    def post(self, data):
        """Record a violation; remedies beyond persuasion need a supervisor or admin."""
        return violations.record(get_store(), current_actor(), data, datetime.now(timezone.utc))


@blp.route("/finance.csv")
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.arguments(FinanceArgs, location="query")
@blp.response(200, {"type": "string"}, content_type="text/csv")
def finance(args):
    """The month-end copy of the violation records for finance (CSV, UTF-8 with BOM)."""
    data = violations.finance_copy(get_store(), current_actor(), args["site"], args["month"])
    return Response(data, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=violations-{args['month']}.csv"})


@blp.route("/<violation_id>")
@blp.auth_required()
@blp.response(200, ViolationOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such violation at your sites.")
def get_violation(violation_id):
    """One violation record."""
    return violations.get_violation(get_store(), current_actor(), violation_id)
