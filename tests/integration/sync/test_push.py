"""Push on the real store (SQLite): exactly-once, gaps, rejections, ownership, durability."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from server.store.base import StoreUnavailable
from sync.errors import ClientNotOwned, MutationGap

from .locked_database import held_write_lock
from .helpers import (ENGINEER, GUARD, NOW, SITE_A, SITE_X, SUPERVISOR, evaluate, mutation,
                      push, submit)


def result_ids(store):
    return sorted(r.id for r in store.scan("results"))


def test_submit_is_applied_with_score_and_seq(store, uploads):
    resp = push(store, uploads, GUARD, "c1",
                [submit(1, "r1", answers={"q1": "pass", "q2": "fail"})])
    assert resp["last_mutation_id"] == 1
    [answer] = resp["results"]
    assert answer["status"] == "applied"
    rec = store.get("results", "r1")
    assert answer["seq"] == rec.seq == resp["write_checkpoint"] - 1  # the client record is last
    assert rec.doc["score"] == {"total": 1, "max": 2}
    assert rec.doc["submitted"]["device_ts"] == "2026-11-23T15:59:00+08:00"
    assert rec.bucket == f"site:{SITE_A}"
    assert store.get("clients", "c1").doc["last_mutation_id"] == 1


@pytest.mark.parametrize("replays", [1, 2, 3, 4, 5])
def test_replaying_a_push_gives_one_record_per_id(store, uploads, replays):
    batch = [submit(1, "r1"), submit(2, "r2"),
             mutation(3, "create_ticket", ticket_id="t1", site_id=SITE_A, title="Leak"),
             mutation(4, "comment_ticket", ticket_id="t1", comment_id="k1", text="wet floor")]
    first = push(store, uploads, GUARD, "c1", batch)
    high_water = store.high_water()
    for _ in range(replays):
        again = push(store, uploads, GUARD, "c1", batch)
        assert again["last_mutation_id"] == 4
        assert [a["status"] for a in again["results"]] == ["duplicate"] * 4
        assert [a["seq"] for a in again["results"]] == [a["seq"] for a in first["results"]]
    assert store.high_water() == high_water  # a replay writes nothing
    assert result_ids(store) == ["r1", "r2"]
    assert len(store.get("tickets", "t1").doc["comments"]) == 1


def test_overlapping_batch_applies_only_the_new_tail(store, uploads):
    push(store, uploads, GUARD, "c1", [submit(1, "r1"), submit(2, "r2")])
    resp = push(store, uploads, GUARD, "c1", [submit(2, "r2"), submit(3, "r3")])
    assert [a["status"] for a in resp["results"]] == ["duplicate", "applied"]
    assert resp["last_mutation_id"] == 3
    assert result_ids(store) == ["r1", "r2", "r3"]


def test_a_gap_changes_nothing(store, uploads):
    push(store, uploads, GUARD, "c1", [submit(1, "r1")])
    before = store.high_water()
    with pytest.raises(MutationGap) as info:
        push(store, uploads, GUARD, "c1", [submit(3, "r3"), submit(4, "r4")])
    assert info.value.status == 409 and info.value.expected == 2
    assert info.value.to_dict()["expected"] == 2
    assert store.high_water() == before
    assert result_ids(store) == ["r1"]
    assert store.get("clients", "c1").doc["last_mutation_id"] == 1


def test_a_gap_inside_the_batch_changes_nothing(store, uploads):
    with pytest.raises(MutationGap):
        push(store, uploads, GUARD, "c1", [submit(1, "r1"), submit(3, "r3")])
    assert store.high_water() == 0


@pytest.mark.parametrize("bad, code", [
    (mutation(1, "launch_rocket", x=1), "unknown_mutation"),
    (mutation(1, "submit_result", result_id="r9"), "invalid_args"),
    (submit(1, "r9", site=SITE_X), "forbidden"),
    (submit(1, "r9", answers={"nope": "pass"}), "invalid_answers"),
    ({**submit(1, "r9"), "args": {**submit(1, "r9")["args"],
                                  "checklist": {"id": "cl-gone", "version": 1}}},
     "unknown_checklist"),
    (mutation(1, "edit_ticket", ticket_id="t-none", set={"title": "x"}, base_fv={"title": 0}),
     "not_found"),
])
def test_a_rejected_mutation_consumes_its_id_and_keeps_its_data(store, uploads, bad, code):
    resp = push(store, uploads, GUARD, "c1", [bad, submit(2, "r2")])
    rejected, applied = resp["results"]
    assert rejected["status"] == "rejected" and rejected["error"]["code"] == code
    assert applied["status"] == "applied"
    assert resp["last_mutation_id"] == 2
    assert result_ids(store) == ["r2"]
    kept = store.get("rejections", "c1#1")
    assert kept.bucket == "user:u-guard" and kept.doc["mutation"] == bad
    # replaying reports the original outcome without re-running it
    again = push(store, uploads, GUARD, "c1", [bad])
    assert again["results"][0]["original_status"] == "rejected"


def test_invalid_args_name_the_wrong_field(store, uploads):
    bad = submit(1, "r1")
    bad["args"]["gps"] = {"lat": 123, "lon": 0}
    resp = push(store, uploads, GUARD, "c1", [bad])
    assert resp["results"][0]["error"]["errors"] == {"gps": {"lat": [
        "Must be greater than or equal to -90.0 and less than or equal to 90.0."]}}


def test_same_result_from_a_new_client_is_one_record(store, uploads):
    push(store, uploads, GUARD, "c1", [submit(1, "r1")])
    resp = push(store, uploads, GUARD, "c2-reinstall", [submit(1, "r1")])
    assert resp["results"][0]["status"] == "duplicate"
    clash = push(store, uploads, GUARD, "c2-reinstall", [submit(2, "r1", answers={"q1": "fail"})])
    assert clash["results"][0]["error"]["code"] == "id_conflict"
    assert store.get("results", "r1").doc["answers"] == {"q1": "pass"}


def test_client_id_of_another_device_is_refused(store, uploads):
    push(store, uploads, GUARD, "c1", [submit(1, "r1")])
    before = store.high_water()
    with pytest.raises(ClientNotOwned) as info:
        push(store, uploads, ENGINEER, "c1", [submit(2, "r2")])
    assert info.value.status == 403
    assert store.high_water() == before


def test_failed_commit_acknowledges_nothing(impatient, uploads):
    store = impatient
    with held_write_lock(store.engines.path), pytest.raises(StoreUnavailable):
        push(store, uploads, GUARD, "c1", [submit(1, "r1")])
    assert store.get("clients", "c1") is None and result_ids(store) == []
    resp = push(store, uploads, GUARD, "c1", [submit(1, "r1")])  # the retry applies it
    assert resp["results"][0]["status"] == "applied"


def test_clock_offset_is_recorded(store, uploads):
    sent = (NOW - timedelta(seconds=5)).isoformat()
    push(store, uploads, GUARD, "c1", [submit(1, "r1")], sent_at=sent)
    assert store.get("clients", "c1").doc["clock_offset_ms"] == 5000
    assert store.get("results", "r1").doc["submitted"]["clock_offset_ms"] == 5000


def test_amendments_and_branches(store, uploads):
    amend = {"supersedes": "r1", "answers": {"q1": "fail"}, "reason": "misread"}
    resp = push(store, uploads, GUARD, "c1", [
        submit(1, "r1"),
        mutation(2, "amend_result", result_id="r1b", **amend),
        mutation(3, "amend_result", result_id="r1c", **amend),  # r1 is no longer the head
    ])
    assert [a["status"] for a in resp["results"]] == ["applied"] * 3
    r1, r1b, r1c = (store.get("results", i).doc for i in ("r1", "r1b", "r1c"))
    assert r1["superseded_by"] == ["r1b", "r1c"] and r1["answers"] == {"q1": "pass"}
    assert r1b["supersedes"] == "r1" and r1b["root_id"] == "r1" and not r1b["needs_review"]
    assert r1c["needs_review"] is True
    assert r1b["site_id"] == SITE_A and r1b["checklist"] == {"id": "cl-fire", "version": 1}


def test_ticket_lifecycle_in_one_batch(store, uploads):
    resp = push(store, uploads, GUARD, "c1", [
        mutation(1, "create_ticket", ticket_id="t1", site_id=SITE_A, title="Leak"),
        mutation(2, "move_ticket", ticket_id="t1", **{"from": "open", "to": "in_progress"}),
        mutation(3, "move_ticket", ticket_id="t1", note="seal replaced", photos=["ab" * 32],
                 **{"from": "in_progress", "to": "fixed"}),
        mutation(4, "move_ticket", ticket_id="t1", **{"from": "fixed", "to": "verified"}),
    ])
    assert [a["status"] for a in resp["results"]] == ["applied"] * 3 + ["rejected"]
    assert resp["results"][3]["error"]["code"] == "forbidden"
    assert resp["results"][3]["error"]["allowed"] == []  # a guard has no move from fixed
    ticket = store.get("tickets", "t1")
    assert ticket.doc["status"] == "fixed" and ticket.doc["v"] == 3
    # one write of the ticket, in its final state; every mutation answered with its seq
    assert {a["seq"] for a in resp["results"][:3]} == {ticket.seq}
    sup = push(store, uploads, SUPERVISOR, "s1", [
        mutation(1, "move_ticket", ticket_id="t1", **{"from": "fixed", "to": "verified"})])
    assert sup["results"][0]["status"] == "applied"
    assert [h["to"] for h in store.get("tickets", "t1").doc["history"]] == [
        "in_progress", "fixed", "verified"]


def test_concurrent_ticket_edits_keep_every_losing_value(store, uploads):
    push(store, uploads, SUPERVISOR, "s1", [
        mutation(1, "create_ticket", ticket_id="t1", site_id=SITE_A, title="Leak",
                 description="first")])
    # both edit from version 1 while offline
    push(store, uploads, GUARD, "c1", [mutation(1, "edit_ticket", ticket_id="t1",
                                                set={"title": "Pipe leak", "description": "guard"},
                                                base_fv={"title": 1, "description": 1})])
    resp = push(store, uploads, ENGINEER, "e1", [mutation(1, "edit_ticket", ticket_id="t1",
                                                         set={"description": "engineer"},
                                                         base_fv={"description": 1})])
    ticket = store.get("tickets", "t1").doc
    # guard's title edit came from the current version: applied
    assert ticket["title"] == "Pipe leak"
    # description is shared: the later arrival wins, the earlier value is kept
    assert ticket["description"] == "engineer"
    assert [(c["field"], c["lost_value"]) for c in ticket["conflicts"]] == [
        ("description", "guard")]
    assert resp["results"][0]["conflicts"][0]["lost_value"] == "guard"


def test_real_responses_fit_the_response_schemas(store, uploads):
    from sync.schemas import PullResponseSchema, PushResponseSchema

    from .helpers import Replica
    resp = push(store, uploads, GUARD, "c1", [
        submit(1, "r1", photos=["b" * 64]),
        mutation(2, "launch_rocket"),
        mutation(3, "submit_result", result_id=7),
        mutation(4, "create_ticket", ticket_id="t1", site_id=SITE_A, title="Leak"),
        mutation(5, "edit_ticket", ticket_id="t1", set={"title": "x"}, base_fv={"title": 9}),
        mutation(6, "move_ticket", ticket_id="t1", **{"from": "done", "to": "open"}),
        submit(7, "r1", answers={"q2": "pass"}),
    ])
    assert PushResponseSchema().load(resp) == resp
    assert PushResponseSchema().load(push(store, uploads, GUARD, "c1", [submit(1, "r1")]))
    replica = Replica()
    page = replica.pull(store, GUARD, "c1", limit=2)
    assert PullResponseSchema().load(page) == page


def test_the_same_batch_pushed_concurrently_applies_once(store, uploads):
    batch = [submit(n, f"r{n}") for n in range(1, 21)]
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(
        push(store, uploads, GUARD, "c1", batch))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(tuple({a["status"] for a in r["results"]}) for r in answers)
    assert statuses == [("applied",)] + [("duplicate",)] * 3
    assert result_ids(store) == sorted(f"r{n}" for n in range(1, 21))


def test_submissions_are_scored_once_each_before_the_writer_is_taken(store, uploads):
    """Scoring needs no lock: concurrent devices must not queue behind it."""
    calls = []

    def scoring(definition, answers):
        turn = store._writers._turn  # the writer's turn (group commit)
        free = turn.acquire(blocking=False)
        if free:
            turn.release()
        calls.append(free)
        return evaluate(definition, answers)

    push(store, uploads, GUARD, "c1", [submit(1, "r1")])
    calls.clear()
    batch = [submit(1, "r1"), submit(2, "r2"), submit(3, "r3"),  # 1: a resend, not scored
             submit(4, "r4", answers={"q1": "fail"}), submit(5, "r5", answers={"zz": "pass"})]
    resp = push(store, uploads, GUARD, "c1", batch, evaluate=scoring)
    assert [a["status"] for a in resp["results"]] == [
        "duplicate", "applied", "applied", "applied", "rejected"]
    assert store.get("results", "r4").doc["score"] == {"total": 0, "max": 1}
    # r2-r4 once each outside; r5's unfitting answers again inside, where it is rejected
    assert calls == [True, True, True, True, False]


def test_answers_equal_only_in_value_keep_scores_of_their_own(store, uploads):
    """1, 1.0 and true compare equal in Python: each submission is still scored as sent."""
    def scoring(definition, answers):
        return {"total": 0, "max": 1, "sent": repr(answers["q1"])}

    batch = [submit(1, "r1", answers={"q1": 1}), submit(2, "r2", answers={"q1": 1.0}),
             submit(3, "r3", answers={"q1": True}), submit(4, "r4", answers={"q1": 1})]
    push(store, uploads, GUARD, "c1", batch, evaluate=scoring)
    assert [store.get("results", f"r{n}").doc["score"]["sent"] for n in range(1, 5)] == [
        "1", "1.0", "True", "1"]
