"""Push with the real checklist engine as the default evaluator."""
from __future__ import annotations

import checklists

from server.services import sync_service
from server.store.base import Put

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


def test_definitions_can_be_read_from_the_store_inside_the_push(store, uploads):
    """The push holds the store's (re-entrant) lock; a lookup through the store works."""
    doc_id = f"{DEFINITION['id']}@{DEFINITION['version']}"
    store.commit([Put("definitions", doc_id, DEFINITION, "defs")])

    def from_store(checklist_id, version):
        rec = store.get("definitions", f"{checklist_id}@{version}")
        return None if rec is None else rec.doc

    resp = sync_service.apply_push(store, GUARD, "c1", [submit(1, "r1", {})],
                                   find_definition=from_store, uploads=uploads)
    assert resp["results"][0]["error"]["code"] == "invalid_answers"
