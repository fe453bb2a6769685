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
from server.accounts.access import require_site
from server.store.base import Reader
from sync.placement import RESULTS

from . import definitions
from .appeals import appeals_view
from .responsibility import responsibility_view
from .errors import NotFound


def get_result(reader: Reader, actor: Actor, result_id: str) -> dict[str, Any]:
    """One result the caller may see, its score explained (404 for other sites' results)."""
    record = reader.get(RESULTS, result_id)
    if record is None:
        raise NotFound(f"result {result_id!r} does not exist")
    doc = dict(record.doc)
    require_site(actor, doc["site_id"], hide=True)
    doc["score"] = explained_score(reader, doc)
    doc.update(appeals_view(reader, doc, actor))  # appeals and the score after them
    doc["deductions"] = responsibility_view(reader, doc)
    return doc


def explained_score(reader: Reader, doc: dict[str, Any]) -> dict[str, Any] | None:
    score = doc.get("score")
    if score is None or "explanation" in score:  # unscored, or stored already explained
        return score
    definition = definitions.definition_for_result(reader, doc["checklist"]["id"],
                                                   doc["checklist"]["version"])
    return checklists.explain_record(definition, doc["answers"], score)
