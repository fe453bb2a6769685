"""plan_push is pure: a dict-backed loader is all it needs to plan a batch."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import orjson
import pytest

from sync import results
from checklists.actors import Actor
from sync.errors import ClientNotOwned, MutationGap
from sync.mutations import PushServices
from sync.push import plan_push
from sync.working_set import WorkingSet

GUARD = Actor("u1", "guard", {"s1"}, "d1")
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
SERVICES = PushServices(evaluate=lambda d, a: {"total": len(a)},
                        find_definition=lambda i, v: {"items": []},
                        complete_photos=lambda hashes: set())


def plan(state, mutations, actor=GUARD, next_seq=1):
    return plan_push(lambda c, i: state.get((c, i)), actor, "c1", mutations,
                     services=SERVICES, now=NOW, next_seq=next_seq)


def ticket(mid, tid="t1"):
    return {"id": mid, "name": "create_ticket", "client_ts": None,
            "args": {"ticket_id": tid, "site_id": "s1", "title": "x"}}


def test_plan_writes_effects_then_the_client_with_predicted_seqs():
    p = plan({}, [ticket(1), ticket(2, "t2")], next_seq=41)
    assert [(w.collection, w.id) for w in p.writes] == [
        ("tickets", "t1"), ("tickets", "t2"), ("clients", "c1")]
    client = p.writes[-1].doc
    assert client["last_mutation_id"] == 2
    assert [(r["id"], r["seq"]) for r in client["recent"]] == [(1, 41), (2, 42)]
    response = p.response([41, 42, 43])
    assert [a["seq"] for a in response["results"]] == [41, 42]
    assert response["write_checkpoint"] == 43


def test_writes_carry_the_text_their_storable_check_encoded_for_their_final_state():
    comment = {"id": 2, "name": "comment_ticket", "client_ts": None,
               "args": {"ticket_id": "t1", "comment_id": "k", "text": "hi"}}
    p = plan({}, [ticket(1), comment])
    ticket_write, client_write = p.writes
    assert ticket_write.doc["comments"] and ticket_write.text is not None
    assert orjson.loads(ticket_write.text) == ticket_write.doc  # the commented version
    assert client_write.text is None  # written after the checks: the store encodes it


def test_gap_and_foreign_client_raise_before_anything_is_planned():
    state = {("clients", "c1"): {"client_id": "c1", "user_id": "u1", "device_id": "d1",
                                 "last_mutation_id": 4, "recent": [],
                                 "clock_offset_ms": None}}
    with pytest.raises(MutationGap) as info:
        plan(state, [ticket(6)])
    assert info.value.expected == 5
    with pytest.raises(ClientNotOwned):
        plan(state, [ticket(5)], actor=Actor("u1", "guard", {"s1"}, "other-device"))


def test_all_duplicates_plan_no_write():
    state = {("clients", "c1"): {"client_id": "c1", "user_id": "u1", "device_id": "d1",
                                 "last_mutation_id": 2,
                                 "recent": [{"id": 2, "status": "applied", "seq": 9}],
                                 "clock_offset_ms": None}}
    p = plan(state, [ticket(1), ticket(2)])
    assert p.writes == []
    assert p.response(None)["results"] == [
        {"id": 1, "status": "duplicate"},
        {"id": 2, "status": "duplicate", "seq": 9, "original_status": "applied"}]


def test_a_rejected_mutation_is_kept_whole_and_consumes_its_id():
    p = plan({}, [ticket(1), {"id": 2, "name": "comment_ticket", "client_ts": None,
                              "args": {"ticket_id": "t1", "comment_id": "k", "text": ""}}])
    assert [(w.collection, w.id) for w in p.writes] == [
        ("tickets", "t1"), ("rejections", "c1#2"), ("clients", "c1")]
    assert p.writes[0].doc["comments"] == []
    assert p.writes[1].doc["mutation"]["args"]["text"] == ""
    assert p.writes[1].doc["code"] == "invalid_args" and p.last_mutation_id == 2


def test_working_set_rollback_undoes_a_mutations_puts():
    ws = WorkingSet(lambda c, i: {"id": i, "v": 0} if i == "old" else None)
    doc = {"id": "t", "site_id": "s1", "status": "open"}
    ws.put("results", "t", doc)
    mark = ws.savepoint()
    ws.put("results", "t", {**doc, "status": "done"})
    ws.put("results", "u", {**doc, "id": "u"})
    ws.rollback(mark)
    assert ws.changed() == [("results", "t", doc)]
    assert ws.get("results", "u") is None and ws.get("x", "old") == {"id": "old", "v": 0}


def test_working_set_rollback_restores_order_and_changed_since_names_each_record_once():
    ws = WorkingSet(lambda c, i: None)
    a, b = {"id": "a", "site_id": "s1"}, {"id": "b", "site_id": "s1"}
    ws.put("results", "a", a)
    ws.put("results", "b", b)
    mark = ws.savepoint()
    ws.put("results", "a", {**a, "n": 1})
    ws.put("results", "a", {**a, "n": 2})
    assert ws.changed_since(mark) == [("results", "a", {**a, "n": 2})]
    ws.rollback(mark)
    assert ws.changed() == [("results", "a", a), ("results", "b", b)]
    assert ws.changed_since(mark) == []


def test_content_hash_ignores_key_order():
    assert results.content_hash({"a": 1, "b": [1, 2]}) == \
        results.content_hash({"b": [1, 2], "a": 1})
    assert results.content_hash({"a": 1}) != results.content_hash({"a": 2})


def test_mark_photo_complete_only_changes_bookkeeping():
    doc = {"id": "r", "v": 1, "answers": {"q": 1}, "missing_photos": ["h1", "h2"],
           "media": "pending"}
    one = results.mark_photo_complete(doc, "h1")
    assert one["missing_photos"] == ["h2"] and one["media"] == "pending" and one["v"] == 2
    both = results.mark_photo_complete(one, "h2")
    assert both["media"] == "complete" and both["answers"] == doc["answers"]
    assert results.mark_photo_complete(both, "h2") is None
    assert doc["missing_photos"] == ["h1", "h2"]  # input untouched


def result(mid):
    return {"id": mid, "name": "submit_result", "client_ts": None, "args": {
        "result_id": f"r{mid}", "site_id": "s1", "checklist": {"id": "c", "version": 1},
        "answers": {"q": {"value": "pass"}}}}


def _deep(depth):
    value = 1
    for _ in range(depth):
        value = [value]
    return value


class StoreDown(Exception):
    pass


def plan_with(services, mutations):
    return plan_push(lambda c, i: None, GUARD, "c1", mutations, services=services, now=NOW,
                     next_seq=1)


def test_a_document_that_cannot_be_stored_rejects_only_its_mutation():
    """Defence behind validation: whatever makes an unstorable record is a rejection."""
    services = dataclasses.replace(SERVICES, evaluate=lambda d, a: {"total": _deep(300)})
    p = plan_with(services, [result(1), ticket(2)])
    assert [(w.collection, w.id) for w in p.writes] == [
        ("rejections", "c1#1"), ("tickets", "t1"), ("clients", "c1")]
    answer = p.response([1, 2, 3])["results"][0]
    assert answer["status"] == "rejected" and answer["error"]["code"] == "unstorable"


def test_a_failing_service_rejects_the_mutation_but_a_transient_one_stops_the_batch():
    def broken(hashes):
        raise KeyError("bug")
    services = dataclasses.replace(SERVICES, complete_photos=broken)
    with_photo = result(1)
    with_photo["args"]["photos"] = [{"sha256": "a" * 64}]
    p = plan_with(services, [with_photo])
    assert p.response([1, 2])["results"][0]["error"]["code"] == "unprocessable"

    def down(hashes):
        raise StoreDown()
    services = dataclasses.replace(SERVICES, complete_photos=down,
                                   transient_errors=(StoreDown,))
    with pytest.raises(StoreDown):
        plan_with(services, [with_photo])
