"""Answer validation: every bad answer is refused with an error naming the item and field."""
from __future__ import annotations

import pytest

import checklists

from .builders import PHOTO, PHOTO2, answer_errors, choice, deduction_item, item, load, section


@pytest.fixture(scope="module")
def every_type():
    return load(section(
        "s",
        item("chk", required=True),
        choice("one", {"x": 1, "y": 0}),
        choice("many", {"x": 1, "y": 1}, multiple=True),
        item("temp", "reading", unit="°C", limits={"min": -40, "max": 80}),
        item("txt", "text", max_length=5),
        item("pic", "photo", min_count=1, max_count=2),
        item("sig", "signature"),
        item("tag", "checkpoint", tag="CP-01"),
        item("day", "date"),
        item("at", "time"),
    ))


def valid_every_type():
    return {
        "chk": {"value": "pass"}, "one": {"value": "x"}, "many": {"value": ["x", "y"]},
        "temp": {"value": 21.5}, "txt": {"value": "ok"}, "pic": {"photos": [PHOTO]},
        "sig": {"value": {"signer": "王工", "image": PHOTO}}, "tag": {"value": "CP-01"},
        "day": {"value": "2024-02-29"}, "at": {"value": "23:05"},
    }


def test_valid_answers_of_every_type_pass(every_type):
    checklists.validate_answers(every_type, valid_every_type())


@pytest.mark.parametrize("item_id, value", [
    ("chk", "yes"), ("chk", True), ("one", "z"), ("one", ["x"]), ("many", "x"), ("many", []),
    ("many", ["x", "x"]), ("temp", "21"), ("temp", True), ("temp", 120), ("txt", 5),
    ("txt", "toolong"), ("sig", {"signer": "", "image": PHOTO}), ("sig", "王工"),
    ("tag", ""), ("day", "2023-02-29"), ("day", "29/02/2024"), ("at", "25:00"), ("at", "9:00"),
    ("pic", "x"),
])
def test_wrong_value_type_names_the_item(every_type, item_id, value):
    answers = valid_every_type()
    answers[item_id] = {"value": value}
    errors = answer_errors(every_type, answers)
    assert list(errors) == [f"answers.{item_id}.value"]


def test_all_problems_are_listed_together(every_type):
    answers = valid_every_type()
    answers.update(ghost={"value": 1}, chk={"value": "x", "colour": "red"},
                   temp={"value": "hot"})
    errors = answer_errors(every_type, answers)
    assert set(errors) == {"answers.ghost", "answers.chk.value", "answers.chk.colour",
                           "answers.temp.value"}
    assert errors["answers.ghost"] == ["unknown item"]


def test_missing_required_answer(every_type):
    answers = valid_every_type()
    del answers["chk"]
    assert answer_errors(every_type, answers) == {"answers.chk.value": ["required"]}
    answers["chk"] = {}
    assert answer_errors(every_type, answers) == {"answers.chk.value": ["required"]}


@pytest.mark.parametrize("photos, key", [
    (["A" * 64], "answers.pic.photos[0]"),        # uppercase hex
    (["a" * 63], "answers.pic.photos[0]"),
    ([PHOTO, PHOTO], "answers.pic.photos"),       # same photo twice
    ("aaaa", "answers.pic.photos"),
    ([PHOTO, PHOTO2, "c" * 64], "answers.pic.photos"),   # over max_count
    ([], "answers.pic.photos"),                   # under min_count
])
def test_photo_references_are_sha256_and_counted(every_type, photos, key):
    answers = valid_every_type()
    answers["pic"] = {"photos": photos}
    assert list(answer_errors(every_type, answers)) == [key]


def test_na_only_where_allowed_and_alone():
    defn = load(section("s", item("a", allow_na=True), item("b")))
    checklists.validate_answers(defn, {"a": {"na": True}})
    errors = answer_errors(defn, {"a": {"na": True, "value": "pass"}, "b": {"na": True}})
    assert errors == {"answers.a.value": ["not allowed together with na"],
                      "answers.b.na": ["this item cannot be answered N/A"]}
    assert list(answer_errors(defn, {"a": {"na": "yes"}})) == ["answers.a.na"]


def test_answer_to_hidden_item_is_refused_with_the_reason():
    defn = load(section("s", item("a"), item("b", show_if={"item": "a", "equals": "fail"})),
                section("t", item("c"), show_if={"item": "a", "equals": "fail"}))
    checklists.validate_answers(defn, {"a": {"value": "fail"}, "b": {"value": "pass"},
                                       "c": {"value": "pass"}})
    errors = answer_errors(defn, {"a": {"value": "pass"}, "b": {"value": "pass"},
                                  "c": {"value": "pass"}})
    assert errors == {
        "answers.b": ["answered, but the item is not shown: it shows only when a == 'fail'"],
        "answers.c": ["answered, but the item is not shown: its section shows only when a == 'fail'"],
    }


