"""A visit's answers are judged by the checklist version it names: flagged, never refused."""
from __future__ import annotations

from checklists import load_definition
from checklists.patrol import judge_round, named_checklists
from checklists.patrol.visit_answers import MAX_PROBLEMS_PER_VISIT
from tests.unit.patrol.builders import (
    checkpoints, context, gate_checklist_doc, occurrence_at, result, route, schedule, walk,
)

ROUTE = route()
OCC = occurrence_at(schedule(), "22:00")
WALK = walk(["22:05", "22:07", "22:09", "22:11", "22:13"])
GATE = {("gate-check", 1): load_definition(gate_checklist_doc(1)),
        ("gate-check", 2): load_definition(gate_checklist_doc(2))}
GATE_CHECKPOINTS = checkpoints(cp2={"checklist_id": "gate-check"})


def judged(visits: dict, **ctx):
    walked = result(OCC, WALK, "22:02", "22:14", visits=visits)
    fields = {"checkpoints": GATE_CHECKPOINTS, "checklists": GATE, **ctx}
    return walked, judge_round(ROUTE, OCC, walked, context(**fields))


def answer_flags(verdict) -> list[dict]:
    return [f.to_dict() for f in verdict.flags if f.checkpoint_id is not None]


def test_answers_that_fit_their_version_raise_no_flag_even_if_a_newer_one_differs():
    visit = {"answers": {"g.barrier": {"value": "pass"}, "g.staff": {"value": 2}},
             "checklist_id": "gate-check", "checklist_version": 1}
    walked, verdict = judged({"cp2": visit})
    assert named_checklists(walked) == {("gate-check", 1)}
    assert answer_flags(verdict) == []


def test_out_of_rule_answers_are_kept_and_each_problem_flagged_with_its_path():
    answers = {"g.staff": {"value": "two"}, "g.weather": {"value": "snow"}}
    walked, verdict = judged({"cp2": {"answers": answers, "checklist_id": "gate-check",
                                      "checklist_version": 1}})
    assert walked.visits["cp2"].answers == answers
    flags = answer_flags(verdict)
    assert [(f["code"], f["evidence"]["path"]) for f in flags] == [
        ("answer_invalid", "visits.cp2.answers.g.barrier.value"),
        ("answer_invalid", "visits.cp2.answers.g.staff.value"),
        ("answer_invalid", "visits.cp2.answers.g.weather.value")]
    assert {f["checkpoint_id"] for f in flags} == {"cp2"}
    assert flags[1]["evidence"] == {"name": "1栋", "checklist_id": "gate-check", "version": 1,
                                    "path": "visits.cp2.answers.g.staff.value",
                                    "message": "must be a number"}
    lines = verdict.to_dict()["lines"]
    assert ("「1栋」的答案不符合检查表gate-check v1: visits.cp2.answers.g.staff.value — "
            "must be a number") in [ln["zh"] for ln in lines]
    assert ("1栋: an answer breaks checklist gate-check v1: visits.cp2.answers.g.weather.value"
            " — must be one of the option ids: dry, wet") in [ln["en"] for ln in lines]


def test_version_1_answers_judged_by_version_2_would_be_wrong_so_the_named_one_judges():
    v1_answers = {"g.barrier": {"value": "pass"}}
    _, by_v1 = judged({"cp2": {"answers": v1_answers, "checklist_id": "gate-check",
                               "checklist_version": 1}})
    _, by_v2 = judged({"cp2": {"answers": v1_answers, "checklist_id": "gate-check",
                               "checklist_version": 2}})
    assert answer_flags(by_v1) == []
    assert [f["evidence"]["path"] for f in answer_flags(by_v2)] == [
        "visits.cp2.answers.g.barrier", "visits.cp2.answers.g.arm.value"]


def test_an_unknown_version_and_another_checklist_are_flagged_not_refused():
    visits = {"cp2": {"answers": {"x": {"value": 1}}, "checklist_id": "gate-check",
                      "checklist_version": 7},
              "cp3": {"answers": {"g.barrier": {"value": "pass"}}, "checklist_id": "gate-check",
                      "checklist_version": 1}}
    _, verdict = judged(visits)
    assert [(f["code"], f["checkpoint_id"]) for f in answer_flags(verdict)] == [
        ("checklist_unknown", "cp2"), ("checklist_not_checkpoints", "cp3")]
    assert answer_flags(verdict)[1]["evidence"]["expected"] == "–"
    assert verdict.status == "completed"


def test_visits_of_older_apps_name_no_version_and_are_not_judged():
    _, verdict = judged({"cp2": {"answers": {"anything": 5}}})
    assert answer_flags(verdict) == []


def test_a_flood_of_bad_answers_makes_a_bounded_verdict():
    answers = {f"x{n}": {"value": n} for n in range(500)}
    _, verdict = judged({"cp2": {"answers": answers, "checklist_id": "gate-check",
                                 "checklist_version": 1}})
    flags = answer_flags(verdict)
    assert len(flags) == MAX_PROBLEMS_PER_VISIT + 1
    assert flags[-1]["code"] == "answer_problems_more"
    assert flags[-1]["evidence"]["count"] == 501 - MAX_PROBLEMS_PER_VISIT   # + g.barrier required
