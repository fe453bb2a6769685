"""Maintenance tasks (seed 004 annual plan): cycles, teams, due and overdue per site."""
from __future__ import annotations

from datetime import datetime, timezone

from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields, validate

from checklists.actors import ADMIN, ENGINEER, SUPERVISOR
from checklists.maintenance import MODES
from server.auth import current_actor
from server.extensions import get_store
from server.services import maintenance

from .blueprint import Blueprint

blp = Blueprint("maintenance", __name__, url_prefix="/api/v1/maintenance",
                description="Maintenance tasks from the annual maintenance plan.")


class TaskOut(Schema):
    id = fields.String(required=True)
    site_id = fields.String()
    item_id = fields.String()
    name = fields.String()
    team = fields.String(allow_none=True)
    frequency = fields.String()
    mode = fields.String()
    rainy_season = fields.Boolean()
    fire = fields.Boolean(metadata={"description": "100 % intact needed to complete"})
    first_due = fields.String()
    completions = fields.List(fields.Dict())
    state = fields.Dict(allow_none=True, metadata={
        "description": "due_on, window_opens, days_left, overdue (null: set the site's "
                       "rainy-season start)"})


class CreateIn(Schema):
    site_id = fields.String(required=True, validate=validate.Length(1, 64))
    first_due = fields.Date(required=True)
    mode = fields.String(load_default="fixed", validate=validate.OneOf(MODES))


class RainyIn(Schema):
    rainy_season_start = fields.String(required=True, metadata={"example": "05-01"})


class CompleteIn(Schema):
    done_on = fields.Date(required=True)
    intact_rate = fields.Float(load_default=None, allow_none=True,
                               validate=validate.Range(0, 100))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class ListArgs(Schema):
    site = fields.String(required=True, validate=validate.Length(1, 64))
    overdue = fields.Boolean()


@blp.route("/tasks")
class Tasks(MethodView):
    @blp.auth_required()
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, TaskOut(many=True))
    def get(self, args):
        """A site's tasks by due date (``overdue=true``: the supervisor's list)."""
        return maintenance.list_tasks(get_store(), current_actor(), args["site"],
                                      datetime.now(timezone.utc), overdue=args.get("overdue"))

    @blp.auth_required(SUPERVISOR, ADMIN)
    @blp.arguments(CreateIn)
    @blp.response(201, TaskOut(many=True))
    def post(self, data):
        """Create the site's tasks from the built-in plan (again: only the missing ones)."""
        return maintenance.create_tasks(get_store(), current_actor(), data["site_id"],
                                        data["first_due"], data["mode"])


@blp.route("/tasks/<task_id>/complete", methods=["POST"])
@blp.auth_required(ENGINEER, SUPERVISOR, ADMIN)
@blp.arguments(CompleteIn)
@blp.response(200, TaskOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such task at your sites.")
def complete(data, task_id):
    """Record a completion (fire equipment: with its intact rate; only 100 % completes)."""
    return maintenance.complete_task(get_store(), current_actor(), task_id, data)


@blp.route("/sites/<site_id>", methods=["PUT"])
@blp.auth_required(SUPERVISOR, ADMIN)
@blp.arguments(RainyIn)
@blp.response(200, RainyIn)
def set_rainy_season(data, site_id):
    """Set when the site's rainy season starts (MM-DD)."""
    return maintenance.set_rainy_season(get_store(), current_actor(), site_id,
                                        data["rainy_season_start"])
