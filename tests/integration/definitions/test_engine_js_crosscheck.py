"""The field app's JavaScript engine scores exactly like the server's Python one.

Every built-in template and the feature definitions of
engine_feature_definitions.py, each with edge-case and seeded random answer
sets (over a thousand in all), are validated and scored by ``checklists`` and
by ``server/field_app/static/js/engine`` (one ``node tests/js/crosscheck.mjs``
process); totals, bands, sections, lines, deductions, flags, explanations and
answer problems must be identical. A second check runs random JSON Logic
rules through the server's evaluator and the app's, a third the targeted
rules of engine_rule_cases.py (times, numbers as text). A failure names the
definition, the answer set and the first field that differs.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import datalogic_py
import pytest

import checklists
from checklists import answer_errors, builtin_definitions, load_definition, score_result
from checklists.plan import DEDUCTION
from checklists.report import round_points

from .engine_answer_sets import answer_sets
from .engine_feature_definitions import feature_definitions
from .engine_rule_cases import TARGETED
from .engine_rule_fuzz import random_rules

ROOT = Path(__file__).resolve().parents[3]
CROSSCHECK = ROOT / "tests" / "js" / "crosscheck.mjs"
RANDOM_SETS = 60
RANDOM_RULES = 10_000
RULE_SEED = int(os.environ.get("ENGINE_RULE_SEED", "17"))


def run_node(payload: dict) -> dict:
    node = shutil.which("node")
    assert node, "node (Debian package nodejs) is needed to run the field app's engine"
    done = subprocess.run([node, str(CROSSCHECK)], input=json.dumps(payload).encode(),
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def _instance(value) -> int | None:
    return None if value is None else value["index"]


def _deduction_reason(line) -> str:
    if line.status == "unanswered":
        return "unanswered"
    if line.planned.mode == DEDUCTION:
        return "defects"
    return line.planned.failure(line.detail) or "partial"


def python_score(report: checklists.ScoreReport) -> dict[str, Any]:
    """The server's report in the app's ``ev.score`` shape."""
    d = report.to_dict()
    lines = [line for s in report.sections for line in s.lines]
    return {
        "total": d["total"], "max": d["max"], "percent": d["percent"],
        "band": d["band"]["id"] if d["band"] else None,
        "band_label": d["band"]["label"] if d["band"] else None,
        "marks": [m["id"] for m in d["marks"]], "weighted": d["weighted"],
        "rescaled": d.get("rescaled"), "veto": d["veto"],
        "flags": [{"item": f["item_id"], "reason": f["reason"],
                   "instance": _instance(f.get("instance"))} for f in d["flags"]],
        "sections": [{
            "id": s["section_id"], "title": s["title"], "status": s["status"],
            "score": s["points"], "max": s["max"], "percent": s["percent"],
            "weight": s["weight"], "effective_weight": s["effective_weight"],
            "instance": _instance(s.get("instance")), "repeat": s.get("repeat"),
            "explanation": s.get("explanation"),
            "lines": [{"item": ln["item_id"], "status": ln["status"], "points": ln["points"],
                       "max": ln["max"], "counted": ln["counted"],
                       "instance": _instance(ln.get("instance")),
                       "explanation": ln["explanation"]} for ln in s["lines"]],
        } for s in d["sections"]],
        "deductions": [{
            "item": ln.item_id, "instance": None if ln.instance is None else ln.instance[0],
            "points": round_points(ln.max - ln.points), "reason": _deduction_reason(ln),
            "explanation": ln.to_dict()["explanation"],
        } for ln in lines if ln.counted and ln.points < ln.max],
        "explanation": d["explanation"],
    }


def first_difference(py: Any, js: Any, path: str = "") -> str | None:
    """Where two JSON values first differ (numbers by value, never a bool for a number)."""
    if isinstance(py, bool) or isinstance(js, bool):
        return None if py is js else f"{path or '.'}: python {py!r} != js {js!r}"
    if isinstance(py, (int, float)) and isinstance(js, (int, float)):
        # beyond 2^53 JavaScript writes a double's shortest digits, which read back as another int
        same = py == js or float(py) == float(js)
        return None if same else f"{path}: python {py!r} != js {js!r}"
    if isinstance(py, dict) and isinstance(js, dict):
        if set(py) != set(js):
            return f"{path}: keys python {sorted(py)} != js {sorted(js)}"
        for key in py:
            found = first_difference(py[key], js[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(py, (list, tuple)) and isinstance(js, list):
        for k, (a, b) in enumerate(zip(py, js)):
            found = first_difference(a, b, f"{path}[{k}]")
            if found:
                return found
        return None if len(py) == len(js) else f"{path}: {len(py)} items in python, {len(js)} in js"
    return None if py == js else f"{path or '.'}: python {py!r} != js {js!r}"


def definitions_under_test() -> dict[str, tuple[dict, int]]:
    """Name -> (definition document, random answer sets).

    Mostly the canonical form a device pulls (``to_dict()``, every default
    stated); the documents as written, defaults left out, get fewer sets.
    """
    raw = {d["id"]: d for d in builtin_definitions()} | feature_definitions()
    pulled = {name: (load_definition(doc).to_dict(), RANDOM_SETS) for name, doc in raw.items()}
    return pulled | {f"as-written:{name}": (doc, 3) for name, doc in raw.items()}


def python_side(definition, answers) -> dict[str, Any]:
    errors = answer_errors(definition, answers)
    try:
        score = python_score(score_result(definition, answers))
    except (TypeError, AttributeError, KeyError, ValueError):  # invalid answers the server refuses
        score = None
    return {"problems": [[path, m] for path, messages in errors.items() for m in messages],
            "score": score}


def test_engine_scores_every_answer_set_exactly_like_the_server():
    under_test = definitions_under_test()
    docs = {name: doc for name, (doc, _) in under_test.items()}
    cases, expected = [], []
    for seed, (name, (doc, random_sets)) in enumerate(under_test.items()):
        definition = load_definition(doc)
        for set_name, answers in answer_sets(definition, seed, random_sets):
            cases.append({"definition": name, "answers": answers, "set": set_name})
            expected.append(python_side(definition, answers))
    assert len(cases) >= 1000
    scored = sum(1 for e in expected if e["score"] is not None)
    assert scored >= 1000, f"only {scored} answer sets could be scored"
    got = run_node({"definitions": docs, "cases": cases})["cases"]
    for case, py, js in zip(cases, expected, got, strict=True):
        where = f"{case['definition']} / answer set {case['set']}"
        assert js["error"] is None, f"{where}: the JS engine failed: {js['error']}"
        difference = first_difference(py["problems"], js["problems"], "problems")
        assert difference is None, f"{where}: {difference}\nanswers: {json.dumps(case['answers'], ensure_ascii=False)}"
        if py["score"] is not None:
            difference = first_difference(py["score"], js["score"], "score")
            assert difference is None, (f"{where}: {difference}\n"
                                        f"answers: {json.dumps(case['answers'], ensure_ascii=False)}")


_ENGINE = datalogic_py.Engine()


def _server_value(rule, data):
    try:
        return _ENGINE.compile(rule).evaluate(data)
    except datalogic_py.DataLogicError:
        return None


def test_json_logic_rules_evaluate_like_the_servers_evaluator():
    rng = random.Random(RULE_SEED)
    cases = [{"rule": rule, "data": data} for rule, data in random_rules(rng, RANDOM_RULES)]
    expected = [_server_value(c["rule"], c["data"]) for c in cases]
    got = run_node({"expressions": cases})["expressions"]
    for case, py, js in zip(cases, expected, got, strict=True):
        difference = first_difference(py, js, "value")
        assert difference is None, f"rule {json.dumps(case['rule'])} over {case['data']}: {difference}"


def test_each_rule_ported_from_the_servers_evaluator_gives_its_value():
    got = run_node({"expressions": [{"rule": rule, "data": {}} for rule, _ in TARGETED]})
    for (rule, expected), js in zip(TARGETED, got["expressions"], strict=True):
        py = _server_value(rule, {})
        assert first_difference(expected, py) is None, f"{json.dumps(rule)}: the server answers {py!r}"
        difference = first_difference(py, js, "value")
        assert difference is None, f"rule {json.dumps(rule, ensure_ascii=False)}: {difference}"


@pytest.mark.parametrize("script", sorted((ROOT / "tests" / "js").glob("*.test.mjs")),
                         ids=lambda p: p.name)
def test_node_unit_tests(script):
    node = shutil.which("node")
    assert node, "node (Debian package nodejs) is needed"
    done = subprocess.run([node, "--test", str(script)], capture_output=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
