"""The immutable checklist definition model.

A :class:`Definition` is built only by :func:`checklists.load_definition`,
after the marshmallow schema has accepted the input, so every instance is
valid: scoring and answer validation never re-check the definition.

Everything is a frozen dataclass holding tuples, so a definition can be shared
between threads and cached freely; once a version is published it can never
change under the results that were filled against it. ``to_dict()`` gives the
canonical JSON form (``None`` fields omitted), and ``load_definition`` of that
form yields an equal definition: the round trip is exact.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any, Iterator

#: item types whose answer can be scored (additively or by deduction)
SCORABLE_TYPES = frozenset({"check", "choice", "reading"})
#: item types with a notion of a failed / flagged answer
FAILABLE_TYPES = frozenset({"check", "choice", "reading", "checkpoint"})
ITEM_TYPES = (
    "check", "choice", "reading", "text", "photo", "signature", "checkpoint", "date", "time",
    "calculate",
)
DEFAULT_TEXT_LENGTH = 2000
DEFAULT_MAX_PHOTOS = 20
KINDS = ("inspection", "patrol_checkpoint", "handover", "maintenance")


def _plain(value: Any) -> Any:
    """JSON-ready form of a model value: dataclasses to dicts, tuples to lists."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


class _Model:
    """Shared ``to_dict``: every non-``None`` field under its JSON name."""

    #: attribute name -> JSON key, for the few names Python reserves
    _json_names: dict[str, str] = {}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is not None:
                out[self._json_names.get(f.name, f.name)] = _plain(value)
        return out


@dataclass(frozen=True)
class Label(_Model):
    """A text in Chinese and English; both are required."""

    zh: str
    en: str

    def to_dict(self) -> dict[str, Any]:  # hot in reports: skip the generic field walk
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Source(_Model):
    """Where a built-in definition comes from (seed file and section)."""

    seed: str
    section: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Range(_Model):
    """Inclusive numeric bounds; either end may be open (``None``)."""

    min: float | None = None
    max: float | None = None

    def contains(self, x: float) -> bool:
        return (self.min is None or x >= self.min) and (self.max is None or x <= self.max)


@dataclass(frozen=True)
class Condition(_Model):
    """Show-if rule: an earlier item's answer ``equals`` / is ``in`` / in ``range``.

    Exactly one operator is set; ``values`` is the ``in`` list.
    """

    item: str
    equals: Any = None
    values: tuple | None = None
    range: Range | None = None

    _json_names = {"values": "in"}

    @property
    def operator(self) -> str:
        if self.values is not None:
            return "in"
        if self.range is not None:
            return "range"
        return "equals"


@dataclass(frozen=True)
class AllOf(_Model):
    """True when every one of its conditions is."""

    all: tuple


@dataclass(frozen=True)
class AnyOf(_Model):
    """True when at least one of its conditions is."""

    any: tuple


@dataclass(frozen=True)
class Not(_Model):
    """True when its condition is false (a hidden or unanswered source makes it true)."""

    not_: Any

    _json_names = {"not_": "not"}


@dataclass(frozen=True)
class ExprCondition(_Model):
    """True when a JSON Logic rule over earlier answers is truthy (see expressions.py)."""

    expr: Any


@dataclass(frozen=True)
class Constraint(_Model):
    """A rule an answered value must meet, and what to tell the inspector when it does not."""

    rule: Any
    message: Label


@dataclass(frozen=True)
class Repeat(_Model):
    """A section filled once per instance (each room, each unit), between min and max times.

    ``scoring`` says how the instances make the section's score: ``sum`` adds
    them, ``mean`` averages them, ``worst`` keeps the instance with the lowest
    percent, ``each`` reports every instance as a section of its own.
    """

    min: int
    max: int
    label: Label
    scoring: str = "sum"


@dataclass(frozen=True)
class Option(_Model):
    """One response of a ``choice`` item: its score and whether it is flagged."""

    id: str
    label: Label
    score: float = 0.0
    flag: bool = False
    exclusive: bool | None = None


@dataclass(frozen=True)
class Criterion(_Model):
    """One thing a deduction item checks; a defect names the criterion it misses."""

    id: str
    label: Label


@dataclass(frozen=True)
class Deduction(_Model):
    """扣分制: points taken per defect, fixed (min == max) or picked in a range."""

    min: float
    max: float
    label: Label | None = None

    @property
    def fixed(self) -> bool:
        return self.min == self.max


@dataclass(frozen=True)
class Evidence(_Model):
    """What a failed/flagged answer must carry.

    ``scope="answer"``: the answer itself needs ``photos`` photos and a note;
    ``scope="defect"``: every listed defect needs them (and a location when
    ``location`` is set), and a failed answer must list at least one defect.
    """

    photos: int = 0
    note: bool = False
    location: bool = False
    scope: str = "answer"


