"""Judging one round: ``judge_round(route, occurrence, result, context) -> RoundVerdict``.

Steps, each on device times corrected by the measured clock offset:

1. scans are put in time order (out-of-order times are flagged, not refused);
2. each scan is matched to a stop by its tag; a tag not on the route is
   ``unexpected``; a stop's first scan is its visit, repeats are only counted;
3. for a strict route, the longest run of visits in route order is in order
   and the rest are ``out_of_order`` — the fewest scans that must be blamed,
   so one stray scan does not condemn the whole walk;
4. each visit is timed against its window (``window`` timing) or the route's
   expected walk from the visit before ± tolerance (``offset`` timing);
   anything after the round's deadline is late;
5. the anti-fraud checks of :mod:`checklists.patrol.fraud` add their flags;
6. each visit's answers are judged by the checklist version it names
   (:mod:`checklists.patrol.visit_answers`): problems are flagged, never refused.
"""
from __future__ import annotations

from bisect import bisect_left

from checklists.patrol.context import JudgeContext
from checklists.patrol.errors import PatrolInvalid
from checklists.patrol.fraud import fraud_flags
from checklists.patrol.model import Route, RoundResult, Scan
from checklists.patrol.occurrences import Occurrence
from checklists.patrol.verdict import (
    COMPLETED, EARLY, LATE, MISSED, NOT_STARTED, ON_TIME, OUT_OF_ORDER, PARTIAL, CheckpointVerdict,
    Flag, Gap, RoundVerdict, UnexpectedScan, moment,
)
from checklists.patrol.visit_answers import answer_flags


def judge_round(route: Route, occurrence: Occurrence, result: RoundResult | None,
                context: JudgeContext) -> RoundVerdict:
    """The verdict on ``result`` (or on its absence) for ``occurrence`` of ``route``'s version."""
    if (route.id, route.version) != (occurrence.route_id, occurrence.route_version):
        raise ValueError(f"occurrence {occurrence.id} is of route "
                         f"{occurrence.route_id}@{occurrence.route_version}, not {route.ref}")
    if result is None:
        return _without_result(route, occurrence, context)
    _check_result_is_for(occurrence, result)
    offset = context.clock_offset_s
    flags: list[Flag] = []
    # (corrected epoch seconds, index, scan): floats, since this is the hot loop
    timed = [(scan.at.timestamp() + offset, k, scan) for k, scan in enumerate(result.scans)]
    backwards = [k for k in range(1, len(timed)) if timed[k][0] < timed[k - 1][0]]
    if backwards:
        flags.append(Flag("scans_out_of_time_order", {"scan": backwards[0], "count": len(backwards)}))
        timed.sort(key=lambda t: t[0])             # stable: equal times keep the device's order

    visits: dict[int, tuple[float, int, Scan]] = {}
    walk: list[int] = []
    unexpected: list[UnexpectedScan] = []
    last_seen: dict[str, float] = {}
    repeats: dict[str, list] = {}
    by_tag, position = context.by_tag, route.position
    for at, k, scan in timed:
        tag = scan.tag
        previous = last_seen.get(tag)
        last_seen[tag] = at
        if previous is not None:
            seen = repeats.setdefault(tag, [0, at - previous])
            seen[0] += 1
            seen[1] = min(seen[1], at - previous)
        checkpoint = by_tag.get(tag)
        pos = position.get(checkpoint.id) if checkpoint is not None else None
        if pos is None:
            unexpected.append(UnexpectedScan(k, tag, at, checkpoint and checkpoint.id,
                                             checkpoint and checkpoint.name))
        elif pos not in visits:
            visits[pos] = (at, k, scan)
            walk.append(pos)
    if unexpected:      # each has its own line; the flag lets "flagged rounds" find them
        flags.append(Flag("unexpected_scans", {"count": len(unexpected)}))
    rapid = context.thresholds.rapid_duplicate_s
    flags.extend(Flag("rapid_duplicate", {"tag": tag, "repeats": n, "seconds": round(gap, 1)})
                 for tag, (n, gap) in repeats.items() if gap <= rapid)

    if route.order == "any" or all(a < b for a, b in zip(walk, walk[1:])):
        in_order = set(walk)
    else:
        in_order = set(_longest_increasing(walk))
    started = result.started_at.timestamp() + offset
    finished = result.finished_at.timestamp() + offset if result.finished_at is not None else None
    lines, gaps = _time_visits(route, occurrence, result, context, visits, walk, in_order,
                               started, finished, timed)
    ended = finished if finished is not None else (timed[-1][0] if timed else started)
    flags.extend(fraud_flags(route, occurrence, result, context, visits, walk, timed, ended))
    flags.extend(answer_flags(result, context))
    scanned = len(visits)
    status = COMPLETED if scanned == len(route.stops) else PARTIAL if scanned else MISSED
    marked = context.marked_missed_at
    return RoundVerdict(
        occurrence_id=occurrence.id, route_id=route.id, route_version=route.version,
        timezone=occurrence.timezone,
        scheduled=(occurrence.opens, occurrence.start, occurrence.late_after, occurrence.deadline),
        status=status, start_status=_start_status(occurrence, started),
        started_at=moment(started), finished_at=moment(finished), stops=len(route.stops),
        scanned=scanned, on_time=sum(1 for c in lines if c.status == ON_TIME),
        checkpoints=tuple(lines), gaps=tuple(gaps), unexpected=tuple(unexpected),
        flags=tuple(flags), was_marked_missed=marked is not None,
        late_arrival=marked is not None and (context.received_at is None
                                             or context.received_at >= marked),
        clock_offset_s=offset)


