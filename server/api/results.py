"""Results as supervisors and inspectors read them: evidence plus the explained score."""
from __future__ import annotations

from flask_smorest.error_handler import ErrorSchema
from marshmallow import RAISE, Schema, fields, validate

from checklists.workflow.review import STATES as REVIEW_STATES
from server.auth import current_actor
from server.extensions import get_store
from server.repositories.results import MAX_LIMIT, SORTS
from server.services import result_queries, results, review
from sync.compiled_schema import CompiledSchema

from .blueprint import Blueprint
from .schemas.instants import DateOrDateTime
from .schemas.review import ReinspectionOut, RectificationOut, ReviewedOut, ReviewIn, ReviewOut
from .schemas.scoring import ScoreReportOut

blp = Blueprint("results", __name__, url_prefix="/api/v1/results",
                description="Submitted results: answers, photos and the score explained.")


class ResultOut(Schema):
    """A stored result (sync/results.py); the answers and photos exactly as the device sent them
    (a re-inspection: the answers in force after it; as sent in ``reinspection.rechecked``)."""

    id = fields.String(required=True)
    v = fields.Integer(required=True)
    site_id = fields.String(required=True)
    checklist = fields.Dict(required=True)
    assignment_id = fields.String(allow_none=True)
    answers = fields.Dict(required=True)
    score = fields.Nested(ScoreReportOut, allow_none=True)
    photos = fields.List(fields.Dict())
    gps = fields.Dict(allow_none=True)
    started_at = fields.String(allow_none=True)
    finished_at = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    supersedes = fields.String(allow_none=True)
    amend_reason = fields.String(allow_none=True)
    superseded_by = fields.List(fields.String())
    root_id = fields.String()
    needs_review = fields.Boolean()
    media = fields.String(metadata={"description": "complete once every cited photo arrived"})
    missing_photos = fields.List(fields.String())
    refused_photos = fields.Dict()
    submitted = fields.Dict(metadata={"description": "who, from which device, when (server and "
                                                    "device clocks)"})
    score_history = fields.List(fields.Dict())
    review = fields.Nested(ReviewOut, required=True)
    reinspection = fields.Nested(ReinspectionOut)
    rectification = fields.Nested(RectificationOut)
    appeals = fields.List(fields.Dict(), metadata={
        "description": "appeals filed on the result or its deductions, with their history"})
    score_after_appeals = fields.Dict(allow_none=True, metadata={
        "description": "the score with the deductions appeals adjusted (same form as score, "
                       "plus adjustments); null while no appeal adjusted one. The original "
                       "score is never overwritten"})
    complaint_links = fields.List(fields.Dict(), metadata={
        "description": "failed items found because of a complaint: item, complaint_id, via "
                       "(submit or review), by, at"})
    deductions = fields.List(fields.Dict(), metadata={
        "description": "each deduction with the person responsible for it (assigned by a "
                       "supervisor, else the site's project lead)"})


@blp.route("/<result_id>")
@blp.auth_required()
@blp.response(200, ResultOut)
@blp.alt_response(404, schema=ErrorSchema,
                  description="No such result, or not at a site you work at.")
def get_result(result_id):
    """One result, its score explained point by point."""
    return results.get_result(get_store(), current_actor(), result_id)


@blp.route("/<result_id>/review", methods=["POST"])
@blp.auth_required()
@blp.arguments(ReviewIn)
@blp.response(200, ReviewedOut)
@blp.alt_response(403, schema=ErrorSchema, description="Not a supervisor or admin, or you "
                                                       "inspected this result.")
@blp.alt_response(404, schema=ErrorSchema,
                  description="No such result, or not at a site you work at.")
@blp.alt_response(409, schema=ErrorSchema, description="`from` is not the current state or "
                  "the move is not allowed from it; `errors` has `current` and `allowed`.")
def review_result(move, result_id):
    """Move a result's review: submitted → approved | has_issues | rejected (reason
    required); has_issues → approved | rejected. Recorded in its append-only log."""
    move["from"] = move.pop("from_")
    return review.review_result(get_store(), current_actor(), result_id, move)


