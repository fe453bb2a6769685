"""marshmallow schema of a definition's ticket rules (which answers open a ticket).

::

    "tickets": {"inspection_every": "P1M",
                "rules": [{"id": "safety", "when": "failed", "items": ["qm.safety.fire"],
                           "severity": "urgent", "due": "PT4H"},
                          {"id": "general", "when": "failed", "due": "P2D"},
                          {"id": "low-score", "when": "expr", "item": "qm.overall.state",
                           "expr": {"==": [{"var": "qm.overall.state"}, "fail"]},
                           "due": "before_next_inspection"}]}

A definition without ``tickets`` opens none (every older definition stays
valid). Item and section ids and the expression's reads are checked against
the definition (``ticket_rule_errors``), durations parsed here, so a rule
that cannot be applied is never published.
"""
from __future__ import annotations

from typing import Any

import isodate
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from checklists.expressions import expression_errors
from checklists.schema_parts import BilingualLabelSchema, IdField

BEFORE_NEXT_INSPECTION = "before_next_inspection"
WHEN = ("failed", "deducted", "expr")
SEVERITIES = ("low", "normal", "high", "urgent")


def duration_error(value: Any) -> str | None:
    """Why ``value`` is not a positive ISO 8601 duration (None: it is one)."""
    try:
        duration = isodate.parse_duration(value)
    except (isodate.ISO8601Error, TypeError, ValueError):
        return "not an ISO 8601 duration such as P2D or PT4H"
    if not str(duration).strip("0:, ") or str(duration).startswith("-"):
        return "must be longer than zero"
    return None


class TicketRuleSchema(Schema):
    id = IdField(required=True)
    when = fields.String(required=True, validate=validate.OneOf(WHEN))
    due = fields.String(required=True, metadata={
        "description": f"{BEFORE_NEXT_INSPECTION} or an ISO 8601 duration (P2D, PT4H)"})
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    items = fields.List(IdField(), validate=validate.Length(min=1))
    sections = fields.List(IdField(), validate=validate.Length(min=1))
    expr = fields.Raw(allow_none=False, metadata={"description": "JSON Logic (when: expr)"})
    item = IdField(metadata={"description": "when: expr -- the item the ticket is about"})
    responsible = IdField(metadata={"description": "user id of the default responsible person"})
    supervisor = IdField(metadata={"description": "user id of their direct supervisor"})
    title = fields.Nested(BilingualLabelSchema)

    @validates_schema(skip_on_field_errors=True)
    def _shape(self, data, **kwargs):
        errors: dict[str, list[str]] = {}
        if data["due"] != BEFORE_NEXT_INSPECTION and (problem := duration_error(data["due"])):
            errors["due"] = [problem]
        if data["when"] == "expr" and "expr" not in data:
            errors["expr"] = ["a rule with when: expr needs its expr"]
        if data["when"] != "expr":
            for key in ("expr", "item"):
                if key in data:
                    errors[key] = ["only for when: expr"]
        if errors:
            raise ValidationError(errors)


class TicketRulesSchema(Schema):
    inspection_every = fields.String(metadata={
        "description": "ISO 8601 duration to the next inspection (P1M for monthly checks)"})
    rules = fields.List(fields.Nested(TicketRuleSchema), required=True,
                        validate=validate.Length(min=1, max=50))

    @validates_schema(skip_on_field_errors=True)
    def _inspection_every(self, data, **kwargs):
        every = data.get("inspection_every")
        if every is not None and (problem := duration_error(every)):
            raise ValidationError({"inspection_every": [problem]})
        if every is None and any(r["due"] == BEFORE_NEXT_INSPECTION for r in data["rules"]):
            raise ValidationError({"inspection_every": [
                f"rules due {BEFORE_NEXT_INSPECTION} need inspection_every"]})


def ticket_rule_errors(data: dict[str, Any]) -> dict:
    """References of the ticket rules that do not hold, shaped like marshmallow's errors."""
    rules = (data.get("tickets") or {}).get("rules") if isinstance(data.get("tickets"),
                                                                   dict) else None
    sections = data.get("sections")
    if not isinstance(rules, list) or not isinstance(sections, list):
        return {}
    items = {i["id"]: i for s in sections if isinstance(s, dict)
             for i in _list(s.get("items")) if isinstance(i, dict) and _named(i)}
    section_ids = {s["id"] for s in sections if isinstance(s, dict) and _named(s)}
    errors: dict[int, dict[str, list[str]]] = {}
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        found: dict[str, list[str]] = {}
        # only well-typed references are looked up: the field schemas name the others
        unknown = [i for i in _list(rule.get("items")) if isinstance(i, str) and i not in items]
        if unknown:
            found["items"] = [f"unknown item {i!r}" for i in unknown]
        unknown = [s for s in _list(rule.get("sections"))
                   if isinstance(s, str) and s not in section_ids]
        if unknown:
            found["sections"] = [f"unknown section {s!r}" for s in unknown]
        if isinstance(rule.get("item"), str) and rule["item"] not in items:
            found["item"] = [f"unknown item {rule['item']!r}"]
        if "expr" in rule:
            problems = expression_errors(rule["expr"], items, set(items), None)
            if problems:
                found["expr"] = problems
        if found:
            errors[index] = found
    return {"tickets": {"rules": errors}} if errors else {}


def _list(value: Any) -> list:
    """``value`` if it is a list, else nothing (this runs on the raw, unvalidated input)."""
    return value if isinstance(value, list) else []


def _named(record: dict) -> bool:
    return isinstance(record.get("id"), str)
