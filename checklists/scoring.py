"""Scoring a result against the definition version it was filled against.

Rules (``RULES_VERSION`` names this set; see also DESIGN.md §4):

* **additive** — item score = response score x weight. A check scores 1 for
  ``pass``, 0 for ``fail``; a choice its option's score (multi-select: the sum
  of the picked options; maximum = the sum of all); a weighted reading 1 inside
  its thresholds, 0 outside. Maximum = best response x weight.
* **deduction (扣分制)** — the item has ``points``; ``pass`` keeps them all,
  ``fail`` loses the sum of its defects' deductions, never below 0 (扣完为止).
* **N/A** removes the item from both score and maximum. **Hidden** items
  (show-if not met) are excluded the same way. **Unanswered** scorable items
  count 0 of their maximum (``scoring.unanswered = "zero"``, the default) or are
  left out (``"exclude"``).
* **sections** sum their items. Without section weights the total is the sum
  of all sections and percent = total / max. With weights, percent = Σ w·pct /
  Σ w over the sections that have a maximum (a section entirely N/A drops out
  and the others are re-balanced), and total = percent x ``scoring.scale``.
* **veto (一票否决)** — a visible item with a veto that is failed/flagged zeroes
  the result or caps its percent at ``cap_percent`` (the lowest cap wins; zero
  beats any cap).
* **bands** — the highest band whose ``min`` the percent reaches; **marks**
  (e.g. ≥96 team bonus) — every mark reached.

``score_result`` trusts that the answers passed :func:`validate_answers`
(the server always validates first; use :func:`evaluate` to do both), so the
loop stays arithmetic and the engine meets its throughput goal.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checklists.answers import validate_answers
from checklists.model import Band, Definition
from checklists.plan import (
    CHECK, CHOICE, DEDUCTION, MULTI_CHOICE, NOT_SCORED, READING, PlannedItem,
)
from checklists.repeats import score_repeat
from checklists.report import (
    Flag, ItemLine, ScoreReport, SectionScore, round_percent, round_points, section_status,
)


def evaluate(definition: Definition, answers: Mapping[str, Any]) -> ScoreReport:
    """Validate then score: what the server does with every pushed result."""
    validate_answers(definition, answers)
    return score_result(definition, answers)


def score_result(definition: Definition, answers: Mapping[str, Any]) -> ScoreReport:
    """Score validated ``answers``; pure, deterministic, and safe to run on devices."""
    plan = definition.plan
    if plan.has_calculations:
        answers = dict(answers)  # calculated values are filed in beside the answers
    tally = _Tally(definition.scoring.unanswered == "zero")
    shown: dict[str, bool] = {}
    sections: list[SectionScore] = []
    for planned_section, section_items in zip(plan.sections, plan.section_items):
        section = planned_section.section
        cond = planned_section.cond
        section_shown = cond is None or cond(answers, shown)
        if planned_section.repeat is not None:
            sections.extend(score_repeat(planned_section, section_items, answers, shown,
                                         section_shown, tally))
            continue
        lines, points, maximum, has_scorable = tally.items(
            section_items, answers, shown, section_shown, None)
        status = section_status(section_shown, has_scorable, maximum)
        sections.append(SectionScore(section.id, section.title, status, round_points(points),
                                     round_points(maximum), section.weight, lines))
    return _finish(definition, sections, tally.flags, tally.vetoes)


class _Tally:
    """The item loop of scoring, and the flags and vetoes it collects on the way."""

    __slots__ = ("zero_unanswered", "flags", "vetoes")

    def __init__(self, zero_unanswered: bool):
        self.zero_unanswered = zero_unanswered
        self.flags: list[Flag] = []
        self.vetoes: list[PlannedItem] = []

    def items(self, section_items, answers: Mapping[str, Any], shown: dict[str, bool],
              section_shown: bool, instance) -> tuple[list[ItemLine], float, float, bool]:
        """Score one section's items (or one instance of a repeated section)."""
        zero_unanswered = self.zero_unanswered
        lines: list[ItemLine] = []
        points = maximum = 0.0
        has_scorable = False
        for planned in section_items:
            cond = planned.cond
            visible = section_shown and (cond is None or cond(answers, shown))
            shown[planned.id] = visible
            mode = planned.mode
            if mode != NOT_SCORED:
                has_scorable = True
            elif not planned.failable:
                if visible and planned.item.calculation is not None:
                    answers[planned.id] = {"value": planned.calculate(answers, shown)}
                continue
            if not visible:
                if mode != NOT_SCORED:
                    lines.append(ItemLine(planned, "hidden", 0.0, planned.max, False, None,
                                          instance))
                continue
            answer = answers.get(planned.id)
            if not answer:
                if mode != NOT_SCORED:
                    lines.append(ItemLine(planned, "unanswered", 0.0, planned.max,
                                          zero_unanswered, None, instance))
                    if zero_unanswered:
                        maximum += planned.max
                continue
            if answer.get("na") is True:
                if mode != NOT_SCORED:
                    lines.append(ItemLine(planned, "na", 0.0, planned.max, False, None, instance))
                continue
            value = answer.get("value")
            if planned.failable:
                reason = planned.failure(value)
                if reason is not None:
                    self.flags.append(Flag(planned.id, reason, planned.item.label, value,
                                           instance))
                    if planned.veto is not None:
                        self.vetoes.append(planned)
            if mode == NOT_SCORED:
                continue
            got, detail = item_points(planned, mode, value, answer)
            lines.append(ItemLine(planned, "scored", got, planned.max, True, detail, instance))
            points += got
            maximum += planned.max
        return lines, points, maximum, has_scorable


