"""Checklist definitions as ``.xlsx`` workbooks: export a version, import a draft.

The workbook travels as the request or response body itself (its own media
type), not as JSON; a refused workbook is a 422 whose ``errors.body.workbook``
names every problem by sheet, row and column.
"""
from __future__ import annotations

from flask import Response, request
from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields

from checklists.actors import ADMIN
from server.auth import current_actor
from server.extensions import get_store
from server.services import definition_sheets
from server.services.definition_sheets import XLSX

from .blueprint import Blueprint
from .definitions import Stored
from .errors import error_body

blp = Blueprint("definition_sheets", __name__, url_prefix="/api/v1/definitions",
                description="Definitions as XLSForm-style spreadsheets.")


class ImportArgs(Schema):
    publish = fields.Boolean(load_default=False,
                             metadata={"description": "publish the imported draft at once"})


@blp.route("/<def_id>/versions/<int:version>/xlsx")
@blp.auth_required()
@blp.response(200, description="The version as an .xlsx workbook.",
              content_type=XLSX)
@blp.alt_response(404, schema=ErrorSchema, description="No such published version.")
def export_version(def_id, version):
    """Download a published version as a spreadsheet (survey, choices, settings, bands)."""
    data = definition_sheets.export_workbook(get_store(), def_id, version)
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{def_id}@{version}.xlsx"',
        "X-Content-Type-Options": "nosniff"})


@blp.route("/import", methods=["POST"])
@blp.auth_required(ADMIN)
@blp.arguments(ImportArgs, location="query")
@blp.doc(requestBody={"required": True, "content": {
    XLSX: {"schema": {"type": "string", "format": "binary"}}}})
@blp.response(201, Stored)
@blp.alt_response(400, schema=ErrorSchema, description="The request is malformed.")
@blp.alt_response(409, schema=ErrorSchema, description="That version is already published.")
@blp.alt_response(413, schema=ErrorSchema, description="The workbook is larger than the server "
                  "accepts.")
@blp.alt_response(415, schema=ErrorSchema, description=f"Send the workbook as {XLSX}.")
def import_workbook(args):
    """Save an .xlsx workbook as its definition's draft (and publish it with ?publish=true)."""
    if request.mimetype != XLSX:
        return error_body(415, f"send the workbook as {XLSX}"), 415
    return definition_sheets.import_workbook(
        get_store(), request.get_data(), by=current_actor().username,
        publish=args["publish"])
