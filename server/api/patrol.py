"""Patrol set-up: a site's checkpoints, route versions, schedules, and QR label sheets.

Supervisors of the site and admins change them; everyone at the site reads
them (devices also pull them). Every edit of a route publishes its next
version; saving a schedule plans its rounds ahead at once.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema

from server.auth import current_actor
from server.extensions import get_store
from server.services.patrol import checkpoints, labels, routes, schedules

from .blueprint import Blueprint
from .schemas.patrol import (
    CheckpointIn, CheckpointOut, CheckpointPatchIn, RouteIn, RouteRecordOut, ScheduleIn, ScheduleRecordOut,
    VersionArgs, items_schema,
)

blp = Blueprint("patrol", __name__, url_prefix="/api/v1/patrol",
                description="Patrol set-up: checkpoints, routes, schedules, QR labels.")

CheckpointList = items_schema(CheckpointOut, "CheckpointList")
RouteList = items_schema(RouteRecordOut, "RouteList")
ScheduleList = items_schema(ScheduleRecordOut, "ScheduleList")
_NOT_FOUND = {"schema": ErrorSchema, "description": "No such record, or not at a site you work at."}
_INVALID = {"schema": ErrorSchema, "description": "Invalid: `errors` names each field."}
_TAKEN = {"schema": ErrorSchema, "description": "The id is taken (or, deleting, still in use)."}


def _now() -> datetime:
    return datetime.now(UTC)


def _plan_settings() -> dict:
    config = current_app.config
    return {"now": _now(), "horizon": timedelta(days=config["PATROL_HORIZON_DAYS"]),
            "default_timezone": config["DEFAULT_TIMEZONE"]}


@blp.route("/sites/<site_id>/checkpoints")
class Checkpoints(MethodView):
    @blp.auth_required()
    @blp.response(200, CheckpointList)
    @blp.alt_response(404, **_NOT_FOUND)
    def get(self, site_id):
        """The site's checkpoints by name."""
        return {"items": checkpoints.list_checkpoints(get_store(), current_actor(), site_id)}

    @blp.auth_required()
    @blp.arguments(CheckpointIn)
    @blp.response(201, CheckpointOut)
    @blp.alt_response(404, **_NOT_FOUND)
    @blp.alt_response(409, **_TAKEN)
    def post(self, body, site_id):
        """Add a checkpoint; its tag code (the QR/NFC payload) must be unused in the site."""
        return checkpoints.create_checkpoint(get_store(), current_actor(), site_id, body)


@blp.route("/sites/<site_id>/checkpoints/<checkpoint_id>")
class OneCheckpoint(MethodView):
    @blp.auth_required()
    @blp.response(200, CheckpointOut)
    @blp.alt_response(404, **_NOT_FOUND)
    def get(self, site_id, checkpoint_id):
        """One checkpoint."""
        return checkpoints.get_checkpoint(get_store(), current_actor(), site_id, checkpoint_id)

    @blp.auth_required()
    @blp.arguments(CheckpointPatchIn(partial=True))
    @blp.response(200, CheckpointOut)
    @blp.alt_response(404, **_NOT_FOUND)
    def patch(self, changes, site_id, checkpoint_id):
        """Change a checkpoint (name, tag, position, radius, checklist, photo required)."""
        changes.pop("id", None)
        return checkpoints.update_checkpoint(get_store(), current_actor(), site_id,
                                             checkpoint_id, changes)

    @blp.auth_required()
    @blp.response(204)
    @blp.alt_response(404, **_NOT_FOUND)
    @blp.alt_response(409, **_TAKEN)
    def delete(self, site_id, checkpoint_id):
        """Delete a checkpoint that no route's newest version visits."""
        checkpoints.delete_checkpoint(get_store(), current_actor(), site_id, checkpoint_id)


