"""Hand-computed cases for each scoring rule, with the explanation of every line."""
from __future__ import annotations

import pytest

import checklists
from checklists import RULES_VERSION, score_result

from .builders import SEED002_BANDS, choice, deduction_item, item, load, section


def lines_by_id(report):
    return {line.item_id: line for s in report.sections for line in s.lines}


# -- additive -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def additive():
    return load(section(
        "s",
        item("pass2", weight=2),
        item("fail2", weight=2),
        choice("ok", {"good": 2, "ok": 1, "bad": 0}, weight=1.5),
        choice("multi", {"a": 1, "b": 2, "c": 3}, multiple=True),
        item("temp", "reading", unit="°C", weight=1, thresholds={"min": 18, "max": 26}),
        item("na", allow_na=True, weight=5),
        item("note", "text"),
    ))


ADDITIVE_ANSWERS = {
    "pass2": {"value": "pass"}, "fail2": {"value": "fail"}, "ok": {"value": "ok"},
    "multi": {"value": ["a", "c"]}, "temp": {"value": 30}, "na": {"na": True},
    "note": {"value": "unscored text"},
}


def test_additive_score_is_response_times_weight(additive):
    report = score_result(additive, ADDITIVE_ANSWERS)
    # 2 + 0 + 1*1.5 + (1+3) + 0 = 7.5 of 2 + 2 + 2*1.5 + (1+2+3) + 1 = 14; N/A (5) left out
    assert (report.total, report.max, report.percent) == (7.5, 14.0, 53.57)
    lines = lines_by_id(report)
    assert {k: (v.points, v.max) for k, v in lines.items()} == {
        "pass2": (2.0, 2.0), "fail2": (0.0, 2.0), "ok": (1.5, 3.0), "multi": (4.0, 6.0),
        "temp": (0.0, 1.0), "na": (0.0, 5.0)}
    assert lines["na"].counted is False and lines["na"].status == "na"
    assert "note" not in lines                     # text items are not scored
    assert report.rules_version == RULES_VERSION


def test_additive_explanations(additive):
    lines = lines_by_id(score_result(additive, ADDITIVE_ANSWERS))
    assert lines["pass2"].explanation("zh") == "合格×权重2 → 2/2"
    assert lines["pass2"].explanation("en") == "pass × weight 2 → 2/2"
    assert lines["fail2"].explanation("zh") == "不合格 → 0/2"
    assert lines["ok"].explanation("zh") == "选「ok(中)」(1分×权重1.5) → 1.5/3"
    assert lines["multi"].explanation("en") == "chose “a”, “c” (4 points) → 4/6"
    assert lines["temp"].explanation("zh") == "读数30°C, 超出阈值(18–26) → 0/1"
    assert lines["na"].explanation("zh") == "不适用, 不计入得分与满分"
    assert lines["na"].explanation("en") == "N/A: left out of score and maximum"


def test_flags_name_failed_flagged_and_out_of_range_answers():
    defn = load(section("s", item("chk"), choice("opt", {"ok": 1, "bad": 0}, flagged=("bad",)),
                        item("temp", "reading", thresholds={"max": 26}),
                        item("cp", "checkpoint", tag="CP-1")))
    report = score_result(defn, {"chk": {"value": "fail"}, "opt": {"value": "bad"},
                                 "temp": {"value": 27}, "cp": {"value": "CP-9"}})
    assert [(f.item_id, f.reason) for f in report.flags] == [
        ("chk", "fail"), ("opt", "flagged_option"), ("temp", "out_of_range"), ("cp", "wrong_tag")]
    # the unweighted reading and the checkpoint flag but do not score
    assert report.max == 2.0


