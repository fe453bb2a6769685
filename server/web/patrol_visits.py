"""What a guard answered and photographed at each checkpoint of a round, in words.

A checkpoint's checklist is answered against the version the phone had
pulled; the round does not name it, so the newest published version gives
the labels. Answers it does not know (an item since removed, a checkpoint
without a checklist) are still shown, by their ids: field data is evidence.
"""
from __future__ import annotations

from typing import Any

from checklists.actors import Actor
from server.services import definitions
from server.services.errors import NotFound
from server.services.patrol import checkpoints

from .report import answer_sections


def _newest_definition(store, checklist_id: str | None) -> dict | None:
    if not checklist_id:
        return None
    try:
        return definitions.list_versions(store, checklist_id)[-1]["definition"]
    except NotFound:
        return None


def _raw_rows(answers: dict[str, Any], known: set[str]) -> list[dict]:
    """Answers no item of the checklist explains, as stored (shortened)."""
    rows = []
    for item_id, answer in answers.items():
        if item_id in known:
            continue
        value = answer.get("value") if isinstance(answer, dict) else answer
        rows.append({"id": item_id, "label": item_id, "answer": str(value)[:200],
                     "note": answer.get("note") if isinstance(answer, dict) else None})
    return rows


def round_visits(store, actor: Actor, round_doc: dict) -> list[dict]:
    """Per visited checkpoint, in route order: its name, when it was left, its answers
    (sections of rows as a result's report shows them, then unexplained ones) and its
    photos."""
    named = {c["checkpoint_id"]: c["name"] for c in round_doc["verdict"]["checkpoints"]}
    listed = {c["id"]: c for c in checkpoints.list_checkpoints(store, actor,
                                                               round_doc["site_id"])}
    visits = (round_doc.get("result") or {}).get("visits") or {}
    order = list(named) + [c for c in visits if c not in named]
    checklists: dict[str | None, dict | None] = {}  # checkpoints often share one
    out = []
    for checkpoint_id in order:
        visit = visits.get(checkpoint_id)
        if not isinstance(visit, dict):
            continue
        answers = visit.get("answers") if isinstance(visit.get("answers"), dict) else {}
        checklist_id = listed.get(checkpoint_id, {}).get("checklist_id")
        if checklist_id not in checklists:
            checklists[checklist_id] = _newest_definition(store, checklist_id)
        definition = checklists[checklist_id]
        sections = answer_sections(definition, answers, None) if definition else []
        known = {s["id"] for s in definition["sections"]} | {
            i["id"] for s in definition["sections"] for i in s["items"]} if definition else set()
        out.append({"checkpoint_id": checkpoint_id,
                    "name": named.get(checkpoint_id)
                    or listed.get(checkpoint_id, {}).get("name", checkpoint_id),
                    "done_at": visit.get("done_at"), "sections": sections,
                    "other": _raw_rows(answers, known),
                    "photos": [p["sha256"] for p in visit.get("photos") or ()
                               if isinstance(p, dict) and p.get("sha256")]})
    return out
