"""Logic v2: all / any / not, expr conditions, required_if on items and sections."""
from __future__ import annotations

import checklists

from .builders import answer_errors, choice, definition, errors_of, item, load, section


def shown(defn, answers):
    return {k for k, v in checklists.visible_items(defn, answers).items() if v}


def _leak_checklist():
    return load(section(
        "s",
        item("leak"),
        choice("floor", {"ground": 1, "upper": 1, "top": 1}, weight=0),
        item("below", show_if={"all": [{"item": "leak", "equals": "fail"},
                                       {"not": {"item": "floor", "equals": "ground"}}]}),
        item("roof", show_if={"any": [{"item": "floor", "equals": "top"},
                                      {"item": "leak", "equals": "fail"}]}),
        item("detail", "text", required_if={"item": "leak", "equals": "fail"}),
    ))


def test_all_any_not_combine_leaf_conditions():
    defn = _leak_checklist()
    base = {"leak", "floor", "detail"}
    assert shown(defn, {"leak": {"value": "pass"}, "floor": {"value": "ground"}}) == base
    assert shown(defn, {"leak": {"value": "fail"}, "floor": {"value": "ground"}}) == base | {"roof"}
    assert shown(defn, {"leak": {"value": "fail"}, "floor": {"value": "upper"}}) == base | {
        "below", "roof"}
    assert shown(defn, {"leak": {"value": "pass"}, "floor": {"value": "top"}}) == base | {"roof"}


def test_not_of_an_unanswered_source_is_true():
    defn = _leak_checklist()
    # "below" needs leak == fail, so it stays hidden; but the not-part alone is true
    assert "below" not in shown(defn, {"leak": {"value": "pass"}})
    only_not = load(section("s", choice("floor", {"ground": 1, "upper": 1}, weight=0),
                            item("x", show_if={"not": {"item": "floor", "equals": "ground"}})))
    assert "x" in shown(only_not, {})


def test_required_if_makes_an_item_required_only_when_the_condition_holds():
    defn = _leak_checklist()
    ok = {"leak": {"value": "pass"}, "floor": {"value": "ground"}}
    checklists.validate_answers(defn, ok)
    failed = {"leak": {"value": "fail"}, "floor": {"value": "ground"}}
    assert answer_errors(defn, failed) == {"answers.detail.value": ["required"]}
    checklists.validate_answers(defn, {**failed, "detail": {"value": "东墙渗水"}})


def test_section_required_if_requires_every_item_of_the_section():
    defn = load(section("meta", choice("scope", {"unit": 0, "public": 0}, weight=0)),
                section("keys", item("keys.count", "reading"), item("keys.sign", "text"),
                        required_if={"item": "scope", "equals": "unit"}))
    checklists.validate_answers(defn, {"scope": {"value": "public"}})
    assert answer_errors(defn, {"scope": {"value": "unit"}}) == {
        "answers.keys.count.value": ["required"], "answers.keys.sign.value": ["required"]}


def test_hidden_items_are_left_out_of_score_and_validation_never_unanswered():
    defn = _leak_checklist()
    answers = {"leak": {"value": "pass"}, "floor": {"value": "ground"},
               "detail": {"value": "ok"}}
    checklists.validate_answers(defn, answers)
    report = checklists.score_result(defn, answers)
    lines = {ln.item_id: ln.status for s in report.sections for ln in s.lines}
    assert lines == {"leak": "scored", "below": "hidden", "roof": "hidden"}
    assert (report.total, report.max, report.percent) == (1.0, 1.0, 100.0)


def test_expr_condition_reads_earlier_answers():
    defn = load(section("s", item("area", "reading", unit="m²"),
                        item("big", show_if={"expr": {">": [{"var": "area"}, 100]}})))
    assert "big" in shown(defn, {"area": {"value": 150}})
    assert "big" not in shown(defn, {"area": {"value": 50}})
    assert "big" not in shown(defn, {})


def test_combined_conditions_round_trip_and_name_nested_errors():
    data = definition(section("s", item("a"), item("b"), item("c", show_if={
        "any": [{"item": "a", "equals": "fail"}, {"not": {"item": "b", "in": ["pass"]}}]})))
    defn = checklists.load_definition(data)
    assert checklists.load_definition(defn.to_dict()) == defn
    assert defn.to_dict()["sections"][0]["items"][2]["show_if"] == data["sections"][0]["items"][2][
        "show_if"]
    bad = definition(section("s", item("a"), item("c", show_if={
        "all": [{"item": "a", "equals": "fail"}, {"not": {"item": "later", "equals": "pass"}}]}),
        item("later")))
    assert errors_of(bad) == {"sections[0].items[1].show_if.all[1].not.item": [
        "refers to 'later', which comes later; conditions may only use earlier items"]}
    unknown = definition(section("s", item("a", required_if={"any": [{"item": "nope",
                                                                       "equals": "pass"}]})))
    assert errors_of(unknown) == {"sections[0].items[0].required_if.any[0].item": [
        "unknown item 'nope'"]}
    shape = definition(section("s", item("a"), item("b", show_if={"all": []})))
    assert "sections[0].items[1].show_if.all" in errors_of(shape)


def test_exclusive_options_only_in_a_multi_select():
    bad = definition(section("s", item("one", "choice", weight=0, options=[
        {"id": "none", "label": {"zh": "无", "en": "None"}, "exclusive": True},
        {"id": "x", "label": {"zh": "x", "en": "x"}}])))
    assert errors_of(bad) == {"sections[0].items[0].options": [
        "exclusive options (none) only make sense in a multi-select (multiple: true)"]}