@pytest.mark.parametrize("policy, expected", [("zero", (1.0, 3.0)), ("exclude", (1.0, 1.0))])
def test_unanswered_policy(policy, expected):
    defn = load(section("s", item("a"), item("b", weight=2)), scoring={"unanswered": policy})
    report = score_result(defn, {"a": {"value": "pass"}})
    assert (report.total, report.max) == expected
    line = lines_by_id(report)["b"]
    assert line.status == "unanswered"
    assert line.explanation("zh") == ("未作答, 按0分计 → 0/2" if policy == "zero"
                                      else "未作答, 不计入满分")


def test_hidden_items_are_excluded_from_score_and_maximum():
    defn = load(section("s", item("a"), item("b", weight=10, show_if={"item": "a", "equals": "fail"})))
    report = score_result(defn, {"a": {"value": "pass"}})
    assert (report.total, report.max, report.percent) == (1.0, 1.0, 100.0)
    assert lines_by_id(report)["b"].explanation("zh") == "未显示(条件未满足), 不计分"


# -- deduction (扣分制) ------------------------------------------------------------------

def test_fixed_deduction_example_from_the_issue():
    rule = {"min": 1, "max": 1, "label": {"zh": "每缺一项扣1分", "en": "−1 per missing point"}}
    defn = load(section("s", {**deduction_item("d", 5, 1, 1, criteria=5), "deduction": rule}))
    report = score_result(defn, {"d": {"value": "fail", "defects": [{"criterion": "d.2"},
                                                                     {"criterion": "d.4"}]}})
    line = lines_by_id(report)["d"]
    assert (line.points, line.max) == (3.0, 5.0)
    assert line.explanation("zh") == "每缺一项扣1分: 缺2项 → −2, 本项得3/5"
    assert line.explanation("en") == "−1 per missing point: 2 missing → −2, item 3/5"


def test_range_deduction_uses_the_inspectors_choice():
    defn = load(section("s", deduction_item("d", 5, 0.5, 2)))
    report = score_result(defn, {"d": {"value": "fail", "defects": [{"deduction": 1.5},
                                                                     {"deduction": 0.5}]}})
    line = lines_by_id(report)["d"]
    assert (line.points, report.total, report.percent) == (3.0, 3.0, 60.0)
    assert line.explanation("zh") == "每项扣0.5–2分: 2处问题(1.5、0.5) → −2, 本项得3/5"


def test_deduction_is_capped_at_the_items_points():
    defn = load(section("s", deduction_item("d", 2, 0.5, 1, criteria=3), item("other")))
    report = score_result(defn, {"d": {"value": "fail", "defects": [
        {"criterion": f"d.{k}", "deduction": 1} for k in (1, 2, 3)]}, "other": {"value": "pass"}})
    line = lines_by_id(report)["d"]
    assert (line.points, line.max) == (0.0, 2.0)
    assert (report.total, report.max) == (1.0, 3.0)
    assert line.explanation("zh") == "每项扣0.5–1分: 缺3项(1、1、1) → −3, 扣完为止, 本项得0/2"


def test_pass_keeps_all_points_and_small_decimals_do_not_drift():
    defn = load(section("s", deduction_item("a", 4, 0.2, 1), deduction_item("b", 4, 0.2, 1)))
    report = score_result(defn, {"a": {"value": "pass"}, "b": {"value": "fail", "defects": [
        {"deduction": 0.2}, {"deduction": 0.2}, {"deduction": 0.2}]}})
    assert lines_by_id(report)["a"].explanation("zh") == "符合, 本项得4/4"
    assert lines_by_id(report)["b"].points == 3.4        # not 3.4000000000000004
    assert (report.total, report.percent) == (7.4, 92.5)


# -- section weights ---------------------------------------------------------------------

def weighted():
    return load(section("a", item("a1"), item("a2"), weight=3),
                section("b", item("b1", allow_na=True), weight=1))


