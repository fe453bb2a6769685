"""Property tests: scoring invariants over random definitions and random valid answers."""
from __future__ import annotations

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checklists
from checklists import score_result, validate_answers, visible_items

from .builders import label

SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

half_points = st.integers(min_value=1, max_value=20).map(lambda n: n / 2)   # 0.5 .. 10
weights = st.sampled_from([0, 0.5, 1, 2, 3.5])


@st.composite
def items(draw, item_id: str, earlier_checks: list[str]):
    kind = draw(st.sampled_from(["check", "deduction", "choice", "reading"]))
    data: dict = {"id": item_id, "label": label(item_id), "allow_na": draw(st.booleans())}
    if kind == "check":
        data.update(type="check", weight=draw(weights))
    elif kind == "deduction":
        points = draw(half_points)
        low = draw(st.integers(min_value=1, max_value=int(points * 10)).map(lambda n: n / 10))
        high = draw(st.integers(min_value=int(low * 10), max_value=int(points * 10)).map(lambda n: n / 10))
        data.update(type="check", points=points, deduction={"min": low, "max": high})
    elif kind == "choice":
        scores = draw(st.lists(st.integers(min_value=0, max_value=5), min_size=2, max_size=4))
        if not any(scores):
            scores[0] = 1
        data.update(type="choice", weight=draw(weights.filter(bool)),
                    multiple=draw(st.booleans()),
                    # flagged responses are the bad ones: only zero-score options get a flag
                    options=[{"id": f"o{k}", "label": label(f"o{k}"), "score": s,
                              "flag": s == 0 and draw(st.booleans())}
                             for k, s in enumerate(scores)])
    else:
        low = draw(st.integers(min_value=-10, max_value=10))
        data.update(type="reading", weight=draw(weights),
                    thresholds={"min": low, "max": low + draw(st.integers(0, 20))})
    if kind != "reading" and draw(st.integers(0, 9)) == 0:
        data["veto"] = draw(st.sampled_from([{"effect": "zero"},
                                             {"effect": "cap", "cap_percent": 60}]))
    if earlier_checks and draw(st.integers(0, 3)) == 0:
        data["show_if"] = {"item": draw(st.sampled_from(earlier_checks)),
                           "equals": draw(st.sampled_from(["pass", "fail"]))}
    return data


@st.composite
def definitions(draw):
    section_count = draw(st.integers(1, 4))
    weighted = draw(st.booleans())
    checks: list[str] = []
    sections = []
    for s in range(section_count):
        section_items = []
        for i in range(draw(st.integers(1, 5))):
            data = draw(items(f"s{s}.i{i}", list(checks)))
            if data["type"] == "check":
                checks.append(data["id"])
            section_items.append(data)
        section = {"id": f"s{s}", "title": label(f"s{s}"), "items": section_items}
        if weighted:
            section["weight"] = draw(st.integers(1, 5))
        sections.append(section)
    unanswered = draw(st.sampled_from(["zero", "exclude"]))
    return checklists.load_definition({
        "id": "prop", "version": 1, "kind": "inspection", "title": label("prop"),
        "scoring": {"unanswered": unanswered}, "sections": sections})


def prune_hidden(defn, answers: dict) -> dict:
    """Drop answers to items the answers themselves hide (repeat until stable)."""
    while True:
        shown = visible_items(defn, answers)
        kept = {k: v for k, v in answers.items() if shown[k]}
        if kept == answers:
            return kept
        answers = kept


def random_answer(draw, item):
    choices = ["skip", "value"] + (["na"] if item.allow_na else [])
    mode = draw(st.sampled_from(choices))
    if mode == "skip":
        return None
    if mode == "na":
        return {"na": True}
    if item.type == "check":
        value = draw(st.sampled_from(["pass", "fail"]))
        if value == "fail" and item.deduction is not None:
            rule = item.deduction
            amounts = draw(st.lists(st.floats(rule.min, rule.max), min_size=1, max_size=6))
            return {"value": "fail", "defects": [{"deduction": a} for a in amounts]}
        return {"value": value}
    if item.type == "choice":
        ids = [o.id for o in item.options]
        if item.multiple:
            return {"value": draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))}
        return {"value": draw(st.sampled_from(ids))}
    return {"value": draw(st.floats(-50, 50))}


