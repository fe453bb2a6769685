"""Random JSON Logic rules and data for the evaluator cross-check.

Rules use the operators definitions may use (``ALLOWED_OPERATORS``) over the
kinds of values answers hold: numbers, option ids and other strings, lists of
them, null and booleans. Strings that look like dates or durations are left
out: the server's evaluator compares those as times, the app's does not.
Whole numbers are sent as ints and arithmetic is not nested inside
``cat``/``substr``: the server prints a whole *float* as ``5.0``, and
JavaScript cannot tell ``5.0`` from ``5`` (calculations turn whole floats
into ints on both sides, so only a raw ``cat`` of a float reading differs).
"""
from __future__ import annotations

import random
from typing import Any

STRINGS = ["", "a", "b", "pass", "fail", "1", "2.5", "-3", "abc", "中文", "true", "1e2", " 1"]
NUMBERS = [0, 1, -1, 2, 3, 0.5, 2.5, -0.25, 10, 100, 1e-7, 0.1, 0.2, 7.75]
VARS = ["a", "b", "c.d", "c.e", "l"]
COMPARE = ["==", "===", "!=", "!==", ">", ">=", "<", "<="]
ARITH = ["+", "-", "*", "/", "%", "max", "min"]
LOGIC = ["and", "or", "!", "!!", "if"]
TEXT = ["cat", "substr", "in", "merge"]
ARRAY = ["map", "filter", "all", "some", "none", "reduce"]


def scalar(rng: random.Random) -> Any:
    kind = rng.randrange(5)
    if kind == 0:
        return rng.choice(STRINGS)
    if kind == 1:
        return rng.choice(NUMBERS)
    if kind == 2:
        return rng.choice([None, True, False])
    if kind == 3:  # a whole float is written 5.0 by the server, 5 by JavaScript: send an int
        x = round(rng.uniform(-20, 20), rng.randrange(3))
        return int(x) if x.is_integer() else x
    return rng.randint(-5, 12)


def value(rng: random.Random) -> Any:
    if rng.random() < 0.2:
        return [scalar(rng) for _ in range(rng.randrange(4))]
    return scalar(rng)


def data(rng: random.Random) -> dict:
    return {"a": value(rng), "b": value(rng), "c": {"d": value(rng), "e": value(rng)},
            "l": [rng.choice(STRINGS[:6]) for _ in range(rng.randrange(4))]}


def operand(rng: random.Random, depth: int, numeric_only: bool = False) -> Any:
    if depth <= 0 or rng.random() < 0.45:
        return {"var": rng.choice(VARS)} if rng.random() < 0.5 else (
            rng.choice(NUMBERS) if numeric_only else scalar(rng))
    return rule(rng, depth - 1, numeric_only)


def rule(rng: random.Random, depth: int, numeric_only: bool = False) -> Any:
    group = rng.choice([ARITH] if numeric_only else [COMPARE, ARITH, LOGIC, TEXT, ARRAY])
    op = rng.choice(group)
    if op in ARRAY:
        source = rng.choice([{"var": "l"}, {"var": "a"}, [1, 2, 3], ["a", "b"]])
        body = rule(rng, 0) if op != "reduce" else {"+": [{"var": "accumulator"}, 1]}
        return {op: [source, body] + ([rng.choice(NUMBERS)] if op == "reduce" else [])}
    if op in ("cat", "substr"):
        args = [{"var": rng.choice(VARS)} if rng.random() < 0.5 else scalar(rng)
                for _ in range(rng.randint(1, 3))]
        if op == "substr":
            args = args[:1] + [rng.randint(-4, 4) for _ in range(rng.randint(1, 2))]
        return {op: args}
    arity = {"!": 1, "!!": 1, "in": 2, "%": 2}.get(op, rng.randint(0 if op in ARITH else 1, 3))
    return {op: [operand(rng, depth, numeric_only and op in ARITH) for _ in range(arity)]}


def random_rules(rng: random.Random, count: int) -> list[tuple[Any, dict]]:
    return [(rule(rng, rng.randint(0, 3)), data(rng)) for _ in range(count)]