def test_section_weights_combine_section_percents():
    report = score_result(weighted(), {"a1": {"value": "pass"}, "a2": {"value": "fail"},
                                       "b1": {"value": "pass"}})
    # (3 x 50% + 1 x 100%) / 4 = 62.5% of scale 100
    assert (report.total, report.max, report.percent) == (62.5, 100.0, 62.5)
    assert [s.effective_weight for s in report.sections] == [0.75, 0.25]
    assert report.explanation("zh")[0] == "版块加权: a(中) 50%×75% + b(中) 100%×25% = 62.5%, 折合 62.5/100"


def test_a_section_entirely_na_rebalances_the_others():
    report = score_result(weighted(), {"a1": {"value": "pass"}, "a2": {"value": "fail"},
                                       "b1": {"na": True}})
    assert (report.total, report.max, report.percent) == (50.0, 100.0, 50.0)
    assert report.sections[1].status == "na"
    assert [s.effective_weight for s in report.sections] == [1.0, None]
    assert "权重按其余版块重新分配" in report.explanation("zh")[0]


def test_four_blocks_at_25_percent_each_like_seed_002():
    blocks = [section(f"b{k}", deduction_item(f"i{k}", 100, 1, 100), weight=25) for k in range(4)]
    defn = load(*blocks)
    got = {"i0": 100, "i1": 90, "i2": 80, "i3": 70}
    answers = {k: ({"value": "pass"} if v == 100 else
                   {"value": "fail", "defects": [{"deduction": 100 - v}]}) for k, v in got.items()}
    report = score_result(defn, answers)
    assert (report.total, report.percent) == (85.0, 85.0)


# -- veto ------------------------------------------------------------------------------

def veto_definition(effect="zero", cap=None, show_if=None):
    veto = {"effect": effect, **({"cap_percent": cap} if cap is not None else {})}
    extra = {"show_if": show_if} if show_if else {}
    return load(section("s", item("gate"), *[item(f"i{k}") for k in range(9)],
                        item("v", veto=veto, **extra)), scoring=SEED002_BANDS)


def all_pass(defn, **overrides):
    answers = {i: {"value": "pass"} for i in defn.items_by_id}
    answers.update(overrides)
    return answers


def test_veto_zeroes_the_total():
    defn = veto_definition()
    report = score_result(defn, all_pass(defn, v={"value": "fail"}))
    assert (report.total, report.max, report.percent, report.band.id) == (0.0, 11.0, 0.0, "fail")
    assert report.veto["item_id"] == "v"
    assert report.explanation("zh")[1] == "一票否决: 「v(中)」不合格 → 总分清零"


def test_veto_caps_the_percent():
    defn = veto_definition("cap", 60)
    report = score_result(defn, all_pass(defn, v={"value": "fail"}))
    # 10/11 = 90.91% capped at 60% -> 6.6 of 11
    assert (report.percent, report.total) == (60.0, 6.6)
    assert score_result(defn, all_pass(defn)).veto is None


def test_zero_beats_cap_and_hidden_veto_items_do_not_count():
    defn = load(section("s", item("a", veto={"effect": "cap", "cap_percent": 50}),
                        item("b", veto={"effect": "zero"}),
                        item("c", veto={"effect": "zero"}, show_if={"item": "a", "equals": "pass"})))
    report = score_result(defn, {"a": {"value": "fail"}, "b": {"value": "fail"}})
    assert report.veto["effect"] == "zero" and report.veto["items"] == ["a", "b"]
    defn2 = veto_definition(show_if={"item": "gate", "equals": "fail"})
    assert score_result(defn2, all_pass(defn2)).veto is None


# -- bands ------------------------------------------------------------------------------

