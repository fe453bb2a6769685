"""Admins validate and publish a checklist definition from the browser
(``/admin/definitions/new``): pasted JSON, or a ``.json`` or ``.xlsx`` file.

The same services as the API: ``definitions.validate`` / ``save_draft`` +
``publish`` for JSON, ``definition_sheets`` for a workbook. A refused
definition is shown as one line per problem -- its path
(``sections[2].items[5].deduction.max``, or sheet, row and column) and the
message -- and nothing is stored.
"""
from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField

from server.extensions import get_store
from server.services import definition_sheets, definitions
from server.services.errors import Invalid

from .pages import ADMINS, page, page_blueprint

bp = page_blueprint("web_definition_upload", __name__, url_prefix="/admin/definitions")
ACTIONS = ("validate", "publish")
ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip archive


class DefinitionUploadForm(FlaskForm):
    text = TextAreaField(_l("Definition (JSON)"))
    upload = FileField(_l("…or a file (.json or .xlsx)"))


def problem_lines(messages, path: str = "") -> list[tuple[str, str]]:
    """``Invalid.messages`` (path -> messages, nested for a workbook) as (path, message) lines."""
    if isinstance(messages, dict):
        return [line for key, value in messages.items()
                for line in problem_lines(value, f"{path} › {key}" if path else str(key))]
    if isinstance(messages, (list, tuple)):
        return [line for value in messages for line in problem_lines(value, path)]
    return [(path or "definition", str(messages))]


def _submitted(form: DefinitionUploadForm) -> tuple[dict | None, bytes | None]:
    """(a JSON body, or None and the bytes of a workbook) from the file, else the text."""
    upload = form.upload.data
    if upload is not None and upload.filename:
        data = upload.read()
        if data.startswith(ZIP_MAGIC):
            return None, data
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid({"file": ["Neither UTF-8 JSON text nor an .xlsx workbook."]}) from None
    else:
        text = form.text.data or ""
    if not text.strip():
        raise Invalid({"definition": ["Paste a definition or choose a file."]})
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid({"json": [f"Not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."]
                       }) from None
    if not isinstance(body, dict):
        raise Invalid({"json": ["A definition is a JSON object: { \"id\": ..., \"sections\": "
                                "[...] }."]})
    return body, None


def _checked(body: dict | None, workbook: bytes | None) -> dict:
    """The definition validated by its service (nothing stored)."""
    if workbook is not None:
        return definition_sheets.read_workbook(workbook)
    definitions.validate(_numbered(body))
    return body


def _numbered(body: dict) -> dict:
    """The body with a version if it has none: publishing numbers it (the next version)."""
    return {"version": 1, **body}


def _published(actor, body: dict | None, workbook: bytes | None) -> dict:
    store = get_store()
    if workbook is not None:
        return definition_sheets.import_workbook(store, workbook, by=actor.user_id, publish=True)
    if not isinstance(body.get("id"), str) or not body["id"]:
        raise Invalid({"id": ["Give the definition an id (it names every version)."]})
    definitions.validate(_numbered(body))  # before save_draft replaces an open draft
    definitions.save_draft(store, body["id"], body, by=actor.user_id)
    return definitions.publish(store, body["id"], by=actor.user_id)


def _page(form, *, problems=(), checked=None, status=200):
    return render_template("web/admin_definition_new.html", form=form, problems=problems,
                           checked=checked), status


@bp.get("/new")
@page(*ADMINS)
def new_definition(_actor):
    return _page(DefinitionUploadForm())


@bp.post("/new")
@page(*ADMINS)
def check_or_publish(actor):
    form = DefinitionUploadForm()
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in ACTIONS:
        lines = problem_lines(form.errors) or [("action", _("Press Validate or Publish."))]
        return _page(form, problems=lines, status=400)
    try:
        body, workbook = _submitted(form)
        if action == "validate":
            return _page(form, checked=_checked(body, workbook))
        doc = _published(actor, body, workbook)
    except Invalid as exc:
        return _page(form, problems=problem_lines(exc.messages), status=400)
    published = doc["definition"]
    flash(_("Version %(version)s of %(id)s published.", version=published["version"],
            id=published["id"]))
    return redirect(url_for("web_admin.definition", def_id=published["id"],
                            version=published["version"]))
