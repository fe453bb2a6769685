"""A small site to walk: five checkpoints 100 m apart along a street, a route, a night schedule.

Times in the timelines are written on the site's clock (``"22:07"``, or
``"+1 00:10"`` for the next day) so each test reads like a guard's log.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from checklists.patrol import (
    JudgeContext, generate_occurrences, load_checkpoint, load_round_result, load_route,
    load_schedule,
)

SITE = "site-nhg"
TZ = "Asia/Shanghai"
NIGHT = datetime(2026, 11, 2)            # the night the timelines happen (a Monday)
LAT0, LON0 = 31.2000, 121.4000
METRE_LAT = 1 / 111_195                   # degrees of latitude in one metre
NAMES = ["北门", "1栋", "2栋", "地下车库", "南门"]


def checkpoint_doc(n: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"cp{n}", "site_id": SITE, "tag": f"TAG-{n}", "name": NAMES[n - 1],
            "lat": LAT0 + (n - 1) * 100 * METRE_LAT, "lon": LON0, "radius_m": 20, **fields}


def checkpoints(**extra: dict[str, Any]) -> dict[str, Any]:
    """cp1..cp5 on the route, plus cp9 (a checkpoint of another route of the site)."""
    out = {f"cp{n}": load_checkpoint(checkpoint_doc(n, **extra.get(f"cp{n}", {})))
           for n in range(1, 6)}
    out["cp9"] = load_checkpoint({**checkpoint_doc(1), "id": "cp9", "tag": "TAG-9",
                                  "name": "泳池", "lon": LON0 + 0.001})
    return out


def route_doc(**fields: Any) -> dict[str, Any]:
    """Walk cp1..cp5: first scan within 5 ± 5 min of the start, then 2 ± 1 min apart."""
    stops = [{"checkpoint_id": "cp1", "travel_s": 300, "tolerance_s": 300}]
    stops += [{"checkpoint_id": f"cp{n}", "travel_s": 120, "tolerance_s": 60} for n in range(2, 6)]
    return {"id": "night-walk", "version": 1, "site_id": SITE, "name": "夜巡路线",
            "order": "strict", "stops": stops, **fields}


def route(**fields: Any):
    return load_route(route_doc(**fields), checkpoints())


def schedule_doc(**fields: Any) -> dict[str, Any]:
    """Night rounds every 2 h from 22:00 to 06:00 on the site's clock."""
    return {"id": "night", "version": 1, "site_id": SITE, "route_id": "night-walk",
            "route_version": 1, "timezone": TZ, "rrule": "FREQ=DAILY;BYHOUR=22,0,2,4,6;BYMINUTE=0",
            "dtstart": "2026-11-01T22:00", "assignees": {"guards": ["guard-wang"]}, **fields}


def schedule(**fields: Any):
    return load_schedule(schedule_doc(**fields))


def local(text: str, tz: str = TZ, day: datetime = NIGHT) -> datetime:
    """``"22:07"`` or ``"+1 00:10"`` (next day) or ``"22:07:30"`` on ``day`` in ``tz``."""
    offset = 0
    if text.startswith("+"):
        days, text = text[1:].split(" ", 1)
        offset = int(days)
    parts = [int(p) for p in text.split(":")] + [0]
    moment = day.replace(hour=parts[0], minute=parts[1], second=parts[2])
    return (moment + timedelta(days=offset)).replace(tzinfo=ZoneInfo(tz))


def occurrence_at(sched, text: str):
    """The schedule's occurrence starting at local ``text`` on the night."""
    start = local(text, sched.timezone)
    return next(o for o in generate_occurrences(sched, start, timedelta(minutes=1)))


def scan(tag: str, when: str, method: str = "nfc", gps: dict | None = None,
         device_shift_min: float = 0) -> dict[str, Any]:
    at = local(when) + timedelta(minutes=device_shift_min)
    doc = {"tag": tag, "at": at.isoformat(), "method": method}
    if gps is not None:
        doc["gps"] = gps
    return doc


def result(occ, scans: list[dict], started: str, finished: str | None = None,
           device_shift_min: float = 0, **fields: Any):
    shift = timedelta(minutes=device_shift_min)
    return load_round_result({
        "id": "r-1", "occurrence_id": occ.id, "route_id": occ.route_id,
        "route_version": occ.route_version, "started_at": (local(started) + shift).isoformat(),
        "finished_at": None if finished is None else (local(finished) + shift).isoformat(),
        "scans": scans, **fields})


def context(**fields: Any) -> JudgeContext:
    cps = fields.pop("checkpoints", None) or checkpoints()
    return JudgeContext(cps, **fields)


def walk(times: list[str], tags: list[int] | None = None, **kw: Any) -> list[dict[str, Any]]:
    """Scans of ``TAG-n`` (n from ``tags``, default 1..len(times)) at ``times``."""
    tags = tags or list(range(1, len(times) + 1))
    return [scan(f"TAG-{n}", t, **kw) for n, t in zip(tags, times)]


def gate_checklist_doc(version: int = 1) -> dict[str, Any]:
    """The short checklist of a gate checkpoint. Version 2 renames the barrier item and
    relabels the staff count, so labelling version-1 answers by version 2 shows them wrong."""
    barrier = ({"id": "g.barrier", "type": "check", "required": True,
                "label": {"zh": "道闸正常", "en": "Barrier works"}} if version == 1 else
               {"id": "g.arm", "type": "check", "required": True,
                "label": {"zh": "抬杆正常", "en": "Gate arm works"}})
    staff = {"id": "g.staff", "type": "reading", "unit": "人",
             "label": {"zh": "在岗人数", "en": "Staff on duty"} if version == 1 else
             {"zh": "门岗人员", "en": "Guards at the gate"}}
    weather = {"id": "g.weather", "type": "choice", "weight": 0,
               "options": [{"id": "dry", "label": {"zh": "晴", "en": "dry"}},
                           {"id": "wet", "label": {"zh": "雨", "en": "wet"}}],
               "label": {"zh": "天气", "en": "Weather"}}
    return {"id": "gate-check", "version": version, "kind": "patrol_checkpoint",
            "title": {"zh": "门岗检查", "en": "Gate check"},
            "sections": [{"id": "g", "title": {"zh": "门岗", "en": "Gate"},
                          "items": [barrier, staff, weather]}]}