def _check_result_is_for(occurrence: Occurrence, result: RoundResult) -> None:
    """A result names its round; judging it against another is refused like bad input."""
    errors = {}
    if result.occurrence_id != occurrence.id:
        errors["occurrence_id"] = [f"this is a result of {result.occurrence_id}, not {occurrence.id}"]
    if (result.route_id, result.route_version) != (occurrence.route_id, occurrence.route_version):
        errors["route_version"] = [f"the round is of route {occurrence.route_id}@"
                                   f"{occurrence.route_version}, not {result.route_id}@"
                                   f"{result.route_version}"]
    if errors:
        raise PatrolInvalid(errors)


def _start_status(occurrence: Occurrence, started: float) -> str:
    if started < occurrence.opens.timestamp():
        return "start_early"
    return "start_on_time" if started <= occurrence.late_after.timestamp() else "start_late"


def _time_visits(route, occurrence, result, context, visits, walk, in_order, started, finished,
                 timed):
    """A :class:`CheckpointVerdict` per stop (route order) and a :class:`Gap` per pair of
    consecutive visits."""
    windowed = occurrence.timing.mode == "window"
    strict = route.order == "strict"
    start_s, deadline = occurrence.start.timestamp(), occurrence.deadline.timestamp()
    stops, elapsed, slacks = route.stops, route.elapsed_s, route.slack_s
    names = context.names
    judged: dict[int, CheckpointVerdict] = {}
    gaps: list[Gap] = []
    # when each scan's successor came (the dwell of a stop without done_at), only if needed
    next_scan_at = ({timed[n][1]: timed[n + 1][0] for n in range(len(timed) - 1)}
                    if route.dwells else {})
    prev_pos, prev_at = None, started
    for pos in walk:
        at, k, scan = visits[pos]
        stop = stops[pos]
        cid = stop.checkpoint_id
        low = high = travel = None
        if prev_pos is not None:
            a, b = (prev_pos, pos) if prev_pos < pos else (pos, prev_pos)
            travel, slack = elapsed[b] - elapsed[a], slacks[b] - slacks[a]
            gaps.append(Gap(stops[prev_pos].checkpoint_id, cid, at - prev_at, travel, slack))
        elif strict:
            travel, slack = elapsed[pos], slacks[pos]
        # any order: the first visit may be anywhere, so it has no expected walk
        if windowed:
            window = occurrence.timing.window_of(cid)
            if window is not None:
                low, high = start_s + window.open_min * 60, start_s + window.close_min * 60
        elif travel is not None:
            low, high = prev_at + travel - slack, prev_at + travel + slack
        if high is not None and at > high:
            status, off = LATE, at - high
        elif at > deadline:
            status, off = LATE, at - deadline
        elif low is not None and at < low:
            status, off = EARLY, at - low
        else:
            status, off = ON_TIME, 0.0
        if pos not in in_order:
            status = OUT_OF_ORDER
        dwell, short = None, False
        if stop.min_dwell_s:
            visit = result.visits.get(cid)
            left = (visit.done_at.timestamp() + context.clock_offset_s
                    if visit is not None and visit.done_at is not None
                    else next_scan_at.get(k, finished))
            if left is not None:
                dwell = max(0.0, left - at)
                short = dwell < stop.min_dwell_s
        judged[pos] = CheckpointVerdict(pos + 1, cid, names.get(cid, cid), status,
                                        scan.method == "manual", k, at, low, high, off, dwell,
                                        short, stop.min_dwell_s, scan.tag)
        prev_pos, prev_at = pos, at
    lines = [judged.get(pos) or CheckpointVerdict(pos + 1, s.checkpoint_id,
                                                   names.get(s.checkpoint_id, s.checkpoint_id),
                                                   MISSED)
             for pos, s in enumerate(stops)]
    return lines, gaps


def _longest_increasing(seq: list[int]) -> list[int]:
    """The longest strictly increasing subsequence of ``seq`` (patience sorting, n log n)."""
    tails: list[int] = []          # tails[n]: index in seq ending the best run of length n+1
    tail_values: list[int] = []
    parent = [-1] * len(seq)
    for i, value in enumerate(seq):
        n = bisect_left(tail_values, value)
        parent[i] = tails[n - 1] if n else -1
        if n == len(tails):
            tails.append(i)
            tail_values.append(value)
        else:
            tails[n], tail_values[n] = i, value
    out, i = [], tails[-1] if tails else -1
    while i >= 0:
        out.append(seq[i])
        i = parent[i]
    return out[::-1]


def _without_result(route: Route, occurrence: Occurrence, context: JudgeContext) -> RoundVerdict:
    if context.now is None:
        raise ValueError("judging an occurrence without a result needs context.now")
    missed = occurrence.status == MISSED or context.now >= occurrence.deadline
    lines = tuple(CheckpointVerdict(pos + 1, s.checkpoint_id, context.name_of(s.checkpoint_id),
                                    MISSED) for pos, s in enumerate(route.stops)) if missed else ()
    return RoundVerdict(
        occurrence_id=occurrence.id, route_id=route.id, route_version=route.version,
        timezone=occurrence.timezone,
        scheduled=(occurrence.opens, occurrence.start, occurrence.late_after, occurrence.deadline),
        status=MISSED if missed else NOT_STARTED, start_status=None, started_at=None,
        finished_at=None, stops=len(route.stops), scanned=0, on_time=0, checkpoints=lines,
        was_marked_missed=context.marked_missed_at is not None or occurrence.status == MISSED,
        clock_offset_s=context.clock_offset_s)
