"""The dashboard's blocks besides scores: tickets, composite, patrol, plans, complaints.

Each block of one site is read through the service its API uses (so scope
and rules are the API's) at one instant ``now``, in the site's own calendar
(its month, its week from Monday, its days).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from checklists.actors import Actor
from server.services import complaints, composite, plans, tickets
from server.services.patrol import reports as patrol

from .i18n import site_zone

#: the ticket states still waiting for work, and the age buckets (days) they are counted in
WAITING = ("open", "reopened", "in_progress", "disputed")
AGE_BUCKETS = ((0, 2, "0–2"), (3, 7, "3–7"), (8, 30, "8–30"), (31, None, ">30"))
TICKETS_READ = 500
SHOWN = 10
#: the days of a site's checkpoint punctuality grid
PUNCTUALITY_DAYS = 14


def _tickets(store, actor: Actor, site_id: str, now: datetime) -> dict[str, Any]:
    waiting: list[dict] = []
    for state in WAITING:
        waiting += tickets.list_tickets(store, actor, site=site_id, state=state,
                                        limit=TICKETS_READ, now=now)["items"]
    ages = {name: 0 for _low, _high, name in AGE_BUCKETS}
    for t in waiting:
        name = next(n for low, high, n in AGE_BUCKETS
                    if t["age_days"] >= low and (high is None or t["age_days"] <= high))
        ages[name] += 1
    overdue = sorted((t for t in waiting if t["overdue"]), key=lambda t: t.get("due_at") or "")
    return {"open": len(waiting), "ages": ages, "overdue": len(overdue),
            "most_overdue": overdue[:SHOWN]}


def _patrol_week(store, actor: Actor, site_id: str, today: date) -> dict[str, int]:
    """Rounds of this week so far: on time, late (a late start or stop), missed."""
    counts = {"on_time": 0, "late": 0, "missed": 0}
    monday = today - timedelta(days=today.weekday())
    days = [(monday + timedelta(days=n)).isoformat() for n in range((today - monday).days + 1)]
    for rounds, alerts in patrol.days_at_site(store, actor, site_id, days):
        for round_ in rounds:
            verdict = round_["verdict"]
            late = verdict.get("start_status") == "start_late" or verdict.get("late_arrival") \
                or any(c.get("status") == "late" for c in verdict.get("checkpoints", ()))
            counts["late" if late else "on_time"] += 1
        counts["missed"] += sum(1 for a in alerts if not a.get("late_round_id"))
    return counts


def patrol_grid(store, actor: Actor, site_id: str, today: date,
                days: int = PUNCTUALITY_DAYS) -> dict[str, Any]:
    """Per checkpoint (rows, in route order) and day (columns, oldest first): the percent of
    its expected visits made on time; a missed round counts against every checkpoint of
    its route; None where no round was due."""
    columns = [(today - timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
    expected: dict[tuple[str, str], int] = {}
    on_time: dict[tuple[str, str], int] = {}
    seen: dict[str, tuple[int, str, set]] = {}  # checkpoint -> (position, name, its routes)
    missed: list[tuple[str, str]] = []           # (day, route) of rounds nobody walked
    for day in columns:
        for round_ in patrol.rounds_of_day(store, actor, site_id, day):
            route = round_["verdict"]["route_id"]
            for c in round_["verdict"]["checkpoints"]:
                seen.setdefault(c["checkpoint_id"], (c["position"], c["name"], set()))[2].add(route)
                key = (c["checkpoint_id"], day)
                expected[key] = expected.get(key, 0) + 1
                on_time[key] = on_time.get(key, 0) + (c["status"] == "on_time")
        missed += [(day, a["route_id"]) for a in patrol.alerts_of_day(store, actor, site_id, day)
                   if not a.get("late_round_id")]
    for day, route in missed:
        for checkpoint, (_pos, _name, routes) in seen.items():
            if route in routes:
                expected[(checkpoint, day)] = expected.get((checkpoint, day), 0) + 1
    rows = sorted(seen, key=lambda cp: seen[cp][:2])
    return {"rows": [seen[cp][1] for cp in rows], "columns": columns,
            "values": [[round(100 * on_time.get((cp, d), 0) / expected[(cp, d)])
                        if expected.get((cp, d)) else None for d in columns] for cp in rows]}


def _plans(store, actor: Actor, site_id: str, now: datetime) -> dict[str, Any]:
    occurrences = plans.list_occurrences(store, actor, site_id, now)
    week_ago = (now - timedelta(days=7)).isoformat()
    due = [o for o in occurrences if o["state"] in ("due", "overdue")]
    missed = [o for o in occurrences if o["state"] == "missed" and o["closes_at"] >= week_ago]
    return {"due": sorted(due, key=lambda o: o["due_at"])[:SHOWN], "due_count": len(due),
            "missed": missed[-SHOWN:], "missed_count": len(missed)}


def _complaints(store, actor: Actor, site_id: str, now: datetime) -> dict[str, Any]:
    waiting = complaints.open_complaints(store, actor, site_id, now)  # by deadline
    return {"open": waiting[:SHOWN], "count": len(waiting),
            "overdue": sum(1 for c in waiting if (c["clock"] or {}).get("overdue"))}


def site_blocks(store, actor: Actor, site_id: str, now: datetime) -> dict[str, Any]:
    """Every block of one site at ``now``."""
    local = now.astimezone(ZoneInfo(site_zone(site_id)))
    return {
        "tickets": _tickets(store, actor, site_id, now),
        "composite": composite.site_composite(
            store, actor, site_id, month=local.strftime("%Y-%m"),
            default_zone=current_app.config["DEFAULT_TIMEZONE"]),
        "patrol": _patrol_week(store, actor, site_id, local.date()),
        "plans": _plans(store, actor, site_id, now),
        "complaints": _complaints(store, actor, site_id, now),
    }
