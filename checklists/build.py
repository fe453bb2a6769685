"""Build the immutable model from data ``DefinitionSchema`` has accepted.

Type-specific defaults are filled here (and only here), so ``to_dict()`` of a
built definition states every rule explicitly: a checklist read back from the
store never depends on what the defaults were when it was written.
"""
from __future__ import annotations

from typing import Any

from checklists.expressions import Expression
from checklists.model import (
    DEFAULT_MAX_PHOTOS, DEFAULT_TEXT_LENGTH, AllOf, AnyOf, Band, Condition, Constraint, Criterion,
    Deduction, Definition, Evidence, ExprCondition, Item, Label, Not, Option, Range, Repeat,
    Scoring, Section, Source, TicketRule, TicketRules, Veto,
)


def build_definition(data: dict[str, Any]) -> Definition:
    """Turn validated, deserialized definition data into a :class:`Definition`."""
    return Definition(
        id=data["id"],
        version=data["version"],
        kind=data["kind"],
        title=_label(data["title"]),
        description=_label(data.get("description")),
        source=Source(**data["source"]) if data.get("source") else None,
        scoring=_scoring(data.get("scoring") or {}),
        sections=tuple(_section(s) for s in data["sections"]),
        tickets=_tickets(data.get("tickets")),
    )


def _tickets(data: dict | None) -> TicketRules | None:
    if not data:
        return None
    return TicketRules(
        rules=tuple(TicketRule(
            id=r["id"], when=r["when"], due=r["due"], severity=r.get("severity", "normal"),
            items=tuple(r["items"]) if r.get("items") else None,
            sections=tuple(r["sections"]) if r.get("sections") else None,
            expr=Expression(r["expr"]) if "expr" in r else None, item=r.get("item"),
            responsible=r.get("responsible"), supervisor=r.get("supervisor"),
            title=_label(r.get("title"))) for r in data["rules"]),
        inspection_every=data.get("inspection_every"))


def _label(data: dict | None) -> Label | None:
    return Label(zh=data["zh"], en=data["en"]) if data else None


def _range(data: dict | None) -> Range | None:
    return Range(min=data.get("min"), max=data.get("max")) if data else None


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _condition(data: dict | None):
    if not data:
        return None
    if "all" in data:
        return AllOf(tuple(_condition(c) for c in data["all"]))
    if "any" in data:
        return AnyOf(tuple(_condition(c) for c in data["any"]))
    if "not" in data:
        return Not(_condition(data["not"]))
    if "expr" in data:
        return ExprCondition(Expression(data["expr"]))
    return Condition(
        item=data["item"],
        equals=_freeze(data.get("equals")),
        values=_freeze(data["in"]) if "in" in data else None,
        range=_range(data.get("range")),
    )


def _band(data: dict) -> Band:
    return Band(id=data["id"], label=_label(data["label"]), min=data["min"])


def _scoring(data: dict) -> Scoring:
    return Scoring(
        unanswered=data.get("unanswered", "zero"),
        scale=data.get("scale", 100.0),
        bands=tuple(sorted((_band(b) for b in data.get("bands", ())), key=lambda b: b.min)),
        marks=tuple(sorted((_band(b) for b in data.get("marks", ())), key=lambda b: b.min)),
        weight_in_overall=data.get("weight_in_overall"),
        na=data.get("na"),
        note=data.get("note"),
    )


def _section(data: dict) -> Section:
    return Section(
        id=data["id"],
        title=_label(data["title"]),
        items=tuple(_item(i) for i in data["items"]),
        weight=data.get("weight"),
        show_if=_condition(data.get("show_if")),
        required_if=_condition(data.get("required_if")),
        repeat=Repeat(min=data["repeat"]["min"], max=data["repeat"]["max"],
                      label=_label(data["repeat"]["label"]), scoring=data["repeat"]["scoring"])
        if data.get("repeat") else None,
        note=data.get("note"),
    )


def _item(data: dict) -> Item:
    item_type = data["type"]
    deduction = data.get("deduction")
    return Item(
        id=data["id"],
        type=item_type,
        label=_label(data["label"]),
        help=_label(data.get("help")),
        required=data.get("required", False),
        allow_na=data.get("allow_na", False),
        weight=_weight(item_type, data, deduction),
        points=data.get("points"),
        deduction=Deduction(min=deduction["min"], max=deduction["max"],
                            label=_label(deduction.get("label"))) if deduction else None,
        criteria=tuple(Criterion(id=c["id"], label=_label(c["label"]))
                       for c in data["criteria"]) if data.get("criteria") else None,
        options=tuple(Option(id=o["id"], label=_label(o["label"]), score=o.get("score", 0.0),
                             flag=o.get("flag", False), exclusive=o.get("exclusive"))
                      for o in data["options"]) if item_type == "choice" else None,
        multiple=data.get("multiple", False) if item_type == "choice" else None,
        unit=data.get("unit"),
        thresholds=_range(data.get("thresholds")),
        limits=_range(data.get("limits")),
        min_count=data.get("min_count", 0) if item_type == "photo" else None,
        max_count=data.get("max_count", DEFAULT_MAX_PHOTOS) if item_type == "photo" else None,
        tag=data.get("tag"),
        max_length=data.get("max_length", DEFAULT_TEXT_LENGTH) if item_type == "text" else None,
        evidence=Evidence(**data["evidence"]) if data.get("evidence") else None,
        veto=Veto(effect=data["veto"]["effect"], cap_percent=data["veto"].get("cap_percent"))
        if data.get("veto") else None,
        show_if=_condition(data.get("show_if")),
        required_if=_condition(data.get("required_if")),
        constraint=Constraint(rule=Expression(data["constraint"]["rule"]),
                              message=_label(data["constraint"]["message"]))
        if data.get("constraint") else None,
        calculation=Expression(data["calculation"]) if "calculation" in data else None,
        note=data.get("note"),
    )


def _weight(item_type: str, data: dict, deduction: dict | None) -> float | None:
    """Checks and choices score 1 x response by default; readings only when weighted."""
    if deduction:
        return None
    if "weight" in data:
        return float(data["weight"])
    return 1.0 if item_type in ("check", "choice") else None
