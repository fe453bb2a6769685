"""Re-inspection rules alone: which result may be re-checked, overlaying answers, rounds."""
import pytest

from checklists.workflow import reinspection as rules

ORIGINAL = {"id": "o", "site_id": "A", "checklist": {"id": "c", "version": 2},
            "answers": {"a": {"value": "fail"}, "b": {"value": "pass"}},
            "score": {"total": 5.0, "max": 10.0, "percent": 50.0, "band": None,
                      "flags": [{"item_id": "a", "reason": "fail"}]},
            "superseded_by": []}


def check(original=ORIGINAL, site="A", checklist=None):
    rules.check_target(original, original_id="o", site_id=site,
                       checklist=checklist or {"id": "c", "version": 2})


@pytest.mark.parametrize("original, site, checklist, code, field", [
    (None, "A", None, "invalid_reference", "reinspects"),
    (ORIGINAL, "B", None, "invalid_reference", "reinspects"),
    ({**ORIGINAL, "reinspection": {"of": "x"}}, "A", None, "invalid_reference", "reinspects"),
    ({**ORIGINAL, "superseded_by": ["o2"]}, "A", None, "invalid_reference", "reinspects"),
    ({**ORIGINAL, "score": None}, "A", None, "invalid_reference", "reinspects"),
    (ORIGINAL, "A", {"id": "c", "version": 1}, "checklist_mismatch", "checklist"),
])
def test_targets_refused(original, site, checklist, code, field):
    with pytest.raises(rules.ReinspectionInvalid) as err:
        check(original, site, checklist)
    assert (err.value.code, err.value.field) == (code, field)


def test_unknown_and_foreign_results_get_the_same_answer():
    messages = []
    for original, site in ((None, "A"), (ORIGINAL, "B")):
        with pytest.raises(rules.ReinspectionInvalid) as err:
            check(original, site)
        messages.append(str(err.value))
    assert messages[0] == messages[1]


def test_overlay_replaces_rechecked_items_and_repeat_instances_by_position():
    base = {"a": {"value": "fail"}, "rooms": [
        {"label": "厨房", "answers": {"floor": {"value": "fail"}, "wall": {"value": "pass"}}},
        {"label": "卫生间", "answers": {"floor": {"value": "fail"}}}]}
    merged = rules.overlay(base, {"a": {"value": "pass"}, "rooms": [
        {"answers": {}}, {"label": "ignored", "answers": {"floor": {"value": "pass"}}}]})
    assert merged["a"] == {"value": "pass"}
    assert merged["rooms"][0] == base["rooms"][0]
    assert merged["rooms"][1] == {"label": "卫生间", "answers": {"floor": {"value": "pass"}}}
    assert base["rooms"][1]["answers"]["floor"] == {"value": "fail"}  # base untouched


@pytest.mark.parametrize("rechecked", [
    {"rooms": {"value": "pass"}}, {"a": [{"answers": {}}]},
    {"rooms": [{"answers": {}}, {"answers": {}}]}, {"rooms": [{"floor": "x"}]}])
def test_overlay_refuses_instances_it_cannot_place(rechecked):
    base = {"a": {"value": "fail"}, "rooms": [{"label": "厨房", "answers": {}}]}
    with pytest.raises(rules.ReinspectionInvalid) as err:
        rules.overlay(base, rechecked)
    assert err.value.code == "invalid_answers" and err.value.field.startswith("answers.")


def test_rounds_accumulate_until_closed_out():
    after_1 = {"total": 7.0, "max": 10.0, "percent": 70.0, "band": None,
               "flags": [{"item_id": "a", "reason": "fail"}]}
    one = {**ORIGINAL, "rectification": rules.record_round(
        ORIGINAL, result_id="r1", score=after_1, at="t1", by="u", role="engineer")}
    assert rules.round_number(one) == 2 and not one["rectification"]["closed_out"]
    after_2 = {**after_1, "total": 10.0, "percent": 100.0, "flags": []}
    two = rules.record_round(one, result_id="r2", score=after_2, at="t2", by="v", role="engineer")
    assert two["closed_out"] and two["latest"] == "r2" and two["open_items"] == []
    assert [(r["round"], r["result_id"], r["total"], r["open_items"]) for r in two["rounds"]] \
        == [(1, "r1", 7.0, 1), (2, "r2", 10.0, 0)]
    assert "score" not in two  # the score at inspection stays the original's own


def test_a_rescore_of_the_latest_round_moves_only_the_score_after():
    first = {"total": 7.0, "max": 10.0, "percent": 70.0, "band": None,
             "flags": [{"item_id": "a", "reason": "fail"}]}
    rect = rules.record_round(ORIGINAL, result_id="r1", score=first, at="t", by="u",
                              role="engineer")
    fixed = rules.rescored(rect, {**first, "total": 10.0, "flags": []})
    assert fixed["closed_out"] and fixed["score_after"]["total"] == 10.0
    assert fixed["rounds"] == rect["rounds"] and fixed["latest"] == "r1"