class ResultQueryArgs(Schema):
    """Filters of the results listing; unknown parameters are refused (422 naming them)."""

    site = fields.List(fields.String(validate=validate.Length(1, 64)), metadata={
        "description": "site id; repeat for several (default: every site you work at)"})
    definition = fields.String(validate=validate.Length(1, 200),
                               metadata={"description": "checklist id, or id@version"})
    inspector = fields.String(validate=validate.Length(1, 64),
                              metadata={"description": "user id of who submitted"})
    band = fields.List(fields.String(validate=validate.Length(1, 64)),
                       metadata={"description": "band id; repeat for several"})
    review_state = fields.String(validate=validate.OneOf(REVIEW_STATES))
    flagged = fields.Boolean(metadata={"description": "only results with (or without) a "
                                                      "failed or flagged answer"})
    from_ = DateOrDateTime(data_key="from", metadata={
        "description": "submitted at or after (ISO date or date-time; dates are UTC days)"})
    to = DateOrDateTime(metadata={"description": "submitted before (a date: through that day)"})


class ResultListArgs(ResultQueryArgs):
    sort = fields.String(load_default="-submitted_at", validate=validate.OneOf(SORTS))
    cursor = fields.String(validate=validate.Length(max=1024),
                           metadata={"description": "next_cursor of the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_LIMIT))
    count = fields.Boolean(load_default=False, metadata={"description": "also return total"})


class ResultRowOut(CompiledSchema):
    """A result as a list shows it: its query columns, no answers. Compiled: marshmallow
    spent ~2/3 of a 50-row page's CPU dumping the rows (``bench/scale.py``)."""

    id = fields.String(required=True)
    site_id = fields.String(required=True)
    definition_id = fields.String(required=True)
    definition_version = fields.Integer(required=True)
    submitted_at = fields.String(required=True, metadata={"description": "server receive time"})
    inspector = fields.String(required=True)
    score = fields.Float(allow_none=True)
    percent = fields.Float(allow_none=True)
    band = fields.String(allow_none=True)
    review_state = fields.String(required=True)
    flagged = fields.Boolean(required=True)
    media = fields.String(required=True)
    root_id = fields.String(required=True)


class ResultListOut(CompiledSchema):
    items = fields.List(fields.Nested(ResultRowOut), required=True)
    next_cursor = fields.String(required=True, allow_none=True)
    total = fields.Integer(metadata={"description": "with ?count=true: rows matching"})


class MonthOut(Schema):
    site_id = fields.String(required=True)
    month = fields.String(required=True, metadata={"description": "YYYY-MM (UTC)"})
    count = fields.Integer(required=True)
    scored = fields.Integer(required=True)
    mean_score = fields.Float(required=True, allow_none=True)
    bands = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class SummaryOut(Schema):
    months = fields.List(fields.Nested(MonthOut), required=True)


@blp.route("")
@blp.auth_required()
@blp.arguments(ResultListArgs, location="query", unknown=RAISE)
@blp.response(200, ResultListOut)
@blp.alt_response(403, schema=ErrorSchema, description="A site you do not work at.")
def list_results(args):
    """Results you may see, newest first: filter, sort and page with a keyset cursor."""
    return result_queries.list_results(get_store(), current_actor(), _renamed(args))


@blp.route("/summary")
@blp.auth_required()
@blp.arguments(ResultQueryArgs, location="query", unknown=RAISE)
@blp.response(200, SummaryOut)
@blp.alt_response(403, schema=ErrorSchema, description="A site you do not work at.")
def summarize_results(args):
    """Per site and month: count, mean score and results per band (trends)."""
    return result_queries.summarize_results(get_store(), current_actor(), _renamed(args))


def _renamed(args: dict) -> dict:
    args = dict(args)
    if "from_" in args:
        args["from"] = args.pop("from_")
    return args
