"""Checklist definitions: admins draft, validate, publish and retire; everyone reads.

Definition bodies are validated by ``checklists`` itself rather than by
webargs, so a 422 lists *every* error with its flat path
(``sections[2].items[5].deduction.max``) -- the same paths the validate
endpoint and the CLI show. The OpenAPI document still describes the body
with ``checklists.DefinitionSchema``.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema
from marshmallow import INCLUDE, Schema, ValidationError, fields, validates_schema

import checklists
from checklists.actors import ADMIN
from server.auth import current_actor
from server.extensions import get_store
from server.services import definitions, rescoring

from .blueprint import Blueprint
from .schemas.paging import PageArgs, page_body, page_schema
from .schemas.scoring import ScoreReportOut

blp = Blueprint("definitions", __name__, url_prefix="/api/v1/definitions",
                description="Checklist definitions: versioned, immutable once published.")


class DefinitionBody(Schema):
    """Any JSON object; ``checklists.load_definition`` does the real validation."""

    class Meta:
        unknown = INCLUDE

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError("Send the definition as a JSON object.")


DOC_BODY = {"requestBody": {"content": {"application/json": {
    "schema": checklists.DefinitionSchema}}}}


class Stored(Schema):
    """A stored definition version with its lifecycle status."""

    definition = fields.Nested(checklists.DefinitionSchema, required=True)
    status = fields.String(required=True, metadata={"enum": ["draft", "published", "retired"]})
    published_at = fields.String()
    published_by = fields.String()
    retired_at = fields.String()
    retired_by = fields.String()
    updated_at = fields.String()
    updated_by = fields.String()


class ValidationReport(Schema):
    valid = fields.Boolean(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         required=True, metadata={"description": "path → messages"})


StoredPage = page_schema(Stored, "DefinitionPage")
INVALID = {"schema": ErrorSchema, "description": "The definition is invalid; `errors.json` "
           "maps each path (e.g. `sections[2].items[5].deduction.max`) to its messages."}


@blp.route("")
class Definitions(MethodView):
    @blp.auth_required()
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, StoredPage)
    def get(self, args):
        """List published and retired versions (devices pull them through sync too)."""
        return page_body(definitions.list_published(get_store(), **args))


@blp.route("/drafts")
@blp.auth_required(ADMIN)
@blp.arguments(PageArgs, location="query")
@blp.response(200, StoredPage)
def list_drafts(args):
    """List open drafts."""
    return page_body(definitions.list_drafts(get_store(), **args))


@blp.route("/validate", methods=["POST"])
@blp.auth_required(ADMIN)
@blp.arguments(DefinitionBody)
@blp.doc(**DOC_BODY)
@blp.response(200, ValidationReport)
@blp.alt_response(422, **INVALID)
def validate(body):
    """Check a definition without storing it: 422 lists every error with its path."""
    return definitions.validate(body)


@blp.route("/<def_id>/draft")
class Draft(MethodView):
    @blp.auth_required(ADMIN)
    @blp.response(200, Stored)
    @blp.alt_response(404, schema=ErrorSchema, description="No draft of this definition.")
    def get(self, def_id):
        """The open draft of a definition."""
        return definitions.get_draft(get_store(), def_id)

    @blp.auth_required(ADMIN)
    @blp.arguments(DefinitionBody)
    @blp.doc(**DOC_BODY)
    @blp.response(200, Stored)
    @blp.alt_response(422, **INVALID)
    def put(self, body, def_id):
        """Create or replace the draft; it becomes the next version when published."""
        return definitions.save_draft(get_store(), def_id, body,
                                      by=current_actor().user_id)


@blp.route("/<def_id>/publish", methods=["POST"])
@blp.auth_required(ADMIN)
@blp.response(200, Stored)
@blp.alt_response(404, schema=ErrorSchema, description="No draft to publish.")
@blp.alt_response(409, schema=ErrorSchema, description="That version is already published.")
def publish(def_id):
    """Publish the draft: the version is frozen for ever and synced to devices."""
    return definitions.publish(get_store(), def_id, by=current_actor().user_id)


@blp.route("/<def_id>/versions")
@blp.auth_required()
@blp.response(200, Stored(many=True))
@blp.alt_response(404, schema=ErrorSchema, description="No published definition of that id.")
def list_versions(def_id):
    """Every published or retired version of a definition, oldest first."""
    return definitions.list_versions(get_store(), def_id)


@blp.route("/<def_id>/versions/<int:version>")
@blp.auth_required()
@blp.response(200, Stored)
@blp.alt_response(404, schema=ErrorSchema, description="No such version.")
def get_version(def_id, version):
    """One version, exactly as results filled against it are scored."""
    return definitions.get_version(get_store(), def_id, version)


class AnswersBody(Schema):
    answers = fields.Dict(keys=fields.String(), required=True, metadata={
        "description": "item id → answer (see checklists/answers.py)"})


@blp.route("/<def_id>/versions/<int:version>/score", methods=["POST"])
@blp.auth_required()
@blp.arguments(AnswersBody)
@blp.response(200, ScoreReportOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such version.")
def score(body, def_id, version):
    """Validate and score answers without storing them (what a device previews offline)."""
    return definitions.preview(get_store(), def_id, version, body["answers"])


class RescoreArgs(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "report what would change without storing it"})


class ScoreChangeOut(Schema):
    result_id = fields.String(required=True)
    old_total = fields.Float(allow_none=True)
    new_total = fields.Float(required=True)
    old_max = fields.Float(allow_none=True)
    new_max = fields.Float(required=True)
    old_percent = fields.Float(allow_none=True)
    new_percent = fields.Float(allow_none=True)
    old_band = fields.String(allow_none=True)
    new_band = fields.String(allow_none=True)
    old_rules_version = fields.String(allow_none=True)
    new_rules_version = fields.String(required=True)


@blp.route("/<def_id>/versions/<int:version>/rescore", methods=["POST"])
@blp.auth_required(ADMIN)
@blp.arguments(RescoreArgs, location="query")
@blp.response(200, ScoreChangeOut(many=True))
@blp.alt_response(404, schema=ErrorSchema, description="No such version.")
def rescore(args, def_id, version):
    """Recompute every result of this version with today's scoring rules; list what moved."""
    return rescoring.rescore_version(get_store(), def_id, version, apply=not args["dry_run"],
                                     by=current_actor().user_id)


@blp.route("/<def_id>/versions/<int:version>/retire", methods=["POST"])
@blp.auth_required(ADMIN)
@blp.response(200, Stored)
@blp.alt_response(404, schema=ErrorSchema, description="No such version.")
@blp.alt_response(409, schema=ErrorSchema, description="Already retired.")
def retire(def_id, version):
    """Retire a version: no new work against it, its results stay valid."""
    return definitions.retire(get_store(), def_id, version, by=current_actor().user_id)
