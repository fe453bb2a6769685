"""Tickets a submitted result opens by its definition's rules (``Definition.tickets``).

``tickets_for_result`` is pure: from the definition, the answers and the
stored score record it gives the ``create_ticket`` arguments of every ticket
the result opens. Ids derive from the result id and the item (and the
repeat instance), so a re-sent push, or a rescore, never opens a second
ticket for one finding. The first rule that matches an answer applies, so a
definition lists its safety rule (due in hours) before its general one.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Mapping

import isodate

from checklists.expressions import truthy
from checklists.model import Definition, TicketRule
from checklists.schema_tickets import BEFORE_NEXT_INSPECTION

MAX_ID = 100
MAX_TITLE = 200


def ticket_id_for(result_id: str, about: str, instance: int | None = None) -> str:
    """The deterministic id of the ticket ``result_id`` opens about an item (or rule)."""
    ticket_id = f"{result_id}:{about}" + ("" if instance is None else f":{instance}")
    if len(ticket_id) <= MAX_ID:
        return ticket_id
    return "t-" + hashlib.sha256(ticket_id.encode()).hexdigest()[:40]


def next_inspection(definition: Definition, submitted_at: datetime) -> datetime | None:
    rules = definition.tickets
    if rules is None or rules.inspection_every is None:
        return None
    return submitted_at + isodate.parse_duration(rules.inspection_every)


def _due(rule: TicketRule, submitted_at: datetime, inspection: datetime | None) -> datetime:
    if rule.due == BEFORE_NEXT_INSPECTION:
        return inspection  # the schema requires inspection_every for such rules
    return submitted_at + isodate.parse_duration(rule.due)


def _findings(score_record: Mapping[str, Any]) -> dict[str, list]:
    """(item id, instance) per kind of finding, in the order the score lists them."""
    failed = [(f["item_id"], f.get("instance"), f["reason"]) for f in score_record["flags"]]
    deducted = [(ln["item_id"], ln.get("instance"), "deducted")
                for s in score_record["sections"] for ln in s["lines"]
                if ln["status"] == "scored" and ln["points"] < ln["max"]]
    return {"failed": failed, "deducted": deducted}


def finding_items(score_record: Mapping[str, Any]) -> set[str]:
    """The items a scored result found wanting: failed or flagged, or points lost."""
    return {item for kind in _findings(score_record).values() for item, _, _ in kind}


def _applies(rule: TicketRule, definition: Definition, item_id: str) -> bool:
    if rule.items is not None and item_id not in rule.items:
        return False
    return rule.sections is None or definition.section_of[item_id].id in rule.sections


def _answer(answers: Mapping[str, Any], definition: Definition, item_id: str,
            instance: int | None) -> tuple[dict, str | None]:
    """The answer behind a finding, and the repeat instance's label (a room, a unit)."""
    if instance is None:
        return answers.get(item_id) or {}, None
    section_id = definition.section_of[item_id].id
    entries = answers.get(section_id) or []
    entry = entries[instance] if instance < len(entries) else {}
    return (entry.get("answers") or {}).get(item_id) or {}, entry.get("label")


def _photos(answer: Mapping[str, Any]) -> list[str]:
    found = list(answer.get("photos") or [])
    for defect in answer.get("defects") or []:
        found.extend(defect.get("photos") or [])
    return list(dict.fromkeys(h for h in found if isinstance(h, str)))


def _location(answer: Mapping[str, Any], unit: str | None) -> str | None:
    places = [d.get("location") for d in answer.get("defects") or [] if d.get("location")]
    parts = [p for p in (unit, *dict.fromkeys(places)) if p]
    return " / ".join(parts)[:200] if parts else None


def tickets_for_result(definition: Definition, answers: Mapping[str, Any],
                       score_record: Mapping[str, Any] | None, *, result_id: str,
                       site_id: str, submitted_at: datetime) -> list[dict]:
    """``create_ticket`` arguments of the tickets this result opens (maybe none)."""
    rules = definition.tickets
    if rules is None or score_record is None:
        return []
    inspection = next_inspection(definition, submitted_at)
    findings = _findings(score_record)
    opened: dict[str, dict] = {}
    for rule in rules.rules:
        if rule.when == "expr":
            values = {k: (v or {}).get("value") for k, v in answers.items()
                      if isinstance(v, dict)}
            if truthy(rule.expr.evaluate(values)):
                ticket_id = ticket_id_for(result_id, rule.item or rule.id)
                opened.setdefault(ticket_id, _args(
                    definition, answers, rule, ticket_id, rule.item, None, "expr", site_id,
                    result_id, submitted_at, inspection))
            continue
        for item_id, instance, reason in findings[rule.when]:
            ticket_id = ticket_id_for(result_id, item_id, instance)
            if ticket_id not in opened and _applies(rule, definition, item_id):
                opened[ticket_id] = _args(definition, answers, rule, ticket_id, item_id,
                                          instance, reason, site_id, result_id, submitted_at,
                                          inspection)
    return list(opened.values())


def _args(definition: Definition, answers, rule: TicketRule, ticket_id: str,
          item_id: str | None, instance: int | None, reason: str, site_id: str,
          result_id: str, submitted_at: datetime, inspection: datetime | None) -> dict:
    answer, unit = _answer(answers, definition, item_id, instance) if item_id else ({}, None)
    label = rule.title or (definition.items_by_id[item_id].label if item_id else None)
    title = (label.zh if label else rule.id) + (f" ({unit})" if unit else "")
    args = {
        "ticket_id": ticket_id, "site_id": site_id, "title": title[:MAX_TITLE],
        "description": answer.get("note"), "priority": rule.severity,
        "due_at": _due(rule, submitted_at, inspection).isoformat(),
        "next_inspection_at": inspection.isoformat() if inspection else None,
        "result_id": result_id, "item": item_id, "photos": _photos(answer),
        "location": _location(answer, unit), "responsible": rule.responsible,
        "direct_supervisor": rule.supervisor,
    }
    source = {"rule": rule.id, "reason": reason, "definition": definition.ref}
    if instance is not None:
        source["instance"] = instance
    return {"args": {k: v for k, v in args.items() if v is not None}, "source": source}
