"""Definition validation: exact error paths, every error at once, cross references."""
from __future__ import annotations

import orjson
import pytest
from marshmallow import Schema

import checklists
from checklists.schema import DefinitionSchema

from .builders import choice, deduction_item, definition, errors_of, item, label, load, section


def test_valid_definition_builds_an_immutable_model_with_defaults_filled():
    defn = load(section("s", item("a"), choice("b", {"x": 1, "y": 0}),
                        item("r", "reading", unit="°C", thresholds={"min": 18, "max": 26})))
    a, b, r = (defn.items_by_id[k] for k in ("a", "b", "r"))
    assert (a.weight, a.scoring) == (1.0, "additive")
    assert (b.multiple, b.weight) == (False, 1.0)
    assert (r.weight, r.scoring) == (None, None)       # readings score only when weighted
    with pytest.raises(AttributeError):
        defn.version = 2                                # frozen


def test_to_dict_round_trips_exactly():
    defn = load(
        section("s1", deduction_item("d", 5, 0.5, 2, criteria=3,
                                     evidence={"scope": "defect", "photos": 1, "location": True}),
                choice("c", {"x": 2, "y": 0}, flagged=("y",), multiple=True,
                       show_if={"item": "d", "equals": "fail"}),
                item("p", "photo", min_count=1, max_count=3), weight=2),
        section("s2", item("t", "text", max_length=10, show_if={"item": "c", "in": ["x"]}),
                item("v", "check", veto={"effect": "cap", "cap_percent": 60}), weight=1),
        scoring={"unanswered": "exclude", "bands": [{"id": "b0", "label": label("b0"), "min": 0}]},
        source={"seed": "002_x.txt", "section": "s"},
    )
    data = defn.to_dict()
    assert data["sections"][0]["items"][1]["show_if"] == {"item": "d", "equals": "fail"}
    again = checklists.load_definition(data)
    assert again == defn
    assert again.to_dict() == data


def test_error_names_the_exact_path_of_a_nested_field():
    bad = definition(section("s0", item("x")), section("s1", item("y")),
                     section("s2", *[item(f"i{k}") for k in range(5)],
                             deduction_item("i5", 5, 0.5, "2")))
    assert errors_of(bad) == {"sections[2].items[5].deduction.max": ["Not a valid number."]}


def test_every_error_is_listed_not_only_the_first():
    bad = definition(
        section("s", item("a", "check", unit="m"),                         # unit on a check
              item("a", "choice", options=[]),                             # dup id, no options
              item("c", "reading", thresholds={"min": 5, "max": 1})),       # min > max
        version=0, kind="audit", title={"zh": " ", "en": "x"})
    errors = errors_of(bad)
    assert set(errors) == {
        "version", "kind", "title.zh", "sections[0].items[0].unit",
        "sections[0].items[1].id", "sections[0].items[1].options",
        "sections[0].items[2].thresholds.min",
    }
    assert errors["sections[0].items[1].id"] == ["duplicate item id 'a'"]


@pytest.mark.parametrize("cond, message", [
    ({"item": "later", "equals": "pass"}, "comes later"),
    ({"item": "ghost", "equals": "pass"}, "unknown item 'ghost'"),
    ({"item": "me", "equals": "pass"}, "cannot depend on itself"),
    ({"item": "first", "equals": "maybe"}, "'pass' or 'fail'"),
    ({"item": "first", "range": {"min": 1}}, "range only applies to reading"),
    ({"item": "pick", "in": ["x", "nope"]}, "has no option 'nope'"),
    ({"item": "pic", "equals": "x"}, "cannot test"),
])
def test_conditions_must_look_back_at_a_known_item_with_a_fitting_value(cond, message):
    bad = definition(section("s", item("first"), choice("pick", {"x": 1}),
                             item("pic", "photo"),
                             item("me", show_if=cond), item("later")))
    errors = errors_of(bad)
    assert list(errors) == ["sections[0].items[3].show_if.item"]
    assert message in errors["sections[0].items[3].show_if.item"][0]


def test_a_cycle_is_impossible_because_each_side_is_refused():
    bad = definition(section("s", item("a", show_if={"item": "b", "equals": "pass"}),
                             item("b", show_if={"item": "a", "equals": "pass"})))
    errors = errors_of(bad)
    assert "comes later" in errors["sections[0].items[0].show_if.item"][0]
    assert "sections[0].items[1].show_if.item" not in errors     # b looking back at a is fine


def test_a_section_condition_may_only_use_items_of_earlier_sections():
    bad = definition(section("s1", item("a")),
                     section("s2", item("b"), show_if={"item": "b", "equals": "pass"}))
    assert "comes later" in errors_of(bad)["sections[1].show_if.item"][0]
    good = definition(section("s1", item("a")),
                      section("s2", item("b"), show_if={"item": "a", "equals": "pass"}))
    checklists.load_definition(good)


