"""Scoring throughput: item responses scored per second, and rescoring 100k results.

Run:  python bench/scoring.py [--results N] [--full]

Scores random results of three checklists on one core:

* the 100-point customer-service rubric of seed 002 (built-in template
  ``cs-supervision``: 19 deduction items, ~30 % of them failed with defects);
* a synthetic 300-item handover checklist (10 sections x 30 checks, defects
  with location and photo on ~10 % of them);
* a unit handover with engine-v2 constructs in the mix: a repeated room
  section (8 rooms x 10 items, wet-room items shown by a condition on the
  room's own kind, one by an ``all``/``not`` combination), a calculation,
  a JSON Logic constraint and an ``expr`` condition.

Rates are item responses per second of **CPU time** (``time.process_time``,
best of three runs), so neighbours on a shared machine do not move them.
Rows: ``score_result`` (numbers only, what a push stores),
``score + to_dict()`` (the full JSON report with the zh/en explanation of
every line) and ``explain_record`` (the same full report rendered from a
stored record, what reading a result does).

Figures are printed as ratios, never as pass/fail timings:

* against the **goal** of 200,000 item responses per second;
* against an **anchor** measured in the same run on the same responses: a
  plain-Python dict-sum (``total += full_points[item] if answer["value"] ==
  "pass" else 0``) — the least any scorer has to do, so the ratio shows what the
  real rules (visibility, N/A, deductions, caps, flags, report objects) cost.

Then it times ``rescore`` over 100,000 stored rubric results (answers cycled
from the generated pool, so memory stays flat) and, with ``--full``, over
100,000 handover results (otherwise extrapolated from 5,000 and labelled so).
"""
from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import checklists  # noqa: E402
from checklists import (  # noqa: E402
    builtin_definition, explain_record, rescore, score_result, validate_answers,
)

GOAL = 200_000          # item responses per second, one core
REPORT_GOAL = 100_000   # the same for the full explained report
FULL_REPORT_ROWS = ("score + to_dict()", "explain_record(stored)")
PHOTO = "0" * 63 + "1"


def rubric_results(definition: checklists.Definition, count: int, rng: random.Random) -> list[dict]:
    out = []
    for _ in range(count):
        answers = {}
        for item in definition.items_by_id.values():
            if rng.random() < 0.7:
                answers[item.id] = {"value": "pass"}
                continue
            missing = rng.sample(item.criteria, rng.randint(1, len(item.criteria)))
            answers[item.id] = {"value": "fail", "defects": [
                {"criterion": c.id,
                 "deduction": rng.choice([item.deduction.min, item.deduction.max])}
                for c in missing]}
        out.append(answers)
    return out


def handover_definition(sections: int = 10, per_section: int = 30) -> checklists.Definition:
    def label(text: str) -> dict:
        return {"zh": f"{text}(中)", "en": text}

    evidence = {"scope": "defect", "photos": 1, "location": True}
    return checklists.load_definition({
        "id": "bench-handover", "version": 1, "kind": "handover", "title": label("handover"),
        "sections": [{
            "id": f"room{s}", "title": label(f"room {s}"),
            "items": [{"id": f"room{s}.p{i}", "type": "check", "label": label(f"point {i}"),
                       "required": True, "allow_na": True, "evidence": evidence}
                      for i in range(per_section)]}
            for s in range(sections)]})


def handover_results(definition: checklists.Definition, count: int, rng: random.Random) -> list[dict]:
    out = []
    for _ in range(count):
        answers = {}
        for item_id in definition.items_by_id:
            roll = rng.random()
            if roll < 0.85:
                answers[item_id] = {"value": "pass"}
            elif roll < 0.9:
                answers[item_id] = {"na": True}
            else:
                answers[item_id] = {"value": "fail", "defects": [
                    {"location": "north wall", "note": "crack", "photos": [PHOTO]}]}
        out.append(answers)
    return out