@dataclass(frozen=True)
class Veto(_Model):
    """一票否决: a failed answer zeroes the total or caps its percent."""

    effect: str
    cap_percent: float | None = None


@dataclass(frozen=True)
class Item(_Model):
    """One question. Type-specific fields are ``None`` on the other types."""

    id: str
    type: str
    label: Label
    help: Label | None = None
    required: bool = False
    allow_na: bool = False
    weight: float | None = None
    points: float | None = None
    deduction: Deduction | None = None
    criteria: tuple[Criterion, ...] | None = None
    options: tuple[Option, ...] | None = None
    multiple: bool | None = None
    unit: str | None = None
    thresholds: Range | None = None
    limits: Range | None = None
    min_count: int | None = None
    max_count: int | None = None
    tag: str | None = None
    max_length: int | None = None
    evidence: Evidence | None = None
    veto: Veto | None = None
    show_if: Condition | None = None
    required_if: Condition | None = None
    constraint: Constraint | None = None
    calculation: Any = None
    note: str | None = None

    @property
    def scoring(self) -> str | None:
        """``"deduction"``, ``"additive"`` or ``None`` (not scored)."""
        if self.deduction is not None:
            return "deduction"
        if self.weight:
            return "additive"
        return None

    @cached_property
    def options_by_id(self) -> dict[str, Option]:
        return {o.id: o for o in self.options or ()}

    @cached_property
    def criteria_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria or ()}


@dataclass(frozen=True)
class Section(_Model):
    """A group of items, optionally weighted and optionally conditional."""

    id: str
    title: Label
    items: tuple[Item, ...]
    weight: float | None = None
    show_if: Condition | None = None
    required_if: Condition | None = None
    repeat: Repeat | None = None
    note: str | None = None


@dataclass(frozen=True)
class Band(_Model):
    """A grade reached when the percent is at least ``min``.

    Used both for the exclusive bands (the highest one reached applies) and for
    cumulative marks such as seed 002's ≥96 team bonus (every one reached applies).
    """

    id: str
    label: Label
    min: float


@dataclass(frozen=True)
class Scoring(_Model):
    """The definition's scoring policy (see :mod:`checklists.scoring`)."""

    unanswered: str = "zero"
    scale: float = 100.0
    bands: tuple[Band, ...] = ()
    marks: tuple[Band, ...] = ()
    weight_in_overall: float | None = None
    na: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class TicketRule(_Model):
    """Which answers open a rectification ticket, how urgent it is and when it is due.

    ``when``: ``failed`` (a failed or flagged answer), ``deducted`` (points
    lost) or ``expr`` (a JSON Logic rule over the answers; one ticket about
    ``item``). ``due``: ``before_next_inspection`` or an ISO 8601 duration
    (``P2D``, ``PT4H``). ``items`` / ``sections`` limit the rule (None: all).
    ``responsible`` / ``supervisor``: user ids the ticket names by default.
    """

    id: str
    when: str
    due: str
    severity: str = "normal"
    items: tuple[str, ...] | None = None
    sections: tuple[str, ...] | None = None
    expr: Any = None
    item: str | None = None
    responsible: str | None = None
    supervisor: str | None = None
    title: Label | None = None


@dataclass(frozen=True)
class TicketRules(_Model):
    """The definition's ticket rules; the first rule matching an answer applies.

    ``inspection_every`` (ISO 8601 duration, e.g. ``P1M``) says when the next
    inspection is due after a result: what ``before_next_inspection`` means.
    """

    rules: tuple[TicketRule, ...]
    inspection_every: str | None = None


@dataclass(frozen=True)
class Definition(_Model):
    """One version of a checklist definition (immutable once published)."""

    id: str
    version: int
    kind: str
    title: Label
    sections: tuple[Section, ...]
    scoring: Scoring = Scoring()
    description: Label | None = None
    source: Source | None = None
    tickets: TicketRules | None = None

    @property
    def ref(self) -> str:
        """``id@version``: how results and reports name this definition."""
        return f"{self.id}@{self.version}"

    def iter_items(self) -> Iterator[tuple[Section, Item]]:
        for section in self.sections:
            for item in section.items:
                yield section, item

    @cached_property
    def items_by_id(self) -> dict[str, Item]:
        return {item.id: item for _, item in self.iter_items()}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        return {item.id: section for section, item in self.iter_items()}

    @cached_property
    def plan(self):
        """The definition compiled for evaluation (see :mod:`checklists.plan`)."""
        from checklists.plan import Plan  # the model stays importable without the engine

        return Plan(self)

    @property
    def weighted(self) -> bool:
        """True when section weights combine the sections (see scoring)."""
        return any(s.weight is not None for s in self.sections)