def test_condition_needs_exactly_one_operator():
    bad = definition(section("s", item("a"),
                             item("b", show_if={"item": "a", "equals": "pass", "in": ["fail"]})))
    assert "exactly one of equals, in, range" in errors_of(bad)["sections[0].items[1].show_if.item"][0]


def test_type_specific_fields_are_refused_on_other_types():
    errors = errors_of(definition(section("s", item("t", "text", options=[], weight=1, tag="x"))))
    assert set(errors) == {"sections[0].items[0].options", "sections[0].items[0].weight",
                           "sections[0].items[0].tag"}


@pytest.mark.parametrize("fields, path, message", [
    ({"deduction": {"min": 1, "max": 1}}, "points", "needs its full points"),
    ({"points": 5}, "deduction", "only used with a deduction rule"),
    ({"points": 1, "deduction": {"min": 0.5, "max": 2}}, "deduction", "exceeds the item's points"),
    ({"points": 5, "deduction": {"min": 2, "max": 1}}, "deduction.max", "at least min"),
    ({"points": 5, "deduction": {"min": 1, "max": 1}, "weight": 2}, "weight", "not both"),
    ({"points": 5, "deduction": {"min": 0, "max": 1}}, "deduction.min", "greater than 0"),
])
def test_deduction_rules(fields, path, message):
    errors = errors_of(definition(section("s", item("d", **fields))))
    assert message in " ".join(errors[f"sections[0].items[0].{path}"])


def test_section_weights_are_all_or_nothing():
    errors = errors_of(definition(section("a", item("x"), weight=1), section("b", item("y"))))
    assert list(errors) == ["sections[1].weight"]


def test_bands_must_start_at_zero_and_not_repeat():
    bands = [{"id": "a", "label": label("a"), "min": 10}, {"id": "a", "label": label("b"), "min": 20}]
    errors = errors_of(definition(section("s", item("x")), scoring={"bands": bands}))
    assert any("duplicate ids: a" in m for m in errors["scoring.bands"])
    assert any("start at 0" in m for m in errors["scoring.bands"])


def test_numbers_are_strict_json_numbers():
    errors = errors_of(definition(section("s", item("x", weight="2"), item("y", weight=True))))
    assert errors == {"sections[0].items[0].weight": ["Not a valid number."],
                      "sections[0].items[1].weight": ["Not a valid number."]}


def test_unknown_fields_and_non_objects_are_refused():
    assert errors_of(definition(section("s", item("x")), status="draft")) == {
        "status": ["Unknown field."]}
    assert errors_of([1, 2]) == {"_schema": ["a definition must be a JSON object"]}


def test_choice_scored_without_positive_option_is_refused_but_weight_zero_is_fine():
    errors = errors_of(definition(section("s", choice("c", {"x": 0, "y": 0}))))
    assert "positive score" in errors["sections[0].items[0].options"][0]
    load(section("s", choice("c", {"x": 0, "y": 0}, weight=0)))


def test_yaml_dates_stay_strings_and_yaml_errors_are_reported():
    text = """
id: y
version: 1
kind: maintenance
title: {zh: 年检, en: Yearly}
sections:
  - id: s
    title: {zh: 一, en: One}
    items:
      - {id: d, type: text, label: {zh: 日, en: Day}}
      - {id: e, type: check, label: {zh: 查, en: Check}, show_if: {item: d, equals: 2024-05-01}}
"""
    defn = checklists.load_definition_text(text, "yaml")
    assert defn.items_by_id["e"].show_if.equals == "2024-05-01"
    with pytest.raises(checklists.DefinitionInvalid) as err:
        checklists.load_definition_text("id: [unclosed", "yaml")
    assert "not valid YAML" in err.value.errors["_schema"][0]


def test_definition_schema_is_a_real_marshmallow_schema_that_dumps_the_model():
    defn = load(section("s", item("a"), item("b", show_if={"item": "a", "in": ["pass"]})))
    schema = DefinitionSchema()
    assert isinstance(schema, Schema)
    dumped = schema.dump(defn)
    assert dumped["sections"][0]["items"][1]["show_if"] == {"item": "a", "in": ["pass"]}
    assert schema.load(dumped) == defn


def test_definition_files_json_and_yaml(tmp_path):
    data = definition(section("s", item("a")))
    json_path = tmp_path / "d.json"
    json_path.write_bytes(orjson.dumps(data))
    yaml_path = tmp_path / "d.yaml"
    yaml_path.write_text("id: test-def\nversion: 1\nkind: inspection\n"
                         "title: {zh: 测试, en: test}\nsections:\n"
                         "  - {id: s, title: {zh: 一, en: one}, items: [{id: a, type: check, "
                         "label: {zh: 甲, en: a}}]}\n", encoding="utf-8")
    assert checklists.load_definition_file(json_path).items_by_id["a"].type == "check"
    assert checklists.load_definition_file(yaml_path).title.zh == "测试"
    with pytest.raises(checklists.DefinitionInvalid) as err:
        checklists.load_definition_text(b"{not json", "json")
    assert "not valid JSON" in err.value.errors["_schema"][0]
