"""Immutable patrol types: checkpoints, route versions, schedules and a round's result.

They are built by the schemas in :mod:`checklists.patrol.schemas` (which
validate everything) and turned back into JSON documents with ``to_doc()``;
``load_*(obj.to_doc())`` gives an equal object, so a service can store the
document and rebuild the type when it judges. Ids are chosen by the client
(a device may create a result offline), so nothing here invents one.

Times: a schedule speaks the site's wall clock (naive local date-times plus an
IANA zone); everything a device records is an aware date-time, kept as sent
(device clock) — the judge corrects it by the clock offset measured at sync.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ORDERS = ("strict", "any")
SCAN_METHODS = ("qr", "nfc", "gps", "manual")
TIMING_MODES = ("offset", "window")


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A tagged place of a site; ``tag`` (the QR/NFC payload) is unique within the site."""

    id: str
    site_id: str
    tag: str
    name: str
    lat: float
    lon: float
    radius_m: float = 30.0
    checklist_id: str | None = None
    photo_required: bool = False

    def to_doc(self) -> dict[str, Any]:
        doc = {"id": self.id, "site_id": self.site_id, "tag": self.tag, "name": self.name,
               "lat": self.lat, "lon": self.lon, "radius_m": self.radius_m,
               "photo_required": self.photo_required}
        if self.checklist_id is not None:
            doc["checklist_id"] = self.checklist_id
        return doc


@dataclass(frozen=True, slots=True)
class Stop:
    """One checkpoint of a route: ``travel_s`` is the expected walk from the stop before
    (for the first stop: from the start of the round) and ``tolerance_s`` its slack."""

    checkpoint_id: str
    travel_s: int = 0
    tolerance_s: int = 60
    min_dwell_s: int = 0

    def to_doc(self) -> dict[str, Any]:
        return {"checkpoint_id": self.checkpoint_id, "travel_s": self.travel_s,
                "tolerance_s": self.tolerance_s, "min_dwell_s": self.min_dwell_s}


@dataclass(frozen=True, slots=True)
class Route:
    """One published version of a route. A round is judged against the version it was
    scheduled with, so a version never changes once rounds refer to it."""

    id: str
    version: int
    site_id: str
    name: str
    order: str
    stops: tuple[Stop, ...]
    position: dict[str, int] = field(init=False, compare=False, repr=False)
    elapsed_s: tuple[int, ...] = field(init=False, compare=False, repr=False)
    slack_s: tuple[int, ...] = field(init=False, compare=False, repr=False)
    dwells: bool = field(init=False, compare=False, repr=False)     # any stop has a min dwell

    def __post_init__(self):
        # prefix sums: the expected walk and its slack between any two stops in O(1)
        walked, slack, total, total_slack = [], [], 0, 0
        for stop in self.stops:
            total += stop.travel_s
            total_slack += stop.tolerance_s
            walked.append(total)
            slack.append(total_slack)
        object.__setattr__(self, "position",
                           {s.checkpoint_id: k for k, s in enumerate(self.stops)})
        object.__setattr__(self, "elapsed_s", tuple(walked))
        object.__setattr__(self, "slack_s", tuple(slack))
        object.__setattr__(self, "dwells", any(s.min_dwell_s for s in self.stops))

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "site_id": self.site_id,
                "name": self.name, "order": self.order,
                "stops": [s.to_doc() for s in self.stops]}


@dataclass(frozen=True, slots=True)
class Window:
    """Absolute timing of one checkpoint: from ``open_min`` to ``close_min`` after the
    scheduled start is on time; before is early, after is late."""

    checkpoint_id: str
    open_min: int
    close_min: int

    def to_doc(self) -> dict[str, Any]:
        return {"checkpoint_id": self.checkpoint_id, "open_min": self.open_min,
                "close_min": self.close_min}


@dataclass(frozen=True, slots=True)
class Timing:
    """How checkpoints are timed: ``offset`` (the route's travel time from the previous
    scan, ± tolerance) or ``window`` (absolute windows from the scheduled start)."""

    mode: str = "offset"
    windows: tuple[Window, ...] = ()

    def window_of(self, checkpoint_id: str) -> Window | None:
        for window in self.windows:
            if window.checkpoint_id == checkpoint_id:
                return window
        return None

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"mode": self.mode}
        if self.windows:
            doc["windows"] = [w.to_doc() for w in self.windows]
        return doc


