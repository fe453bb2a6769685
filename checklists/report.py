"""The score report: totals, band, flags, and a line per scored item.

Lines keep the numbers and the facts behind them (which defects, which
option, which reading); the zh/en sentences explaining them are rendered on
demand by :mod:`checklists.explain` (``line.explanation("zh")`` and in
``to_dict()``). Scoring a result therefore costs arithmetic only, and the
wording can improve without changing any stored number.

Numbers: points are rounded to 4 decimals, percents to 2, so float noise
(``4 - 3 * 0.2``) never reaches a report or moves a score across a band.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checklists.explain import explain_both, explain_line, explain_repeat, explain_report
from checklists.model import Band, Label

#: version of the scoring rules implemented here; stored with every report so a
#: result can be recomputed, and bumped whenever a rule's arithmetic changes.
RULES_VERSION = "fieldsync-scoring/1"


def round_points(x: float) -> float:
    return round(x, 4) + 0.0  # + 0.0 turns -0.0 into 0.0


def round_percent(x: float) -> float:
    return round(x, 2) + 0.0


def section_status(shown: bool, has_scorable: bool, maximum: float) -> str:
    if not shown:
        return "hidden"
    if not has_scorable:
        return "unscored"
    return "scored" if maximum > 0 else "na"


class ItemLine:
    """How one scorable item scored.

    ``status``: ``scored`` | ``na`` | ``hidden`` | ``unanswered``;
    ``counted``: whether ``max`` is part of the section maximum;
    ``detail``: the facts the explanation is built from (see explain.py);
    ``instance``: ``(index, label)`` in a repeated section, else None.
    """

    __slots__ = ("planned", "status", "points", "max", "counted", "detail", "instance")

    def __init__(self, planned, status: str, points: float, max_points: float,
                 counted: bool, detail: Any = None, instance: tuple | None = None):
        self.planned = planned
        self.status = status
        self.points = points
        self.max = max_points
        self.counted = counted
        self.detail = detail
        self.instance = instance

    @property
    def item_id(self) -> str:
        return self.planned.id

    @property
    def label(self) -> Label:
        return self.planned.item.label

    def explanation(self, lang: str = "zh") -> str:
        return explain_line(self, lang)

    def to_record(self) -> dict[str, Any]:
        record = {"item_id": self.planned.id, "status": self.status, "points": self.points,
                  "max": self.max, "counted": self.counted}
        if self.instance is not None:
            record["instance"] = self.instance[0]
        return record

    def to_dict(self) -> dict[str, Any]:
        zh, en = explain_both(self)
        out = {
            "item_id": self.planned.id,
            "label": self.planned.item.label.to_dict(),
            "status": self.status,
            "points": self.points,
            "max": self.max,
            "counted": self.counted,
            "explanation": {"zh": zh, "en": en},
        }
        if self.instance is not None:
            out["instance"] = {"index": self.instance[0], "label": self.instance[1]}
        return out


@dataclass
class Flag:
    """A failed or flagged answer (fail, flagged option, out-of-range reading, wrong tag)."""

    item_id: str
    reason: str
    label: Label
    value: Any = None
    instance: tuple | None = None

    def to_record(self) -> dict[str, Any]:
        record = {"item_id": self.item_id, "reason": self.reason}
        if self.instance is not None:
            record["instance"] = self.instance[0]
        return record

    def to_dict(self) -> dict[str, Any]:
        out = {"item_id": self.item_id, "reason": self.reason, "label": self.label.to_dict(),
               "value": self.value}
        if self.instance is not None:
            out["instance"] = {"index": self.instance[0], "label": self.instance[1]}
        return out


@dataclass
class SectionScore:
    """A section's subtotal; ``status`` is scored | na | hidden | unscored.

    A repeated section carries ``repeat``: how its instances were combined
    (``{"scoring", "instances": [[points, max], ...], "chosen"}``, see
    :mod:`checklists.repeats`); with ``scoring: each`` every instance is a
    section of its own and says which in ``instance`` (``(index, label)``).
    """

    section_id: str
    title: Label
    status: str
    points: float
    max: float
    weight: float | None
    lines: list[ItemLine] = field(default_factory=list)
    effective_weight: float | None = None
    instance: tuple | None = None
    repeat: dict | None = None
    instance_labels: tuple = ()

    @property
    def percent(self) -> float | None:
        return round_percent(self.points / self.max * 100) if self.max > 0 else None

    def to_record(self) -> dict[str, Any]:
        record = {"section_id": self.section_id, "status": self.status, "points": self.points,
                  "max": self.max, "weight": self.weight,
                  "effective_weight": self.effective_weight,
                  "lines": [line.to_record() for line in self.lines]}
        if self.instance is not None:
            record["instance"] = self.instance[0]
        if self.repeat is not None:
            record["repeat"] = self.repeat
        return record

    def to_dict(self) -> dict[str, Any]:
        out = {
            "section_id": self.section_id, "title": self.title.to_dict(), "status": self.status,
            "points": self.points, "max": self.max, "percent": self.percent,
            "weight": self.weight, "effective_weight": self.effective_weight,
            "lines": [line.to_dict() for line in self.lines],
        }
        if self.instance is not None:
            out["instance"] = {"index": self.instance[0], "label": self.instance[1]}
        if self.repeat is not None:
            out["repeat"] = self.repeat
            out["explanation"] = {"zh": explain_repeat(self, "zh"),
                                  "en": explain_repeat(self, "en")}
        return out


@dataclass
class ScoreReport:
    """The score of one result against one definition version."""

    definition_id: str
    definition_version: int
    total: float
    max: float
    percent: float | None
    band: Band | None
    marks: list[Band]
    flags: list[Flag]
    sections: list[SectionScore]
    veto: dict[str, Any] | None = None
    weighted: bool = False
    rules_version: str = RULES_VERSION
    #: ``scoring.na = rescale`` with N/A items: the total before rescaling (see explain.py)
    rescaled: dict[str, Any] | None = None

    def summary(self) -> dict[str, Any]:
        """The numbers a list view or a rescore comparison needs."""
        return {"total": self.total, "max": self.max, "percent": self.percent,
                "band": self.band.id if self.band else None}

    def explanation(self, lang: str = "zh") -> list[str]:
        """Result-level sentences: how sections combine, veto, band."""
        return explain_report(self, lang)

    def to_record(self) -> dict[str, Any]:
        """What a result stores: every number and fact, none of the wording.

        Labels live in the (immutable) definition version and explanations
        are rendered from the numbers (``checklists.score_record``), so a
        stored score is about a third the size of ``to_dict()`` and costs
        arithmetic only to build -- a push scores every result it receives.
        """
        return {
            "definition_id": self.definition_id,
            "definition_version": self.definition_version,
            "rules_version": self.rules_version,
            "total": self.total, "max": self.max, "percent": self.percent,
            "band": self.band.id if self.band else None,
            "marks": [m.id for m in self.marks],
            "veto": None if self.veto is None else
            {k: v for k, v in self.veto.items() if k != "label"},
            "weighted": self.weighted,
            "flags": [f.to_record() for f in self.flags],
            "sections": [s.to_record() for s in self.sections],
            **({"rescaled": self.rescaled} if self.rescaled is not None else {}),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "definition_id": self.definition_id,
            "definition_version": self.definition_version,
            "rules_version": self.rules_version,
            "total": self.total, "max": self.max, "percent": self.percent,
            "band": _band_dict(self.band),
            "marks": [_band_dict(m) for m in self.marks],
            "veto": self.veto,
            "weighted": self.weighted,
            "flags": [f.to_dict() for f in self.flags],
            "explanation": {"zh": self.explanation("zh"), "en": self.explanation("en")},
            "sections": [s.to_dict() for s in self.sections],
            **({"rescaled": self.rescaled} if self.rescaled is not None else {}),
        }


def _band_dict(band: Band | None) -> dict[str, Any] | None:
    return None if band is None else {"id": band.id, "label": band.label.to_dict(),
                                      "min": band.min}
