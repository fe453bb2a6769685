"""A site's composite score for a month over the plan's rubrics (seed 002)."""
from __future__ import annotations

from flask import current_app
from flask_smorest.error_handler import ErrorSchema
from marshmallow import RAISE, Schema, fields, validate

from server.auth import current_actor
from server.extensions import get_store
from server.services import composite

from .blueprint import Blueprint

blp = Blueprint("composite", __name__, url_prefix="/api/v1/sites",
                description="Composite scores: several rubrics by declared weights, with the "
                            "bands and the team-bonus mark on the composite.")


class CompositeArgs(Schema):
    month = fields.String(required=True, validate=validate.Length(1, 7),
                          metadata={"example": "2026-11"})
    plan = fields.String(load_default=composite.DEFAULT_PLAN, validate=validate.Length(1, 100),
                         metadata={"description": "composite plan id"})


class CompositeOut(Schema):
    site_id = fields.String(required=True)
    month = fields.String(required=True)
    plan_id = fields.String(required=True)
    percent = fields.Float(required=True, allow_none=True)
    band = fields.Dict(required=True, allow_none=True)
    marks = fields.List(fields.Dict(), required=True)
    complete = fields.Boolean(required=True, metadata={
        "description": "false when a block had no scored result this month"})
    blocks = fields.List(fields.Dict(), required=True)
    explanation = fields.Dict(required=True, metadata={"description": "zh and en lines"})


@blp.route("/<site_id>/composite")
@blp.auth_required()
@blp.arguments(CompositeArgs, location="query", unknown=RAISE)
@blp.response(200, CompositeOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such site, or not one you work at.")
def site_composite(args, site_id):
    """The month's composite: each block's latest result weighted as the plan declares."""
    return composite.site_composite(get_store(), current_actor(), site_id, month=args["month"],
                                    plan_id=args["plan"],
                                    default_zone=current_app.config["DEFAULT_TIMEZONE"])
