"""Show-if logic: equals / in / range, multi-choice overlap, chains, sections."""
from __future__ import annotations

import checklists

from .builders import choice, item, load, section


def shown(defn, answers):
    return {k for k, v in checklists.visible_items(defn, answers).items() if v}


def test_equals_in_and_range():
    defn = load(section(
        "s",
        item("chk"),
        choice("kind", {"a": 1, "b": 1, "c": 1}),
        item("temp", "reading"),
        item("if_fail", show_if={"item": "chk", "equals": "fail"}),
        item("if_ab", show_if={"item": "kind", "in": ["a", "b"]}),
        item("if_hot", show_if={"item": "temp", "range": {"min": 30}}),
        item("if_band", show_if={"item": "temp", "range": {"min": 10, "max": 20}}),
    ))
    base = {"chk", "kind", "temp"}
    assert shown(defn, {}) == base
    assert shown(defn, {"chk": {"value": "fail"}, "kind": {"value": "b"},
                        "temp": {"value": 30}}) == base | {"if_fail", "if_ab", "if_hot"}
    assert shown(defn, {"chk": {"value": "pass"}, "kind": {"value": "c"},
                        "temp": {"value": 20}}) == base | {"if_band"}
    assert shown(defn, {"temp": {"value": 9.99}}) == base


def test_na_answer_never_matches():
    defn = load(section("s", item("a", allow_na=True),
                        item("b", show_if={"item": "a", "in": ["pass", "fail"]})))
    assert "b" not in shown(defn, {"a": {"na": True}})
    assert "b" in shown(defn, {"a": {"value": "pass"}})


def test_multi_choice_equals_means_picked_and_in_means_overlap():
    defn = load(section(
        "s",
        choice("due", {"half": 0, "year": 0, "two": 0, "three": 0}, multiple=True, weight=0),
        item("yearly", show_if={"item": "due", "equals": "year"}),
        item("long", show_if={"item": "due", "in": ["two", "three"]}),
    ))
    assert shown(defn, {"due": {"value": ["half", "year"]}}) == {"due", "yearly"}
    assert shown(defn, {"due": {"value": ["two"]}}) == {"due", "long"}


def test_hiding_a_source_hides_its_dependents_in_a_chain():
    defn = load(section("s", item("a"),
                        item("b", show_if={"item": "a", "equals": "fail"}),
                        item("c", show_if={"item": "b", "equals": "fail"})))
    # c's source b answered "fail", but b itself is hidden (a passed): c must be hidden too
    assert shown(defn, {"a": {"value": "pass"}, "b": {"value": "fail"}}) == {"a"}
    assert shown(defn, {"a": {"value": "fail"}, "b": {"value": "fail"}}) == {"a", "b", "c"}


def test_section_condition_hides_all_its_items():
    defn = load(section("meta", choice("scope", {"unit": 0, "public": 0}, weight=0)),
                section("unit", item("wall"), item("floor"),
                        show_if={"item": "scope", "equals": "unit"}),
                section("public", item("fire"), show_if={"item": "scope", "equals": "public"}))
    assert shown(defn, {"scope": {"value": "unit"}}) == {"scope", "wall", "floor"}
    assert shown(defn, {"scope": {"value": "public"}}) == {"scope", "fire"}
    assert shown(defn, {}) == {"scope"}
