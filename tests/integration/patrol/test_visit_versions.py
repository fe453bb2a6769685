"""A round's visits name the checklist version they answered; the server judges them by it.

Through the whole stack: the supervisor gives cp2 (1栋) the checklist
``gate-check``, version 1 then version 2 are published, the guard's device
pushes a round whose visit answered version 1, and the round is read back
through the API. Answers that break their version are stored as sent and
flagged; a version that is not a positive integer is refused naming it.
"""
from __future__ import annotations

import pytest

from tests.integration.patrol.test_round_timelines import ON_TIME_WALK, round_args
from tests.unit.patrol.builders import walk

NIGHT = "2026-11-02T22:00"


def pushed(patrol_site, guard_device, visits: dict) -> dict:
    args = round_args(patrol_site.occurrence(NIGHT), walk(ON_TIME_WALK), "22:02",
                      finished="22:14") | {"visits": visits}
    [answer] = guard_device.push(args)
    return answer


def answer_flags(doc: dict) -> list[dict]:
    return [f for f in doc["verdict"]["flags"] if f["checkpoint_id"] is not None]


def test_answers_to_the_version_named_are_judged_by_it_not_by_the_newest(
        patrol_site, guard_device):
    patrol_site.gate_checklist(1, 2)
    visit = {"answers": {"g.barrier": {"value": "pass"}, "g.staff": {"value": 2}},
             "checklist_id": "gate-check", "checklist_version": 1}
    assert pushed(patrol_site, guard_device, {"cp2": visit})["status"] == "applied"
    doc = patrol_site.get("/rounds/round-1")
    assert doc["result"]["visits"]["cp2"] == visit
    assert answer_flags(doc) == []       # version 2 has no g.barrier: judged by it, flagged


def test_out_of_rule_answers_are_stored_unchanged_and_flagged_on_the_round(
        patrol_site, guard_device):
    patrol_site.gate_checklist(1)
    answers = {"g.staff": {"value": "two"}, "g.weather": {"value": "snow"}}
    visit = {"answers": answers, "checklist_id": "gate-check", "checklist_version": 1}
    assert pushed(patrol_site, guard_device, {"cp2": visit})["status"] == "applied"
    doc = patrol_site.get("/rounds/round-1")
    assert doc["result"]["visits"]["cp2"]["answers"] == answers
    assert [(f["code"], f["evidence"]["path"], f["evidence"]["message"])
            for f in answer_flags(doc)] == [
        ("answer_invalid", "visits.cp2.answers.g.barrier.value", "required"),
        ("answer_invalid", "visits.cp2.answers.g.staff.value", "must be a number"),
        ("answer_invalid", "visits.cp2.answers.g.weather.value",
         "must be one of the option ids: dry, wet")]
    assert "「1栋」的答案不符合检查表gate-check v1: visits.cp2.answers.g.staff.value — " \
           "must be a number" in [ln["zh"] for ln in doc["verdict"]["lines"]]
    # the round is among the site's flagged rounds of the month
    flagged = patrol_site.get(f"/sites/{patrol_site.site_id}/flagged", month="2026-11")["items"]
    assert [r["id"] for r in flagged] == ["round-1"]


def test_an_unpublished_version_and_another_checklist_are_flagged(patrol_site, guard_device):
    patrol_site.gate_checklist(1)
    visits = {"cp2": {"answers": {}, "checklist_id": "gate-check", "checklist_version": 9},
              "cp3": {"answers": {"g.barrier": {"value": "pass"}},
                      "checklist_id": "gate-check", "checklist_version": 1}}
    assert pushed(patrol_site, guard_device, visits)["status"] == "applied"
    flags = answer_flags(patrol_site.get("/rounds/round-1"))
    assert [(f["code"], f["checkpoint_id"]) for f in flags] == [
        ("checklist_unknown", "cp2"), ("checklist_not_checkpoints", "cp3")]


@pytest.mark.parametrize("named, field", [
    ({"checklist_id": "gate-check", "checklist_version": "1"}, "visits.cp2.checklist_version"),
    ({"checklist_id": "gate-check", "checklist_version": 1.5}, "visits.cp2.checklist_version"),
    ({"checklist_id": "gate-check"}, "visits.cp2.checklist_version"),
    ({"checklist_version": 1}, "visits.cp2.checklist_id"),
])
def test_a_malformed_version_is_refused_naming_it_and_nothing_is_stored(
        patrol_site, guard_device, named, field):
    patrol_site.gate_checklist(1)
    answer = pushed(patrol_site, guard_device,
                    {"cp2": {"answers": {"g.barrier": {"value": "pass"}}, **named}})
    assert answer["status"] == "rejected"
    assert answer["error"]["code"] == "invalid_args"
    assert list(answer["error"]["errors"]) == [field]
    assert patrol_site.occurrence(NIGHT)["round_id"] is None
    assert patrol_site.rounds() == []


def test_a_round_of_an_older_app_without_versions_is_still_judged(patrol_site, guard_device):
    patrol_site.gate_checklist(1, 2)
    visit = {"answers": {"g.barrier": {"value": "pass"}}}
    assert pushed(patrol_site, guard_device, {"cp2": visit})["status"] == "applied"
    doc = patrol_site.get("/rounds/round-1")
    assert doc["result"]["visits"]["cp2"] == visit and answer_flags(doc) == []
