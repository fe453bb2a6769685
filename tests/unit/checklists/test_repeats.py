"""Repeat groups: a handover of a three-bedroom unit, room by room."""
from __future__ import annotations

import pytest

import checklists

from .builders import answer_errors, choice, definition, deduction_item, errors_of, item, label, load, section

ROOMS = ["客厅", "主卧", "次卧1", "次卧2", "厨房", "卫生间1", "卫生间2", "阳台"]
WET = {"厨房", "卫生间1", "卫生间2"}


def handover(scoring: str = "sum"):
    def named(data, zh, en):
        return {**data, "label": {"zh": zh, "en": en}}

    return load(section(
        "ho.room",
        choice("ho.room.kind", {"dry": 0, "wet": 0}, weight=0, required=True),
        named(deduction_item("ho.room.wall", 5, 1, 1), "墙面", "walls"),
        named(deduction_item("ho.room.floor", 5, 1, 1), "地面", "floor"),
        named(deduction_item("ho.room.drain", 5, 2, 2,
                             show_if={"item": "ho.room.kind", "equals": "wet"}), "地漏坡向",
              "floor-drain slope"),
        repeat={"min": 1, "max": 12, "label": label("room name"), "scoring": scoring}))


def unit_answers():
    rooms = []
    for name in ROOMS:
        answers = {"ho.room.kind": {"value": "wet" if name in WET else "dry"},
                   "ho.room.wall": {"value": "pass"}, "ho.room.floor": {"value": "pass"}}
        if name in WET:
            answers["ho.room.drain"] = {"value": "pass"}
        rooms.append({"label": name, "answers": answers})
    rooms[1]["answers"]["ho.room.wall"] = {"value": "fail", "defects": [
        {"note": "裂缝"}, {"note": "空鼓"}]}
    rooms[6]["answers"]["ho.room.drain"] = {"value": "fail", "defects": [{"note": "地漏反坡"}]}
    return {"ho.room": rooms}


def test_three_bedroom_unit_scored_and_explained_per_room():
    defn = handover()
    answers = unit_answers()
    checklists.validate_answers(defn, answers)
    report = checklists.score_result(defn, answers)
    # 5 dry rooms x 10 + 3 wet rooms x 15 = 95; 主卧 walls -2, 卫生间2 drain -2
    assert (report.total, report.max, report.percent) == (91.0, 95.0, 95.79)
    (room_section,) = report.sections
    assert room_section.repeat["instances"] == [
        [10.0, 10.0], [8.0, 10.0], [10.0, 10.0], [10.0, 10.0],
        [15.0, 15.0], [15.0, 15.0], [13.0, 15.0], [10.0, 10.0]]
    lost = [ln.explanation("zh") for ln in room_section.lines
            if ln.status == "scored" and ln.points < ln.max]
    assert lost == ["主卧: 墙面 — 每项扣1分: 2处问题 → −2, 本项得3/5",
                    "卫生间2: 地漏坡向 — 每项扣2分: 1处问题 → −2, 本项得3/5"]
    hidden_drains = [ln.instance[1] for ln in room_section.lines
                     if ln.item_id == "ho.room.drain" and ln.status == "hidden"]
    assert hidden_drains == ["客厅", "主卧", "次卧1", "次卧2", "阳台"]
    data = report.to_dict()
    assert data["sections"][0]["explanation"]["zh"] == "8个实例合计 → 91/95"
    assert checklists.explain_record(defn, answers, report.to_record()) == data


def test_each_instance_a_section_of_its_own():
    defn = handover("each")
    answers = unit_answers()
    report = checklists.score_result(defn, answers)
    assert [(s.title.zh, s.points, s.max) for s in report.sections] == [
        ("ho.room(中): 客厅", 10.0, 10.0), ("ho.room(中): 主卧", 8.0, 10.0),
        ("ho.room(中): 次卧1", 10.0, 10.0), ("ho.room(中): 次卧2", 10.0, 10.0),
        ("ho.room(中): 厨房", 15.0, 15.0), ("ho.room(中): 卫生间1", 15.0, 15.0),
        ("ho.room(中): 卫生间2", 13.0, 15.0), ("ho.room(中): 阳台", 10.0, 10.0)]
    assert (report.total, report.max) == (91.0, 95.0)
    assert checklists.explain_record(defn, answers, report.to_record()) == report.to_dict()