def item_points(planned: PlannedItem, mode: int, value: Any, answer: Mapping
                 ) -> tuple[float, Any]:
    """Points of one answered, visible, applicable item, and the facts behind them."""
    if mode == DEDUCTION:
        if value != "fail":
            return planned.max, None
        defects = answer.get("defects") or ()
        fixed = planned.fixed_deduction
        lost = 0.0
        for defect in defects:
            lost += defect.get("deduction", fixed if fixed is not None else 0.0)
        return round_points(max(planned.max - lost, 0.0)), defects
    if mode == CHECK:
        return (planned.weight if value == "pass" else 0.0), value
    if mode == CHOICE:
        return round_points(planned.option_scores.get(value, 0.0) * planned.weight), value
    if mode == MULTI_CHOICE:
        scores = planned.option_scores
        return round_points(sum(scores.get(v, 0.0) for v in value) * planned.weight), value
    if mode == READING:
        failed = planned.failure(value) is not None
        return (0.0 if failed else planned.weight), value
    return 0.0, None


def _finish(definition: Definition, sections: list[SectionScore], flags: list[Flag],
            vetoes: list[PlannedItem]) -> ScoreReport:
    scoring = definition.scoring
    weighted = definition.weighted
    if weighted:
        contributing = [s for s in sections if s.max > 0]
        weight_sum = sum(s.weight for s in contributing)
        ratio = (sum(s.weight * s.points / s.max for s in contributing) / weight_sum
                 if contributing else None)
        for s in contributing:
            s.effective_weight = round(s.weight / weight_sum, 6)
        maximum = scoring.scale if contributing else 0.0
        total = ratio * maximum if ratio is not None else 0.0
    else:
        total = sum(s.points for s in sections)
        maximum = sum(s.max for s in sections)
        ratio = total / maximum if maximum > 0 else None
    rescaled = None
    if scoring.na == "rescale" and not weighted and ratio is not None:
        na_items = [ln.planned.id for s in sections for ln in s.lines if ln.status == "na"]
        if na_items:
            rescaled = {"total": round_points(total), "max": round_points(maximum),
                        "na_items": na_items}
            total, maximum = ratio * scoring.scale, scoring.scale
    percent = ratio * 100 if ratio is not None else None
    veto = _veto(vetoes)
    if veto is not None and percent is not None:
        percent = 0.0 if veto["effect"] == "zero" else min(percent, veto["cap_percent"])
        total = min(total, percent * maximum / 100)
    percent = round_percent(percent) if percent is not None else None
    return ScoreReport(
        definition_id=definition.id,
        definition_version=definition.version,
        total=round_points(total),
        max=round_points(maximum),
        percent=percent,
        band=_band(scoring.bands, percent),
        marks=[m for m in scoring.marks if percent is not None and percent >= m.min],
        flags=flags,
        sections=sections,
        veto=veto,
        weighted=weighted,
        rescaled=rescaled,
    )


def _veto(vetoes: list[PlannedItem]) -> dict[str, Any] | None:
    """The strongest veto triggered: zero beats any cap, a lower cap beats a higher one."""
    if not vetoes:
        return None
    strongest = min(vetoes, key=lambda p: -1.0 if p.veto.effect == "zero" else p.veto.cap_percent)
    rule = strongest.veto
    return {"item_id": strongest.id, "label": strongest.item.label.to_dict(),
            "effect": rule.effect, "cap_percent": rule.cap_percent,
            "items": [p.id for p in vetoes]}


def _band(bands: tuple[Band, ...], percent: float | None) -> Band | None:
    if percent is None:
        return None
    reached = None
    for band in bands:  # sorted by min
        if percent >= band.min:
            reached = band
    return reached
