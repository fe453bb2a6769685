"""Tickets opened by a definition's rules: which answers, severity, due time, ids."""
from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

import checklists
from checklists import DefinitionInvalid, builtin_definition, load_definition
from checklists.workflow.ticket_rules import ticket_id_for, tickets_for_result

PHOTO = "ab" * 32
SUBMITTED = datetime(2026, 11, 23, 8, tzinfo=timezone.utc)


def facilities():
    return load_definition(builtin_definition("facilities-supervision"))


def passing(definition):
    answers = {i.id: {"value": "pass"} for i in definition.items_by_id.values()
               if i.scoring == "deduction"}
    answers["fac.06.retention"] = {"value": 10}
    return answers


def opened(definition, answers, result_id="r1"):
    record = checklists.evaluate(definition, answers).to_record()
    return tickets_for_result(definition, answers, record, result_id=result_id,
                              site_id="s1", submitted_at=SUBMITTED)


def test_a_clean_result_opens_nothing():
    assert opened(facilities(), passing(facilities())) == []


def test_each_finding_opens_one_ticket_by_the_first_rule_that_matches():
    definition = facilities()
    answers = passing(definition)
    answers["fac.03"] = {"value": "fail", "note": "发电机无法启动", "defects": [
        {"criterion": "fac.03.1", "deduction": 1, "note": "电瓶亏电",
         "location": "B1 发电机房", "photos": [PHOTO]}]}
    answers["fac.02"] = {"value": "fail", "defects": [{"criterion": "fac.02.1",
                                                       "deduction": 0.5, "note": "有杂物"}]}
    answers["fac.06.retention"] = {"value": 5, "note": "仅存5天", "photos": [PHOTO]}
    answers["fac.07"] = {"value": "fail"}
    tickets = {t["args"]["item"]: t for t in opened(definition, answers)}
    assert sorted(tickets) == ["fac.02", "fac.03", "fac.06.retention", "fac.07"]
    generator = tickets["fac.03"]
    assert generator["source"]["rule"] == "power-safety"
    assert generator["args"]["priority"] == "urgent"
    assert generator["args"]["due_at"] == "2026-11-23T12:00:00+00:00"
    assert generator["args"]["photos"] == [PHOTO]
    assert generator["args"]["location"] == "B1 发电机房"
    assert generator["args"]["description"] == "发电机无法启动"
    assert generator["args"]["ticket_id"] == "r1:fac.03"
    assert tickets["fac.06.retention"]["args"]["due_at"] == "2026-11-25T08:00:00+00:00"
    # a rubric point lost is due before the next (monthly) inspection
    room = tickets["fac.02"]["args"]
    assert room["due_at"] == room["next_inspection_at"] == "2026-12-23T08:00:00+00:00"
    assert tickets["fac.07"]["source"]["rule"] == "other-findings"


def test_ids_are_deterministic_and_bounded():
    assert opened(facilities(), {**passing(facilities()), "fac.07": {"value": "fail"}},
                  "r9")[0]["args"]["ticket_id"] == "r9:fac.07"
    long = ticket_id_for("r" * 100, "fac.07")
    assert long == ticket_id_for("r" * 100, "fac.07") and len(long) <= 100


def small(**tickets):
    return {"id": "small", "version": 1, "kind": "inspection",
            "title": {"zh": "小", "en": "Small"},
            "sections": [{"id": "s", "title": {"zh": "区", "en": "S"}, "items": [
                {"id": "a", "type": "check", "label": {"zh": "甲", "en": "A"}},
                {"id": "b", "type": "reading", "label": {"zh": "乙", "en": "B"}, "unit": "℃"}]}],
            **({"tickets": tickets} if tickets else {})}


def test_an_expression_rule_opens_one_ticket_about_its_item():
    definition = load_definition(small(rules=[{
        "id": "hot", "when": "expr", "item": "b", "expr": {">": [{"var": "b"}, 60]},
        "severity": "high", "due": "PT4H"}]))
    [hot] = opened(definition, {"a": {"value": "pass"}, "b": {"value": 75}})
    assert hot["args"]["ticket_id"] == "r1:b" and hot["args"]["title"] == "乙"
    assert opened(definition, {"a": {"value": "pass"}, "b": {"value": 20}}) == []


def test_old_definitions_stay_valid_and_round_trip_without_rules():
    plain = load_definition(small())
    assert plain.tickets is None and "tickets" not in plain.to_dict()
    ruled = load_definition(small(rules=[{"id": "x", "when": "failed", "due": "P2D"}]))
    assert load_definition(ruled.to_dict()) == ruled


@pytest.mark.parametrize("tickets, path", [
    ({"rules": [{"id": "x", "when": "failed", "due": "soon"}]}, "rules[0].due"),
    ({"rules": [{"id": "x", "when": "failed", "due": "before_next_inspection"}]},
     "inspection_every"),
    ({"rules": [{"id": "x", "when": "failed", "due": "P2D", "items": ["zz"]}]},
     "rules[0].items"),
    ({"rules": [{"id": "x", "when": "expr", "due": "P2D"}]}, "rules[0].expr"),
    ({"rules": [{"id": "x", "when": "expr", "due": "P2D", "expr": {"var": "nope"}}]},
     "rules[0].expr"),
    ({"rules": [{"id": "x", "when": "failed", "due": "P2D", "severity": "dire"}]},
     "rules[0].severity"),
])
def test_rules_that_cannot_apply_are_refused_naming_the_field(tickets, path):
    with pytest.raises(DefinitionInvalid) as info:
        load_definition(small(**copy.deepcopy(tickets)))
    assert list(info.value.errors) == ["tickets." + path]


def test_ill_typed_ids_beside_ticket_rules_are_refused_not_a_crash():
    # found by the OpenAPI fuzz: rule references are checked on the raw input, where a
    # section id or a rule's item can be any JSON value
    body = small(rules=[{"id": "x", "when": "failed", "due": "P2D",
                         "items": [{"a": 1}], "item": ["b"]}])
    body["sections"].append({"id": {"not": "a string"}, "items": "nope"})
    with pytest.raises(DefinitionInvalid) as info:
        load_definition(body)
    assert info.value.errors  # named field errors, no TypeError
