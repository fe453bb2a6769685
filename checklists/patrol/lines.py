"""A round verdict as lines: ``{code, checkpoint_id, numbers}``, in reading order.

Round first, then its start, each stop in route order (with its manual and
dwell notes), the gaps walked, scans off the route, and the flags. Times are
written on the site's clock (``22:07``) and durations in minutes, so each
line's sentence needs nothing but the line.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

_DAY = timedelta(days=1)


def site_clock(timezone: str, first: datetime, last: datetime) -> Callable[[Any], str]:
    """``clock(t)``: ``"22:07"`` on the site's clock for an aware time or UTC epoch seconds.

    Between ``first`` and ``last`` with one UTC offset (any round not spanning a DST
    change) it is plain arithmetic; otherwise each time goes through the zone.
    """
    tz = ZoneInfo(timezone)
    offset = first.astimezone(tz).utcoffset()
    fixed = offset.total_seconds() if offset == last.astimezone(tz).utcoffset() else None

    def clock(moment: Any) -> str:
        if moment is None:
            return "–"
        if isinstance(moment, datetime):
            return moment.astimezone(tz).strftime("%H:%M")
        if fixed is None:
            return datetime.fromtimestamp(moment, tz).strftime("%H:%M")
        minutes = int((moment + fixed) // 60)
        return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"

    return clock


def verdict_lines(verdict) -> list[dict[str, Any]]:
    opens, start, late_after, deadline = verdict.scheduled
    # a day either side of the round covers scans made late or by a skewed clock
    clock = site_clock(verdict.timezone, opens - _DAY, deadline + _DAY)
    out: list[dict[str, Any]] = []

    def add(code: str, numbers: dict[str, Any], checkpoint_id: str | None = None) -> None:
        out.append({"code": code, "checkpoint_id": checkpoint_id, "numbers": numbers})

    punctuality = verdict.punctuality
    add(f"round_{verdict.status}", {"scanned": verdict.scanned, "stops": verdict.stops,
                                    "punctuality": "–" if punctuality is None else punctuality,
                                    "deadline": clock(deadline)})
    if verdict.was_marked_missed:
        add("was_marked_missed", {"deadline": clock(deadline)})
    if verdict.late_arrival:
        add("late_arrival", {})
    if verdict.start_status is not None:
        started = verdict.started_at
        add(verdict.start_status, {
            "at": clock(started), "scheduled": clock(start),
            "minutes": _minutes(abs((started - start).total_seconds())),
            "allowed": _minutes((start - opens).total_seconds()),
            "grace": _minutes((late_after - start).total_seconds())})
    for c in verdict.checkpoints:
        where = {"position": c.position, "name": c.name}
        if c.at_s is None:
            add(c.status, where, c.checkpoint_id)
            continue
        add(c.status, {**where, "at": clock(c.at_s), "from": clock(c.expected_from_s),
                       "to": clock(c.expected_to_s), "minutes": _minutes(abs(c.off_s))},
            c.checkpoint_id)
        if c.manual:
            add("manual", {**where, "tag": c.tag}, c.checkpoint_id)
        if c.short_dwell:
            add("short_dwell", {**where, "seconds": float(round(c.dwell_s)), "min": c.min_dwell_s},
                c.checkpoint_id)
    names = {c.checkpoint_id: c.name for c in verdict.checkpoints}
    for g in verdict.gaps:
        add(f"gap_{g.verdict}", {"from": names[g.from_id], "to": names[g.to_id],
                                 "minutes": _minutes(g.seconds), "expected": _minutes(g.expected_s),
                                 "tolerance": _minutes(g.tolerance_s)}, g.to_id)
    for u in verdict.unexpected:
        add("unexpected_tag" if u.checkpoint_id else "unknown_tag",
            {"tag": u.tag, "at": clock(u.at_s), "name": u.name or u.tag}, u.checkpoint_id)
    for f in verdict.flags:
        add(f.code, dict(f.evidence), f.checkpoint_id)
    return out


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1) + 0.0
