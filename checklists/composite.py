"""A project's composite score over several rubrics (seed 002, 检查验收阶段 3-7).

Each *block* is one rubric (a checklist definition) with a declared weight;
the customer-service block is 25% of the total (本专业版块评分占总分25权重)
and the plan declares the others. The composite is Σ weight × block percent
(0-100), and the plan's bands and the ≥ 96 team-bonus mark apply to the
**composite**, never to a block on its own: a block at 98 earns no team
bonus when the composite is 92.5, and a block at 89 does not keep a project
out of 优秀.

The seed states its bands as whole numbers (≤ 79 不及格, 80-90 良好,
91-100 优秀), leaving gaps a weighted score can fall into (79 < x < 80,
90 < x < 91). The rule here, written into the explanation lines: a score in
a gap has not reached the next band's minimum and gets the lower band.

A block without a result in the month is left out and the other weights
are re-balanced (as weighted sections are); the composite is then marked
incomplete and the explanation names the missing block.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from checklists.model import Label
from checklists.report import round_percent


@dataclass(frozen=True, slots=True)
class Block:
    id: str
    definition_id: str
    weight: float
    title: Label


@dataclass(frozen=True, slots=True)
class CompositeBand:
    """A band of the composite: reached from ``min``; ``stated_max`` is the seed's upper
    bound (91-100 -> 100), which shows where the gaps are; ``consequence`` what follows."""

    id: str
    label: Label
    min: float
    stated_max: float
    consequence: Label | None = None


@dataclass(frozen=True, slots=True)
class CompositePlan:
    id: str
    title: Label
    blocks: tuple[Block, ...]
    bands: tuple[CompositeBand, ...]   # by min
    marks: tuple[CompositeBand, ...] = ()

    def __post_init__(self):
        total = round(sum(b.weight for b in self.blocks), 6)
        if total != 1:
            raise ValueError(f"the block weights of {self.id} add up to {total}, not 1")


@dataclass(frozen=True)
class Composite:
    plan_id: str
    percent: float | None
    band: CompositeBand | None
    marks: tuple[CompositeBand, ...]
    blocks: list[dict]
    complete: bool
    explanation: dict[str, list[str]]

    def to_dict(self) -> dict:
        return {"plan_id": self.plan_id, "percent": self.percent,
                "band": _band_dict(self.band), "marks": [_band_dict(m) for m in self.marks],
                "complete": self.complete, "blocks": self.blocks,
                "explanation": self.explanation}


def composite(plan: CompositePlan, block_percents: Mapping[str, float | None]) -> Composite:
    """The composite of ``block_percents`` (block id -> the block's percent, or None /
    absent when the block has no scored result)."""
    present = [b for b in plan.blocks if block_percents.get(b.id) is not None]
    weight_sum = sum(b.weight for b in present)
    zh, en = [], []
    blocks = []
    for b in plan.blocks:
        pct = block_percents.get(b.id)
        share = round(b.weight / weight_sum, 6) if pct is not None else None
        blocks.append({"block_id": b.id, "definition_id": b.definition_id,
                       "title": b.title.to_dict(), "weight": b.weight, "percent": pct,
                       "effective_weight": share,
                       "contribution": None if pct is None else round_percent(pct * share)})
        if pct is None:
            zh.append(f"{b.title.zh}: 本月无评分结果, 不计入; 其余版块按权重重新分配。")
            en.append(f"{b.title.en}: no scored result this month, left out; the other "
                      "weights are re-balanced.")
        else:
            zh.append(f"{b.title.zh}: {pct:g} 分 × 权重 {share:.4g} = {pct * share:.4g}")
            en.append(f"{b.title.en}: {pct:g} × weight {share:.4g} = {pct * share:.4g}")
    if not present:
        return Composite(plan.id, None, None, (), blocks, False, {"zh": zh, "en": en})
    percent = round_percent(sum(block_percents[b.id] * b.weight for b in present) / weight_sum)
    band = _reached(plan.bands, percent)
    marks = tuple(m for m in plan.marks if percent >= m.min)
    zh.append(f"综合得分 {percent:g} 分 (各版块得分按权重加权)。")
    en.append(f"Composite {percent:g} (the blocks' scores by weight).")
    gap = _gap(plan.bands, percent)
    if gap is not None:
        lower, upper = gap
        zh.append(f"{percent:g} 分处于 {lower.label.zh}({lower.stated_max:g}分) 与 "
                  f"{upper.label.zh}({upper.min:g}分起) 之间, 方案未规定; 未达 {upper.min:g} "
                  f"分, 按较低档 {lower.label.zh} 计。")
        en.append(f"{percent:g} falls between {lower.label.en} (up to {lower.stated_max:g}) "
                  f"and {upper.label.en} (from {upper.min:g}), which the seed leaves open; "
                  f"it has not reached {upper.min:g}, so it gets the lower band, "
                  f"{lower.label.en}.")
    for reached in (band, *marks):
        if reached is not None:
            then = reached.consequence
            zh.append(f"{reached.label.zh}" + (f": {then.zh}" if then else ""))
            en.append(f"{reached.label.en}" + (f": {then.en}" if then else ""))
    for m in plan.marks:
        if m not in marks:
            zh.append(f"未达 {m.label.zh} ({m.min:g}分, 按综合得分计)。")
            en.append(f"{m.label.en} not reached ({m.min:g}, on the composite).")
    complete = len(present) == len(plan.blocks)
    return Composite(plan.id, percent, band, marks, blocks, complete, {"zh": zh, "en": en})


def _reached(bands, percent):
    reached = None
    for band in bands:
        if percent >= band.min:
            reached = band
    return reached


def _gap(bands, percent):
    """``(lower, upper)`` if ``percent`` lies above ``lower``'s stated maximum and below
    ``upper``'s minimum."""
    for lower, upper in zip(bands, bands[1:]):
        if lower.stated_max < percent < upper.min:
            return lower, upper
    return None


def _band_dict(band: CompositeBand | None):
    if band is None:
        return None
    return {"id": band.id, "label": band.label.to_dict(), "min": band.min}
