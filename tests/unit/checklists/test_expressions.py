"""Calculations and constraints in JSON Logic: the office-area rule, and what publish refuses."""
from __future__ import annotations

import pytest

import checklists

from .builders import answer_errors, definition, errors_of, item, label, load, section

OFFICE_RULE = {"and": [
    {">=": [{"var": "ho.office.area"}, {"*": [{"var": "ho.project.floor_area"}, 0.003]}]},
    {">=": [{"var": "ho.office.area"}, 80]},
]}


def office_checklist():
    """Seed 000 §19: the management office is >= 3‰ of the total floor area and >= 80 m²."""
    return load(section(
        "ho.office",
        item("ho.project.floor_area", "reading", unit="m²", required=True,
             limits={"min": 100, "max": 5_000_000}),
        item("ho.office.required", "calculate",
             calculation={"max": [{"*": [{"var": "ho.project.floor_area"}, 0.003]}, 80]}),
        item("ho.office.area", "reading", unit="m²", required=True, constraint={
            "rule": OFFICE_RULE,
            "message": {"zh": "管理用房面积应不少于总建筑面积的3‰且不少于80㎡",
                        "en": "the office must be at least 3‰ of the floor area and 80 m²"}}),
        item("ho.office.short", show_if={"expr": {"<": [{"var": "ho.office.area"},
                                                        {"var": "ho.office.required"}]}}),
    ))


def test_office_area_rule_refuses_70_and_accepts_85_on_a_20000_m2_project():
    defn = office_checklist()
    refused = {"ho.project.floor_area": {"value": 20000}, "ho.office.area": {"value": 70}}
    assert answer_errors(defn, refused) == {"answers.ho.office.area.value": [
        "the office must be at least 3‰ of the floor area and 80 m² "
        "(管理用房面积应不少于总建筑面积的3‰且不少于80㎡)"]}
    checklists.validate_answers(defn, {"ho.project.floor_area": {"value": 20000},
                                       "ho.office.area": {"value": 85}})
    # on 40,000 m² the 3‰ part binds: 120 m² needed, so 85 is refused too
    assert "answers.ho.office.area.value" in answer_errors(
        defn, {"ho.project.floor_area": {"value": 40000}, "ho.office.area": {"value": 85}})


def test_a_calculation_feeds_later_conditions_and_is_never_answered():
    defn = office_checklist()
    visible = checklists.visible_items(defn, {"ho.project.floor_area": {"value": 40000},
                                              "ho.office.area": {"value": 100}})
    assert visible["ho.office.short"] is True            # 100 < max(120, 80)
    visible = checklists.visible_items(defn, {"ho.project.floor_area": {"value": 20000},
                                              "ho.office.area": {"value": 85}})
    assert visible["ho.office.short"] is False           # 85 >= max(60, 80)
    errors = answer_errors(defn, {"ho.project.floor_area": {"value": 20000},
                                  "ho.office.area": {"value": 85},
                                  "ho.office.required": {"value": 1}})
    assert errors == {"answers.ho.office.required": ["a calculated item is computed, not answered"]}


def test_a_constraint_waits_for_every_value_it_reads():
    defn = office_checklist()
    # the floor area is missing: that is "required", the office rule is not judged on half the data
    assert answer_errors(defn, {"ho.office.area": {"value": 70}}) == {
        "answers.ho.project.floor_area.value": ["required"]}


def test_a_reading_outside_its_plausible_range_is_refused_at_entry():
    defn = office_checklist()
    errors = answer_errors(defn, {"ho.project.floor_area": {"value": 20},
                                  "ho.office.area": {"value": 85}})
    assert errors == {"answers.ho.project.floor_area.value": [
        "20 is outside the plausible range [100, 5e+06] (a typo?)"]}


def test_the_calculated_value_is_scored_nowhere_and_survives_the_round_trip():
    defn = office_checklist()
    assert checklists.load_definition(defn.to_dict()) == defn
    report = checklists.score_result(defn, {"ho.project.floor_area": {"value": 20000},
                                            "ho.office.area": {"value": 85}})
    lines = {ln.item_id: ln.status for sec in report.sections for ln in sec.lines}
    assert lines == {"ho.office.short": "hidden"} and report.percent is None


def _calc(item_id, rule):
    return item(item_id, "calculate", calculation=rule)


