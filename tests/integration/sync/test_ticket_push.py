"""Tickets through a push: opened with their result, the illegal-move and own-edit fixes."""
from __future__ import annotations

from checklists import builtin_definition, load_definition
from server.services import sync_service

from .helpers import ENGINEER, NOW, SITE_A, SUPERVISOR, mutation, push

RUBRIC = load_definition(builtin_definition("facilities-supervision")).to_dict()


def push_rubric(store, uploads, actor, client_id, mutations):
    return sync_service.apply_push(
        store, actor, client_id, mutations, uploads=uploads, now=NOW,
        find_definition=lambda i, v: RUBRIC if (i, v) == (RUBRIC["id"], RUBRIC["version"])
        else None)


def rubric_result(mid, result_id, failing=("fac.07",)):
    answers = {i["id"]: {"value": "pass"} for s in RUBRIC["sections"] for i in s["items"]
               if "deduction" in i}
    answers["fac.06.retention"] = {"value": 30}
    answers.update({item: {"value": "fail"} for item in failing})
    return mutation(mid, "submit_result", result_id=result_id, site_id=SITE_A,
                    checklist={"id": RUBRIC["id"], "version": RUBRIC["version"]},
                    answers=answers)


def test_a_result_opens_its_tickets_in_its_own_commit_and_never_twice(store, uploads):
    first = push_rubric(store, uploads, ENGINEER, "c1", [rubric_result(1, "r1")])
    assert first["results"][0]["status"] == "applied"
    ticket = store.get("tickets", "r1:fac.07")
    result = store.get("results", "r1")
    assert abs(ticket.seq - result.seq) == 1  # written by the same commit
    assert ticket.doc["source"] == {"rule": "other-findings", "reason": "fail",
                                    "definition": "facilities-supervision@2"}
    assert ticket.doc["created"]["mutation"] == "c1#1"
    # the same submission through another install (a reinstall): a duplicate, no new ticket
    again = push_rubric(store, uploads, ENGINEER, "c2", [rubric_result(1, "r1")])
    assert again["results"][0]["status"] == "duplicate"
    assert store.get("tickets", "r1:fac.07").seq == ticket.seq
    assert push_rubric(store, uploads, ENGINEER, "c1", [rubric_result(2, "r2", ())])[
        "results"][0]["status"] == "applied"
    assert [r.id for r in store.scan("tickets")] == ["r1:fac.07"]


def test_an_engineers_done_to_closed_on_a_closed_ticket_is_rejected_not_duplicate(
        store, uploads):
    push(store, uploads, SUPERVISOR, "s1", [
        mutation(1, "create_ticket", ticket_id="t1", site_id=SITE_A, title="Leak"),
        mutation(2, "move_ticket", ticket_id="t1", **{"from": "open", "to": "closed"})])
    resp = push(store, uploads, ENGINEER, "e1", [
        mutation(1, "move_ticket", ticket_id="t1", **{"from": "done", "to": "closed"})])
    [answer] = resp["results"]
    assert answer["status"] == "rejected"
    assert answer["error"]["current"] == "closed" and answer["error"]["allowed"] == []


def test_a_devices_two_offline_edits_of_one_field_are_no_conflict(store, uploads):
    push(store, uploads, SUPERVISOR, "s1", [
        mutation(1, "create_ticket", ticket_id="t1", site_id=SITE_A, title="Leak")])
    resp = push(store, uploads, ENGINEER, "e1", [
        mutation(1, "edit_ticket", ticket_id="t1", set={"work_notes": "valve shut"},
                 base_fv={"work_notes": 0}),
        mutation(2, "edit_ticket", ticket_id="t1", set={"work_notes": "valve replaced"},
                 base_fv={"work_notes": 0})])
    assert [a.get("conflicts") for a in resp["results"]] == [None, None]
    ticket = store.get("tickets", "t1").doc
    assert ticket["work_notes"] == "valve replaced" and ticket["conflicts"] == []
