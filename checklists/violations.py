"""Residents' violations (seed 001 第二篇 業戶違章處理): the record, remedies, retention.

Ordinary vs major (4.2.7): a violation that harmed no resident's interests
and threatened no public safety is ordinary, any other is major. Remedies
(4.3): persuasion (勸導教育), rectification by a date (限期整改), compensation
(賠償經濟損失, with an amount finance collects at month end, 4.4.6), public
criticism (通報批評), a lawsuit (提起訴訟). Only managers may penalise
(4.4.7: 其他員工只能勸導、教育, 嚴禁越權處罰): anything beyond persuasion
needs a supervisor or admin. Records are kept 1 year, major ones 5 (4.5).
"""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Iterable
from zoneinfo import ZoneInfo

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from checklists.actors import Actor
from checklists.complaints.model import photo_list, unit_field

KINDS = ("renovation", "fire", "sanitation", "security", "fees", "harms_others")
SEVERITIES = ("ordinary", "major")
PERSUASION = "persuasion"
REMEDIES = (PERSUASION, "rectify", "compensation", "public_criticism", "lawsuit")
PENALTIES = frozenset(REMEDIES) - {PERSUASION}
RETENTION_YEARS = {"ordinary": 1, "major": 5}


class ViolationForbidden(PermissionError):
    """The actor may not record what was asked; the message names the field."""


class ViolationInvalid(ValueError):
    """A rule across fields is broken; ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict):
        super().__init__(str(errors))
        self.errors = errors


class ViolationSchema(Schema):
    class Meta:
        unknown = RAISE

    site_id = fields.String(required=True, validate=validate.Length(1, 64))
    unit = unit_field()
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    description = fields.String(required=True, validate=validate.Length(1, 8000))
    remedies = fields.List(fields.String(validate=validate.OneOf(REMEDIES)), required=True,
                           validate=validate.Length(1, len(REMEDIES)))
    # bounds are checked below: a Decimal Range would be documented as strings
    compensation_amount = fields.Decimal(load_default=None, allow_none=True, places=2,
                                         as_string=True, metadata={
                                             "description": "yuan (0.01 to 10 000 000); "
                                                            "with compensation"})
    rectify_by = fields.Date(load_default=None, allow_none=True,
                             metadata={"description": "the deadline of 限期整改"})
    photos = photo_list()

    @validates_schema
    def _remedy_details(self, data, **kwargs):
        remedies = set(data["remedies"])
        amount = data.get("compensation_amount")
        if amount is not None and not 0 < amount <= 10_000_000:
            raise ValidationError("Give an amount from 0.01 to 10 000 000 yuan.",
                                  "compensation_amount")
        if ("compensation" in remedies) != (data.get("compensation_amount") is not None):
            raise ValidationError("Give an amount exactly when the remedy is compensation.",
                                  "compensation_amount")
        if ("rectify" in remedies) != (data.get("rectify_by") is not None):
            raise ValidationError("Give a date exactly when the remedy is rectification.",
                                  "rectify_by")


def new_violation(violation_id: str, data: dict, actor: Actor, at: datetime,
                  tz: ZoneInfo) -> dict:
    """The violation record; :class:`ViolationForbidden` for a penalty by a non-manager,
    :class:`ViolationInvalid` for a deadline not after the day it was found."""
    penalties = sorted(PENALTIES & set(data["remedies"]))
    if penalties and not actor.supervises:
        raise ViolationForbidden(f"remedies: only a supervisor or admin may record a penalty "
                                 f"({', '.join(penalties)}); others persuade and educate")
    found = at.astimezone(tz).date()
    if data.get("rectify_by") is not None and data["rectify_by"] <= found:
        raise ViolationInvalid({"rectify_by": [f"The deadline must come after {found}."]})
    years = RETENTION_YEARS[data["severity"]]
    return {
        "type": "violation", "id": violation_id, "v": 1, **{
            k: data.get(k) for k in ("site_id", "unit", "kind", "severity", "description")},
        "remedies": list(dict.fromkeys(data["remedies"])),
        "compensation_amount": None if data.get("compensation_amount") is None
        else str(data["compensation_amount"]),
        "rectify_by": None if data.get("rectify_by") is None else data["rectify_by"].isoformat(),
        "photos": list(data.get("photos") or []),
        "recorded_at": at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "recorded_by": actor.user_id, "month": found.strftime("%Y-%m"),
        "retention": {"class": f"violation-{data['severity']}", "years": years,
                      "keep_until": _add_years(found, years).isoformat()},
    }


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


FINANCE_COLUMNS = ("id", "recorded_at", "unit", "kind", "severity", "remedies",
                   "compensation_amount", "rectify_by", "recorded_by")


def finance_csv(violations: Iterable[dict]) -> bytes:
    """The month-end copy for finance (4.4.6), UTF-8 with a BOM so Excel reads it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FINANCE_COLUMNS)
    for doc in violations:
        writer.writerow([";".join(doc[c]) if c == "remedies" else (doc[c] or "")
                         for c in FINANCE_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
