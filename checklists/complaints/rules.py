"""Complaint rules: intake, classification, deadlines, handling and callbacks (seed 001).

Pure functions from (complaint, input, actor, time) to the new complaint;
they never change their input. Deadlines (seed 001 第三篇 4.2.3 d/e): an
ordinary valid complaint is resolved within 2 days of receipt; a serious or
major one is escalated to the managers, who may set its deadline. A repair's
callback is due within 1 working day of resolution (seed 000 第五部分 3).
"""
from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from checklists.actors import Actor

from .errors import ComplaintInvalid
from .model import FIVE_CLEAR

RECEIVED, ASSIGNED, RESOLVED, CLOSED = "received", "assigned", "resolved", "closed"
ORDINARY_DAYS = 2
ESCALATED = frozenset({"serious", "major"})


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _stamp(actor: Actor, at: datetime) -> dict:
    return {"by": actor.user_id, "role": actor.role, "at": iso(at)}


def new_complaint(complaint_id: str, data: dict, actor: Actor, at: datetime) -> dict:
    """The complaint as received; 听清楚/问清楚 are the description taken down at intake."""
    repair = data["repair"] if data.get("repair") is not None else data["category"] == "repair"
    taken = {"done": True, "note": "recorded at intake", **_stamp(actor, at)}
    return {
        "type": "complaint", "id": complaint_id, "v": 1, "site_id": data["site_id"],
        "unit": data["unit"], "channel": data["channel"], "category": data["category"],
        "description": data["description"], "photos": list(data["photos"]),
        "resident": dict(data["resident"]), "repair": repair,
        "received_at": iso(at), "received_by": actor.user_id,
        "status": RECEIVED, "validity": None, "severity": None, "deadline_at": None,
        "assignee_user_id": None, "resolved_at": None, "resolution": None, "on_time": None,
        "callback_due_at": None, "next_callback_on": None,
        "five_clear": {"listened": taken, "asked": dict(taken)},
        "callbacks": [], "ticket_ids": [],
        "history": [{"event": "received", **_stamp(actor, at)}],
    }


def _changed(doc: dict, event: str, actor: Actor, at: datetime, **detail) -> dict:
    out = copy.deepcopy(doc)
    out["v"] += 1
    out["history"].append({"event": event, **detail, **_stamp(actor, at)})
    return out


def classify(doc: dict, data: dict, actor: Actor, at: datetime) -> dict:
    """Valid or invalid, and how serious. An invalid complaint is closed with the
    explanation given to the resident (4.2.3 c); a valid one gets its deadline."""
    if doc["status"] not in (RECEIVED, ASSIGNED):
        raise ComplaintInvalid({"status": [f"The complaint is {doc['status']}; it can no "
                                           f"longer be classified."]})
    received = parse_time(doc["received_at"])
    due = data.get("due_at")
    if due is not None and due <= received:
        raise ComplaintInvalid({"due_at": ["The deadline must come after the complaint was "
                                           f"received ({doc['received_at']})."]})
    out = _changed(doc, "classified", actor, at, validity=data["validity"],
                   severity=data["severity"])
    out["validity"], out["severity"] = data["validity"], data["severity"]
    if data["validity"] == "invalid":
        out["status"], out["invalid_reason"] = CLOSED, data["reason"]
        out["deadline_at"] = None
        return out
    if due is None or data["severity"] not in ESCALATED:
        due = received + timedelta(days=ORDINARY_DAYS)
    out["deadline_at"] = iso(due)
    out["escalated"] = data["severity"] in ESCALATED
    return out


def note_reported(doc: dict, actor: Actor, at: datetime, note: str) -> dict:
    """报告: the managers were told (done by the system when it raises the alert)."""
    out = copy.deepcopy(doc)
    out["five_clear"]["reported"] = {"done": True, "note": note, **_stamp(actor, at)}
    return out


def assign(doc: dict, assignee: Actor, actor: Actor, at: datetime) -> dict:
    if doc["status"] not in (RECEIVED, ASSIGNED) or doc["validity"] != "valid":
        raise ComplaintInvalid({"status": ["Only a complaint classified valid and not yet "
                                           "resolved can be assigned."]})
    if not assignee.works_at(doc["site_id"]):
        raise ComplaintInvalid({"assignee_user_id": ["This user does not work at the "
                                                     "complaint's site."]})
    out = _changed(doc, "assigned", actor, at, assignee=assignee.user_id)
    out["status"], out["assignee_user_id"] = ASSIGNED, assignee.user_id
    return out