@dataclass(frozen=True, slots=True)
class Assignees:
    """Who walks the rounds: named guards, or whoever holds a post (a fixed duty)."""

    guards: tuple[str, ...] = ()
    post: str | None = None

    def to_doc(self) -> dict[str, Any]:
        return {"post": self.post} if self.post is not None else {"guards": list(self.guards)}


@dataclass(frozen=True, slots=True)
class Schedule:
    """When rounds of a route version happen, as an RFC 5545 rule on the site's wall clock."""

    id: str
    version: int
    site_id: str
    route_id: str
    route_version: int
    timezone: str
    rrule: str
    dtstart: datetime                   # naive, local to ``timezone``
    assignees: Assignees
    early_start_min: int = 5
    grace_min: int = 15
    deadline_min: int = 60
    timing: Timing = Timing()

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "site_id": self.site_id,
                "route_id": self.route_id, "route_version": self.route_version,
                "timezone": self.timezone, "rrule": self.rrule,
                "dtstart": self.dtstart.isoformat(timespec="minutes"),
                "assignees": self.assignees.to_doc(), "early_start_min": self.early_start_min,
                "grace_min": self.grace_min, "deadline_min": self.deadline_min,
                "timing": self.timing.to_doc()}


@dataclass(frozen=True, slots=True)
class GpsFix:
    lat: float
    lon: float
    accuracy_m: float

    def to_doc(self) -> dict[str, Any]:
        return {"lat": self.lat, "lon": self.lon, "accuracy_m": self.accuracy_m}


@dataclass(frozen=True, slots=True)
class Scan:
    """A tag read (or typed, ``method="manual"``) at ``at`` by the device's clock."""

    tag: str
    at: datetime
    method: str
    gps: GpsFix | None = None

    def to_doc(self) -> dict[str, Any]:
        doc = {"tag": self.tag, "at": iso(self.at), "method": self.method}
        if self.gps is not None:
            doc["gps"] = self.gps.to_doc()
        return doc


@dataclass(frozen=True, slots=True)
class PhotoRef:
    """A photo taken at a checkpoint; ``exif_time`` is the camera's own time if it had one
    (naive EXIF times are read in the site's zone)."""

    sha256: str
    exif_time: datetime | None = None

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"sha256": self.sha256}
        if self.exif_time is not None:
            doc["exif_time"] = iso(self.exif_time)
        return doc


@dataclass(frozen=True, slots=True)
class Visit:
    """What was done at one checkpoint: answers to its checklist, photos, when it was left.

    ``checklist_id`` / ``checklist_version`` name the checklist version the device
    rendered (both or neither; rounds of older apps name none): the answers are
    judged and labelled by that version, not by whatever is newest when read."""

    answers: dict[str, Any] = field(default_factory=dict)
    photos: tuple[PhotoRef, ...] = ()
    done_at: datetime | None = None
    checklist_id: str | None = None
    checklist_version: int | None = None

    @property
    def checklist(self) -> tuple[str, int] | None:
        """``(checklist_id, version)`` the answers were given to, if the device said."""
        if self.checklist_id is None or self.checklist_version is None:
            return None
        return self.checklist_id, self.checklist_version

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"answers": self.answers, "photos": [p.to_doc() for p in self.photos]}
        if self.done_at is not None:
            doc["done_at"] = iso(self.done_at)
        if self.checklist is not None:
            doc["checklist_id"], doc["checklist_version"] = self.checklist
        return doc


@dataclass(frozen=True, slots=True)
class RoundResult:
    """A guard's round as the device recorded it (device clock throughout)."""

    id: str
    occurrence_id: str
    route_id: str
    route_version: int
    started_at: datetime
    finished_at: datetime | None
    scans: tuple[Scan, ...]
    visits: dict[str, Visit] = field(default_factory=dict)

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.id, "occurrence_id": self.occurrence_id, "route_id": self.route_id,
                "route_version": self.route_version, "started_at": iso(self.started_at),
                "finished_at": iso(self.finished_at), "scans": [s.to_doc() for s in self.scans],
                "visits": {k: v.to_doc() for k, v in self.visits.items()}}
