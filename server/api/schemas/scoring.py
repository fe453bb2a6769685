"""The explained score report, as the API shows it (checklists/report.py ``to_dict``)."""
from __future__ import annotations

from marshmallow import Schema, fields


class ScoreReportOut(Schema):
    """The score with a line per item saying why points were lost (checklists/report.py)."""

    definition_id = fields.String(required=True)
    definition_version = fields.Integer(required=True)
    rules_version = fields.String(required=True)
    total = fields.Float(required=True)
    max = fields.Float(required=True)
    percent = fields.Float(allow_none=True)
    band = fields.Raw(allow_none=True)
    marks = fields.Raw()
    veto = fields.Raw(allow_none=True)
    weighted = fields.Raw()
    flags = fields.Raw()
    explanation = fields.Raw()
    sections = fields.List(fields.Dict(), required=True)
