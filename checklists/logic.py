"""Show-if / required-if logic: which items and sections an answer set makes visible.

A leaf condition tests the answer of one earlier item (``equals`` / ``in`` /
``range``). It is false when that item is hidden, unanswered or answered N/A,
so hiding an item also hides everything that depends on it — a single pass in
document order settles the whole checklist (references only look back, see
:mod:`checklists.references`). Leaves combine with ``all`` / ``any`` /
``not``, and ``expr`` is a JSON Logic rule (:mod:`checklists.expressions`)
over earlier answers; like every expression it is judged only when each item
it reads has a value, and is false until then.

For a multi-select choice, ``equals`` means "this option is among those picked"
and ``in`` means "any picked option is in the list".
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from checklists.expressions import truthy
from checklists.model import AllOf, AnyOf, Condition, Definition, ExprCondition, Item, Not

#: predicate over the answer dict of the condition's source item (None = no answer)
AnswerPredicate = Callable[[Any], bool]
#: a whole condition over (answers, shown): the form the evaluation loops call
ConditionTest = Callable[[Mapping[str, Any], Mapping[str, bool]], bool]


def compile_test(cond, items_by_id: Mapping[str, Item]) -> ConditionTest:
    """Build ``test(answers, shown)`` for any condition (leaf, all/any/not, expr)."""
    if isinstance(cond, AllOf):
        parts = tuple(compile_test(c, items_by_id) for c in cond.all)
        return lambda answers, shown: all(p(answers, shown) for p in parts)
    if isinstance(cond, AnyOf):
        parts = tuple(compile_test(c, items_by_id) for c in cond.any)
        return lambda answers, shown: any(p(answers, shown) for p in parts)
    if isinstance(cond, Not):
        inner = compile_test(cond.not_, items_by_id)
        return lambda answers, shown: not inner(answers, shown)
    if isinstance(cond, ExprCondition):
        expression = cond.expr

        def holds(answers, shown) -> bool:
            values = answered_values(expression.reads, answers, shown)
            return (None not in values.values()) and truthy(expression.evaluate(values))

        return holds
    source, predicate = cond.item, compile_condition(cond, items_by_id[cond.item])
    return lambda answers, shown: shown.get(source, False) and predicate(answers.get(source))


def answered_values(ids, answers: Mapping[str, Any], shown: Mapping[str, bool]) -> dict:
    """``{id: value}`` of the given items; hidden, unanswered and N/A read as None."""
    return {i: _answered_value(answers.get(i)) if shown.get(i, False) else None for i in ids}


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
    """Map every item id to whether it is shown for these answers.

    Items of a repeated section are listed per instance, as
    ``<section id>[<n>].<item id>``.
    """
    from checklists.repeats import instance_scope, instances_of  # repeats -> report -> plan

    plan = definition.plan
    answers = dict(answers)
    shown: dict[str, bool] = {}
    out: dict[str, bool] = {}
    for planned_section, section_items in zip(plan.sections, plan.section_items):
        section_shown = plan.section_visible(planned_section.index, answers, shown)
        if planned_section.repeat is None:
            _visit(section_items, answers, shown, section_shown)
            out.update((p.id, shown[p.id]) for p in section_items)
            continue
        section_id = planned_section.section.id
        instances = instances_of(answers, section_id) if section_shown else []
        for index, instance in enumerate(instances):
            scope, scope_shown = instance_scope(answers, instance), dict(shown)
            _visit(section_items, scope, scope_shown, True)
            out.update((f"{section_id}[{index}].{p.id}", scope_shown[p.id])
                       for p in section_items)
    return out


def _visit(section_items, answers: dict, shown: dict[str, bool], section_shown: bool) -> None:
    for planned in section_items:
        visible = shown[planned.id] = section_shown and planned.visible(answers, shown)
        if visible and planned.item.calculation is not None:
            answers[planned.id] = {"value": planned.calculate(answers, shown)}


def condition_text(cond) -> str:
    """A short human form of a condition, for error messages."""
    if isinstance(cond, (AllOf, AnyOf)):
        parts = cond.all if isinstance(cond, AllOf) else cond.any
        joiner = " and " if isinstance(cond, AllOf) else " or "
        return "(" + joiner.join(condition_text(c) for c in parts) + ")"
    if isinstance(cond, Not):
        return f"not {condition_text(cond.not_)}"
    if isinstance(cond, ExprCondition):
        return f"the rule {cond.expr.rule!r} holds"
    if cond.operator == "range":
        return f"{cond.item} in [{_num(cond.range.min)}, {_num(cond.range.max)}]"
    if cond.operator == "in":
        return f"{cond.item} in {list(cond.values)!r}"
    return f"{cond.item} == {cond.equals!r}"


def _num(x: float | None) -> str:
    return "…" if x is None else f"{x:g}"