def unit_definition() -> checklists.Definition:
    """A unit handover with a repeated room section, logic, a calculation and a constraint."""
    def label(text: str) -> dict:
        return {"zh": f"{text}(中)", "en": text}

    def check(item_id: str, **extra) -> dict:
        return {"id": item_id, "type": "check", "label": label(item_id), "allow_na": True, **extra}

    wet = {"item": "room.kind", "equals": "wet"}
    room_items = [{"id": "room.kind", "type": "choice", "label": label("kind"), "weight": 0,
                   "required": True,
                   "options": [{"id": "dry", "label": label("dry")},
                               {"id": "wet", "label": label("wet")}]}]
    room_items += [check(f"room.p{i}") for i in range(6)]
    room_items += [check("room.drain", show_if=wet), check("room.waterproof", show_if=wet),
                   check("room.tiles", show_if={"all": [wet, {"not": {
                       "item": "room.drain", "equals": "fail"}}]})]
    area = {"var": "unit.area"}
    return checklists.load_definition({
        "id": "bench-unit", "version": 1, "kind": "handover", "title": label("unit"),
        "sections": [
            {"id": "unit", "title": label("unit"), "items": [
                {"id": "unit.area", "type": "reading", "label": label("area"), "required": True,
                 "constraint": {"rule": {">=": [area, 20]}, "message": label("too small")}},
                {"id": "unit.per_room", "type": "calculate", "label": label("per room"),
                 "calculation": {"/": [area, 8]}},
                check("unit.large", show_if={"expr": {">": [{"var": "unit.per_room"}, 12]}})]},
            {"id": "rooms", "title": label("rooms"), "items": room_items,
             "repeat": {"min": 1, "max": 12, "label": label("room"), "scoring": "sum"}}]})


def unit_results(count: int, rng: random.Random) -> list[dict]:
    out = []
    for _ in range(count):
        rooms = []
        for k in range(8):
            kind = "wet" if k in (4, 5, 6) else "dry"
            answers = {"room.kind": {"value": kind}}
            names = [f"room.p{i}" for i in range(6)]
            if kind == "wet":
                names += ["room.drain", "room.waterproof"]
            for name in names:
                answers[name] = {"value": "pass" if rng.random() < 0.85 else "fail"}
            if kind == "wet" and answers["room.drain"]["value"] == "pass":
                answers["room.tiles"] = {"value": "pass"}
            rooms.append({"label": f"room {k}", "answers": answers})
        area = rng.choice([90, 120])              # 120 / 8 rooms > 12 m²: "large" is shown
        answers = {"unit.area": {"value": area}, "rooms": rooms}
        if area == 120:
            answers["unit.large"] = {"value": "pass"}
        out.append(answers)
    return out


def responses_in(answers: dict) -> int:
    """Item answers in a result, counting each answer inside each repeated instance."""
    return sum(sum(len(i["answers"]) for i in a) if isinstance(a, list) else 1
               for a in answers.values())


def anchor_scorer(definition: checklists.Definition) -> Callable[[dict], float]:
    """The plain dict-sum: full points when passed, nothing otherwise."""
    full = {i.id: (i.points if i.points is not None else (i.weight or 0.0))
            for i in definition.items_by_id.values()}

    def score(answers: dict) -> float:
        total = 0.0
        for item_id, answer in answers.items():
            if isinstance(answer, list):           # a repeated section: its instances' answers
                for instance in answer:
                    total += score(instance["answers"])
            elif answer.get("value") == "pass":
                total += full[item_id]
        return total

    return score


def each(results: list[dict], fn: Callable[[dict], object]) -> None:
    """Apply ``fn`` to every result, dropping what it returns (as a server does after storing
    it): keeping 5,000 reports alive would time the garbage collector, not the scorer."""
    for r in results:
        fn(r)