@blp.route("/sites/<site_id>/routes")
class Routes(MethodView):
    @blp.auth_required()
    @blp.response(200, RouteList)
    @blp.alt_response(404, **_NOT_FOUND)
    def get(self, site_id):
        """The newest version of each route of the site."""
        return {"items": routes.list_routes(get_store(), current_actor(), site_id)}

    @blp.auth_required()
    @blp.arguments(RouteIn)
    @blp.response(201, RouteRecordOut)
    @blp.alt_response(404, **_NOT_FOUND)
    @blp.alt_response(409, **_TAKEN)
    def post(self, body, site_id):
        """Publish a new route (version 1): the site's checkpoints in walking order."""
        return routes.publish_route(get_store(), current_actor(), body, site_id=site_id,
                                    at=_now().isoformat())


@blp.route("/routes/<route_id>")
class OneRoute(MethodView):
    @blp.auth_required()
    @blp.arguments(VersionArgs, location="query")
    @blp.response(200, RouteRecordOut)
    @blp.alt_response(404, **_NOT_FOUND)
    def get(self, args, route_id):
        """A route version (default: the newest)."""
        return routes.get_route(get_store(), current_actor(), route_id, args.get("version"))

    @blp.auth_required()
    @blp.arguments(RouteIn)
    @blp.response(200, RouteRecordOut)
    @blp.alt_response(404, **_NOT_FOUND)
    def put(self, body, route_id):
        """Publish the route's next version (rounds already planned keep theirs)."""
        body.pop("id", None)
        return routes.publish_route(get_store(), current_actor(), body, route_id=route_id,
                                    at=_now().isoformat())


@blp.route("/routes/<route_id>/labels.pdf")
@blp.auth_required()
@blp.arguments(VersionArgs, location="query")
@blp.response(200, description="An A4 PDF of QR labels, one per checkpoint.",
              content_type="application/pdf")
@blp.alt_response(404, **_NOT_FOUND)
def route_labels(args, route_id):
    """Print a route's tags: QR code, checkpoint name and code, in walking order."""
    pdf = labels.route_labels_pdf(get_store(), current_actor(), route_id, args.get("version"))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{route_id}-labels.pdf"'})


@blp.route("/sites/<site_id>/schedules")
class Schedules(MethodView):
    @blp.auth_required()
    @blp.response(200, ScheduleList)
    @blp.alt_response(404, **_NOT_FOUND)
    def get(self, site_id):
        """The site's schedules (current versions)."""
        return {"items": schedules.list_schedules(get_store(), current_actor(), site_id)}

    @blp.auth_required()
    @blp.arguments(ScheduleIn)
    @blp.response(201, ScheduleRecordOut)
    @blp.alt_response(404, **_NOT_FOUND)
    @blp.alt_response(409, **_TAKEN)
    def post(self, body, site_id):
        """Create a schedule (RFC 5545 rule on the site's clock) and plan its rounds ahead."""
        return schedules.save_schedule(get_store(), current_actor(), body, site_id=site_id,
                                       **_plan_settings())


@blp.route("/schedules/<schedule_id>")
class OneSchedule(MethodView):
    @blp.auth_required()
    @blp.response(200, ScheduleRecordOut)
    @blp.alt_response(404, **_NOT_FOUND)
    def get(self, schedule_id):
        """A schedule's current version."""
        return schedules.get_schedule(get_store(), current_actor(), schedule_id)

    @blp.auth_required()
    @blp.arguments(ScheduleIn)
    @blp.response(200, ScheduleRecordOut)
    @blp.alt_response(404, **_NOT_FOUND)
    def put(self, body, schedule_id):
        """Save the next version: future rounds without scans are re-planned, walked ones kept."""
        body.pop("id", None)
        return schedules.save_schedule(get_store(), current_actor(), body,
                                       schedule_id=schedule_id, **_plan_settings())

    @blp.auth_required()
    @blp.response(200, ScheduleRecordOut)
    @blp.alt_response(404, **_NOT_FOUND)
    def delete(self, schedule_id):
        """Deactivate: future rounds without a result are cancelled; walked ones stay."""
        return schedules.deactivate_schedule(get_store(), current_actor(), schedule_id,
                                             now=_now())