def random_answers(defn, draw) -> dict:
    """Valid answers to ``defn``: a random answer per item, hidden items left out."""
    answers = {}
    for item_id, item in defn.items_by_id.items():
        answer = random_answer(draw, item)
        if answer is not None:
            answers[item_id] = answer
    return prune_hidden(defn, answers)


def perfect_answer(item):
    if item.type == "check":
        return {"value": "pass"}
    if item.type == "choice":
        if item.multiple:
            return {"value": [o.id for o in item.options if o.score > 0]}
        best = max(item.options, key=lambda o: o.score)
        return {"value": best.id}
    low, high = item.thresholds.min, item.thresholds.max
    return {"value": (low + high) / 2}


@SETTINGS
@given(definitions(), st.data())
def test_score_never_exceeds_max(defn, data):
    answers = random_answers(defn, data.draw)
    validate_answers(defn, answers)           # the generator only makes valid answers
    report = score_result(defn, answers)
    assert 0 <= report.total <= report.max
    assert report.percent is None or 0 <= report.percent <= 100
    for section in report.sections:
        assert 0 <= section.points <= section.max
        for line in section.lines:
            assert 0 <= line.points <= line.max


@SETTINGS
@given(definitions(), st.data())
def test_na_never_lowers_the_percent_of_an_otherwise_perfect_result(defn, data):
    perfect = prune_hidden(defn, {k: perfect_answer(i) for k, i in defn.items_by_id.items()})
    baseline = score_result(defn, perfect)
    na_allowed = [k for k in perfect if defn.items_by_id[k].allow_na]
    chosen = data.draw(st.lists(st.sampled_from(na_allowed), unique=True)) if na_allowed else []
    with_na = prune_hidden(defn, {**perfect, **{k: {"na": True} for k in chosen}})
    report = score_result(defn, with_na)
    assert baseline.percent in (100.0, None)
    assert report.percent in (100.0, None)
    if baseline.percent is not None and report.percent is not None:
        assert report.percent >= baseline.percent


@SETTINGS
@given(st.data())
def test_a_deduction_never_makes_an_item_negative(data):
    points = data.draw(half_points)
    low = data.draw(st.floats(0.01, points))
    high = data.draw(st.floats(low, points))
    defn = checklists.load_definition({
        "id": "d", "version": 1, "kind": "inspection", "title": label("d"),
        "sections": [{"id": "s", "title": label("s"), "items": [
            {"id": "d", "type": "check", "label": label("d"), "points": points,
             "deduction": {"min": low, "max": high}}]}]})
    amounts = data.draw(st.lists(st.floats(low, high), min_size=1, max_size=50))
    answers = {"d": {"value": "fail", "defects": [{"deduction": a} for a in amounts]}}
    validate_answers(defn, answers)
    line = score_result(defn, answers).sections[0].lines[0]
    assert 0 <= line.points <= points
    expected = max(points - sum(amounts), 0)
    assert abs(line.points - expected) < 1e-3


@settings(SETTINGS, max_examples=40)
@given(definitions())
def test_generated_definitions_round_trip(defn):
    assert checklists.load_definition(defn.to_dict()) == defn


@SETTINGS
@given(definitions(), st.data())
def test_a_stored_record_explains_exactly_what_the_report_said(defn, data):
    answers = random_answers(defn, data.draw)
    report = checklists.evaluate(defn, answers)
    stored = orjson.loads(orjson.dumps(report.to_record()))  # as a result keeps it
    assert checklists.explain_record(defn, answers, stored) == report.to_dict()
    assert len(orjson.dumps(stored)) < len(orjson.dumps(report.to_dict()))
