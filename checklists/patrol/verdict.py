"""The verdict on one round: per checkpoint, per round, gaps, flags — and its lines.

Judging builds these plain structures only; ``to_record()`` is their JSON
(what a service stores). Reading it, :func:`explain_record` turns every
finding into a line (:mod:`checklists.patrol.lines`: a machine code, the
checkpoint it is about, plain JSON numbers) with zh/en sentences rendered
from code + numbers alone (:mod:`checklists.patrol.explain`), so wording can
change without re-judging and a stored verdict always explains itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from checklists.patrol.explain import sentence
from checklists.patrol.lines import record_lines
from checklists.patrol.model import iso

#: bump when a judging rule changes meaning (stored verdicts say which rules judged them)
RULES_VERSION = 2        # 2: a visit's answers judged by the checklist version it names

# round statuses
COMPLETED, PARTIAL, MISSED, NOT_STARTED = "completed", "partial", "missed", "not_started"
# checkpoint statuses
ON_TIME, EARLY, LATE, OUT_OF_ORDER = "on_time", "early", "late", "out_of_order"


@dataclass(frozen=True, slots=True)
class Flag:
    """An anti-fraud or data-quality finding with its evidence (JSON scalars)."""

    code: str
    evidence: dict[str, Any]
    checkpoint_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "checkpoint_id": self.checkpoint_id, "evidence": self.evidence}


def moment(epoch_s: float | None) -> datetime | None:
    """An aware UTC time from epoch seconds (judging works on floats: it is the hot loop)."""
    return None if epoch_s is None else datetime.fromtimestamp(epoch_s, UTC)


class CheckpointVerdict(NamedTuple):
    """How one stop of the route was visited (``missed``: not at all). Times are UTC epoch
    seconds (``at_s``); ``at`` / ``expected_from`` / ``expected_to`` give date-times.
    (A named tuple: one is built per scan, and that is the judge's hot loop.)"""

    position: int                       # 1-based, in route order
    checkpoint_id: str
    name: str
    status: str
    manual: bool = False
    scan_index: int | None = None       # index in the result's scans
    at_s: float | None = None           # corrected scan time
    expected_from_s: float | None = None
    expected_to_s: float | None = None
    off_s: float = 0.0                  # seconds early (<0) or late (>0) against the expectation
    dwell_s: float | None = None
    short_dwell: bool = False
    min_dwell_s: int = 0
    tag: str | None = None              # the code scanned or typed

    @property
    def at(self) -> datetime | None:
        return moment(self.at_s)

    @property
    def expected_from(self) -> datetime | None:
        return moment(self.expected_from_s)

    @property
    def expected_to(self) -> datetime | None:
        return moment(self.expected_to_s)

    def to_dict(self) -> dict[str, Any]:
        return {"position": self.position, "checkpoint_id": self.checkpoint_id, "name": self.name,
                "status": self.status, "manual": self.manual, "scan_index": self.scan_index,
                "at_s": self.at_s, "expected_from_s": self.expected_from_s,
                "expected_to_s": self.expected_to_s, "off_s": round(self.off_s, 1),
                "dwell_s": None if self.dwell_s is None else round(self.dwell_s, 1),
                "short_dwell": self.short_dwell, "min_dwell_s": self.min_dwell_s, "tag": self.tag}


class Gap(NamedTuple):
    """Time between two consecutive visits against the route's expected walk."""

    from_id: str
    to_id: str
    seconds: float
    expected_s: int
    tolerance_s: int

    @property
    def verdict(self) -> str:
        if self.seconds < self.expected_s - self.tolerance_s:
            return "short"
        if self.seconds > self.expected_s + self.tolerance_s:
            return "long"
        return "ok"

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.from_id, "to": self.to_id, "seconds": round(self.seconds, 1),
                "expected_s": self.expected_s, "tolerance_s": self.tolerance_s,
                "verdict": self.verdict}


class UnexpectedScan(NamedTuple):
    """A scan of a tag not on the route: another route's checkpoint, or no checkpoint at all."""

    scan_index: int
    tag: str
    at_s: float
    checkpoint_id: str | None = None
    name: str | None = None

    @property
    def at(self) -> datetime:
        return moment(self.at_s)

    def to_dict(self) -> dict[str, Any]:
        return {"scan_index": self.scan_index, "tag": self.tag, "at_s": self.at_s,
                "checkpoint_id": self.checkpoint_id, "name": self.name}


@dataclass(frozen=True, slots=True)
class RoundVerdict:
    occurrence_id: str
    route_id: str
    route_version: int
    timezone: str
    scheduled: tuple[datetime, datetime, datetime, datetime]   # opens, start, late_after, deadline
    status: str
    start_status: str | None            # start_early | start_on_time | start_late | None
    started_at: datetime | None
    finished_at: datetime | None
    stops: int
    scanned: int
    on_time: int
    checkpoints: tuple[CheckpointVerdict, ...]
    gaps: tuple[Gap, ...] = ()
    unexpected: tuple[UnexpectedScan, ...] = ()
    flags: tuple[Flag, ...] = ()
    was_marked_missed: bool = False
    late_arrival: bool = False
    clock_offset_s: float = 0.0

    @property
    def punctuality(self) -> float | None:
        """Percent of the route's stops visited on time (``None`` before the round is due)."""
        if self.status == NOT_STARTED or not self.stops:
            return None
        return round(100.0 * self.on_time / self.stops, 1)

    @property
    def flag_codes(self) -> list[str]:
        return [f.code for f in self.flags]

    def checkpoint(self, checkpoint_id: str) -> CheckpointVerdict:
        return next(c for c in self.checkpoints if c.checkpoint_id == checkpoint_id)

    def to_record(self) -> dict[str, Any]:
        """The facts, for storing; :func:`explain_record` renders its lines and sentences.

        Scan and expected times are UTC epoch seconds (``at_s``): a month of rounds has
        half a million of them, and numbers are what a report sorts and subtracts."""
        opens, start, late_after, deadline = self.scheduled
        return {"rules_version": RULES_VERSION, "occurrence_id": self.occurrence_id,
                "route_id": self.route_id, "route_version": self.route_version,
                "timezone": self.timezone,
                "scheduled": {"opens": iso(opens), "start": iso(start),
                              "late_after": iso(late_after), "deadline": iso(deadline)},
                "status": self.status, "start_status": self.start_status,
                "started_at": iso(self.started_at), "finished_at": iso(self.finished_at),
                "stops": self.stops, "scanned": self.scanned, "on_time": self.on_time,
                "punctuality": self.punctuality,
                "checkpoints": [c.to_dict() for c in self.checkpoints],
                "gaps": [g.to_dict() for g in self.gaps],
                "unexpected": [u.to_dict() for u in self.unexpected],
                "flags": [f.to_dict() for f in self.flags],
                "was_marked_missed": self.was_marked_missed, "late_arrival": self.late_arrival,
                "clock_offset_s": self.clock_offset_s}

    def to_dict(self) -> dict[str, Any]:
        """The record with its lines, each explained in Chinese and English."""
        return explain_record(self.to_record())


def explain_record(record: dict[str, Any]) -> dict[str, Any]:
    """A stored verdict record plus ``lines``: ``{code, checkpoint_id, numbers, zh, en}``."""
    lines = [{**ln, "zh": sentence(ln["code"], ln["numbers"], "zh"),
              "en": sentence(ln["code"], ln["numbers"], "en")} for ln in record_lines(record)]
    return {**record, "lines": lines}
