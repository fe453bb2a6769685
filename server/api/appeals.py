"""Appeals of a result or one deduction, and the decisions up the chain (seed 000 §4.6)."""
from __future__ import annotations

from flask import current_app
from flask_smorest.error_handler import ErrorSchema
from marshmallow import RAISE, Schema, fields, validate

from checklists.workflow import appeals as rules
from server.services.accounts.records import utc_now
from server.auth import current_actor
from server.extensions import get_store
from server.services import appeals
from server.services.workflow_settings import appeal_rules

from .blueprint import Blueprint
from .schemas.paging import PageArgs, page_schema

blp = Blueprint("appeals", __name__, url_prefix="/api/v1/appeals",
                description="Appeals: filed by the responsible person, decided level by level "
                            "(project lead, project department, general manager).")

_KEY = validate.Length(1, 200)


class AppealIn(Schema):
    result_id = fields.String(required=True, validate=validate.Length(1, 200))
    deduction = fields.String(load_default=None, validate=_KEY, metadata={
        "description": "the deduction's key (item id, '#n' for a repeated instance); "
                       "leave out to appeal the whole result"})
    reason = fields.String(required=True, validate=validate.Length(1, rules.REASON_MAX))
    retaliation = fields.Boolean(load_default=False, metadata={
        "description": "a complaint of retaliation: goes straight to the general manager"})


class DecisionIn(Schema):
    move = fields.String(required=True, validate=validate.OneOf(rules.MOVES), metadata={
        "description": "uphold | adjust | escalate (the level holding the appeal); "
                       "appeal_further (the appellant, after a decision or a missed deadline)"})
    level = fields.String(load_default=None, validate=validate.OneOf(rules.LEVELS), metadata={
        "description": "the level you saw the appeal at; if it moved on, 409"})
    points = fields.Float(load_default=None, validate=validate.Range(0, 1e6), metadata={
        "description": "adjust: the deduction's new points"})
    deduction = fields.String(load_default=None, validate=_KEY, metadata={
        "description": "adjust on a whole-result appeal: which deduction"})
    explanation = fields.String(load_default="", validate=validate.Length(max=2000))


class AppealOut(Schema):
    id = fields.String(required=True)
    result_id = fields.String(required=True)
    site_id = fields.String(required=True)
    deduction = fields.String(required=True, allow_none=True)
    appellant_id = fields.String(required=True)
    reason = fields.String(required=True)
    retaliation = fields.Boolean(required=True)
    filed_at = fields.String(required=True)
    file_deadline = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(rules.LEVELS))
    level_since = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "open | upheld | adjusted"})
    decided_at = fields.String(required=True, allow_none=True)
    v = fields.Integer(required=True)
    history = fields.List(fields.Dict(), required=True)
    deadline = fields.String(required=True, allow_none=True, metadata={
        "description": "until when the next step may happen (null: the general manager's)"})
    allowed = fields.List(fields.String(), required=True, metadata={
        "description": "the moves you may make now"})


_STALE = dict(schema=ErrorSchema, description="The appeal is no longer in the state the move "
              "needs; errors.allowed lists the moves allowed now.")


class AppealListArgs(PageArgs):
    site = fields.String(load_default=None, validate=validate.Length(1, 64),
                         metadata={"description": "the appeals of a site you work at"})
    result = fields.String(load_default=None, validate=validate.Length(1, 200),
                           metadata={"description": "the appeals of one result"})


AppealPage = page_schema(AppealOut, "AppealPage")


@blp.route("")
@blp.auth_required()
@blp.arguments(AppealListArgs, location="query", unknown=RAISE)
@blp.response(200, AppealPage)
@blp.alt_response(404, schema=ErrorSchema, description="No such result at your sites.")
def list_appeals(args):
    """Appeals newest first, with what you may do on each: of a site, of a result, or
    (neither given) the ones you filed."""
    return appeals.list_appeals(get_store(), current_actor(), site_id=args["site"],
                                result_id=args["result"], cursor=args["cursor"],
                                limit=args["limit"], settings=appeal_rules(current_app.config),
                                at=utc_now())


@blp.route("", methods=["POST"])
@blp.auth_required()
@blp.arguments(AppealIn)
@blp.response(201, AppealOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such result at your sites.")
@blp.alt_response(409, **_STALE)
def file_appeal(data):
    """Appeal a result or one of its deductions (the responsible person, before the deadline)."""
    return appeals.file_appeal(get_store(), current_actor(), data["result_id"],
                               deduction=data["deduction"], reason=data["reason"],
                               retaliation=data["retaliation"],
                               settings=appeal_rules(current_app.config), at=utc_now())


@blp.route("/<appeal_id>")
@blp.auth_required()
@blp.response(200, AppealOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such appeal you may see.")
def get_appeal(appeal_id):
    """One appeal: its level, status, history and what you may do next."""
    return appeals.get_appeal(get_store(), current_actor(), appeal_id,
                              settings=appeal_rules(current_app.config), at=utc_now())


@blp.route("/<appeal_id>/decision", methods=["POST"])
@blp.auth_required()
@blp.arguments(DecisionIn)
@blp.response(200, AppealOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such appeal you may see.")
@blp.alt_response(409, **_STALE)
def decide(data, appeal_id):
    """Decide at the appeal's level (uphold / adjust / escalate), or appeal further."""
    return appeals.decide(get_store(), current_actor(), appeal_id, data["move"],
                          settings=appeal_rules(current_app.config), at=utc_now(),
                          expected_level=data["level"], points=data["points"],
                          deduction=data["deduction"], explanation=data["explanation"])
