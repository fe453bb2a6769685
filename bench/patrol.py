"""Patrol judging throughput: a month of rounds for 50 routes, against the 10-second goal.

Run:  python bench/patrol.py [--routes 50] [--checkpoints 30] [--days 30] [--runs 3]

Builds one site per route (30 checkpoints 80 m apart), a schedule of 12
rounds a day (every 2 h, Asia/Shanghai) and one result for every round of
the month: 50 x 12 x 30 = 18,000 rounds, 540,000 scans. Most walks are
clean; the rest mix what a real month has — late starts, a skipped
checkpoint, a reversed stretch, typed codes, a GPS fix off site, a skewed
device clock, a few rounds never walked (judged without a result).

Printed for each step, over ``--runs`` runs, min and median of wall and CPU
time, rounds and scans judged per second, and the month's time as a ratio
of the **goal** (the whole month judged in <= 10 s on this machine, scaled
when other sizes are asked for; ratio < 1 meets it):

* ``judge_round`` alone (the verdict objects);
* ``judge_round`` + ``to_record()`` (the JSON a service stores);
* ``explain_record`` of those records (every line in zh and en, as a report reads them);
* occurrence generation for the month (``generate_occurrences``, 50 schedules);
* ``load_round_result`` over a sample of the results' JSON (validation of pushes),
  extrapolated to the month and labelled so.
"""
from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checklists.patrol import (  # noqa: E402
    Checkpoint, GpsFix, JudgeContext, RoundResult, Route, Scan, Stop, explain_record,
    generate_occurrences, judge_round, load_round_result, load_schedule,
)

GOAL_S = 10.0           # the month (50 routes x 30 checkpoints x 12 rounds x 30 days), judged
GOAL_ROUNDS = 18_000
MONTH_START = datetime(2026, 11, 1, tzinfo=UTC)
METRE_LAT = 1 / 111_195


def build_site(n: int, count: int) -> tuple[Route, JudgeContext, dict]:
    site = f"site-{n}"
    cps = {f"s{n}cp{k}": Checkpoint(f"s{n}cp{k}", site, f"T{n}-{k}", f"点{k}",
                                    31.2 + k * 80 * METRE_LAT, 121.4 + n * 0.01, 25.0)
           for k in range(count)}
    stops = tuple(Stop(cid, travel_s=60, tolerance_s=30) if k else Stop(cid, 120, 120)
                  for k, cid in enumerate(cps))
    route = Route(f"route-{n}", 1, site, f"路线{n}", "strict", stops)
    schedule = {"id": f"sched-{n}", "version": 1, "site_id": site, "route_id": route.id,
                "route_version": 1, "timezone": "Asia/Shanghai",
                "rrule": "FREQ=HOURLY;INTERVAL=2;BYMINUTE=0", "dtstart": "2026-10-01T00:00",
                "assignees": {"post": f"post-{n}"}, "deadline_min": 90}
    return route, JudgeContext(cps), schedule


def walk(route: Route, ctx: JudgeContext, occ, rng: random.Random
         ) -> tuple[RoundResult | None, float]:
    """One round as a device would record it, with a realistic mix of faults, and the
    clock offset the server measured for that device."""
    roll = rng.random()
    if roll < 0.01:
        return None, 0.0                                 # never walked
    skew = timedelta(minutes=40) if roll < 0.03 else timedelta(0)
    start = occ.start + timedelta(seconds=rng.randint(-120, 300 if roll > 0.08 else 1800))
    order = list(range(len(route.stops)))
    if 0.03 <= roll < 0.06:
        order.remove(rng.randrange(len(order)))          # a skipped checkpoint
    elif 0.06 <= roll < 0.08:
        k = rng.randrange(len(order) - 5)
        order[k:k + 5] = reversed(order[k:k + 5])        # a reversed stretch
    at = start + timedelta(seconds=100)
    scans = []
    for k in order:
        checkpoint = ctx.checkpoints[route.stops[k].checkpoint_id]
        at += timedelta(seconds=rng.randint(45, 80))
        method = "manual" if rng.random() < 0.01 else "nfc"
        fix = None
        if rng.random() < 0.5:
            off = 0.02 if rng.random() < 0.005 else 0.0  # ~2 km off site now and then
            fix = GpsFix(checkpoint.lat + off, checkpoint.lon, rng.uniform(5, 30))
        scans.append(Scan(checkpoint.tag, at + skew, method, fix))
    return RoundResult(f"r-{occ.id}", occ.id, route.id, route.version, start + skew,
                       at + skew + timedelta(seconds=30), tuple(scans)), -skew.total_seconds()


