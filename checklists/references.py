"""Cross-reference checks of a definition: ids, conditions, expressions, repeats, weights.

Runs inside ``DefinitionSchema`` on the *original* input, even when fields
elsewhere failed, so an author sees reference errors together with type
errors; every access is therefore guarded against wrongly typed input.

Conditions may only look *back*: an item's ``show_if`` names an item earlier
in document order, a section's names an item in an earlier section. That one
rule makes cycles impossible and lets visibility be computed in a single pass
(devices re-evaluate it on every keystroke), so a forward or self reference is
refused rather than resolved. The same holds for expressions (calculations,
constraints, ``expr`` conditions); a calculation reading a later calculation
that reads it back is also named as the cycle it would be.

Repeated sections (a block per room) add one rule: an item inside a repeat
may use earlier items of its own instance and items outside any repeat, but
nothing outside a repeat may use an item inside one (which room's answer?).
"""
from __future__ import annotations

from typing import Any

from checklists.expressions import expression_errors, variables

#: what a condition may compare for each source item type
_CONDITION_SOURCES = {
    "check": "status", "choice": "option", "reading": "number",
    "text": "string", "checkpoint": "string", "date": "string", "time": "string",
}
_NOT_CONDITION_SOURCES = ("photo", "signature")

Errors = dict


def check_references(data: dict[str, Any]) -> Errors:
    """Return marshmallow-shaped nested errors (empty when all references hold)."""
    errors: Errors = {}
    sections = data.get("sections")
    if not isinstance(sections, list):
        return errors
    earlier: dict[str, dict] = {}           # item id -> item data, in document order
    scope_of: dict[str, str | None] = {}    # item id -> id of its repeated section (or None)
    section_ids: dict[str, int] = {}
    all_ids = _all_item_ids(sections)
    for s_idx, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        section_id = _str_or_none(section.get("id"))
        _check_unique(section_id, section_ids, s_idx, errors, ("sections", s_idx, "id"),
                      "section")
        repeat_scope = section_id if isinstance(section.get("repeat"), dict) else None
        if repeat_scope is not None and repeat_scope in all_ids:
            _add(errors, ("sections", s_idx, "id"), f"{repeat_scope!r} is also an item id; a "
                 f"repeated section's answers are filed under its id, so it must be unique")
        outside = _Scope(dict(earlier), scope_of, all_ids, None)
        for key in ("show_if", "required_if"):
            outside.check_condition(section.get(key), None, ("sections", s_idx, key), errors)
        raw_items = section.get("items")
        for i_idx, item in enumerate(raw_items if isinstance(raw_items, list) else []):
            if not isinstance(item, dict):
                continue
            path = ("sections", s_idx, "items", i_idx)
            item_id = _str_or_none(item.get("id"))
            if item_id is not None and item_id in earlier:
                _add(errors, path + ("id",), f"duplicate item id {item_id!r}")
            scope = _Scope(earlier, scope_of, all_ids, repeat_scope)
            for key in ("show_if", "required_if"):
                scope.check_condition(item.get(key), item_id, path + (key,), errors)
            constraint = item.get("constraint")
            if isinstance(constraint, dict) and "rule" in constraint:
                scope.check_expression(constraint["rule"], item_id, path + ("constraint", "rule"),
                                       errors, allow_self=True)
            if "calculation" in item:
                scope.check_expression(item["calculation"], item_id, path + ("calculation",),
                                       errors)
            if item_id is not None and item_id not in earlier:
                earlier[item_id] = item
                scope_of[item_id] = repeat_scope
    _check_calculation_cycles(sections, errors)
    _check_weights(sections, errors)
    return errors


class _Scope:
    """What a condition or expression at one place may refer to."""

    def __init__(self, earlier: dict[str, dict], scope_of: dict[str, str | None], all_ids: set,
                 repeat: str | None):
        self.earlier, self.scope_of, self.all_ids, self.repeat = earlier, scope_of, all_ids, repeat

    def check_condition(self, cond: Any, self_id, path: tuple, errors: Errors) -> None:
        if not isinstance(cond, dict):
            return
        for key in ("all", "any"):
            if isinstance(cond.get(key), list):
                for index, sub in enumerate(cond[key]):
                    self.check_condition(sub, self_id, path + (key, index), errors)
                return
        if "not" in cond:
            self.check_condition(cond["not"], self_id, path + ("not",), errors)
            return
        if "expr" in cond:
            self.check_expression(cond["expr"], self_id, path + ("expr",), errors)
            return
        messages = _condition_errors(cond, self.earlier, self.all_ids, self_id=self_id)
        ref = _str_or_none(cond.get("item"))
        if not messages and ref is not None:
            messages = self._scope_errors([ref])
        for msg in messages:
            _add(errors, path + ("item",), msg)

    def check_expression(self, rule: Any, self_id, path: tuple, errors: Errors,
                         allow_self: bool = False) -> None:
        messages = expression_errors(rule, self.earlier, self.all_ids, self_id, allow_self)
        if not messages:
            messages = self._scope_errors([v for v in variables(rule) if v != self_id])
        for msg in messages:
            _add(errors, path, msg)

    def _scope_errors(self, refs: list[str]) -> list[str]:
        out = []
        for ref in refs:
            inside = self.scope_of.get(ref)
            if inside is not None and inside != self.repeat:
                out.append(f"{ref!r} is inside the repeated section {inside!r}; only items of "
                           f"the same instance may use it")
        return out


