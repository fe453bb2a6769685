"""Answer sets for the engine cross-check: seeded random ones and the edge cases.

Each generator returns ``(name, answers)`` pairs for one definition. Valid
sets are pruned of answers their own logic hides (as a device would leave
them out); "noisy" sets keep them and add wrong types, unknown fields and
out-of-range numbers, so the answer problems are cross-checked too.
"""
from __future__ import annotations

import random
from typing import Any, Iterator

from checklists import Definition, visible_items

TEXTS = ["", " ", "ok", "漏水", "a'b", 'say "hi"', "x" * 13, "bad", "中文说明 note"]


def sha(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(64))


def number(rng: random.Random, low: float, high: float) -> float | int:
    """A reading as people type it: whole, one or two decimals, or float noise."""
    x = rng.uniform(low, high)
    kind = rng.randrange(4)
    if kind == 0:
        return int(round(x))
    if kind == 3:
        return x
    return round(x, kind)


class Answering:
    """Builds answers to one definition with one random generator."""

    def __init__(self, definition: Definition, rng: random.Random):
        self.definition, self.rng = definition, rng

    def value(self, item, mood: str) -> dict[str, Any] | None:
        """An answer to ``item``; mood: random | pass | fail | na | skip."""
        rng = self.rng
        if mood == "skip" or item.type == "calculate":
            return None
        if mood == "na" or (mood == "random" and item.allow_na and rng.random() < 0.15):
            return {"na": True} if item.allow_na else None
        if mood == "random" and rng.random() < 0.12:
            return None
        answer = getattr(self, f"_{item.type}")(item, mood)
        if item.type != "photo" and rng.random() < 0.3:
            answer["photos"] = [sha(rng) for _ in range(rng.randrange(3))]
        if rng.random() < 0.3:
            answer["note"] = rng.choice(TEXTS)
        return answer

    def _check(self, item, mood):
        rng = self.rng
        failed = mood == "fail" or (mood == "random" and rng.random() < 0.4)
        if not failed:
            return {"value": "pass"}
        answer: dict[str, Any] = {"value": "fail"}
        if item.deduction is not None or (item.evidence and item.evidence.scope == "defect"):
            answer["defects"] = self._defects(item)
        return answer

    def _defects(self, item) -> list[dict]:
        rng = self.rng
        criteria = [c.id for c in item.criteria or ()]
        count = rng.randint(1, max(1, len(criteria) or 4))
        picked = rng.sample(criteria, min(count, len(criteria))) if criteria else [None] * count
        defects = []
        for criterion in picked:
            defect: dict[str, Any] = {}
            if criterion is not None:
                defect["criterion"] = criterion
            rule = item.deduction
            if rule is not None and (rule.min != rule.max or rng.random() < 0.5):
                defect["deduction"] = rng.choice(
                    [rule.min, rule.max, round(rng.uniform(rule.min, rule.max), 2),
                     rng.uniform(rule.min, rule.max)])
            if rng.random() < 0.7:
                defect["photos"] = [sha(rng) for _ in range(rng.randrange(1, 3))]
            if rng.random() < 0.7:
                defect["note"] = rng.choice(TEXTS)
            if rng.random() < 0.6:
                defect["location"] = rng.choice(TEXTS)
            defects.append(defect)
        return defects

    def _choice(self, item, mood):
        rng = self.rng
        ids = [o.id for o in item.options]
        if mood == "fail":
            flagged = [o.id for o in item.options if o.flag] or [min(
                item.options, key=lambda o: o.score).id]
            return {"value": flagged if item.multiple else flagged[0]}
        if mood == "pass":
            best = max(item.options, key=lambda o: o.score).id
            return {"value": [o.id for o in item.options if o.score > 0 and not o.exclusive]
                    or [best] if item.multiple else best}
        if item.multiple:
            plain = [o.id for o in item.options if not o.exclusive]
            return {"value": rng.sample(plain, rng.randint(1, len(plain)))}
        return {"value": rng.choice(ids)}

    def _reading(self, item, mood):
        low = item.thresholds.min if item.thresholds and item.thresholds.min is not None else 0
        high = item.thresholds.max if item.thresholds and item.thresholds.max is not None else 40
        if mood == "pass":
            return {"value": number(self.rng, low, high)}
        if mood == "fail":
            return {"value": high + 1}
        value = number(self.rng, low - (high - low) / 2 - 1, high + (high - low) / 2 + 1)
        if item.limits is not None:
            value = max(item.limits.min if item.limits.min is not None else value, value)
            value = min(item.limits.max if item.limits.max is not None else value, value)
        return {"value": value}

    def _checkpoint(self, item, mood):
        right = item.tag or "T-1"
        wrong = mood == "fail" or (mood == "random" and self.rng.random() < 0.3)
        return {"value": "T-9" if wrong else right}

    def _text(self, item, mood):
        return {"value": self.rng.choice(TEXTS[2:])}

    def _photo(self, item, mood):
        return {"photos": [sha(self.rng) for _ in range(self.rng.randint(0, 4))]}

    def _signature(self, item, mood):
        return {"value": {"signer": "张三", "image": sha(self.rng)}}

    def _date(self, item, mood):
        return {"value": self.rng.choice(["2026-11-29", "2024-02-29", "2025-02-29"])}

    def _time(self, item, mood):
        return {"value": self.rng.choice(["09:30", "23:59:59", "24:00"])}

    def answers(self, mood: str, instances: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for section in self.definition.sections:
            if section.repeat is None:
                for item in section.items:
                    answer = self.value(item, mood)
                    if answer is not None:
                        out[item.id] = answer
                continue
            count = instances if instances is not None else self.rng.randint(0, section.repeat.max)
            rooms = []
            for k in range(count):
                own = {i.id: a for i in section.items
                       if (a := self.value(i, mood)) is not None}
                rooms.append({"label": self.rng.choice(["主卧", "卫生间", "room"]) + str(k),
                              "answers": own})
            if rooms or self.rng.random() < 0.5:
                out[section.id] = rooms
        return out


def prune_hidden(definition: Definition, answers: dict) -> dict:
    """Drop answers the answers themselves hide, instance by instance, until stable."""
    for _ in range(10):
        shown = visible_items(definition, answers)
        kept: dict[str, Any] = {}
        for key, answer in answers.items():
            if isinstance(answer, list):
                kept[key] = [{**room, "answers": {i: a for i, a in room["answers"].items()
                                                  if shown.get(f"{key}[{n}].{i}", False)}}
                             for n, room in enumerate(answer)]
            elif shown.get(key, False):
                kept[key] = answer
        if kept == answers:
            break
        answers = kept
    return answers


def noisy(answers: dict, definition: Definition, rng: random.Random) -> dict:
    """The answers with a few things a buggy device or a stale form would send."""
    out = dict(answers)
    ids = list(definition.items_by_id)
    for _ in range(rng.randint(1, 3)):
        target = rng.choice(ids)
        trick = rng.randrange(9)
        if trick == 0:
            out["no.such.item"] = {"value": "pass"}
        elif trick == 1:
            out[target] = {"value": rng.choice([7, "maybe", None, ["x"], True])}
        elif trick == 2:
            out[target] = {**(out.get(target) or {}), "colour": "red"}
        elif trick == 3:
            out[target] = {"na": rng.choice([True, "yes"]), "value": "pass"}
        elif trick == 4:
            out[target] = {"value": "fail", "defects": [{"deduction": 99, "criterion": "zz"}, 5]}
        elif trick == 5:
            out[target] = {"photos": ["not-a-sha", sha(rng)]}
        elif trick == 6:
            out[target] = {"value": rng.uniform(-1e7, 1e7)}
        elif trick == 7:
            out[target] = {"note": 3, "photos": [sha(rng)] * 2}
        else:
            out[target] = {"value": "pass", "defects": []}
    return out


def answer_sets(definition: Definition, seed: int, random_sets: int) -> Iterator[tuple[str, Any]]:
    """Edge cases first, then ``random_sets`` seeded random ones (a fifth of them noisy)."""
    rng = random.Random(seed)
    fill = Answering(definition, rng)
    yield "empty", {}
    for mood in ("pass", "fail", "na"):
        for rooms in (0, 1, 3):
            yield f"all-{mood}-{rooms}-rooms", prune_hidden(definition, fill.answers(mood, rooms))
    passed = prune_hidden(definition, fill.answers("pass", 2))
    required = [i.id for _, i in definition.iter_items() if i.required]
    yield "required-unanswered", {k: v for k, v in passed.items() if k not in required}
    sources = {c.item for _, i in definition.iter_items() for c in _leaves(i.show_if)}
    sources |= {c.item for s in definition.sections for c in _leaves(s.show_if)}
    for source in sorted(sources):
        for mood in ("pass", "fail", "na", "random"):
            flipped = dict(passed)
            answer = fill.value(definition.items_by_id[source], mood)
            if answer is None:
                flipped.pop(source, None)
            else:
                flipped[source] = answer
            yield f"toggle-{source}-{mood}", flipped
    for n in range(random_sets):
        answers = prune_hidden(definition, fill.answers("random"))
        if n % 5 == 4:
            yield f"noisy-{n}", noisy(answers, definition, rng)
        else:
            yield f"random-{n}", answers


def _leaves(cond) -> list:
    if cond is None:
        return []
    for attr in ("all", "any"):
        if hasattr(cond, attr):
            return [leaf for c in getattr(cond, attr) for leaf in _leaves(c)]
    if hasattr(cond, "not_"):
        return _leaves(cond.not_)
    return [cond] if hasattr(cond, "item") else []
