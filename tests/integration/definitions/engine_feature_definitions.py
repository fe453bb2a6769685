"""Small definitions using every engine feature the built-in templates do not.

The cross-check (test_engine_js_crosscheck.py) scores the built-in templates
and these: weighted sections, every repeat combination, all/any/not/expr and
range conditions, required_if, calculations and constraints, caps and zero
vetoes, ``unanswered: exclude``, N/A rescaling, every item type.
"""
from __future__ import annotations

from typing import Any


def label(text: str) -> dict[str, str]:
    return {"zh": f"{text}(中)", "en": text}


def item(item_id: str, item_type: str = "check", **fields: Any) -> dict[str, Any]:
    return {"id": item_id, "type": item_type, "label": label(item_id), **fields}


def options(*scored: tuple[str, float], flagged: tuple[str, ...] = ()) -> list[dict]:
    return [{"id": oid, "label": label(oid), "score": score, "flag": oid in flagged}
            for oid, score in scored]


def section(section_id: str, *items: dict, **fields: Any) -> dict[str, Any]:
    return {"id": section_id, "title": label(section_id), "items": list(items), **fields}


def definition(def_id: str, *sections: dict, **fields: Any) -> dict[str, Any]:
    bands = [{"id": "poor", "label": label("poor"), "min": 0},
             {"id": "fair", "label": label("fair"), "min": 60},
             {"id": "good", "label": label("good"), "min": 85.5}]
    marks = [{"id": "bonus", "label": label("bonus"), "min": 96}]
    scoring = {"bands": bands, "marks": marks, **fields.pop("scoring", {})}
    return {"id": def_id, "version": 1, "kind": "inspection", "title": label(def_id),
            "scoring": scoring, "sections": list(sections), **fields}


def weighted_sections() -> dict:
    return definition(
        "x-weighted",
        section("w.a", item("w.a.1", weight=0.3), item("w.a.2", weight=0.7, allow_na=True),
                item("w.a.3", "choice", options=options(("good", 2), ("ok", 1.25), ("bad", 0),
                                                         flagged=("bad",)),
                     veto={"effect": "cap", "cap_percent": 59.5}),
                weight=3),
        section("w.b", item("w.b.1", points=7.5, deduction={"min": 0.25, "max": 3.3},
                            criteria=[{"id": "w.b.1.c1", "label": label("c1")},
                                      {"id": "w.b.1.c2", "label": label("c2")},
                                      {"id": "w.b.1.c3", "label": label("c3")}],
                            evidence={"photos": 1, "note": True, "location": True,
                                      "scope": "defect"}),
                item("w.b.2", points=2, deduction={"min": 0.7, "max": 0.7}, allow_na=True),
                weight=1.7, show_if={"item": "w.a.1", "equals": "pass"}),
        section("w.c", item("w.c.1", "reading", unit="MPa", weight=1.5,
                            thresholds={"min": 0.1, "max": 0.45}, limits={"min": 0, "max": 5}),
                item("w.c.2", veto={"effect": "zero"}, weight=0.1),
                weight=2.2),
        scoring={"scale": 120})


def repeats(scoring: str) -> dict:
    room = section(
        "r.room",
        item("r.floor", "choice", options=options(("ok", 3), ("scratch", 1), ("broken", 0),
                                                  flagged=("broken",)),
             evidence={"photos": 1, "note": True}),
        item("r.area", "reading", unit="m2", limits={"min": 0, "max": 500}),
        item("r.wall", points=4, deduction={"min": 0.5, "max": 2}, allow_na=True,
             show_if={"item": "r.floor", "in": ["scratch", "broken"]}),
        item("r.light", weight=2.5, required_if={"item": "r.kind", "equals": "lit"}),
        repeat={"min": 0, "max": 4, "label": label("room name"), "scoring": scoring},
        show_if={"item": "r.has", "equals": "pass"})
    return definition(
        f"x-repeat-{scoring}",
        section("r.meta", item("r.has", required=True, weight=0),
                item("r.kind", "choice", options=options(("lit", 0), ("dark", 0)), weight=0)),
        room,
        section("r.end", item("r.end.ok", weight=2), item("r.sig", "signature")),
        **({"scoring": {"unanswered": "exclude"}} if scoring == "mean" else {}))


def weighted_each() -> dict:
    return definition(
        "x-weighted-each",
        section("e.a", item("e.a.1", weight=1), item("e.a.2", weight=3, allow_na=True), weight=2),
        section("e.rooms", item("e.r.1", weight=1.1), item("e.r.2", points=3,
                                                           deduction={"min": 1, "max": 1}),
                repeat={"min": 0, "max": 3, "label": label("room"), "scoring": "each"},
                weight=3),
        section("e.b", item("e.b.1", "choice", multiple=True,
                            options=options(("x", 1), ("y", 0.5), ("z", 0.125),
                                            ("none", 0), flagged=("none",)) +
                            [{"id": "excl", "label": label("excl"), "score": 0,
                              "exclusive": True}],
                            weight=1.3), weight=1))


def logic_and_expressions() -> dict:
    return definition(
        "x-logic",
        section("l.in",
                item("l.len", "reading", unit="m", required=True, limits={"min": 0, "max": 100}),
                item("l.wid", "reading", unit="m", allow_na=True),
                item("l.area", "calculate", calculation={"*": [{"var": "l.len"},
                                                               {"var": "l.wid"}]}),
                item("l.ratio", "calculate", calculation={"/": [{"var": "l.len"},
                                                                {"var": "l.wid"}]}),
                item("l.kind", "choice", options=options(("a", 1), ("b", 0.5), ("c", 0)),
                     weight=2, allow_na=True),
                item("l.code", "checkpoint", tag="T-1", evidence={"photos": 0, "note": True}),
                item("l.when", "date"), item("l.at", "time"),
                item("l.memo", "text", max_length=12,
                     constraint={"rule": {"!=": [{"var": "l.memo"}, "bad"]},
                                 "message": label("not bad")})),
        section("l.more",
                item("l.big", weight=2, show_if={"expr": {">": [{"var": "l.area"}, 20]}}),
                item("l.mid", weight=1, show_if={"item": "l.len", "range": {"min": 2.5,
                                                                            "max": 7}}),
                item("l.both", weight=1.5, show_if={"all": [
                    {"item": "l.kind", "in": ["a", "b"]},
                    {"not": {"item": "l.wid", "range": {"max": 1}}}]}),
                item("l.either", "reading", weight=1, thresholds={"min": 1, "max": 2},
                     show_if={"any": [{"item": "l.kind", "equals": "c"},
                                      {"item": "l.code", "equals": "T-1"}]},
                     constraint={"rule": {"<=": [{"var": "l.either"}, {"var": "l.len"}]},
                                 "message": label("not above the length")}),
                item("l.photo", "photo", min_count=1, max_count=3,
                     required_if={"item": "l.mid", "equals": "fail"}),
                item("l.deduct", points=5, deduction={"min": 0.5, "max": 5},
                     veto={"effect": "cap", "cap_percent": 40}),
                show_if={"not": {"item": "l.kind", "equals": "c"}},
                required_if={"item": "l.kind", "equals": "a"}),
        scoring={"na": "rescale", "scale": 50})


def feature_definitions() -> dict[str, dict]:
    """Name -> definition document (raw, as an author writes it)."""
    defs = [weighted_sections(), weighted_each(), logic_and_expressions(),
            *(repeats(s) for s in ("sum", "mean", "worst", "each"))]
    return {d["id"]: d for d in defs}
