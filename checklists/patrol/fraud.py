"""Anti-fraud and evidence checks on a round; each flag carries the numbers that raised it.

None of them changes a checkpoint's timing verdict: a supervisor sees the
flag and its evidence and decides. Thresholds are in
:class:`checklists.patrol.context.Thresholds`.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from checklists.patrol.context import JudgeContext
from checklists.patrol.geo import distance_m
from checklists.patrol.model import Route, RoundResult, Scan
from checklists.patrol.occurrences import Occurrence
from checklists.patrol.verdict import Flag


def fraud_flags(route: Route, occurrence: Occurrence, result: RoundResult, context: JudgeContext,
                visits: dict[int, tuple[datetime, int, Scan]], walk: list[int],
                timed: list[tuple[datetime, int, Scan]], ended: datetime) -> list[Flag]:
    th = context.thresholds
    flags: list[Flag] = []
    offset = context.clock_offset_s
    if abs(offset) > th.clock_skew_s:
        flags.append(Flag("clock_skew", {"minutes": round(offset / 60, 1), "seconds": offset}))
    manual = sum(1 for pos in walk if visits[pos][2].method == "manual")
    if manual:
        flags.append(Flag("manual_entry", {"count": manual}))
    flags.extend(_gps_flags(context, timed))
    flags.extend(_travel_flags(context, timed))
    flags.extend(_visit_flags(route, result, context, visits, ZoneInfo(occurrence.timezone)))
    if context.received_at is not None:
        late_s = (context.received_at - ended).total_seconds()
        if late_s > th.late_submission_s:
            flags.append(Flag("late_submission", {"hours": round(late_s / 3600, 1)}))
    return flags


def _gps_flags(context: JudgeContext, timed) -> list[Flag]:
    th, flags = context.thresholds, []
    for _, k, scan in timed:
        fix = scan.gps
        if fix is None:
            continue
        if fix.accuracy_m > th.unusable_accuracy_m:
            flags.append(Flag("gps_unusable", {"tag": scan.tag, "scan": k,
                                               "accuracy_m": float(round(fix.accuracy_m))}))
            continue
        checkpoint = context.by_tag.get(scan.tag)
        if checkpoint is None:
            continue
        away = distance_m(fix.lat, fix.lon, checkpoint.lat, checkpoint.lon)
        # the fix may be anywhere within its accuracy: only what is beyond that counts
        if away - fix.accuracy_m > checkpoint.radius_m:
            flags.append(Flag("gps_outside", {
                "name": checkpoint.name, "scan": k, "distance_m": float(round(away)),
                "radius_m": checkpoint.radius_m, "accuracy_m": float(round(fix.accuracy_m))},
                checkpoint.id))
    return flags


def _where(context: JudgeContext, scan: Scan) -> tuple[float, float, str] | None:
    """Where a scan happened: its checkpoint (a tag is fixed to a wall), else a usable fix."""
    checkpoint = context.by_tag.get(scan.tag)
    if checkpoint is not None:
        return checkpoint.lat, checkpoint.lon, checkpoint.name
    fix = scan.gps
    if fix is not None and fix.accuracy_m <= context.thresholds.unusable_accuracy_m:
        return fix.lat, fix.lon, scan.tag
    return None


def _travel_flags(context: JudgeContext, timed) -> list[Flag]:
    th, flags = context.thresholds, []
    before = None
    for at, _, scan in timed:
        here = _where(context, scan)
        if here is None:
            continue
        if before is not None:
            then, there = before
            metres = distance_m(there[0], there[1], here[0], here[1])
            seconds = (at - then).total_seconds()
            if metres >= th.min_travel_check_m and metres > th.max_speed_m_s * max(seconds, 0.0):
                speed = metres / seconds * 3.6 if seconds > 0 else None
                flags.append(Flag("impossible_travel", {
                    "from": there[2], "to": here[2], "distance_m": float(round(metres)),
                    "seconds": round(seconds, 1),
                    "speed_kmh": round(speed, 1) if speed is not None else "∞"}))
        before = (at, here)
    return flags


def _visit_flags(route: Route, result: RoundResult, context: JudgeContext, visits,
                 tz: ZoneInfo) -> list[Flag]:
    th, flags = context.thresholds, []
    shift = timedelta(seconds=context.clock_offset_s)
    for pos, stop in enumerate(route.stops):
        checkpoint = context.checkpoints.get(stop.checkpoint_id)
        visit = result.visits.get(stop.checkpoint_id)
        scanned = visits.get(pos)
        name = context.name_of(stop.checkpoint_id)
        if scanned is None:
            continue
        if checkpoint is not None and checkpoint.photo_required and not (visit and visit.photos):
            flags.append(Flag("photo_missing", {"position": pos + 1, "name": name}, stop.checkpoint_id))
        for photo in visit.photos if visit is not None else ():
            if photo.exif_time is None:
                continue
            taken = photo.exif_time
            # EXIF times usually have no offset: the camera shows the site's wall clock
            taken = (taken.replace(tzinfo=tz) if taken.tzinfo is None else taken) + shift
            apart = abs((taken - scanned[0]).total_seconds())
            if apart > th.photo_time_s:
                flags.append(Flag("photo_time_far", {"name": name, "sha256": photo.sha256,
                                                     "minutes": round(apart / 60, 1)},
                                  stop.checkpoint_id))
    return flags
