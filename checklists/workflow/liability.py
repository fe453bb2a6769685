"""Who answers for a month's deductions (seed 000, part 2 处罚).

* **Split** -- a deduction's points are shared between the responsible
  person and their direct supervisor (``reports_to``): 70/30 by default
  (按70/30原则). The seed makes the supervisor share it when the supervisor
  is found liable; ``Split(always=False)`` applies the split only to the
  deductions of a joint-liability group below and leaves the rest whole
  with the person.
* **Administrative sanction** (行政处分) -- a person with 3 or more
  deductions in a calendar month (每月累计扣3次及以上).
* **Joint liability** (连带责任) -- the same item failing 3 or more times in a
  calendar month under one direct supervisor (一个月内同一问题发生三次).

Pure: the caller resolves who is responsible and who they report to; each
flag carries its evidence (which results and deductions).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from checklists.report import round_points

SANCTION_AT = 3
JOINT_AT = 3


@dataclass(frozen=True, slots=True)
class AttributedDeduction:
    """One deduction of a result, with the person answering for it."""

    result_id: str
    site_id: str
    key: str
    item_id: str
    points: float
    month: str                  # YYYY-MM, in the site's time zone
    person_id: str | None       # None: nobody named (no lead, no assignment)
    supervisor_id: str | None   # the person's reports_to

    @property
    def evidence(self) -> dict:
        return {"result_id": self.result_id, "deduction": self.key, "item_id": self.item_id,
                "points": self.points}


@dataclass(frozen=True, slots=True)
class Split:
    """The share of a deduction the person bears; the supervisor bears the rest."""

    person: float = 0.7
    always: bool = True

    def __post_init__(self):
        if not 0 <= self.person <= 1:
            raise ValueError("the person's share must be between 0 and 1")

    @property
    def supervisor(self) -> float:
        return round(1 - self.person, 6)


@dataclass
class PersonLiability:
    """A person's month: their own deductions and the shares they bear."""

    person_id: str | None
    deductions: int = 0
    points_lost: float = 0.0
    own_share: float = 0.0          # their share of their own deductions
    supervisor_share: float = 0.0   # their share of their reports' deductions
    evidence: list = field(default_factory=list)

    @property
    def total(self) -> float:
        return round_points(self.own_share + self.supervisor_share)

    def to_dict(self) -> dict:
        return {"person_id": self.person_id, "deductions": self.deductions,
                "points_lost": round_points(self.points_lost),
                "own_share": round_points(self.own_share),
                "supervisor_share": round_points(self.supervisor_share), "total": self.total,
                "evidence": self.evidence}


@dataclass(frozen=True)
class Flag:
    """A sanction (``kind="sanction"``, on ``person_id``) or a joint liability
    (``kind="joint_liability"``, on ``supervisor_id`` for ``item_id``)."""

    kind: str
    month: str
    count: int
    evidence: list
    person_id: str | None = None
    supervisor_id: str | None = None
    item_id: str | None = None

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "month": self.month, "count": self.count,
               "evidence": self.evidence}
        for name in ("person_id", "supervisor_id", "item_id"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out


@dataclass
class Liability:
    people: dict[str | None, PersonLiability]
    sanctions: list[Flag]
    joint: list[Flag]


def assess(deductions: list[AttributedDeduction], split: Split = Split(), *,
           sanction_at: int = SANCTION_AT, joint_at: int = JOINT_AT) -> Liability:
    """The shares and flags of ``deductions`` (any months; flags count per calendar month)."""
    by_person: dict[tuple, list] = defaultdict(list)
    by_supervisor_item: dict[tuple, list] = defaultdict(list)
    for d in deductions:
        by_person[(d.month, d.person_id)].append(d)
        if d.supervisor_id is not None:
            by_supervisor_item[(d.month, d.supervisor_id, d.item_id)].append(d)
    sanctions = [Flag("sanction", month, len(ds), [d.evidence for d in ds], person_id=person)
                 for (month, person), ds in sorted(by_person.items(), key=_key)
                 if person is not None and len(ds) >= sanction_at]
    joint = [Flag("joint_liability", month, len(ds), [d.evidence for d in ds],
                  supervisor_id=supervisor, item_id=item)
             for (month, supervisor, item), ds in sorted(by_supervisor_item.items(), key=_key)
             if len(ds) >= joint_at]
    shared = {id(d) for flag_group in (by_supervisor_item[(f.month, f.supervisor_id,
                                                          f.item_id)] for f in joint)
              for d in flag_group}
    people: dict[str | None, PersonLiability] = {}

    def person(pid):
        return people.setdefault(pid, PersonLiability(pid))

    for d in deductions:
        own = person(d.person_id)
        own.deductions += 1
        own.points_lost += d.points
        own.evidence.append(d.evidence)
        if d.supervisor_id is not None and (split.always or id(d) in shared):
            own.own_share += d.points * split.person
            person(d.supervisor_id).supervisor_share += d.points * split.supervisor
        else:
            own.own_share += d.points
    return Liability(people, sanctions, joint)


def _key(entry):
    return tuple("" if part is None else part for part in entry[0])
