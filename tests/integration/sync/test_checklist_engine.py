"""Push with the real checklist engine as the default evaluator."""
from __future__ import annotations

import checklists

from server.services import sync_service

from .helpers import GUARD, SITE_A

DEFINITION = checklists.builtin_definition("cs-supervision")


def find_definition(checklist_id, version):
    if (checklist_id, version) == (DEFINITION["id"], DEFINITION["version"]):
        return DEFINITION
    return None


def submit(mid, result_id, answers):
    return {"id": mid, "name": "submit_result", "client_ts": None, "args": {
        "result_id": result_id, "site_id": SITE_A, "answers": answers,
        "checklist": {"id": DEFINITION["id"], "version": DEFINITION["version"]}}}


def test_real_engine_scores_and_rejects(store, uploads):
    defn = checklists.load_definition(DEFINITION)
    good = {i.id: {"value": "pass"} for s in defn.sections for i in s.items}
    resp = sync_service.apply_push(store, GUARD, "c1", [
        submit(1, "r1", good), submit(2, "r2", {"bogus": {"value": "pass"}})],
        find_definition=find_definition, uploads=uploads)
    applied, rejected = resp["results"]
    assert applied["status"] == "applied"
    score = store.get("results", "r1").doc["score"]
    assert score["total"] == 100.0 and score["definition_id"] == "cs-supervision"
    assert rejected["error"]["code"] == "invalid_answers"
    assert rejected["error"]["errors"]["answers.bogus"] == ["unknown item"]