def _check_calculation_cycles(sections: list, errors: Errors) -> None:
    """Name calculations that read each other round in a circle (a → b → a)."""
    calcs: dict[str, tuple[set[str], tuple]] = {}
    for s_idx, section in enumerate(sections):
        for i_idx, item in enumerate(_items(section)):
            item_id = _str_or_none(item.get("id"))
            if item_id is not None and item.get("type") == "calculate" and "calculation" in item:
                calcs[item_id] = (set(variables(item["calculation"])),
                                  ("sections", s_idx, "items", i_idx, "calculation"))
    for start in calcs:
        cycle = _find_cycle(start, calcs)
        if cycle:
            _add(errors, calcs[start][1], "calculations form a cycle: " + " → ".join(cycle))


def _find_cycle(start: str, calcs: dict) -> list[str] | None:
    stack, seen = [(start, [start])], set()
    while stack:
        node, trail = stack.pop()
        for nxt in sorted(calcs[node][0]):
            if nxt == start and len(trail) > 1:
                return trail + [start]
            if nxt in calcs and nxt not in seen and nxt != node:
                seen.add(nxt)
                stack.append((nxt, trail + [nxt]))
    return None


def _items(section: Any) -> list[dict]:
    items = section.get("items") if isinstance(section, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _all_item_ids(sections: list) -> set[str]:
    return {_str_or_none(item.get("id")) for section in sections for item in _items(section)}


def _check_unique(value, seen: dict, index: int, errors: Errors, path: tuple, what: str) -> None:
    if value is None:
        return
    if value in seen:
        _add(errors, path, f"duplicate {what} id {value!r}")
    else:
        seen[value] = index


def _condition_errors(cond: dict, earlier: dict[str, dict], all_ids: set, self_id) -> list[str]:
    ref = _str_or_none(cond.get("item"))
    if ref is None:
        return []
    if ref == self_id:
        return [f"an item cannot depend on itself ({ref!r})"]
    if ref not in earlier:
        if ref in all_ids:
            return [f"refers to {ref!r}, which comes later; conditions may only use earlier items"]
        return [f"unknown item {ref!r}"]
    source = earlier[ref]
    source_type = _str_or_none(source.get("type"))
    if source_type in _NOT_CONDITION_SOURCES:
        return [f"{ref!r} is a {source_type} item, which a condition cannot test"]
    return _operand_errors(cond, source, _CONDITION_SOURCES.get(source_type))


def _operand_errors(cond: dict, source: dict, kind: str | None) -> list[str]:
    if kind is None:
        return []
    ref = source.get("id")
    if "range" in cond and kind != "number":
        return [f"range only applies to reading items; {ref!r} is a {source.get('type')} item"]
    raw_in = cond.get("in")
    values = [cond["equals"]] if "equals" in cond else list(raw_in if isinstance(raw_in, list) else [])
    if kind == "status":
        bad = [v for v in values if not isinstance(v, str) or v not in ("pass", "fail")]
        return [f"a check item's answer is 'pass' or 'fail', not {bad[0]!r}"] if bad else []
    if kind == "option":
        options = source.get("options")
        known = ({_str_or_none(o.get("id")) for o in options if isinstance(o, dict)}
                 if isinstance(options, list) else set())
        bad = [v for v in values if not isinstance(v, str) or v not in known]
        return [f"{ref!r} has no option {bad[0]!r}"] if bad else []
    if kind == "number":
        bad = [v for v in values if isinstance(v, bool) or not isinstance(v, (int, float))]
        return [f"{ref!r} is a reading; compare with numbers, not {bad[0]!r}"] if bad else []
    bad = [v for v in values if not isinstance(v, str)]
    return [f"{ref!r} answers are text; compare with strings, not {bad[0]!r}"] if bad else []


def _check_weights(sections: list, errors: Errors) -> None:
    weighted = [isinstance(s, dict) and s.get("weight") is not None for s in sections]
    if any(weighted) and not all(weighted):
        for s_idx, has_weight in enumerate(weighted):
            if not has_weight and isinstance(sections[s_idx], dict):
                _add(errors, ("sections", s_idx, "weight"),
                     "required: other sections are weighted, so every section needs a weight")


def _add(errors: Errors, path: tuple, message: str) -> None:
    node = errors
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node.setdefault(path[-1], []).append(message)
