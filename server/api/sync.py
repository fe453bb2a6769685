"""Sync protocol v1 over HTTP: push mutations exactly once, pull bucket changes.

The protocol lives in ``sync`` and ``server.services.sync_service``; these
views only authenticate the device, parse the envelope and map protocol
errors to their status (409 for a mutation gap with the id to send next, 403
for a client id owned by another device, 426 for a pull by an app older than
the server serves, 503 when the commit was not made durable -- then nothing
was acknowledged).

``GET /sync/info`` is public: the protocol version, the schema window, the
limits and the epoch are the same for everyone and reveal nothing about any
user's data, and an app must be able to learn that it is too old before it
can log in.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from flask import current_app
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields, validate

from checklists.actors import ADMIN, Actor
from server.auth import current_actor
from server.extensions import get_store
from server.services import definitions, sync_service
from server.services.errors import Forbidden, NotFound
from server.services.tombstones import RETENTION_DAYS, collect_tombstones
from sync import schemas
from checklists.actors import Actor
from sync.errors import SyncError

from .blueprint import Blueprint
from .errors import error_body

blp = Blueprint("sync", __name__, url_prefix="/api/v1/sync",
                description="Offline sync: exactly-once push, state-based pull (DESIGN §3).")


class ProtocolErrorSchema(ErrorSchema):
    """The usual error body plus the protocol's own code and hints."""

    error = fields.String(metadata={"description": "machine-readable reason"})
    expected = fields.Integer(metadata={"description": "mutation_gap: the id to send next"})
    offset = fields.Integer(metadata={"description": "upload errors: the current offset"})
    min = fields.Integer(metadata={"description": "upgrade_required: the oldest data "
                                                  "schema the server serves"})


def protocol_error(status: int, error) -> tuple[dict, int]:
    """A protocol error (``to_dict()`` gives ``error``, ``message``, hints) as a response."""
    details = error.to_dict()
    return {**error_body(status, details.pop("message")), **details}, status


_FORBIDDEN = ("A web session (sync needs a device token), or `client_not_owned`: the "
              "client_id was first used by another device.")


@blp.app_errorhandler(SyncError)
def _sync_error(error: SyncError):
    return protocol_error(error.status, error)


def device_actor(actor: Actor) -> Actor:
    """The syncing device; a web session cannot sync (it has no install to be exactly-once for)."""
    if actor.device_id is None:
        raise Forbidden("sync needs a device token (POST /api/v1/auth/device-login)")
    return actor


def find_definition(def_id: str, version: int) -> dict | None:
    try:
        return definitions.get_version(get_store(), def_id, version)["definition"]
    except NotFound:
        return None


@blp.route("/info")
class Info(MethodView):
    @blp.response(200, schemas.SyncInfoSchema)
    def get(self):
        """Protocol version, data schema window, limits and the server's epoch (public)."""
        return schemas.protocol_info(epoch=get_store().epoch(),
                                     photo_max_bytes=current_app.config["PHOTO_MAX_BYTES"])


@blp.route("/push")
class Push(MethodView):
    @blp.auth_required()
    @blp.arguments(schemas.PushRequestSchema)
    @blp.response(200, schemas.PushResponseSchema)
    @blp.alt_response(403, schema=ProtocolErrorSchema, description=_FORBIDDEN)
    @blp.alt_response(409, schema=ProtocolErrorSchema,
                      description="mutation_gap: `expected` is the id to send next; "
                                  "nothing was applied.")
    @blp.alt_response(503, schema=ErrorSchema, description="The commit was not durable; "
                      "nothing was acknowledged. Retry after `Retry-After` seconds.",
                      headers={"Retry-After": {"required": True, "schema": {"type": "integer"}}})
    def post(self, body):
        """Apply a batch of mutations exactly once; answers only after the commit is durable."""
        return sync_service.apply_push(
            get_store(), device_actor(current_actor()), body["client_id"],
            body["mutations"], find_definition=find_definition,
            uploads=current_app.extensions["fieldsync.uploads"], sent_at=body.get("sent_at"))


@blp.route("/pull")
class Pull(MethodView):
    @blp.auth_required()
    @blp.arguments(schemas.PullRequestSchema)
    @blp.response(200, schemas.PullResponseSchema)
    @blp.alt_response(403, schema=ProtocolErrorSchema, description=_FORBIDDEN)
    @blp.alt_response(426, schema=ProtocolErrorSchema,
                      description="upgrade_required: the app's `schema_version` is below "
                                  "the server's minimum (`min`); upgrade the app. Its "
                                  "pushes are still accepted.")
    def post(self, body):
        """Changes of the device's buckets since its cursors, a page at a time."""
        return sync_service.build_pull(get_store(), device_actor(current_actor()),
                                       body["client_id"], body["cursors"], body["limit"],
                                       schema_version=body["schema_version"],
                                       epoch=body.get("epoch"), stored_json=True)


class GcArgs(Schema):
    retention_days = fields.Integer(load_default=RETENTION_DAYS,
                                    validate=validate.Range(min=1, max=3650))
    dry_run = fields.Boolean(load_default=False)


class GcReportOut(Schema):
    horizon = fields.Integer(required=True)
    previous_horizon = fields.Integer(required=True)
    purged = fields.Integer(required=True, metadata={"description": "with dry_run: would be"})
    age_bound = fields.Integer(required=True)
    active_clients = fields.Integer(required=True)
    clients_to_reset = fields.Integer(required=True)
    dry_run = fields.Boolean(required=True)


@blp.route("/gc", methods=["POST"])
@blp.auth_required(ADMIN)
@blp.arguments(GcArgs, location="query")
@blp.response(200, GcReportOut)
def gc(args):
    """Purge tombstones every active device has pulled (admins; run daily, e.g. from cron).

    The same job as ``fieldsync gc``, without stopping the server.
    """
    report = collect_tombstones(get_store(), datetime.now(timezone.utc),
                                args["retention_days"], dry_run=args["dry_run"])
    return dataclasses.asdict(report)
