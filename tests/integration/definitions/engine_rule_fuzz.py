"""Random JSON Logic rules and data for the evaluator cross-check.

Rules use the operators definitions may use (``ALLOWED_OPERATORS``) over the
kinds of values answers hold: numbers, option ids and other strings
(including ones shaped like datetimes and durations, which the server
compares and combines as times), lists of them, null and booleans.
Arithmetic nests inside ``cat``/``substr``, and rules carry whole numbers
written as decimals (``5.0``) wherever publishing allows them
(``decimal_whole_number_errors``: not in rules that make text). Answers
carry whole numbers as ints, as the field app sends them: JSON.parse cannot
keep ``5.0`` apart from ``5``.
"""
from __future__ import annotations

import random
from typing import Any

from checklists.expressions import decimal_whole_number_errors

TIMES = ["1d", "24h", "1440m", "86400s", "2h1d", "1d:2h", "26h", "-1d", "0s", "1d:-24h", "5m",
         "2026-01-01", "2026-01-01T00:00:00Z", "2026-01-01T08:00:00+08:00", "2026-01-01T00:00:00",
         "2025-12-31T23:59:59.5Z", "2026-02-30T00:00:00Z", "2026-1-1T8:0:0", "2026-01-02T00:00:00Z"]
STRINGS = ["", "a", "b", "pass", "fail", "1", "2.5", "-3", "abc", "中文", "true", "1e2", " 1",
           *TIMES]
NUMBERS = [0, 1, -1, 2, 3, 0.5, 2.5, -0.25, 10, 100, 1e-7, 0.1, 0.2, 7.75, 2.0, -3.0, 1e20]
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
    if kind == 3:
        return round(rng.uniform(-20, 20), rng.randrange(3))
    return rng.randint(-5, 12)


def value(rng: random.Random) -> Any:
    if rng.random() < 0.2:
        return [scalar(rng) for _ in range(rng.randrange(4))]
    return scalar(rng)


def as_sent(v: Any) -> Any:
    """Answers as the field app sends them: whole numbers are ints."""
    if isinstance(v, list):
        return [as_sent(x) for x in v]
    if isinstance(v, dict):
        return {k: as_sent(x) for k, x in v.items()}
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 63:
        return int(v)
    return v


def data(rng: random.Random) -> dict:
    return as_sent({"a": value(rng), "b": value(rng), "c": {"d": value(rng), "e": value(rng)},
                    "l": [rng.choice(STRINGS[:6] + TIMES[:4]) for _ in range(rng.randrange(4))]})


def publishable(rule: Any) -> Any:
    """The rule as publishing allows it: no 5.0 where text is made (see module docstring)."""
    return as_sent(rule) if decimal_whole_number_errors(rule) else rule


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
        args = [operand(rng, depth) for _ in range(rng.randint(1, 3))]
        if op == "substr":
            args = args[:1] + [rng.randint(-4, 4) for _ in range(rng.randint(1, 2))]
        return {op: args}
    arity = {"!": 1, "!!": 1, "in": 2, "%": 2}.get(op, rng.randint(0 if op in ARITH else 1, 3))
    return {op: [operand(rng, depth, numeric_only and op in ARITH) for _ in range(arity)]}


def random_rules(rng: random.Random, count: int) -> list[tuple[Any, dict]]:
    return [(publishable(rule(rng, rng.randint(0, 3))), data(rng)) for _ in range(count)]
