"""Rounds nobody walked: marked missed on the server while the devices are offline.

``mark_missed`` is one pass: inside ONE store write transaction it reads the
rounds still waiting past their deadline (``overdue_occurrences``), marks
them ``missed`` and raises one alert each. The store serialises writers (an
advisory lock on PostgreSQL), so two app servers running the pass at once
cannot both mark a round: the second one reads the first one's commit and
finds nothing left. Running it again changes nothing (idempotent).

A result that arrives later is still accepted and judged on its own times;
the occurrence keeps ``missed_at`` and the alert stays, so a supervisor sees
both the alert and the late arrival.

``PatrolJob`` is the daemon thread ``fieldsync serve`` starts: every
interval it plans the schedules ahead and marks missed rounds. A failed pass
is logged and retried at the next interval.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from checklists.patrol import MISSED, Occurrence, overdue_occurrences
from server.store.base import Store
from sync.patrol_records import ALERTS, OCCURRENCES, WAITING

from .occurrences import extend_plans
from .records import every_doc, put

log = logging.getLogger(__name__)


def mark_missed(store: Store, now: datetime) -> list[dict]:
    """Mark every round past its deadline without a result missed; return the new alerts."""
    first = store.list(OCCURRENCES, "waiting", WAITING, limit=1).items
    if not first or _deadline(first[0].doc) > now:
        return []  # nothing due: no write lock taken (the pass runs every minute)
    with store.transaction() as tx:
        due = list(every_doc(tx, OCCURRENCES, "waiting", WAITING,
                             until=lambda d: _deadline(d) > now))
        stored = {d["id"]: d for d in due}
        with_result = {d["id"] for d in due if d.get("round_id") is not None}
        overdue = overdue_occurrences((Occurrence.from_doc(d) for d in due), with_result, now)
        at = now.astimezone(UTC).isoformat()
        ops, alerts = [], []
        for occurrence in overdue:
            doc = stored[occurrence.id]
            ops.append(put(OCCURRENCES, {**doc, "status": MISSED, "missed_at": at,
                                         "v": doc["v"] + 1}))
            alerts.append(missed_alert(doc, at))
        if ops:
            tx.commit(ops + [put(ALERTS, a) for a in alerts])
    return alerts


def _deadline(occurrence: dict) -> datetime:
    return datetime.fromisoformat(occurrence["deadline"])


def missed_alert(occurrence: dict, at: str) -> dict:
    return {"type": "patrol_alert", "id": f"missed.{occurrence['id']}", "v": 1,
            "kind": "missed_round", "site_id": occurrence["site_id"],
            "occurrence_id": occurrence["id"], "schedule_id": occurrence["schedule_id"],
            "route_id": occurrence["route_id"], "local_start": occurrence["local_start"],
            "deadline": occurrence["deadline"], "assignees": occurrence["assignees"],
            "raised_at": at}


def patrol_pass(store: Store, now: datetime, horizon: timedelta) -> dict:
    """What the job does each interval: plan ahead, then mark missed rounds."""
    planned = extend_plans(store, now, horizon)
    return {"planned": planned, "missed": len(mark_missed(store, now))}


class PatrolJob:
    """A daemon thread running ``patrol_pass`` every ``interval_s`` until ``stop()``."""

    def __init__(self, store: Store, *, interval_s: float, horizon: timedelta,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 after_pass: Callable[[dict | None], None] = lambda done: None):
        self.store, self.interval_s, self.horizon, self.clock = store, interval_s, horizon, clock
        self.after_pass = after_pass  # told each pass's counts (None: it failed)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="patrol-job", daemon=True)

    def start(self) -> "PatrolJob":
        self.thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        self.stopping.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                done = patrol_pass(self.store, self.clock(), self.horizon)
            except Exception:  # noqa: BLE001 - the next interval retries; the server stays up
                log.exception("the patrol pass failed")
                done = None
            self.after_pass(done)
            self.stopping.wait(self.interval_s)


def start_patrol_job(store: Store, config) -> PatrolJob | None:
    """Start the job as configured (``PATROL_JOB_INTERVAL_SECONDS`` 0: none)."""
    interval = config["PATROL_JOB_INTERVAL_SECONDS"]
    if not interval:
        return None
    return PatrolJob(store, interval_s=float(interval),
                     horizon=timedelta(days=config["PATROL_HORIZON_DAYS"])).start()
