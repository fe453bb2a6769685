"""Rescoring: recompute the stored scores of a definition version after a rule fix.

Definitions never change once published, but the scoring engine may (a bug
fixed, an explanation improved: ``checklists.RULES_VERSION``). Rescoring
recomputes every result filled against one version with today's engine and
reports what moved. Answers are never touched -- they are the evidence --
only the derived ``score``; the score it replaces is kept in
``score_history`` and the result gets a new seq, so devices and reports see
the change through the normal sync.
"""
from __future__ import annotations

from datetime import datetime, timezone

import checklists
from checklists.workflow import reinspection
from server.repositories.results import ResultsRepository
from server.store import Store
from sync.placement import RESULTS

from . import definitions
from .sync_service import placed_put

BATCH = 100


def _summary(score: dict | None) -> dict | None:
    if not score:
        return None
    band = score.get("band")  # an id; older stored reports kept the band object
    return {**{k: score.get(k) for k in ("total", "max", "percent", "rules_version")},
            "band": band.get("id") if isinstance(band, dict) else band}


def rescore_version(store: Store, def_id: str, version: int, *, apply: bool,
                    by: str) -> list[dict]:
    """Rescore every result of ``def_id@version``; store new scores unless ``apply`` is False.

    Returns one ``ScoreChange.to_dict()`` per result whose score moved.
    Raises ``NotFound`` for an unknown version. Works a page at a time, each
    page re-read and written in one transaction, so a result amended
    meanwhile is rescored as it now is.
    """
    definition = definitions.definition_for_result(store, def_id, version)
    changes, after = [], ""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    while True:
        with store.transaction() as tx:
            ids = ResultsRepository(tx).ids_filled_with(def_id, version, after=after,
                                                        limit=BATCH)
            docs = {r.id: r.doc for r in tx.get_many(RESULTS, ids).values()}
            moved = checklists.rescore(definition, [
                {"id": d["id"], "answers": d["answers"], "score": d.get("score"),
                 "definition_id": d["checklist"]["id"],
                 "definition_version": d["checklist"]["version"]} for d in docs.values()])
            updated = {}
            for change in moved:
                doc = dict(docs[change.result_id])
                history = list(doc.get("score_history") or [])
                history.append({**(_summary(doc.get("score")) or {}), "replaced_at": now,
                                "replaced_by": by})
                doc.update(score=checklists.score_result(definition, doc["answers"]).to_record(),
                           score_history=history, v=doc["v"] + 1)
                updated[doc["id"]] = doc
            _follow_latest_rounds(tx, updated)
            ops = [placed_put(RESULTS, doc) for doc in updated.values()]
            if apply and ops:
                tx.commit(ops)
        changes += [c.to_dict() for c in moved]
        if len(ids) < BATCH:
            return changes
        after = ids[-1]


def _follow_latest_rounds(tx, updated: dict[str, dict]) -> None:
    """An original's score after rectification is its latest re-inspection's score:
    when that one was rescored, the original's ``rectification`` follows (in place)."""
    for doc in [d for d in updated.values() if d.get("reinspection")]:
        original_id = doc["reinspection"]["of"]
        original = updated.get(original_id) or tx.get_doc(RESULTS, original_id)
        rectification = (original or {}).get("rectification") or {}
        if rectification.get("latest") != doc["id"]:
            continue
        bump = 0 if original_id in updated else 1
        updated[original_id] = {**original, "v": original["v"] + bump,
                                "rectification": reinspection.rescored(rectification,
                                                                       doc["score"])}
