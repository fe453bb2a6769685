"""Round occurrences: generated ahead from a schedule, reconciled after an edit, marked missed.

An occurrence copies what judging needs from its schedule version (route
version, start window, grace, deadline, timing), so a later edit of the
schedule never changes how an already planned round is judged.

Its id is ``<schedule id>.v<version>.<local start YYYYMMDDTHHMM>``: generating
the same schedule version twice gives the same ids (idempotent), and an
edited schedule's rounds differ from the old ones, which
:func:`reconcile_occurrences` then keeps, adds or cancels — never dropping a
round that already has scans and never planning two rounds at one local time.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from checklists.patrol.model import Assignees, Schedule, Timing, iso
from checklists.patrol.recurrence import RuleError, local_starts, parse_rule, zone
from checklists.patrol.schemas import PatrolAssigneesSchema, PatrolTimingSchema

SCHEDULED, MISSED, CANCELLED = "scheduled", "missed", "cancelled"
DEFAULT_HORIZON = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One planned round: route version, when it may start, is late, is missed."""

    id: str
    schedule_id: str
    schedule_version: int
    site_id: str
    route_id: str
    route_version: int
    timezone: str
    local_start: datetime               # naive, on the site's clock: the round's name
    start: datetime                     # UTC
    opens: datetime                     # earliest on-time start (UTC)
    late_after: datetime                # start + grace (UTC)
    deadline: datetime                  # not finished by then: missed (UTC)
    timing: Timing
    assignees: Assignees
    status: str = SCHEDULED

    @property
    def slot(self) -> tuple[str, datetime]:
        """Two occurrences with one slot are the same round of a schedule."""
        return self.schedule_id, self.local_start

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.id, "schedule_id": self.schedule_id,
                "schedule_version": self.schedule_version, "site_id": self.site_id,
                "route_id": self.route_id, "route_version": self.route_version,
                "timezone": self.timezone,
                "local_start": self.local_start.isoformat(timespec="minutes"),
                "start": iso(self.start), "opens": iso(self.opens),
                "late_after": iso(self.late_after), "deadline": iso(self.deadline),
                "timing": self.timing.to_doc(), "assignees": self.assignees.to_doc(),
                "status": self.status}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> "Occurrence":
        """Rebuild a stored occurrence (written by :meth:`to_doc`, so trusted)."""
        times = {k: datetime.fromisoformat(doc[k]) for k in ("start", "opens", "late_after", "deadline")}
        return cls(id=doc["id"], schedule_id=doc["schedule_id"],
                   schedule_version=doc["schedule_version"], site_id=doc["site_id"],
                   route_id=doc["route_id"], route_version=doc["route_version"],
                   timezone=doc["timezone"], local_start=datetime.fromisoformat(doc["local_start"]),
                   timing=_TIMING.load(doc["timing"]), assignees=_ASSIGNEES.load(doc["assignees"]),
                   status=doc["status"], **times)


_TIMING, _ASSIGNEES = PatrolTimingSchema(), PatrolAssigneesSchema()


def occurrence_id(schedule_id: str, version: int, local_start: datetime) -> str:
    return f"{schedule_id}.v{version}.{local_start:%Y%m%dT%H%M}"


def generate_occurrences(schedule: Schedule, since: datetime,
                         horizon: timedelta = DEFAULT_HORIZON) -> list[Occurrence]:
    """The rounds of ``schedule`` starting in ``[since, since + horizon)``, by start.

    ``since`` is an aware time (usually now). :class:`RuleError` only for a schedule
    that skipped :func:`load_schedule` (it refuses such rules with the field named).
    """
    if since.tzinfo is None:
        raise ValueError("since must be an aware datetime")
    since = since.astimezone(UTC)
    tz = zone(schedule.timezone)
    rule = parse_rule(schedule.rrule, schedule.dtstart)
    early = timedelta(minutes=schedule.early_start_min)
    grace = timedelta(minutes=schedule.grace_min)
    deadline = timedelta(minutes=schedule.deadline_min)
    return [Occurrence(
        id=occurrence_id(schedule.id, schedule.version, local), schedule_id=schedule.id,
        schedule_version=schedule.version, site_id=schedule.site_id, route_id=schedule.route_id,
        route_version=schedule.route_version, timezone=schedule.timezone, local_start=local,
        start=start, opens=start - early, late_after=start + grace, deadline=start + deadline,
        timing=schedule.timing, assignees=schedule.assignees)
        for local, start in local_starts(rule, tz, since, since + horizon)]


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """What a service writes after regenerating: new rounds, rounds to cancel, the rest kept."""

    keep: tuple[Occurrence, ...]
    add: tuple[Occurrence, ...]
    cancel: tuple[Occurrence, ...]


def reconcile_occurrences(existing: Iterable[Occurrence], has_scans: Collection[str],
                          schedule: Schedule, since: datetime,
                          horizon: timedelta = DEFAULT_HORIZON) -> Reconciliation:
    """Plan the rounds of an (edited) ``schedule`` from ``since`` against those already stored.

    ``existing``: the stored occurrences of this schedule (any version); ``has_scans``:
    ids of those with scans or a result. Rules, per local start:

    * a round with scans is kept as it is, and nothing new is planned at its time;
    * a round that started before ``since`` is history: kept (missed ones stay missed);
    * a future round without scans is kept if the new version plans the same one, else
      cancelled (and the new version's round at that time, if any, added);
    * cancelled rounds are left alone; the new version's rounds nobody holds are added.
    """
    since = since.astimezone(UTC)
    existing = list(existing)
    # plan as far as the stored rounds reach, so a round beyond this horizon that the
    # schedule still wants is recognised (kept), not cancelled; only the horizon is added
    reach = max([since + horizon] + [o.start + timedelta(seconds=1) for o in existing])
    planned = {o.slot: o for o in generate_occurrences(schedule, since, reach - since)}
    keep: list[Occurrence] = []
    cancel: list[Occurrence] = []
    taken: set[tuple[str, datetime]] = set()
    for old in existing:
        if old.status == CANCELLED:
            continue
        new = planned.get(old.slot)
        if old.id in has_scans or old.start < since or (new is not None and new.id == old.id):
            keep.append(old)
            taken.add(old.slot)
        else:
            cancel.append(replace(old, status=CANCELLED))
    until = since + horizon
    add = [o for slot, o in planned.items() if slot not in taken and o.start < until]
    return Reconciliation(tuple(keep), tuple(add), tuple(cancel))


def overdue_occurrences(occurrences: Iterable[Occurrence], results: Collection[str],
                        now: datetime) -> list[Occurrence]:
    """The rounds to mark missed at ``now``: scheduled, past their deadline, no result.

    ``results`` holds the occurrence ids that have a result. Rounds already missed or
    cancelled are not returned, so running it again changes nothing (idempotent).
    """
    return [replace(o, status=MISSED) for o in occurrences
            if o.status == SCHEDULED and o.deadline <= now and o.id not in results]


__all__ = ["CANCELLED", "MISSED", "SCHEDULED", "Occurrence", "Reconciliation", "RuleError",
           "generate_occurrences", "occurrence_id", "overdue_occurrences", "reconcile_occurrences"]
