"""The deductions of a scored result, and its score with some of them adjusted.

A deduction is a scored line that lost points (``points < max``). It is
named by its *key*: the item id, plus ``#<n>`` for the n-th instance of a
repeated section, so people can be made responsible for it and appeals can
name it.

An appeal that adjusts a deduction never edits the stored score: the score
after appeals is recomputed by the scoring engine itself from the answers
with that item's defects replaced by one defect of the adjusted points, so
weights, vetoes, bands and marks follow exactly the rules of the original.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checklists.model import Definition
from checklists.plan import DEDUCTION
from checklists.report import ScoreReport, round_points
from checklists.scoring import score_result


@dataclass(frozen=True, slots=True)
class Deduction:
    """Points one item (or one instance of it) lost in a score record."""

    key: str
    item_id: str
    instance: int | None
    points: float
    max: float


class NotAdjustable(ValueError):
    """The named deduction cannot take new points (not a deduction, or out of range)."""


def deduction_key(item_id: str, instance: int | None = None) -> str:
    return item_id if instance is None else f"{item_id}#{instance}"


def deductions_of(record: Mapping[str, Any] | None) -> list[Deduction]:
    """Every deduction in a score record, in order: the stored ``to_record()`` form or the
    explained ``to_dict()`` form (whose instance is ``{"index", "label"}``)."""
    out = []
    for section in (record or {}).get("sections", ()):
        for line in section["lines"]:
            if line["status"] == "scored" and line["points"] < line["max"]:
                instance = line.get("instance")
                if isinstance(instance, Mapping):
                    instance = instance["index"]
                out.append(Deduction(deduction_key(line["item_id"], instance), line["item_id"],
                                     instance, round_points(line["max"] - line["points"]),
                                     line["max"]))
    return out


def responsible_for(record: Mapping[str, Any] | None, assigned: Mapping[str, str],
                    lead_id: str | None) -> dict[str, dict[str, Any]]:
    """``{key: {"deduction", "person_id", "source"}}``: who answers for each deduction --
    the person a supervisor ``assigned`` to it, else the site's project lead (``source``
    says which; ``person_id`` is None when neither is named)."""
    out = {}
    for d in deductions_of(record):
        person, source = (assigned[d.key], "assigned") if d.key in assigned else (
            lead_id, "lead")
        out[d.key] = {"deduction": d, "person_id": person, "source": source}
    return out


def check_adjustment(definition: Definition, deduction: Deduction, points: float) -> None:
    """Raise ``NotAdjustable`` unless ``deduction`` may become ``points`` lost.

    Only items scored by deduction (扣分制) take new points, and an appeal can
    lower a deduction or keep it, never raise it.
    """
    planned = definition.plan.by_id[deduction.item_id]
    if planned.mode != DEDUCTION:
        raise NotAdjustable(f"{deduction.item_id} is not scored by deduction; "
                            "uphold the appeal or escalate it")
    if not 0 <= points <= deduction.points:
        raise NotAdjustable(f"the new deduction must be between 0 and the original "
                            f"{deduction.points:g} points")


def score_with_adjustments(definition: Definition, answers: Mapping[str, Any],
                           adjustments: Mapping[Deduction, float]) -> ScoreReport:
    """The result's score had each deduction in ``adjustments`` lost only its new points."""
    adjusted = copy.deepcopy(dict(answers))
    plan = definition.plan
    for deduction, points in adjustments.items():
        own = adjusted
        if deduction.instance is not None:
            section = plan.sections[plan.by_id[deduction.item_id].section_index].section
            own = adjusted[section.id][deduction.instance]["answers"]
        answer = own[deduction.item_id]
        answer["defects"] = [{"deduction": points}]
    return score_result(definition, adjusted)