@pytest.mark.parametrize("rule, message", [
    ({"+": [{"var": "nope"}, 1]}, "unknown item 'nope'"),
    ({"+": [{"var": "later"}, 1]}, "refers to 'later', which comes later"),
    ({"+": [{"var": "me"}, 1]}, "a calculation cannot use its own value ('me')"),
    ({"*": [{"var": "name"}, 2]}, "'*' needs numbers, but 'name' is a text item"),
    ({">": [{"var": "ok"}, 3]}, "'>' needs numbers, but 'ok' is a check item"),
    ({"now": []}, "operator 'now' is not allowed"),
    ({"throw": "x"}, "operator 'throw' is not allowed"),
    ({"+": [1, 2], "-": [3]}, "an operation is an object with one operator"),
    ({"var": {"cat": ["a", "b"]}}, "var must name an item id"),
    ({"cat": [{"*": [{"var": "size"}, 2.0]}, " m"]},
     '2.0 is a whole number written as a decimal in a rule that uses cat or substr: '
     'the server writes it as "2.0" and the field app as "2"; write 2'),
])
def test_publish_refuses_a_bad_expression_naming_where(rule, message):
    bad = definition(section("s", item("ok"), item("name", "text"),
                             item("size", "reading"), _calc("me", rule), item("later", "reading")))
    errors = errors_of(bad)
    assert list(errors) == ["sections[0].items[3].calculation"]
    assert message in errors["sections[0].items[3].calculation"][0]


def test_a_stored_definition_with_a_decimal_in_a_text_rule_still_loads():
    """The refusal is for new definitions: one published before it must stay readable."""
    stored = definition(section("s", item("size", "reading"),
                                _calc("label", {"cat": [{"*": [{"var": "size"}, 2.0]}, " m"]})))
    assert errors_of(stored)  # refused when published now
    loaded = checklists.load_definition(stored)  # read from the store: loads
    assert checklists.load_definition(loaded.to_dict()).to_dict() == loaded.to_dict()


def test_a_decimal_whole_number_is_fine_where_no_text_is_made():
    """5.0 and 5 differ only when written as text, which the field app cannot reproduce."""
    ok = definition(section("s", item("size", "reading"),
                            _calc("double", {"*": [{"var": "size"}, 2.0]}),
                            _calc("label", {"cat": [{"var": "size"}, 2.5, " m"]})))
    checklists.load_definition(ok)


def test_publish_names_a_cycle_between_calculations():
    bad = definition(section("s", _calc("a", {"+": [{"var": "b"}, 1]}),
                             _calc("b", {"*": [{"var": "a"}, 2]})))
    errors = errors_of(bad)
    assert "calculations form a cycle: a → b → a" in errors["sections[0].items[0].calculation"]
    assert "calculations form a cycle: b → a → b" in errors["sections[0].items[1].calculation"]


def test_constraint_may_read_its_own_item_but_not_later_ones():
    ok = definition(section("s", item("t", "reading", constraint={
        "rule": {"<=": [{"var": "t"}, 60]}, "message": label("too hot")})))
    checklists.load_definition(ok)
    bad = definition(section("s", item("t", "reading", constraint={
        "rule": {"<=": [{"var": "t"}, {"var": "u"}]}, "message": label("x")}),
        item("u", "reading")))
    assert list(errors_of(bad)) == ["sections[0].items[0].constraint.rule"]


def test_a_rule_failing_at_run_time_is_a_blank_calculation_not_a_crash():
    defn = load(section("s", item("a", "reading"), item("b", "reading"),
                        _calc("ratio", {"/": [{"var": "a"}, {"var": "b"}]}),
                        item("flag", show_if={"expr": {">": [{"var": "ratio"}, 1]}})))
    answers = {"a": {"value": 5}, "b": {"value": 0}}
    checklists.validate_answers(defn, answers)
    assert checklists.visible_items(defn, answers)["flag"] is False


def test_a_calculation_is_blank_while_an_input_is_blank():
    defn = load(section("s", item("a", "reading"), item("b", "reading", allow_na=True),
                        _calc("sum", {"+": [{"var": "a"}, {"var": "b"}]}),
                        item("low", show_if={"expr": {"<": [{"var": "sum"}, 10]}})))
    # b is N/A: the sum is blank (not 3 + 0), and "sum < 10" is not judged on it
    assert checklists.visible_items(defn, {"a": {"value": 3}, "b": {"na": True}})["low"] is False
    assert checklists.visible_items(defn, {"a": {"value": 3}, "b": {"value": 4}})["low"] is True
    assert checklists.visible_items(defn, {"a": {"value": 3}, "b": {"value": 9}})["low"] is False
