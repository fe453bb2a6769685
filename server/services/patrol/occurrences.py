"""Planning a schedule's rounds ahead, and reading them back by site and day.

``plan_schedule`` runs ``reconcile_occurrences`` against the stored future
rounds of the schedule inside the caller's write transaction: after an edit
it keeps every round that has a result, cancels the old version's others and
adds the new version's; run again with nothing changed it only adds the
rounds that came into the horizon. ``extend_plans`` does that for every
active schedule (the periodic job), one transaction per schedule.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from checklists.actors import Actor
from checklists.patrol import CANCELLED, Occurrence, load_schedule, reconcile_occurrences
from server.store.base import Put, Reader, Store
from sync.patrol_records import OCCURRENCES, SCHEDULES, day_key
from sync.patrol_rounds import is_assigned

from .records import every_doc, put, require_site_exists


def occurrence_doc(occurrence: Occurrence, stored: dict | None = None) -> dict:
    """The stored form: the domain's document plus the round and missed bookkeeping."""
    base = stored or {"type": "patrol_occurrence", "v": 0, "round_id": None, "missed_at": None}
    return {**base, **occurrence.to_doc(), "v": base["v"] + 1}


def future_occurrences(reader: Reader, schedule_id: str, since: datetime) -> list[dict]:
    """The stored rounds of a schedule starting at or after ``since`` (newest first)."""
    return list(every_doc(reader, OCCURRENCES, "schedule", schedule_id, descending=True,
                          until=lambda d: datetime.fromisoformat(d["start"]) < since))


def plan_schedule(tx: Reader, schedule_doc: dict, now: datetime, horizon: timedelta) -> list[Put]:
    """The puts that bring a schedule's stored rounds in line with its current version."""
    stored = {d["id"]: d for d in future_occurrences(tx, schedule_doc["id"], now)}
    if not schedule_doc["active"]:
        return [put(OCCURRENCES, {**d, "status": CANCELLED, "v": d["v"] + 1})
                for d in stored.values() if d["status"] != CANCELLED and d["round_id"] is None]
    has_scans = {i for i, d in stored.items() if d["round_id"] is not None}
    plan = reconcile_occurrences((Occurrence.from_doc(d) for d in stored.values()), has_scans,
                                 load_schedule(schedule_doc["schedule"]), now, horizon)
    return ([put(OCCURRENCES, occurrence_doc(o)) for o in plan.add]
            + [put(OCCURRENCES, occurrence_doc(o, stored[o.id])) for o in plan.cancel])


def extend_plans(store: Store, now: datetime, horizon: timedelta) -> int:
    """Plan every active schedule up to ``now + horizon``; return the rounds written."""
    written = 0
    for record in store.scan(SCHEDULES):
        with store.transaction() as tx:
            current = tx.get_doc(SCHEDULES, record.id)  # re-read: it may have changed
            if current is None or not current["active"]:
                continue
            ops = plan_schedule(tx, current, now, horizon)
            if ops:
                tx.commit(ops)
                written += len(ops)
    return written


def occurrences_of_day(reader: Reader, actor: Actor, site_id: str, day: str) -> list[dict]:
    """The site's rounds starting on its local ``day`` (YYYY-MM-DD), by start time.

    Guards see the rounds they walk; supervisors and admins all of them.
    """
    require_site_exists(reader, actor, site_id)
    found = every_doc(reader, OCCURRENCES, "site_day", day_key(site_id, day))
    return [d for d in found if actor.supervises or is_assigned(d, actor)]