def record_step(doc: dict, step: str, note: str, actor: Actor, at: datetime) -> dict:
    out = copy.deepcopy(doc)
    out["v"] += 1
    out["five_clear"][step] = {"done": True, "note": note, **_stamp(actor, at)}
    return out


def resolve(doc: dict, resolution: str, actor: Actor, at: datetime, tz: ZoneInfo) -> dict:
    if doc["status"] != ASSIGNED:
        raise ComplaintInvalid({"status": [f"The complaint is {doc['status']}; only an "
                                           f"assigned complaint can be resolved."]})
    out = _changed(doc, "resolved", actor, at)
    out.update(status=RESOLVED, resolved_at=iso(at), resolution=resolution,
               on_time=at <= parse_time(doc["deadline_at"]))
    if doc["repair"]:
        out["callback_due_at"] = iso(next_working_day(at, tz).astimezone(UTC))
    return out


def next_working_day(at: datetime, tz: ZoneInfo) -> datetime:
    """One working day after ``at`` on the site's clock (Saturdays and Sundays skipped)."""
    local = at.astimezone(tz) + timedelta(days=1)
    while local.weekday() >= 5:
        local += timedelta(days=1)
    return local


def add_callback(doc: dict, callback_id: str, data: dict, actor: Actor, at: datetime) -> dict:
    """A callback after resolution; not resolved in the resident's eyes reopens the complaint
    (back to its assignee) with the next callback date (seed 001 第五篇 4.4)."""
    if doc["status"] != RESOLVED or doc["resolved_at"] is None:
        raise ComplaintInvalid({"status": [f"A callback follows resolution; this complaint is "
                                           f"{doc['status']}."]})
    if at < parse_time(doc["resolved_at"]):
        raise ComplaintInvalid({"at": ["The callback cannot come before the resolution."]})
    callback = {"id": callback_id, **{k: v for k, v in data.items() if k != "next_callback_on"},
                "next_callback_on": _day(data.get("next_callback_on")),
                "late": doc["callback_due_at"] is not None and
                at > parse_time(doc["callback_due_at"]), **_stamp(actor, at)}
    out = _changed(doc, "callback", actor, at, resolved=data["resolved"])
    out["callbacks"].append(callback)
    out["next_callback_on"] = callback["next_callback_on"]
    out["status"] = CLOSED if data["resolved"] else ASSIGNED
    return out


def may_open_ticket(doc: dict) -> None:
    """A rectification ticket is opened for a valid complaint still being handled."""
    if doc["validity"] != "valid" or doc["status"] == CLOSED:
        raise ComplaintInvalid({"status": [
            "Only a complaint classified valid and not closed opens a rectification ticket "
            f"(this one is {doc['status']}, {doc['validity'] or 'not classified'})."]})


def note_ticket(doc: dict, ticket_id: str, actor: Actor, at: datetime) -> dict:
    """The complaint with the rectification ticket it opened (``ticket_ids``)."""
    may_open_ticket(doc)
    out = _changed(doc, "ticket_opened", actor, at, ticket_id=ticket_id)
    out["ticket_ids"] = [*doc.get("ticket_ids", []), ticket_id]
    return out


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def may_see_resident(doc: dict, actor: Actor) -> bool:
    """Those who handle the complaint: the site's supervisors and admins, and its assignee."""
    return actor.works_at(doc["site_id"]) and (
        actor.supervises or actor.user_id == doc.get("assignee_user_id"))


def view_for(doc: dict, actor: Actor, now: datetime) -> dict:
    """The complaint as ``actor`` may see it, with its clock at ``now``."""
    out = dict(doc)
    if not may_see_resident(doc, actor):
        out["resident"] = None
    out["clock"] = clock(doc, now)
    return out


def clock(doc: dict, now: datetime) -> dict | None:
    """Time left to the deadline (negative: overdue); once resolved, whether on time."""
    if doc["deadline_at"] is None:
        return None
    deadline = parse_time(doc["deadline_at"])
    if doc["resolved_at"] is not None and doc["status"] != ASSIGNED:
        return {"deadline_at": doc["deadline_at"], "seconds_left": None,
                "overdue": not doc["on_time"]}
    left = int((deadline - now).total_seconds())
    return {"deadline_at": doc["deadline_at"], "seconds_left": left, "overdue": left < 0}


__all__ = ["ASSIGNED", "CLOSED", "FIVE_CLEAR", "RECEIVED", "RESOLVED", "add_callback", "assign",
           "classify", "clock", "may_open_ticket", "may_see_resident", "new_complaint",
           "next_working_day", "note_reported", "note_ticket", "record_step", "resolve",
           "view_for"]
