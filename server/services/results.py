"""Reading stored results: access by site, and the score explained line by line.

A result stores its score as a record of numbers (``ScoreReport.to_record``)
so that a push stays cheap; whoever reads a result gets the sentences
rendered from that record, the definition version it was scored against
and its answers (``checklists.explain_record``), never a rescore.
"""
from __future__ import annotations

from typing import Any

import checklists
from checklists.actors import Actor
from server.services.accounts.access import require_site
from server.store import Store
from server.store.base import Reader
from sync.placement import RESULTS

from checklists.workflow.reinspection import numbers
from . import definitions
from .appeals import appeals_view
from .complaints import links_of_result
from .responsibility import responsibility_view
from .errors import NotFound
from .review import review_of


def get_result(reader: Reader, actor: Actor, result_id: str) -> dict[str, Any]:
    """One result the caller may see, its score explained (404 for other sites' results)."""
    record = reader.get(RESULTS, result_id)
    if record is None:
        raise NotFound(f"result {result_id!r} does not exist")
    doc = dict(record.doc)
    require_site(actor, doc["site_id"], hide=True)
    doc["score"] = explained_score(reader, doc)
    doc["review"] = review_of(doc)
    if doc.get("rectification"):
        doc["rectification"] = _explained_rectification(reader, doc)
    doc.update(appeals_view(reader, doc, actor))  # appeals and the score after them
    doc["deductions"] = responsibility_view(reader, doc)
    doc["complaint_links"] = links_of_result(reader, doc["id"])
    return doc


def _explained_rectification(reader: Reader, doc: dict[str, Any]) -> dict[str, Any]:
    """Both scores: at inspection (the stored one, never overwritten) and after
    rectification, explained from the answers in force after the latest round (kept on
    the latest re-inspection)."""
    out = {**doc["rectification"], "score_at_inspection": numbers(doc["score"])}
    latest = reader.get(RESULTS, out["latest"])
    answers = latest.doc["answers"] if latest is not None else doc["answers"]
    out["score_after"] = explained_score(reader, {**doc, "answers": answers,
                                                  "score": out["score_after"]})
    return out


def explained_score(reader: Reader, doc: dict[str, Any]) -> dict[str, Any] | None:
    score = doc.get("score")
    if score is None or "explanation" in score:  # unscored, or stored already explained
        return score
    definition = definitions.definition_for_result(reader, doc["checklist"]["id"],
                                                   doc["checklist"]["version"])
    return checklists.explain_record(definition, doc["answers"], score)


def result_with_definition(store: Store, actor: Actor, result_id: str
                           ) -> tuple[dict[str, Any], dict[str, Any]]:
    """A result and the definition version it was filled against, read in one snapshot."""
    with store.snapshot() as snap:
        doc = get_result(snap, actor, result_id)
        definition = definitions.get_version(snap, doc["checklist"]["id"],
                                             doc["checklist"]["version"])["definition"]
    return doc, definition