@pytest.mark.parametrize("score, band, marks", [
    (0, "fail", []), (79, "fail", []), (79.5, "fail", []), (80, "good", []), (90, "good", []),
    (90.5, "good", []), (91, "excellent", []), (95.99, "excellent", []),
    (96, "excellent", ["team_bonus"]), (100, "excellent", ["team_bonus"]),
])
def test_seed_002_bands_and_team_bonus(score, band, marks):
    defn = load(section("s", deduction_item("d", 100, 0.01, 100)), scoring=SEED002_BANDS)
    answers = {"d": {"value": "pass"}} if score == 100 else {
        "d": {"value": "fail", "defects": [{"deduction": round(100 - score, 2)}]}}
    report = score_result(defn, answers)
    assert report.percent == score
    assert report.band.id == band
    assert [m.id for m in report.marks] == marks


def test_nothing_applicable_gives_no_percent_and_no_band():
    defn = load(section("s", item("a", allow_na=True)), scoring=SEED002_BANDS)
    report = score_result(defn, {"a": {"na": True}})
    assert (report.total, report.max, report.percent, report.band) == (0.0, 0.0, None, None)
    assert report.explanation("en") == ["nothing applicable to score"]


def test_report_to_dict_is_json_ready_and_complete():
    defn = load(section("s", deduction_item("d", 5, 1, 1)), scoring=SEED002_BANDS)
    data = score_result(defn, {"d": {"value": "fail", "defects": [{}]}}).to_dict()
    assert data["total"] == 4.0 and data["percent"] == 80.0 and data["band"]["id"] == "good"
    assert data["rules_version"] == RULES_VERSION
    assert data["definition_id"] == "test-def" and data["definition_version"] == 1
    line = data["sections"][0]["lines"][0]
    assert line["explanation"] == {"zh": "每项扣1分: 1处问题 → −1, 本项得4/5",
                                   "en": "−1 per defect: 1 defect → −1, item 4/5"}
    assert data["explanation"]["zh"] == ["合计 4/5 = 80%", "等级: good(中) (≥80%)"]


def test_evaluate_validates_before_scoring():
    defn = load(section("s", deduction_item("d", 5, 0.5, 2)))
    with pytest.raises(checklists.AnswersInvalid) as err:
        checklists.evaluate(defn, {"d": {"value": "fail", "defects": [{"deduction": 3}]}})
    assert list(err.value.errors) == ["answers.d.defects[0].deduction"]
    assert checklists.evaluate(defn, {"d": {"value": "pass"}}).total == 5.0


def test_na_on_a_deduction_rubric_item_rescales_to_100_when_the_definition_says_so():
    """空置房管理 on a project with no vacant units: N/A, and the rest is scored out of 100."""
    from .builders import deduction_item, definition, section

    def rubric(na):
        return checklists.load_definition(definition(
            section("cs", deduction_item("cs.service", 60, 1, 1),
                    deduction_item("cs.complaints", 35, 1, 1),
                    {**deduction_item("cs.vacant", 5, 0.5, 2, allow_na=True),
                     "label": {"zh": "空置房管理", "en": "vacant units"}}),
            scoring={"na": na} if na else {}))
    answers = {"cs.service": {"value": "pass"},
               "cs.complaints": {"value": "fail", "defects": [{}, {}, {}]},
               "cs.vacant": {"na": True}}
    plain = checklists.score_result(rubric(None), answers)
    assert (plain.total, plain.max, plain.percent) == (92.0, 95.0, 96.84)
    rescaled = checklists.score_result(rubric("rescale"), answers)
    # 92 of the applicable 95, brought to 100: 92 / 95 x 100 = 96.8421
    assert (rescaled.total, rescaled.max, rescaled.percent) == (96.8421, 100.0, 96.84)
    assert rescaled.explanation("zh")[0] == (
        "不适用: 空置房管理(共5分); 按适用项满分95折算为100分: 92/95 → 96.8421/100 = 96.84%")
    defn = rubric("rescale")
    assert checklists.explain_record(defn, answers, rescaled.to_record()) == rescaled.to_dict()
    full = checklists.score_result(defn, {**answers, "cs.vacant": {"value": "pass"}})
    assert full.rescaled is None and (full.total, full.max) == (97.0, 100.0)
