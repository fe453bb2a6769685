"""Results as supervisors and inspectors read them: evidence plus the explained score."""
from __future__ import annotations

from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields

from server.auth import current_principal
from server.extensions import get_store
from server.services import results

from .blueprint import Blueprint
from .schemas.scoring import ScoreReportOut

blp = Blueprint("results", __name__, url_prefix="/api/v1/results",
                description="Submitted results: answers, photos and the score explained.")


class ResultOut(Schema):
    """A stored result (sync/results.py); the answers and photos exactly as the device sent them."""

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


@blp.route("/<result_id>")
@blp.auth_required()
@blp.response(200, ResultOut)
@blp.alt_response(404, schema=ErrorSchema,
                  description="No such result, or not at a site you work at.")
def get_result(result_id):
    """One result, its score explained point by point."""
    return results.get_result(get_store(), current_principal(), result_id)
