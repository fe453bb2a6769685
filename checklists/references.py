"""Cross-reference checks of a definition: ids, show-if conditions, section weights.

Runs inside ``DefinitionSchema`` on the *original* input, even when fields
elsewhere failed, so an author sees reference errors together with type
errors; every access is therefore guarded against wrongly typed input.

Conditions may only look *back*: an item's ``show_if`` names an item earlier
in document order, a section's names an item in an earlier section. That one
rule makes cycles impossible and lets visibility be computed in a single pass
(devices re-evaluate it on every keystroke), so a forward or self reference is
refused rather than resolved.
"""
from __future__ import annotations

from typing import Any

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
    section_ids: dict[str, int] = {}
    all_ids = _all_item_ids(sections)
    for s_idx, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        _check_unique(_str_or_none(section.get("id")), section_ids, s_idx, errors, ("sections", s_idx, "id"),
                      "section")
        before_section = dict(earlier)
        cond = section.get("show_if")
        if isinstance(cond, dict):
            for msg in _condition_errors(cond, before_section, all_ids, self_id=None):
                _add(errors, ("sections", s_idx, "show_if", "item"), msg)
        raw_items = section.get("items")
        for i_idx, item in enumerate(raw_items if isinstance(raw_items, list) else []):
            if not isinstance(item, dict):
                continue
            path = ("sections", s_idx, "items", i_idx)
            item_id = _str_or_none(item.get("id"))
            if item_id is not None and item_id in earlier:
                _add(errors, path + ("id",), f"duplicate item id {item_id!r}")
            cond = item.get("show_if")
            if isinstance(cond, dict):
                for msg in _condition_errors(cond, earlier, all_ids, self_id=item_id):
                    _add(errors, path + ("show_if", "item"), msg)
            if item_id is not None and item_id not in earlier:
                earlier[item_id] = item
    _check_weights(sections, errors)
    return errors


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