def best_rate(fn: Callable[[], None], responses: int, repeats: int = 3) -> float:
    """Responses per second of the fastest of ``repeats`` runs (least disturbed by neighbours)."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return responses / best


def measure(name: str, definition: checklists.Definition, results: list[dict]) -> None:
    responses = sum(responses_in(r) for r in results)
    anchor = anchor_scorer(definition)
    anchor_rate = best_rate(lambda: each(results, anchor), responses)
    records = [score_result(definition, r).to_record() for r in results]
    stored = list(zip(results, records))
    rows = [
        ("score_result", best_rate(lambda: each(results, lambda r: score_result(definition, r)),
                                   responses)),
        ("score + to_dict()", best_rate(
            lambda: each(results, lambda r: score_result(definition, r).to_dict()), responses)),
        ("explain_record(stored)", best_rate(
            lambda: each(stored, lambda s: explain_record(definition, s[0], s[1])), responses)),
        ("validate_answers", best_rate(
            lambda: each(results, lambda r: validate_answers(definition, r)), responses, 1)),
    ]
    print(f"\n{name}: {len(definition.items_by_id)} items, {len(results):,} results, "
          f"{responses:,} item responses")
    print(f"  anchor (plain dict-sum)   {anchor_rate:>12,.0f} responses/s")
    print("  (rates per CPU second)")
    for label, rate in rows:
        goal = REPORT_GOAL if label in FULL_REPORT_ROWS else GOAL
        print(f"  {label:<26}{rate:>12,.0f} responses/s = {rate / goal:5.2f}x goal "
              f"({goal:,}/s), {rate / anchor_rate:5.3f}x anchor")


def cycled(results: list[dict], stored: list[dict], count: int, definition) -> Iterable[dict]:
    for n in range(count):
        k = n % len(results)
        yield {"id": f"r{n}", "definition_id": definition.id,
               "definition_version": definition.version, "answers": results[k], "score": stored[k]}


def time_rescore(name: str, definition, results: list[dict], count: int, extrapolate_from: int = 0):
    stored = [score_result(definition, r).summary() for r in results]
    stored = [{**s, "total": s["total"] + (1 if k % 10 == 0 else 0)} for k, s in enumerate(stored)]
    measured = extrapolate_from or count
    gc.collect()
    start = time.process_time()
    changes = rescore(definition, cycled(results, stored, measured, definition))
    elapsed = time.process_time() - start
    rate = measured * len(definition.items_by_id) / elapsed
    note = ""
    if extrapolate_from:
        note = f" (extrapolated from {measured:,}; --full measures it)"
        elapsed *= count / measured
    print(f"  rescore {count:,} {name} results: {elapsed:6.2f} CPU s{note}; "
          f"{rate:,.0f} responses/s = {rate / GOAL:4.2f}x goal; "
          f"{len(changes):,} of {measured:,} reported changed (10 % planted)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=5000, help="rubric results to score")
    parser.add_argument("--full", action="store_true", help="measure the 100k handover rescore")
    args = parser.parse_args()
    rng = random.Random(20240601)

    rubric = checklists.load_definition(builtin_definition("cs-supervision"))
    rubric_pool = rubric_results(rubric, args.results, rng)
    handover = handover_definition()
    handover_pool = handover_results(handover, max(args.results // 15, 100), rng)

    print(f"fieldsync scoring benchmark - Python {sys.version.split()[0]}, one core, "
          f"rules {checklists.RULES_VERSION}")
    measure("100-point rubric (cs-supervision, seed 002)", rubric, rubric_pool)
    measure("300-item handover checklist", handover, handover_pool)
    unit = unit_definition()
    measure("unit handover with logic, a calculation and 8 repeated rooms", unit,
            unit_results(max(args.results // 5, 100), rng))
    print("\nrescoring (checklists.rescore, stored summaries compared):")
    time_rescore("rubric", rubric, rubric_pool, 100_000)
    time_rescore("handover", handover, handover_pool, 100_000,
                 extrapolate_from=0 if args.full else 5_000)


if __name__ == "__main__":
    main()
