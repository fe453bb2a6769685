"""Plan occurrences: generated ahead, their state at a moment, closed by a result.

States: ``upcoming`` (before its start) → ``due`` (started, before its due
time) → ``overdue`` (past due, still open) → ``missed`` (its window closed:
the plan's next start, or due + grace). ``done`` once a result fulfils it,
flagged ``late`` when that result came after the due time; a result still
closes a missed occurrence (as late), because field work is evidence and is
never turned away. ``cancelled``: its plan was retired before it started.

The id is ``<plan id>.<local start YYYYMMDDTHHMM>``: generating twice gives
the same ids, so a refresh job is idempotent. An edited plan starts a new
``series`` (``<plan id>~<series>.<start>``): a record never changes sync
bucket, and the edit may give the occurrences another assignee.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from checklists.patrol.recurrence import local_starts, parse_rule, zone

from .model import Plan, offset_delta

UPCOMING, DUE, OVERDUE, MISSED, DONE, CANCELLED = (
    "upcoming", "due", "overdue", "missed", "done", "cancelled")
OPEN_STATES = frozenset({UPCOMING, DUE, OVERDUE, MISSED})
STATES = (UPCOMING, DUE, OVERDUE, MISSED, DONE, CANCELLED)
DEFAULT_HORIZON = timedelta(days=40)
# an occurrence whose rule has no next start stays overdue this long
_LAST_WINDOW = timedelta(days=31)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def occurrence_id(plan_id: str, local_start: datetime, series: int = 0) -> str:
    prefix = plan_id if not series else f"{plan_id}~{series}"
    return f"{prefix}.{local_start:%Y%m%dT%H%M}"


def _aware(local: datetime, tz) -> datetime:
    return local.replace(tzinfo=tz).astimezone(UTC)


def generate(plan: Plan, since: datetime, horizon: timedelta = DEFAULT_HORIZON) -> list[dict]:
    """The occurrence documents of ``plan`` starting in ``[since, since + horizon)``."""
    tz = zone(plan.timezone)
    rule = parse_rule(plan.rrule, plan.dtstart)
    out = []
    for local, start in local_starts(rule, tz, since.astimezone(UTC), since + horizon):
        due = _aware(plan.due_after(local), tz)
        if plan.grace is not None:
            closes = due + offset_delta(plan.grace)
        else:
            following = rule.after(local)
            closes = _aware(following, tz) if following is not None else due + _LAST_WINDOW
            closes = max(closes, due)  # a due time past the next start is still owed until due
        out.append({
            "type": "plan_occurrence", "id": occurrence_id(plan.id, local, plan.series), "v": 1,
            "plan_id": plan.id, "plan_version": plan.version, "site_id": plan.site_id,
            "name": plan.name, "checklist_id": plan.checklist_id,
            "assignee_user_id": plan.assignee_user_id, "assignee_role": plan.assignee_role,
            "timezone": plan.timezone, "local_start": local.isoformat(timespec="minutes"),
            "start": iso(start), "due_at": iso(due), "closes_at": iso(closes),
            "feedback_days": plan.feedback_days,
            "status": UPCOMING, "result_id": None, "done_at": None, "late": None,
        })
    return out


def state_at(occ: dict, now: datetime) -> str:
    """The state of ``occ`` at ``now`` (done and cancelled are final)."""
    if occ["status"] in (DONE, CANCELLED):
        return occ["status"]
    if now < parse_time(occ["start"]):
        return UPCOMING
    if now < parse_time(occ["due_at"]):
        return DUE
    if now < parse_time(occ["closes_at"]):
        return OVERDUE
    return MISSED


def advanced(occ: dict, now: datetime) -> dict | None:
    """``occ`` with its stored status brought to ``now``; None when nothing changes."""
    state = state_at(occ, now)
    if state == occ["status"]:
        return None
    return {**occ, "status": state, "v": occ["v"] + 1}


def cancelled(occ: dict, now: datetime) -> dict | None:
    """``occ`` cancelled (its plan retired at ``now``); None unless it has not started."""
    if state_at(occ, now) != UPCOMING:
        return None
    return {**occ, "status": CANCELLED, "v": occ["v"] + 1}


def covers(occ: dict, at: datetime) -> bool:
    """Whether a result made at ``at`` falls within ``occ``'s window [start, closes)."""
    return parse_time(occ["start"]) <= at < parse_time(occ["closes_at"])


def assigned_to(occ: dict, user_id: str, role: str) -> bool:
    if occ["assignee_user_id"] is not None:
        return occ["assignee_user_id"] == user_id
    return occ["assignee_role"] == role


def close(occ: dict, result_id: str, at: datetime, stamp: dict) -> dict | None:
    """``occ`` fulfilled by ``result_id`` made at ``at``; None when it is already done
    (the first result fulfils it; later ones are results like any other)."""
    if occ["status"] not in OPEN_STATES:
        return None
    out: dict[str, Any] = {**occ, "status": DONE, "v": occ["v"] + 1, "result_id": result_id,
                           "done_at": iso(at), "late": at >= parse_time(occ["due_at"]),
                           "closed": stamp}
    if occ.get("feedback_days"):
        out["feedback_due"] = iso(at + timedelta(days=occ["feedback_days"]))
    return out


def clock_left(occ: dict, now: datetime) -> int | None:
    """Seconds until the due time (negative: overdue by that much); None once done."""
    if occ["status"] in (DONE, CANCELLED):
        return None
    return int((parse_time(occ["due_at"]) - now).total_seconds())
