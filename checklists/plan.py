"""A definition compiled for fast evaluation (visibility, validation, scoring).

Scoring must keep up with whole result histories being rescored (the goal is
>= 200,000 item responses per second on one core), so everything that depends
only on the definition — option score tables, maxima, compiled show-if
predicates, scoring mode — is worked out once per definition version and
cached on it (``Definition.plan``). The per-result loop then does dictionary
look-ups and arithmetic only.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checklists.logic import ConditionTest, answered_values, compile_test
from checklists.model import Definition, Item, Section

# scoring modes
NOT_SCORED, CHECK, CHOICE, MULTI_CHOICE, READING, DEDUCTION = range(6)


class PlannedItem:
    """One item with everything the evaluation loop needs precomputed."""

    __slots__ = (
        "id", "item", "section_index", "cond", "required_cond", "mode", "weight",
        "max", "option_scores", "flagged_options", "low", "high", "fixed_deduction",
        "failable", "veto", "sentences",
    )

    def __init__(self, item: Item, section_index: int, items_by_id: dict[str, Item]):
        self.id = item.id
        self.item = item
        self.section_index = section_index
        self.cond = _compile(item.show_if, items_by_id)
        self.required_cond = _compile(item.required_if, items_by_id)
        #: explanation sentences already rendered for this item (see explain.explain_line)
        self.sentences: dict[tuple, str] = {}
        self.weight = item.weight or 0.0
        self.option_scores: dict[str, float] = {o.id: o.score for o in item.options or ()}
        self.flagged_options = frozenset(o.id for o in item.options or () if o.flag)
        thresholds = item.thresholds
        self.low = thresholds.min if thresholds else None
        self.high = thresholds.max if thresholds else None
        deduction = item.deduction
        self.fixed_deduction = deduction.min if deduction is not None and deduction.fixed else None
        self.failable = item.type in ("check", "choice", "reading", "checkpoint")
        self.veto = item.veto
        self.mode, self.max = _mode_and_max(item, self.option_scores)

    def failure(self, value: Any) -> str | None:
        """Why an answered value counts as failed/flagged, or None when it does not.

        The one definition of "failed" used by evidence rules, veto and flags:
        a check answered ``fail``, a flagged option picked, a reading outside
        its thresholds, a checkpoint scan of another tag than the expected one.
        """
        item_type = self.item.type
        if item_type == "check":
            return "fail" if value == "fail" else None
        if item_type == "choice":
            picked = value if isinstance(value, list) else (value,)
            return "flagged_option" if any(p in self.flagged_options for p in picked) else None
        if item_type == "reading":
            if isinstance(value, (int, float)) and (
                    (self.low is not None and value < self.low)
                    or (self.high is not None and value > self.high)):
                return "out_of_range"
            return None
        if item_type == "checkpoint":
            expected = self.item.tag
            return "wrong_tag" if expected is not None and value != expected else None
        return None

    def visible(self, answers: Mapping[str, Any], shown: Mapping[str, bool]) -> bool:
        return self.cond is None or self.cond(answers, shown)

    def calculate(self, answers: Mapping[str, Any], shown: Mapping[str, bool]) -> Any:
        """The value of a calculate item given the answers before it.

        Blank (None) while any item it reads is blank: JSON Logic would read a
        missing area as 0 and compute a confident wrong number.
        """
        expression = self.item.calculation
        values = answered_values(expression.reads, answers, shown)
        if any(v is None for v in values.values()):
            return None
        value = expression.evaluate(values)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return value


class PlannedSection:
    """A section's conditions, weight and repeat rule."""

    __slots__ = ("index", "section", "cond", "required_cond", "repeat")

    def __init__(self, index: int, section: Section, items_by_id: dict[str, Item]):
        self.index = index
        self.section = section
        self.cond = _compile(section.show_if, items_by_id)
        self.required_cond = _compile(section.required_if, items_by_id)
        self.repeat = section.repeat


class Plan:
    """The compiled definition: items in document order and their sections."""

    # no back-reference to the definition: the plan is cached on it, and a cycle
    # would keep every definition version ever scored alive until a full GC
    __slots__ = ("items", "sections", "section_items", "by_id", "has_calculations",
                 "repeated", "sections_by_id")

    def __init__(self, definition: Definition):
        items_by_id = definition.items_by_id
        self.sections = tuple(
            PlannedSection(i, s, items_by_id) for i, s in enumerate(definition.sections))
        self.items = tuple(
            PlannedItem(item, i, items_by_id)
            for i, section in enumerate(definition.sections) for item in section.items)
        self.section_items = tuple(
            tuple(p for p in self.items if p.section_index == i) for i in range(len(self.sections)))
        self.by_id = {p.id: p for p in self.items}
        self.has_calculations = any(p.item.type == "calculate" for p in self.items)
        #: id of each repeated section -> its PlannedSection (answers are filed under that id)
        self.repeated = {p.section.id: p for p in self.sections if p.repeat is not None}
        self.sections_by_id = {p.section.id: p for p in self.sections}

    def section_visible(self, index: int, answers: Mapping[str, Any],
                        shown: Mapping[str, bool]) -> bool:
        cond = self.sections[index].cond
        return cond is None or cond(answers, shown)


def _compile(cond, items_by_id: dict[str, Item]) -> ConditionTest | None:
    return None if cond is None else compile_test(cond, items_by_id)


def _mode_and_max(item: Item, option_scores: dict[str, float]) -> tuple[int, float]:
    if item.deduction is not None:
        return DEDUCTION, float(item.points)
    weight = item.weight or 0.0
    if not weight:
        return NOT_SCORED, 0.0
    if item.type == "check":
        return CHECK, weight
    if item.type == "choice":
        scores = option_scores.values()
        best = sum(scores) if item.multiple else max(scores)
        return (MULTI_CHOICE if item.multiple else CHOICE), best * weight
    if item.type == "reading":
        return READING, weight
    return NOT_SCORED, 0.0
