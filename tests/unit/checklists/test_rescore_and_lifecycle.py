"""Rescoring after a rule fix (pure part) and the definition lifecycle rules."""
from __future__ import annotations

import pytest

from checklists import (
    AnswersInvalid, WrongDefinitionVersion, rescore, score_result, validate_answers,
)
from checklists.lifecycle import (
    LifecycleError, accepts_results, can_transition, check_transition, is_editable, next_version,
    version_for_edit,
)

from .builders import SEED002_BANDS, deduction_item, load, section


@pytest.fixture(scope="module")
def rubric():
    return load(section("s", deduction_item("a", 50, 1, 10), deduction_item("b", 50, 1, 10)),
                scoring=SEED002_BANDS)


def result(rid, a_loss, stored=None, rubric=None):
    answers = {"a": {"value": "fail", "defects": [{"deduction": a_loss}]} if a_loss else {"value": "pass"},
               "b": {"value": "pass"}}
    score = stored if stored is not None else score_result(rubric, answers).to_dict()
    return {"id": rid, "definition_id": "test-def", "definition_version": 1,
            "answers": answers, "score": score}


def test_rescore_reports_only_results_whose_score_moved(rubric):
    fresh = result("r1", 5, rubric=rubric)                        # stored score is current
    stale = result("r2", 10, stored={"total": 95.0, "max": 100.0, "percent": 95.0,
                                     "band": {"id": "excellent"}, "rules_version": "old/0"})
    never = result("r3", 0, stored={})
    changes = rescore(rubric, [fresh, stale, never])
    assert [c.result_id for c in changes] == ["r2", "r3"]
    r2 = changes[0]
    assert (r2.old_total, r2.new_total, r2.old_band, r2.new_band) == (95.0, 90.0, "excellent", "good")
    assert (r2.old_rules_version, r2.new_rules_version) == ("old/0", "fieldsync-scoring/1")
    assert changes[1].to_dict()["new_total"] == 100.0


def test_rescore_refuses_results_of_another_version_before_returning_anything(rubric):
    other = result("r9", 0, rubric=rubric)
    other["definition_version"] = 2
    with pytest.raises(WrongDefinitionVersion, match="r9.*test-def@2.*not test-def@1"):
        rescore(rubric, [result("r1", 5, stored={}), other])


def test_lifecycle_transitions():
    assert can_transition("draft", "published") and can_transition("published", "retired")
    for current, target in [("published", "draft"), ("retired", "published"), ("draft", "retired"),
                            ("retired", "draft")]:
        assert not can_transition(current, target)
        with pytest.raises(LifecycleError, match=f"a {current} definition cannot become {target}"):
            check_transition(current, target)
    with pytest.raises(LifecycleError, match="unknown status"):
        check_transition("draft", "archived")
    assert is_editable("draft") and not is_editable("published") and not is_editable("retired")
    assert accepts_results("published") and accepts_results("retired") and not accepts_results("draft")


def test_versions():
    assert next_version([]) == 1
    assert next_version([1, 3, 2]) == 4
    assert version_for_edit({}) == (1, True)
    assert version_for_edit({1: "published", 2: "draft"}) == (2, False)     # edit the draft in place
    assert version_for_edit({1: "retired", 2: "published"}) == (3, True)    # never rewrite published
    with pytest.raises(LifecycleError):
        version_for_edit({1: "draft", 2: "draft"})


def test_a_result_is_validated_and_scored_against_the_version_it_names():
    v1 = load(section("s", deduction_item("x", 5, 1, 1)), version=1)
    v2 = load(section("s", deduction_item("x2", 10, 1, 1)), version=2)
    answers = {"x": {"value": "fail", "defects": [{}]}}
    report = score_result(v1, answers)
    assert (report.definition_version, report.total, report.max) == (1, 4.0, 5.0)
    validate_answers(v1, answers)
    with pytest.raises(AnswersInvalid):
        validate_answers(v2, answers)