def test_required_item_that_is_hidden_need_not_be_answered():
    defn = load(section("s", item("a"), item("b", required=True,
                                             show_if={"item": "a", "equals": "fail"})))
    checklists.validate_answers(defn, {"a": {"value": "pass"}})
    assert answer_errors(defn, {"a": {"value": "fail"}}) == {"answers.b.value": ["required"]}


@pytest.fixture(scope="module")
def rubric():
    return load(section(
        "s",
        deduction_item("range", 5, 0.5, 2, criteria=3),
        deduction_item("fixed", 5, 1, 1),
        item("snag", evidence={"scope": "defect", "photos": 1, "location": True}),
    ))


def test_deduction_within_range_and_criteria_once(rubric):
    checklists.validate_answers(rubric, {
        "range": {"value": "fail", "defects": [{"criterion": "range.1", "deduction": 0.5},
                                               {"criterion": "range.3", "deduction": 2}]},
        "fixed": {"value": "fail", "defects": [{}, {"deduction": 1}]},
    })
    errors = answer_errors(rubric, {
        "range": {"value": "fail", "defects": [
            {"criterion": "range.1", "deduction": 2.5},
            {"criterion": "range.1", "deduction": 1},
            {"criterion": "range.9", "deduction": 1},
            {"deduction": 1},
            {"criterion": "range.2"}]},
        "fixed": {"value": "fail", "defects": [{"deduction": 0.5}]},
    })
    assert errors == {
        "answers.range.defects[0].deduction": ["2.5 is outside the allowed 0.5-2"],
        "answers.range.defects[1].criterion": ["criterion 'range.1' is already counted"],
        "answers.range.defects[2].criterion": ["unknown criterion (one of range.1, range.2, range.3)"],
        "answers.range.defects[3].criterion": [
            "required: name the missing criterion (range.1, range.2, range.3)"],
        "answers.range.defects[4].deduction": ["required: pick 0.5-2"],
        "answers.fixed.defects[0].deduction": ["0.5 is outside the allowed 1"],
    }


def test_failed_deduction_item_needs_a_defect_and_a_pass_has_none(rubric):
    errors = answer_errors(rubric, {"fixed": {"value": "fail"},
                                    "range": {"value": "pass", "defects": [{"deduction": 1}]}})
    assert errors == {
        "answers.fixed.defects": ["a failed deduction item needs at least one defect"],
        "answers.range.defects": ["defects are only listed on a check item answered 'fail'"],
    }


def test_missing_evidence_per_defect(rubric):
    errors = answer_errors(rubric, {"snag": {"value": "fail", "defects": [
        {"location": "卧室北墙", "photos": [PHOTO]},
        {"photos": [PHOTO2]},
        {"location": "厨房"}]}})
    assert errors == {
        "answers.snag.defects[1].location": ["evidence required: where the defect is"],
        "answers.snag.defects[2].photos": [
            "evidence required: at least 1 photo(s) for a failed answer, got 0"],
    }
    assert answer_errors(rubric, {"snag": {"value": "fail"}}) == {
        "answers.snag.defects": ["a failed answer must list its defects (with evidence)"]}


def test_missing_evidence_on_the_answer_only_when_failed_or_flagged():
    defn = load(section("s",
                        item("chk", evidence={"photos": 1, "note": True}),
                        choice("opt", {"ok": 1, "bad": 0}, flagged=("bad",),
                               evidence={"photos": 2}),
                        item("temp", "reading", thresholds={"max": 26}, evidence={"note": True}),
                        item("cp", "checkpoint", tag="CP-1", evidence={"note": True})))
    checklists.validate_answers(defn, {"chk": {"value": "pass"}, "opt": {"value": "ok"},
                                       "temp": {"value": 20}, "cp": {"value": "CP-1"}})
    errors = answer_errors(defn, {"chk": {"value": "fail", "note": "  "},
                                  "opt": {"value": "bad", "photos": [PHOTO]},
                                  "temp": {"value": 30}, "cp": {"value": "CP-2"}})
    assert errors == {
        "answers.chk.photos": ["evidence required: at least 1 photo(s) for a failed answer, got 0"],
        "answers.chk.note": ["evidence required: a note explaining the failure"],
        "answers.opt.photos": ["evidence required: at least 2 photo(s) for a failed answer, got 1"],
        "answers.temp.note": ["evidence required: a note explaining the failure"],
        "answers.cp.note": ["evidence required: a note explaining the failure"],
    }


def test_answers_must_be_objects():
    defn = load(section("s", item("a")))
    assert answer_errors(defn, ["a"]) == {"answers": ["must be an object mapping item ids to answers"]}
    assert list(answer_errors(defn, {"a": "pass"})) == ["answers.a"]


def test_defects_with_points_only_on_deduction_items():
    defn = load(section("s", item("a")))
    errors = answer_errors(defn, {"a": {"value": "fail", "defects": [{"deduction": 1, "x": 1}]}})
    assert errors == {"answers.a.defects[0].x": ["unknown field"],
                      "answers.a.defects[0].deduction": ["this item is not scored by deduction"]}
