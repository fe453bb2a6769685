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

from checklists.logic import AnswerPredicate, compile_condition
from checklists.model import Condition, Definition, Item, Section

# scoring modes
NOT_SCORED, CHECK, CHOICE, MULTI_CHOICE, READING, DEDUCTION = range(6)


class PlannedItem:
    """One item with everything the evaluation loop needs precomputed."""

    __slots__ = (
        "id", "item", "section_index", "cond_source", "cond_predicate", "mode", "weight",
        "max", "option_scores", "flagged_options", "low", "high", "fixed_deduction",
        "failable", "veto",
    )

    def __init__(self, item: Item, section_index: int, items_by_id: dict[str, Item]):
        self.id = item.id
        self.item = item
        self.section_index = section_index
        self.cond_source, self.cond_predicate = _compile(item.show_if, items_by_id)
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
        source = self.cond_source
        if source is None:
            return True
        return shown.get(source, False) and self.cond_predicate(answers.get(source))


class PlannedSection:
    """A section's condition and weight."""

    __slots__ = ("index", "section", "cond_source", "cond_predicate")

    def __init__(self, index: int, section: Section, items_by_id: dict[str, Item]):
        self.index = index
        self.section = section
        self.cond_source, self.cond_predicate = _compile(section.show_if, items_by_id)


class Plan:
    """The compiled definition: items in document order and their sections."""

    # no back-reference to the definition: the plan is cached on it, and a cycle
    # would keep every definition version ever scored alive until a full GC
    __slots__ = ("items", "sections", "section_items", "by_id")

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

    def section_visible(self, index: int, answers: Mapping[str, Any],
                        shown: Mapping[str, bool]) -> bool:
        planned = self.sections[index]
        source = planned.cond_source
        if source is None:
            return True
        return shown.get(source, False) and planned.cond_predicate(answers.get(source))


def _compile(cond: Condition | None, items_by_id: dict[str, Item]
             ) -> tuple[str | None, AnswerPredicate | None]:
    if cond is None:
        return None, None
    return cond.item, compile_condition(cond, items_by_id[cond.item])


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