@pytest.mark.parametrize("scoring, points, maximum, sentence", [
    ("worst", 8.0, 10.0, "8个实例中按最差的「主卧」计 → 8/10"),
    # mean percent (6 x 100 %, 80 %, 86.67 %) / 8 = 95.83 % of the mean maximum 95 / 8 = 11.875
    ("mean", 11.3802, 11.875, "按8个实例的平均得分率计 → 11.3802/11.875"),
])
def test_worst_and_mean_over_rooms(scoring, points, maximum, sentence):
    defn = handover(scoring)
    answers = unit_answers()
    report = checklists.score_result(defn, answers)
    (room,) = report.sections
    assert (room.points, room.max) == (points, maximum)
    assert report.to_dict()["sections"][0]["explanation"]["zh"] == sentence
    assert checklists.explain_record(defn, answers, report.to_record()) == report.to_dict()


def test_instance_count_labels_and_addressing_are_checked():
    defn = handover()
    too_many = {"ho.room": [{"label": f"房{k}", "answers": {"ho.room.kind": {"value": "dry"}}}
                            for k in range(13)]}
    assert answer_errors(defn, too_many)["answers.ho.room"] == [
        "needs 1-12 instances (room name), got 13"]
    assert answer_errors(defn, {})["answers.ho.room"] == ["needs 1-12 instances (room name), got 0"]
    twice = {"ho.room": [{"label": "主卧", "answers": {"ho.room.kind": {"value": "dry"}}},
                         {"label": "主卧", "answers": {"ho.room.kind": {"value": "dry"}}}]}
    assert answer_errors(defn, twice) == {
        "answers.ho.room[1].label": ["'主卧' is already used by another instance"]}
    dry_drain = {"ho.room": [{"label": "主卧", "answers": {
        "ho.room.kind": {"value": "dry"}, "ho.room.drain": {"value": "pass"}}}]}
    assert list(answer_errors(defn, dry_drain)) == ["answers.ho.room[0].answers.ho.room.drain"]
    top_level = {"ho.room": [{"label": "主卧", "answers": {"ho.room.kind": {"value": "dry"}}}],
                 "ho.room.wall": {"value": "pass"}}
    assert answer_errors(defn, top_level) == {"answers.ho.room.wall": [
        "belongs to the repeated section 'ho.room': answer it in answers.ho.room[n].answers"]}


def test_nothing_outside_a_repeat_may_read_an_item_inside_one():
    bad = definition(
        section("rooms", item("r.ok"), repeat={"max": 3, "label": label("room")}),
        section("after", item("x", show_if={"item": "r.ok", "equals": "fail"})))
    assert errors_of(bad) == {"sections[1].items[0].show_if.item": [
        "'r.ok' is inside the repeated section 'rooms'; only items of the same instance may "
        "use it"]}
    bounds = definition(section("rooms", item("r.ok"),
                                repeat={"min": 5, "max": 3, "label": label("room")}))
    assert errors_of(bounds) == {"sections[0].repeat.min": ["must not exceed max (3)"]}


def test_a_hidden_repeated_section_takes_no_instances():
    defn = load(section("meta", choice("scope", {"unit": 0, "public": 0}, weight=0)),
                section("rooms", item("r.ok"), show_if={"item": "scope", "equals": "unit"},
                        repeat={"min": 0, "max": 3, "label": label("room")}))
    answers = {"scope": {"value": "public"},
               "rooms": [{"label": "主卧", "answers": {"r.ok": {"value": "pass"}}}]}
    assert answer_errors(defn, answers) == {"answers.rooms": [
        "answered, but the section is not shown: it shows only when scope == 'unit'"]}
    report = checklists.score_result(defn, {"scope": {"value": "public"}})
    assert [s.status for s in report.sections] == ["unscored", "hidden"]


def test_a_repeated_section_id_must_not_be_an_item_id():
    bad = definition(section("dup", item("a")),
                     section("b", item("dup2"), repeat={"max": 2, "label": label("x")}),
                     section("c", item("b")))
    assert "sections[1].id" in errors_of(bad)
