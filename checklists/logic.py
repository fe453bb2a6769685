"""Show-if logic: which items and sections an answer set makes visible.

A condition tests the answer of one earlier item (``equals`` / ``in`` /
``range``). It is false when that item is hidden, unanswered or answered N/A,
so hiding an item also hides everything that depends on it — a single pass in
document order settles the whole checklist (references only look back, see
:mod:`checklists.references`).

For a multi-select choice, ``equals`` means "this option is among those picked"
and ``in`` means "any picked option is in the list".
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from checklists.model import Condition, Definition, Item

#: predicate over the answer dict of the condition's source item (None = no answer)
AnswerPredicate = Callable[[Any], bool]


def compile_condition(cond: Condition, source: Item) -> AnswerPredicate:
    """Build a fast predicate for ``cond`` given the item it refers to."""
    multi = source.type == "choice" and bool(source.multiple)
    op = cond.operator
    if op == "range":
        low, high = cond.range.min, cond.range.max

        def in_range(answer) -> bool:
            value = _answered_value(answer)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return False
            return (low is None or value >= low) and (high is None or value <= high)

        return in_range
    wanted = frozenset(cond.values) if op == "in" else frozenset((cond.equals,))
    if multi:
        def overlaps(answer) -> bool:
            value = _answered_value(answer)
            return isinstance(value, list) and any(
                isinstance(v, str) and v in wanted for v in value)

        return overlaps

    def member(answer) -> bool:
        value = _answered_value(answer)
        try:
            return value is not None and not isinstance(value, bool) and value in wanted
        except TypeError:  # unhashable answer value (already refused by validation)
            return False

    return member


def _answered_value(answer: Any) -> Any:
    if not isinstance(answer, Mapping) or answer.get("na") is True:
        return None
    return answer.get("value")


def visible_items(definition: Definition, answers: Mapping[str, Any]) -> dict[str, bool]:
    """Map every item id to whether it is shown for these answers."""
    plan = definition.plan
    shown: dict[str, bool] = {}
    section_shown = True
    current_section = -1
    for planned in plan.items:
        if planned.section_index != current_section:
            current_section = planned.section_index
            section_shown = plan.section_visible(current_section, answers, shown)
        shown[planned.id] = section_shown and planned.visible(answers, shown)
    return shown


def condition_text(cond: Condition) -> str:
    """A short human form of a condition, for error messages."""
    if cond.operator == "range":
        return f"{cond.item} in [{_num(cond.range.min)}, {_num(cond.range.max)}]"
    if cond.operator == "in":
        return f"{cond.item} in {list(cond.values)!r}"
    return f"{cond.item} == {cond.equals!r}"


def _num(x: float | None) -> str:
    return "…" if x is None else f"{x:g}"
