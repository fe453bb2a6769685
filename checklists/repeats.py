"""Repeated sections: one block of items per room, unit or floor.

A section with ``repeat {min, max, label, scoring}`` is answered once per
instance. Its answers are filed under the *section* id, as a list::

    "ho.room": [{"label": "主卧", "answers": {"ho.room.floor": {"value": "pass"}}},
                {"label": "卫生间2", "answers": {...}}]

Inside an instance, conditions and expressions see that instance's answers
and everything outside the repeat (section context); nothing outside may read
an item inside one (checked at publish, see :mod:`checklists.references`).

How instances make the section's score is declared by ``repeat.scoring``:

* ``sum``   — points and maximum add up over the instances;
* ``mean``  — the mean percent of the instances that have a maximum, applied
  to their mean maximum (a unit with more rooms does not weigh more);
* ``worst`` — the instance with the lowest percent stands for the section
  (the first one on a tie);
* ``each``  — every instance is reported as a section of its own (weighted
  definitions split the section's weight evenly between them).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checklists.model import Label
from checklists.report import SectionScore, round_points, section_status


def instances_of(answers: Mapping[str, Any], section_id: str) -> list:
    """The instances answered for a repeated section (validated: a list of objects)."""
    value = answers.get(section_id)
    return value if isinstance(value, list) else []


def instance_scope(answers: Mapping[str, Any], instance: Mapping[str, Any]) -> dict:
    """What an instance's items see: its own answers over the checklist's."""
    own = instance.get("answers")
    return {**answers, **own} if isinstance(own, Mapping) else dict(answers)


def instance_title(title: Label, label: str) -> Label:
    return Label(zh=f"{title.zh}: {label}", en=f"{title.en}: {label}")


def score_repeat(planned_section, section_items, answers: Mapping[str, Any],
                 shown: dict[str, bool], section_shown: bool, tally) -> list[SectionScore]:
    """The section score(s) of a repeated section (``tally`` scores one instance's items)."""
    section = planned_section.section
    rule = planned_section.repeat
    scorable = any(p.mode != 0 for p in section_items)
    scored = []
    for index, instance in enumerate(instances_of(answers, section.id) if section_shown else ()):
        label = instance.get("label", "")
        lines, points, maximum, _ = tally.items(
            section_items, instance_scope(answers, instance), dict(shown), True, (index, label))
        scored.append((index, label, lines, round_points(points), round_points(maximum)))
    if rule.scoring == "each" and scored:
        weight = section.weight / len(scored) if section.weight is not None else None
        return [SectionScore(section.id, instance_title(section.title, label),
                             section_status(True, scorable, maximum), points, maximum, weight,
                             lines, instance=(index, label))
                for index, label, lines, points, maximum in scored]
    points, maximum, chosen = combine(rule.scoring, [(p, m) for *_, p, m in scored])
    facts = {"scoring": rule.scoring, "instances": [[p, m] for *_, p, m in scored],
             "chosen": chosen}
    return [SectionScore(section.id, section.title,
                         section_status(section_shown, scorable, maximum), points, maximum,
                         section.weight, [line for _, _, lines, _, _ in scored for line in lines],
                         repeat=facts, instance_labels=tuple(label for _, label, *_ in scored))]


def combine(scoring: str, totals: list[tuple[float, float]]) -> tuple[float, float, int | None]:
    """``(points, max, chosen instance)`` of a repeated section from its instances' totals."""
    if scoring == "sum" or scoring == "each":
        return (round_points(sum(p for p, _ in totals)), round_points(sum(m for _, m in totals)),
                None)
    counted = [(k, p, m) for k, (p, m) in enumerate(totals) if m > 0]
    if not counted:
        return 0.0, 0.0, None
    if scoring == "worst":
        k, p, m = min(counted, key=lambda c: c[1] / c[2])
        return p, m, k
    mean_max = sum(m for _, _, m in counted) / len(counted)
    mean_ratio = sum(p / m for _, p, m in counted) / len(counted)
    return round_points(mean_ratio * mean_max), round_points(mean_max), None
