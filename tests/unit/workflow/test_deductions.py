"""Deductions of a score record, and the score with one adjusted (by the scoring engine)."""
import pytest

from checklists import load_definition, score_result
from checklists.workflow.deductions import (
    NotAdjustable, check_adjustment, deductions_of, responsible_for, score_with_adjustments,
)

DEFINITION = load_definition({
    "id": "d", "version": 1, "kind": "inspection", "title": {"zh": "检查", "en": "Check"},
    "sections": [
        {"id": "s", "title": {"zh": "现场", "en": "Site"}, "items": [
            {"id": "s.a", "type": "check", "label": {"zh": "甲", "en": "A"}, "points": 10,
             "deduction": {"min": 1, "max": 5}},
            {"id": "s.b", "type": "check", "label": {"zh": "乙", "en": "B"}}]},
        {"id": "room", "title": {"zh": "房间", "en": "Room"},
         "repeat": {"min": 1, "max": 5, "scoring": "sum",
                    "label": {"zh": "房间名称", "en": "Room name"}}, "items": [
             {"id": "room.wall", "type": "check", "label": {"zh": "墙", "en": "Wall"},
              "points": 4, "deduction": {"min": 1, "max": 4}}]}]})
ANSWERS = {"s.a": {"value": "fail", "defects": [{"deduction": 3}, {"deduction": 2}]},
           "s.b": {"value": "fail"},
           "room": [{"label": "主卧", "answers": {"room.wall": {"value": "pass"}}},
                    {"label": "次卧", "answers": {"room.wall": {"value": "fail",
                                                            "defects": [{"deduction": 3}]}}}]}


def test_deductions_are_named_by_item_and_instance():
    record = score_result(DEFINITION, ANSWERS).to_record()
    assert [(d.key, d.points) for d in deductions_of(record)] == [
        ("s.a", 5.0), ("s.b", 1.0), ("room.wall#1", 3.0)]
    assert deductions_of(None) == []
    explained = score_result(DEFINITION, ANSWERS).to_dict()   # what a reader of a result sees
    assert deductions_of(explained) == deductions_of(record)


def test_adjusting_rescores_with_the_engine_and_leaves_the_answers_alone():
    report = score_result(DEFINITION, ANSWERS)
    found = {d.key: d for d in deductions_of(report.to_record())}
    after = score_with_adjustments(DEFINITION, ANSWERS, {found["s.a"]: 1, found["room.wall#1"]: 0})
    assert report.total == 10 - 5 + 0 + 4 + 1     # 10
    assert after.total == 10 - 1 + 0 + 4 + 4      # 17
    assert ANSWERS["s.a"]["defects"] == [{"deduction": 3}, {"deduction": 2}]


def test_only_deduction_items_take_lower_points():
    found = {d.key: d for d in deductions_of(score_result(DEFINITION, ANSWERS).to_record())}
    check_adjustment(DEFINITION, found["s.a"], 0)
    with pytest.raises(NotAdjustable, match="between 0 and the original 5"):
        check_adjustment(DEFINITION, found["s.a"], 6)
    with pytest.raises(NotAdjustable, match="not scored by deduction"):
        check_adjustment(DEFINITION, found["s.b"], 0)


def test_each_deduction_is_the_leads_unless_assigned():
    record = score_result(DEFINITION, ANSWERS).to_record()
    got = responsible_for(record, {"room.wall#1": "wang"}, "lead")
    assert {k: (v["person_id"], v["source"]) for k, v in got.items()} == {
        "s.a": ("lead", "lead"), "s.b": ("lead", "lead"), "room.wall#1": ("wang", "assigned")}
    assert responsible_for(record, {}, None)["s.a"]["person_id"] is None
