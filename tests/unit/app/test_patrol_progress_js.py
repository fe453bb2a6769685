"""The patrol screen's on-time marks against the server's verdicts, on generated walks.

The screen tells a guard, as they walk, whether each checkpoint looks on time, early or late
(``progress`` in ``js/patrol/round.js``); the server's judge decides. With no clock offset
both must agree on every checkpoint the server times (it also marks strict routes'
out-of-order visits, which the screen does not: those are left out). Walks: strict and any
order, offset and window timing, skipped, repeated, reversed and stray scans, early, on time
and late, seeded so a failure names a walk that can be replayed.
"""
from __future__ import annotations

import json
import random
from datetime import timedelta

from checklists.patrol import Timing, Window, judge_round, load_round_result
from tests.unit.patrol.builders import checkpoint_doc, checkpoints, context, route, route_doc, schedule
from tests.unit.patrol.builders import occurrence_at

from .test_patrol_js import JS_TESTS, node, pytestmark  # noqa: F401  (needs Node too)

WALKS = 300


def a_walk(rng: random.Random, n: int):
    order = rng.choice(["strict", "any"])
    timing = Timing() if rng.random() < 0.6 else Timing("window", tuple(
        Window(f"cp{k}", 4 * k - rng.randint(0, 4), 4 * k + rng.randint(1, 6)) for k in range(1, 6)
        if rng.random() < 0.8))
    occurrence = occurrence_at(schedule(timing=timing.to_doc()), "22:00")
    start = occurrence.start + timedelta(minutes=rng.randint(-6, 20))
    tags = [k for k in range(1, 6) if rng.random() < 0.85]
    if rng.random() < 0.3:
        rng.shuffle(tags)
    if rng.random() < 0.3:
        tags.insert(rng.randint(0, len(tags)), rng.choice([9, *tags] if tags else [9]))
    at, scans = start, []
    for tag in tags:
        at += timedelta(seconds=rng.randint(20, 420))
        scans.append({"tag": f"TAG-{tag}", "at": at.isoformat(), "method": "qr"})
    args = {"id": f"walk-{n}", "occurrence_id": occurrence.id, "route_id": "night-walk",
            "route_version": 1, "started_at": start.isoformat(), "finished_at": None,
            "scans": scans}
    return route_doc(order=order), occurrence, args


def test_the_screen_marks_checkpoints_as_the_server_judges_them():
    rng = random.Random(20261102)
    sites = {f"cp{n}": checkpoint_doc(n) for n in range(1, 6)}
    sites["cp9"] = {**checkpoint_doc(1), "id": "cp9", "tag": "TAG-9", "name": "泳池"}
    walks, verdicts = [], []
    for n in range(WALKS):
        doc, occurrence, args = a_walk(rng, n)
        verdict = judge_round(route(order=doc["order"]), occurrence, load_round_result(args),
                              context()).to_record()
        verdicts.append(verdict)
        walks.append({"route": doc, "checkpoints": sites, "occurrence": occurrence.to_doc(),
                      "draft": {**args, "visits": {}}})
    done = node(str(JS_TESTS / "progress_guesses.mjs"), stdin=json.dumps(walks))
    assert done.returncode == 0, done.stderr
    compared = 0
    for n, (guesses, verdict) in enumerate(zip(json.loads(done.stdout), verdicts)):
        for guess, line in zip(guesses, verdict["checkpoints"]):
            if line["status"] in ("missed", "out_of_order"):
                assert guess is None or line["status"] == "out_of_order", (n, line)
                continue
            compared += 1
            assert guess == line["status"], f"walk {n} ({walks[n]['route']['order']}, " \
                f"{walks[n]['occurrence']['timing']}): {line['checkpoint_id']} " \
                f"screen {guess}, server {line['status']}; scans {walks[n]['draft']['scans']}"
    assert compared > 500
