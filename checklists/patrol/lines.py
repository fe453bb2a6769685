"""A stored round verdict as lines: ``{code, checkpoint_id, numbers}``, in reading order.

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


def record_lines(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The lines of a stored verdict record (``RoundVerdict.to_record()``)."""
    scheduled = {k: datetime.fromisoformat(v) for k, v in record["scheduled"].items()}
    start = scheduled["start"]
    # a day either side of the round covers scans made late or by a skewed clock
    clock = site_clock(record["timezone"], scheduled["opens"] - _DAY, scheduled["deadline"] + _DAY)
    out: list[dict[str, Any]] = []

    def add(code: str, numbers: dict[str, Any], checkpoint_id: str | None = None) -> None:
        out.append({"code": code, "checkpoint_id": checkpoint_id, "numbers": numbers})

    punctuality = record["punctuality"]
    add(f"round_{record['status']}", {
        "scanned": record["scanned"], "stops": record["stops"],
        "punctuality": "–" if punctuality is None else punctuality,
        "deadline": clock(scheduled["deadline"])})
    if record["was_marked_missed"]:
        add("was_marked_missed", {"deadline": clock(scheduled["deadline"])})
    if record["late_arrival"]:
        add("late_arrival", {})
    if record["start_status"] is not None:
        started = datetime.fromisoformat(record["started_at"])
        add(record["start_status"], {
            "at": clock(started), "scheduled": clock(start),
            "minutes": _minutes(abs((started - start).total_seconds())),
            "allowed": _minutes((start - scheduled["opens"]).total_seconds()),
            "grace": _minutes((scheduled["late_after"] - start).total_seconds())})
    names = {}
    for c in record["checkpoints"]:
        cid = c["checkpoint_id"]
        names[cid] = c["name"]
        where = {"position": c["position"], "name": c["name"]}
        if c["at_s"] is None:
            add(c["status"], where, cid)
            continue
        add(c["status"], {**where, "at": clock(c["at_s"]), "from": clock(c["expected_from_s"]),
                          "to": clock(c["expected_to_s"]), "minutes": _minutes(abs(c["off_s"]))},
            cid)
        if c["manual"]:
            add("manual", {**where, "tag": c["tag"]}, cid)
        if c["short_dwell"]:
            add("short_dwell", {**where, "seconds": float(round(c["dwell_s"])),
                                "min": c["min_dwell_s"]}, cid)
    for g in record["gaps"]:
        add(f"gap_{g['verdict']}", {"from": names[g["from"]], "to": names[g["to"]],
                                    "minutes": _minutes(g["seconds"]),
                                    "expected": _minutes(g["expected_s"]),
                                    "tolerance": _minutes(g["tolerance_s"])}, g["to"])
    for u in record["unexpected"]:
        add("unexpected_tag" if u["checkpoint_id"] else "unknown_tag",
            {"tag": u["tag"], "at": clock(u["at_s"]), "name": u["name"] or u["tag"]},
            u["checkpoint_id"])
    for f in record["flags"]:
        add(f["code"], dict(f["evidence"]), f["checkpoint_id"])
    return out


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1) + 0.0
