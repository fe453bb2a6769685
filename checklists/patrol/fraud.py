"""Anti-fraud and evidence checks on a round; each flag carries the numbers that raised it.

None of them changes a checkpoint's timing verdict: a supervisor sees the
flag and its evidence and decides. Thresholds are in
:class:`checklists.patrol.context.Thresholds`.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from checklists.patrol.context import JudgeContext
from checklists.patrol.geo import distance_m
from checklists.patrol.model import Route, RoundResult, Scan
from checklists.patrol.occurrences import Occurrence
from checklists.patrol.verdict import Flag


def fraud_flags(route: Route, occurrence: Occurrence, result: RoundResult, context: JudgeContext,
                visits: dict[int, tuple[float, int, Scan]], walk: list[int],
                timed: list[tuple[float, int, Scan]], ended: float) -> list[Flag]:
    """Flags of one round; times are corrected UTC epoch seconds (see :mod:`.judge`)."""
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
    if result.visits or context.photo_required:
        flags.extend(_visit_flags(route, result, context, visits, ZoneInfo(occurrence.timezone)))
    if context.received_at is not None:
        late_s = context.received_at.timestamp() - ended
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


def _travel_flags(context: JudgeContext, timed) -> list[Flag]:
    th, flags = context.thresholds, []
    cache, places = context.distances, context.places
    usable, min_check, max_speed = th.unusable_accuracy_m, th.min_travel_check_m, th.max_speed_m_s
    before = None
    for at, _, scan in timed:
        # where the scan happened: its checkpoint (a tag is fixed to a wall), else a usable fix
        here = places.get(scan.tag)
        if here is None:
            fix = scan.gps
            if fix is None or fix.accuracy_m > usable:
                continue
            here = (fix.lat, fix.lon, scan.tag, None)
        if before is not None:
            then, there = before
            pair = (there[3], here[3])
            metres = cache.get(pair)
            if metres is None:
                metres = distance_m(there[0], there[1], here[0], here[1])
                if None not in pair:
                    cache[pair] = metres
            seconds = at - then
            if metres >= min_check and metres > max_speed * max(seconds, 0.0):
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
    for pos, stop in enumerate(route.stops):
        cid = stop.checkpoint_id
        scanned = visits.get(pos)
        if scanned is None:
            continue
        visit = result.visits.get(cid)
        name = context.name_of(cid)
        if cid in context.photo_required and not (visit and visit.photos):
            flags.append(Flag("photo_missing", {"position": pos + 1, "name": name}, cid))
        for photo in visit.photos if visit is not None else ():
            if photo.exif_time is None:
                continue
            taken = photo.exif_time
            # EXIF times usually have no offset: the camera shows the site's wall clock
            taken = taken.replace(tzinfo=tz) if taken.tzinfo is None else taken
            apart = abs(taken.timestamp() + context.clock_offset_s - scanned[0])
            if apart > th.photo_time_s:
                flags.append(Flag("photo_time_far", {"name": name, "sha256": photo.sha256,
                                                     "minutes": round(apart / 60, 1)}, cid))
    return flags