def month(args, rng: random.Random):
    sites = [build_site(n, args.checkpoints) for n in range(args.routes)]
    schedules = [load_schedule(s) for _, _, s in sites]
    horizon = timedelta(days=args.days)
    rounds = []
    for (route, ctx, _), schedule in zip(sites, schedules):
        for occ in generate_occurrences(schedule, MONTH_START, horizon):
            result, offset = walk(route, ctx, occ, rng)
            context = ctx if not offset else ctx.with_round(clock_offset_s=offset)
            if result is None:
                context = ctx.with_round(now=occ.deadline + timedelta(hours=1))
            rounds.append((route, occ, result, context))
    return schedules, rounds


def timed(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(runs):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return walls, cpus


def report(label: str, goal: float, walls: list[float], cpus: list[float], rounds: int = 0,
           scans: int = 0, scale: float = 1.0, note: str = "") -> None:
    wall_min, wall_med = min(walls) * scale, statistics.median(walls) * scale
    cpu_min, cpu_med = min(cpus) * scale, statistics.median(cpus) * scale
    print(f"\n{label}{note}")
    print(f"  wall  min {wall_min:7.2f} s  median {wall_med:7.2f} s   "
          f"= {wall_min / goal:5.2f}x / {wall_med / goal:5.2f}x goal ({goal:g} s)")
    print(f"  cpu   min {cpu_min:7.2f} s  median {cpu_med:7.2f} s   "
          f"= {cpu_min / goal:5.2f}x / {cpu_med / goal:5.2f}x goal")
    if rounds:
        print(f"  {rounds / wall_min:10,.0f} rounds/s   {scans / wall_min:12,.0f} scans/s  (best run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routes", type=int, default=50)
    parser.add_argument("--checkpoints", type=int, default=30)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20261101)
    schedules, rounds = month(args, rng)
    # the month's half-million input objects stay alive throughout; freezing them keeps the
    # collector from re-scanning them on every full collection (a server judging one push
    # holds a few rounds, not a month), so the figures time judging, not the collector
    gc.freeze()
    goal = GOAL_S * len(rounds) / GOAL_ROUNDS          # scaled to the month asked for
    scans = sum(len(r.scans) for _, _, r, _ in rounds if r is not None)
    print(f"fieldsync patrol benchmark - Python {sys.version.split()[0]}, one core; "
          f"{args.routes} routes x {args.checkpoints} checkpoints x 12 rounds/day x {args.days} days "
          f"= {len(rounds):,} rounds, {scans:,} scans; {args.runs} runs")

    def judge_all():
        for route, occ, result, ctx in rounds:
            judge_round(route, occ, result, ctx)

    def judge_and_record():
        for route, occ, result, ctx in rounds:
            judge_round(route, occ, result, ctx).to_record()

    sample_records = [judge_round(*r).to_record() for r in rounds[:: max(1, len(rounds) // 1000)]]

    def explain():
        for record in sample_records:
            explain_record(record)

    report("judge_round, the month", goal, *timed(judge_all, args.runs), len(rounds), scans)
    report("judge_round + to_record(), the month", goal,
           *timed(judge_and_record, args.runs), len(rounds), scans)
    report("explain_record (zh/en lines)", goal, *timed(explain, args.runs),
           scale=len(rounds) / len(sample_records),
           note=f", extrapolated to the month from {len(sample_records):,} records")

    def generate():
        for schedule in schedules:
            generate_occurrences(schedule, MONTH_START, timedelta(days=args.days))

    report(f"generate_occurrences for the month ({len(schedules)} schedules, {len(rounds):,} rounds)",
           goal, *timed(generate, args.runs))
    sample = [r.to_doc() for _, _, r, _ in rounds[:: max(1, len(rounds) // 1000)] if r is not None]

    def validate():
        for doc in sample:
            load_round_result(doc)

    report("load_round_result (push validation)", goal, *timed(validate, args.runs),
           scale=len(rounds) / len(sample),
           note=f", extrapolated to the month from {len(sample):,} results")


if __name__ == "__main__":
    main()
