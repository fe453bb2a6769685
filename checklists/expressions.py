"""Expressions in definitions: JSON Logic rules over earlier answers.

Calculations (``calculate`` items), per-item ``constraint`` rules and ``expr``
conditions are written in JSON Logic (https://jsonlogic.com) because the same
rule must run on the server (here) and offline in the field app (JavaScript):
JSON Logic is plain JSON with maintained evaluators in both languages, so no
parser of our own has to agree with another one, and a rule is data — it can
never execute code. The evaluator is ``datalogic-py`` (a Rust core that passes
the shared JSON Logic conformance suite; its WASM/JS build runs the same
engine in a browser).

Only the classic JSON Logic operators are allowed (``ALLOWED_OPERATORS``):
they are the ones every evaluator implements identically, and none of them
reads the clock or throws, so a rule gives the same answer on every device.

Variables name item ids (``{"var": "ho.area.floor"}``). JSON Logic splits a
``var`` path on dots, so the data an expression sees is nested by the dots of
the ids it reads; an expression may therefore not read both ``a`` and
``a.b``. The value of an item is its answer's ``value`` (a number for
readings, an option id or list of them for choices, ``"pass"``/``"fail"`` for
checks) or ``null`` when it is unanswered, N/A or hidden.

An expression is judged only on complete data: while any item it reads is
blank, a calculation is blank, a constraint is not checked (``required`` is
what asks for the missing answer) and an ``expr`` condition is false. JSON
Logic itself would read null as 0 (``null < 10`` is true) and answer with
confidence about a reading nobody took. The field app applies the same rule.

The field app evaluates rules offline with its own port
(``server/field_app/static/js/engine/jsonlogic.js``), which must agree with
datalogic (5.9) exactly; the server stays the truth. What datalogic does,
read in its source (datalogic-rs, datavalue-rs) and confirmed by probing:

* Numbers are 64-bit integers or floats. Every arithmetic result (``+ - * /
  %``) that is whole and fits is an integer (``10 / 2`` is 5, ``2.5 * 2`` is
  5), so it prints "5" as in JavaScript. A float survives only when passed
  through unchanged (a literal ``5.0``, an answer sent as ``5.0``, picked by
  ``max``/``min``/``if``/``var``...), and ``cat``/``substr`` print it "5.0".
  JSON.parse cannot keep that, so a rule using ``cat``/``substr`` may not
  contain a whole number written as a decimal (refused at publish; see
  ``decimal_whole_number_errors``); the app never sends ``5.0`` as an answer.
  Floats print positionally with the shortest round-trip digits
  ("0.00000015"); whole ones beyond ±2^63 as "1e20"; inside a list (JSON
  text) in e-form below 1e-5 and from 1e16 ("[1e-6,1.5e16]").
* Strings shaped like times are times. A datetime is RFC 3339
  ("2026-01-01T08:00:00+08:00", "...Z", a fraction, "t" or a blank between
  date and time) or ``%Y-%m-%dT%H:%M:%S`` read as UTC; a date alone
  ("2026-01-01") is not one. A duration is <integer><d|h|m|s> groups, each
  unit once, compact ("1d2h", "-1d2h" is -22 h) or one per colon-separated
  part ("1d:-2h:3m:4s").
* ``==``, ``===``, ``!=``, ``!==`` and ``in`` (a list) compare two strings
  that both start with a digit and look temporal (an ISO "YYYY-" prefix, or a
  d/h/m/s letter) as instants or lengths: ``"1d" == "24h"``,
  ``"2026-01-01T00:00:00Z" == "2026-01-01T08:00:00+08:00"``; ``< <= > >=``
  likewise (a datetime against a duration, or a string that is neither,
  compares as text). Two ISO timestamps written alike compare as text.
* ``+`` and ``-`` of two or more times fold left (datetime ± duration,
  datetime - datetime, duration ± duration); ``*`` of a duration and a number
  and ``/`` of a duration by a number (exactly two operands) scale it,
  truncating to whole seconds and saturating at ±i64::MAX ms. The results
  are text: "1d:2h:0m:0s", "2026-01-02T00:00:00Z" (UTC, whole seconds).

Not reproduced: integers beyond 2^53 (exact i64 here, doubles in
JavaScript), and objects with a
``datetime``/``timestamp`` key (which datalogic reads as times; a rule never
sees an object, as it may not read both ``a`` and ``a.b``).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import datalogic_py

ALLOWED_OPERATORS = frozenset({
    "var", "missing", "missing_some", "if", "==", "===", "!=", "!==", "!", "!!", "or", "and",
    ">", ">=", "<", "<=", "max", "min", "+", "-", "*", "/", "%", "map", "filter", "reduce",
    "all", "none", "some", "merge", "in", "cat", "substr",
})
#: operators whose operands must be numbers (an item of another type is a type error)
NUMERIC_OPERATORS = frozenset({">", ">=", "<", "<=", "max", "min", "+", "-", "*", "/", "%"})
#: operators that write values as text, where a float 5.0 and an integer 5 differ
TEXT_OPERATORS = frozenset({"cat", "substr"})
#: set while a definition is being published (``publishing``): checks that only new
#: definitions must pass, never ones already stored (their results must stay readable)
_PUBLISHING: ContextVar[bool] = ContextVar("publishing_definition", default=False)
#: item types whose value is a number
NUMERIC_TYPES = frozenset({"reading", "calculate"})
MAX_DEPTH = 32

_ENGINE = datalogic_py.Engine()


class Expression:
    """A validated JSON Logic rule, compiled once, and the item ids it reads."""

    __slots__ = ("rule", "reads", "_compiled")

    def __init__(self, rule: Any):
        self.rule = rule
        self.reads: tuple[str, ...] = tuple(sorted(set(variables(rule))))
        self._compiled = None

    def to_dict(self) -> Any:
        return self.rule

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other.rule == self.rule

    def __hash__(self) -> int:
        return hash(repr(self.rule))

    def __repr__(self) -> str:
        return f"Expression({self.rule!r})"

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """The rule's result given ``{item id: value}`` (missing ids read as null).

        A rule that fails at run time (e.g. division by zero) gives ``None``:
        a calculation is then blank and a constraint is not met.
        """
        if self._compiled is None:
            self._compiled = _ENGINE.compile(self.rule)
        data: dict[str, Any] = {}
        for item_id in self.reads:
            _put_path(data, item_id.split("."), values.get(item_id))
        try:
            return self._compiled.evaluate(data)
        except datalogic_py.DataLogicError:
            return None


def truthy(value: Any) -> bool:
    """JSON Logic truthiness: ``0``, ``""``, ``[]`` and ``null`` are false (as in json-logic-js)."""
    if isinstance(value, (list, str)):
        return len(value) > 0
    return bool(value)


def _put_path(data: dict, parts: list[str], value: Any) -> None:
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def variables(rule: Any) -> list[str]:
    """Every item id a rule reads through ``var`` with a literal path."""
    found: list[str] = []
    _walk_vars(rule, found, 0)
    return found


def _walk_vars(node: Any, found: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        for sub in node:
            _walk_vars(sub, found, depth + 1)
    elif isinstance(node, dict) and len(node) == 1:
        (op, args), = node.items()
        if op == "var":
            path = args[0] if isinstance(args, list) and args else args
            if isinstance(path, str) and path:
                found.append(path)
            return
        _walk_vars(args, found, depth + 1)


def expression_errors(rule: Any, earlier: Mapping[str, Mapping], all_ids: set,
                      self_id: str | None, allow_self: bool = False) -> list[str]:
    """Why ``rule`` cannot be published (empty list when it can).

    ``earlier`` maps the ids of items before this one (document order) to
    their data; ``self_id`` may be read only when ``allow_self`` (a
    constraint reads its own item's value, a calculation never does).
    """
    shape = _shape_errors(rule, 0)
    if shape:
        return shape
    diagnostics = [d for d in _ENGINE.check(rule) if d["severity"] == "error"]
    if diagnostics:
        d = diagnostics[0]
        return [f"not a valid JSON Logic rule at {d['pointer'] or '/'}: {d['message']}"]
    errors: list[str] = decimal_whole_number_errors(rule) if _PUBLISHING.get() else []
    reads = sorted(set(variables(rule)))
    for ref in reads:
        if ref == self_id and allow_self:
            continue
        if ref == self_id:
            errors.append(f"a calculation cannot use its own value ({ref!r}): that is a cycle")
        elif ref not in earlier:
            errors.append(f"refers to {ref!r}, which comes later; expressions may only use "
                          f"earlier items" if ref in all_ids else f"unknown item {ref!r}")
    for ref in reads:
        clash = [other for other in reads if other.startswith(ref + ".")]
        if clash:
            errors.append(f"reads both {ref!r} and {clash[0]!r}: JSON Logic would read one "
                          f"inside the other; rename one of the items")
    if not errors:
        types = {ref: (earlier.get(ref) or {}).get("type") for ref in reads}
        if self_id is not None and allow_self and self_id not in types:
            types[self_id] = None
        errors.extend(_type_errors(rule, types, 0))
    return errors


@contextmanager
def publishing() -> Iterator[None]:
    """Validate as for publishing: the rules added since a stored definition was
    published (``decimal_whole_number_errors``) apply to new ones only. A stored
    definition that breaks them still loads, so its results stay readable and scored."""
    token = _PUBLISHING.set(True)
    try:
        yield
    finally:
        _PUBLISHING.reset(token)


def decimal_whole_number_errors(rule: Any) -> list[str]:
    """Whole numbers written as decimals (``5.0``) in a rule that makes text.

    The server keeps ``5.0`` a float and ``cat``/``substr`` write it "5.0";
    the field app reads the definition with ``JSON.parse``, where it is 5, and
    would preview "5". Nothing else tells ``5.0`` from ``5``, so only rules
    using ``cat`` or ``substr`` are refused (whole numbers beyond ±2^63 print
    alike on both sides).
    """
    operators: set[str] = set()
    whole: list[float] = []
    _collect_literals(rule, operators, whole, 0)
    if not operators & TEXT_OPERATORS:
        return []
    return [f"{x!r} is a whole number written as a decimal in a rule that uses cat or substr: "
            f"the server writes it as \"{int(x)}.0\" and the field app as \"{int(x)}\"; "
            f"write {int(x)}" for x in dict.fromkeys(whole)]


def _collect_literals(node: Any, operators: set[str], whole: list[float], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        for sub in node:
            _collect_literals(sub, operators, whole, depth + 1)
    elif isinstance(node, dict):
        for op, args in node.items():
            operators.add(op)
            _collect_literals(args, operators, whole, depth + 1)
    elif isinstance(node, float) and node.is_integer() and abs(node) < 2.0 ** 63:
        whole.append(node)


def _shape_errors(node: Any, depth: int) -> list[str]:
    if depth > MAX_DEPTH:
        return [f"nested deeper than {MAX_DEPTH} levels"]
    if isinstance(node, list):
        for sub in node:
            errors = _shape_errors(sub, depth + 1)
            if errors:
                return errors
        return []
    if isinstance(node, dict):
        if len(node) != 1:
            return [f"an operation is an object with one operator, got keys {sorted(node)!r}"]
        (op, args), = node.items()
        if op not in ALLOWED_OPERATORS:
            return [f"operator {op!r} is not allowed (use one of: "
                    f"{', '.join(sorted(ALLOWED_OPERATORS))})"]
        if op == "var":
            path = args[0] if isinstance(args, list) and args else args
            if not isinstance(path, str) or not path:
                return ["var must name an item id (a literal string)"]
        return _shape_errors(args, depth + 1)
    if isinstance(node, float) and node != node:
        return ["NaN is not a number a rule can use"]
    return []


def _type_errors(node: Any, types: Mapping[str, str | None], depth: int) -> list[str]:
    """Arithmetic or ordering over an item whose value is not a number."""
    if depth > MAX_DEPTH or not isinstance(node, (dict, list)):
        return []
    if isinstance(node, list):
        return [e for sub in node for e in _type_errors(sub, types, depth + 1)]
    (op, args), = node.items()
    errors: list[str] = []
    if op in NUMERIC_OPERATORS:
        for arg in args if isinstance(args, list) else [args]:
            ref = _var_of(arg)
            item_type = types.get(ref) if ref is not None else None
            if item_type is not None and item_type not in NUMERIC_TYPES:
                errors.append(f"{op!r} needs numbers, but {ref!r} is a {item_type} item")
            elif isinstance(arg, str) or isinstance(arg, bool):
                errors.append(f"{op!r} needs numbers, not {arg!r}")
    if op != "var":
        errors.extend(_type_errors(args, types, depth + 1))
    return errors


def _var_of(node: Any) -> str | None:
    if isinstance(node, dict) and len(node) == 1 and "var" in node:
        args = node["var"]
        path = args[0] if isinstance(args, list) and args else args
        return path if isinstance(path, str) else None
    return None
