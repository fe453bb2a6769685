"""What a guard answered and photographed at each checkpoint of a round, in words.

A visit names the checklist version the phone rendered (``checklist_id`` and
``checklist_version``); its answers are labelled by exactly that version, as
the server judged them. Rounds of older apps name none: the checkpoint's
checklist at its newest version gives the labels, and the page says so (as it
does when the named version is not on this server). Answers the labelling
version does not know are still shown, by their ids: field data is evidence.
Each visit lists the verdict's lines about its answers (problems, an unknown
version, another checklist) in the page's words.
"""
from __future__ import annotations

from typing import Any

from checklists.actors import Actor
from server.services import definitions
from server.services.errors import NotFound
from server.services.patrol import checkpoints

from .report import answer_sections

#: verdict lines about a visit's answers (``checklists.patrol.visit_answers``)
ANSWER_LINES = frozenset({"answer_invalid", "answer_problems_more", "checklist_unknown",
                          "checklist_not_checkpoints"})
NAMED, NEWEST, NAMED_MISSING = "named", "newest", "named_missing"


class _Checklists:
    """Definition documents read once per page (checkpoints often share one)."""

    def __init__(self, store):
        self.store = store
        self.found: dict[tuple, dict | None] = {}

    def version(self, checklist_id: str, version: int) -> dict | None:
        key = (checklist_id, version)
        if key not in self.found:
            try:
                self.found[key] = definitions.get_version(self.store, *key)["definition"]
            except NotFound:
                self.found[key] = None
        return self.found[key]

    def newest(self, checklist_id: str | None) -> dict | None:
        if not checklist_id:
            return None
        key = (checklist_id, None)
        if key not in self.found:
            try:
                self.found[key] = definitions.list_versions(self.store, checklist_id)[-1][
                    "definition"]
            except NotFound:
                self.found[key] = None
        return self.found[key]

    def labelling(self, visit: dict, checkpoint_checklist: str | None) -> tuple[dict | None, dict]:
        """The definition labelling ``visit``'s answers and how it was chosen:
        ``{source: named|newest|named_missing, checklist_id, version, named_version}``."""
        named_id, named_version = visit.get("checklist_id"), visit.get("checklist_version")
        if isinstance(named_id, str) and type(named_version) is int:
            definition = self.version(named_id, named_version)
            if definition is not None:
                return definition, {"source": NAMED, "checklist_id": named_id,
                                    "version": named_version}
            newest = self.newest(named_id)
            return newest, {"source": NAMED_MISSING, "checklist_id": named_id,
                            "named_version": named_version,
                            "version": newest["version"] if newest else None}
        newest = self.newest(checkpoint_checklist)
        return newest, {"source": NEWEST, "checklist_id": checkpoint_checklist,
                        "version": newest["version"] if newest else None}


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
    """Per visited checkpoint, in route order: its name, when it was left, the checklist
    version labelling its answers (``checklist``), its answers (sections of rows as a
    result's report shows them, then unexplained ones), the verdict's lines about them
    (``problems``) and its photos. ``round_doc`` is the explained round (verdict lines)."""
    named = {c["checkpoint_id"]: c["name"] for c in round_doc["verdict"]["checkpoints"]}
    listed = {c["id"]: c for c in checkpoints.list_checkpoints(store, actor,
                                                               round_doc["site_id"])}
    visits = (round_doc.get("result") or {}).get("visits") or {}
    lines = round_doc["verdict"].get("lines") or ()
    order = list(named) + [c for c in visits if c not in named]
    checklists = _Checklists(store)
    out = []
    for checkpoint_id in order:
        visit = visits.get(checkpoint_id)
        if not isinstance(visit, dict):
            continue
        answers = visit.get("answers") if isinstance(visit.get("answers"), dict) else {}
        definition, chosen = checklists.labelling(
            visit, listed.get(checkpoint_id, {}).get("checklist_id"))
        sections = answer_sections(definition, answers, None) if definition else []
        known = {s["id"] for s in definition["sections"]} | {
            i["id"] for s in definition["sections"] for i in s["items"]} if definition else set()
        out.append({"checkpoint_id": checkpoint_id,
                    "name": named.get(checkpoint_id)
                    or listed.get(checkpoint_id, {}).get("name", checkpoint_id),
                    "done_at": visit.get("done_at"), "checklist": chosen,
                    "sections": sections, "other": _raw_rows(answers, known),
                    "problems": [ln for ln in lines if ln["checkpoint_id"] == checkpoint_id
                                 and ln["code"] in ANSWER_LINES],
                    "photos": [p["sha256"] for p in visit.get("photos") or ()
                               if isinstance(p, dict) and p.get("sha256")]})
    return out
