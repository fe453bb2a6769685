"""A round verdict as lines: ``{code, checkpoint_id, numbers}``, in reading order.

Round first, then its start, each stop in route order (with its manual and
dwell notes), the gaps walked, scans off the route, and the flags. Times are
written on the site's clock (``22:07``) and durations in minutes, so each
line's sentence needs nothing but the line.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo


def verdict_lines(verdict) -> list[dict[str, Any]]:
    tz = ZoneInfo(verdict.timezone)

    def clock(moment: datetime | None) -> str:
        return "–" if moment is None else moment.astimezone(tz).strftime("%H:%M")

    opens, start, late_after, deadline = verdict.scheduled
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
        if c.at is None:
            add(c.status, where, c.checkpoint_id)
            continue
        add(c.status, {**where, "at": clock(c.at), "from": clock(c.expected_from),
                       "to": clock(c.expected_to), "minutes": _minutes(abs(c.off_s))},
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
            {"tag": u.tag, "at": clock(u.at), "name": u.name or u.tag}, u.checkpoint_id)
    for f in verdict.flags:
        add(f.code, dict(f.evidence), f.checkpoint_id)
    return out


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1) + 0.0
