"""The explained score report, as the API shows it (checklists/report.py ``to_dict``)."""
from __future__ import annotations

from marshmallow import Schema, fields


class LabelOut(Schema):
    zh = fields.String(required=True)
    en = fields.String(allow_none=True)


class SentencesOut(Schema):
    """The same explanation in both languages, one sentence per line."""

    zh = fields.List(fields.String(), required=True)
    en = fields.List(fields.String(), required=True)


class SentenceOut(Schema):
    zh = fields.String(required=True)
    en = fields.String(required=True)


class BandOut(Schema):
    id = fields.String(required=True)
    label = fields.Nested(LabelOut, required=True)
    min = fields.Float(required=True, metadata={"description": "lowest total in the band"})


class FlagOut(Schema):
    """A failed or flagged answer: what a supervisor should look at."""

    item_id = fields.String(required=True)
    reason = fields.String(required=True)
    label = fields.Nested(LabelOut, required=True)
    value = fields.Raw(allow_none=True)


class ItemLineOut(Schema):
    """One item's points and the sentence saying why (``每缺一项扣1分: 缺2项 → −2``)."""

    item_id = fields.String(required=True)
    label = fields.Nested(LabelOut, required=True)
    status = fields.String(required=True)
    points = fields.Float(required=True)
    max = fields.Float(required=True)
    counted = fields.Boolean(required=True)
    explanation = fields.Nested(SentenceOut, required=True)


class SectionOut(Schema):
    section_id = fields.String(required=True)
    title = fields.Nested(LabelOut, required=True)
    status = fields.String(required=True, metadata={"description": "scored | na | hidden | "
                                                                   "unscored"})
    points = fields.Float(required=True)
    max = fields.Float(required=True)
    percent = fields.Float(allow_none=True)
    weight = fields.Float(allow_none=True)
    effective_weight = fields.Float(allow_none=True)
    lines = fields.List(fields.Nested(ItemLineOut), required=True)


class ScoreReportOut(Schema):
    """The score with a line per item saying why points were lost (checklists/report.py)."""

    definition_id = fields.String(required=True)
    definition_version = fields.Integer(required=True)
    rules_version = fields.String(required=True)
    total = fields.Float(required=True)
    max = fields.Float(required=True)
    percent = fields.Float(allow_none=True)
    band = fields.Nested(BandOut, allow_none=True)
    marks = fields.List(fields.Nested(BandOut), metadata={
        "description": "marks reached besides the band, e.g. the ≥96 team bonus"})
    veto = fields.Dict(allow_none=True, metadata={"description": "the veto item that capped "
                                                                 "the total, if any"})
    weighted = fields.Boolean()
    flags = fields.List(fields.Nested(FlagOut))
    explanation = fields.Nested(SentencesOut)
    sections = fields.List(fields.Nested(SectionOut), required=True)
