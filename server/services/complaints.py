"""Complaints and callbacks (seed 001): intake, classification, assignment, resolution,
callbacks, manager alerts and monthly statistics.

Complaints are server-private records (they hold residents' personal data);
what reaches a device is a **task** copy in the assignee's user bucket
(``complaint_tasks``), rewritten on every change and deleted when the
complaint is reassigned, and an **alert** in each manager's user bucket for a
serious or major complaint (seed 001: 重大投訴必須馬上報告). Every read goes
through ``rules.view_for``: residents' names and phones only for the site's
supervisors and admins and the assignee. Guards neither take in nor handle
complaints, so no guard ever holds a resident's contact.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from checklists import complaints as rules
from checklists.actors import ADMIN, ENGINEER, SUPERVISOR, Actor
from checklists.complaints import ComplaintInvalid
from checklists.complaints.rules import iso, parse_time
from checklists.patrol.recurrence import zone
from checklists.workflow.tickets import read_ticket
from server.services.accounts import users
from server.services.accounts.access import require_role, require_site
from server.services.accounts.records import new_id
from server.store import Delete, Put, Store
from sync.actor import user_bucket
from sync.complaint_links import COMPLAINTS
from sync.placement import COMPLAINT_LINKS, TICKETS

from .errors import Forbidden, Invalid
from .paging import all_records, read_page
from .scoped import known_site, scoped_doc, site_in_path
from .stored_indexes import index_once

TASKS, ALERTS, SITE_UNITS = ("complaint_tasks", "complaint_alerts", "site_units")
MANAGERS = (SUPERVISOR, ADMIN)
HANDLERS = frozenset({ENGINEER, SUPERVISOR, ADMIN})


def _month(doc: dict, timezone: str) -> str:
    return parse_time(doc["received_at"]).astimezone(
        zone(timezone)).strftime("%Y-%m")


def _put(doc: dict, timezone: str) -> Put:
    return Put(COMPLAINTS, doc["id"], doc, None, {
        "site": (doc["site_id"], doc["received_at"]),
        "site_status": (f"{doc['site_id']}|{doc['status']}", doc["received_at"]),
        "month": (f"{doc['site_id']}|{_month(doc, timezone)}", doc["received_at"])})


def _task(doc: dict) -> dict:
    """The assignee's copy: what they need to do the work (they may see the resident)."""
    keys = ("site_id", "unit", "channel", "category", "description", "photos", "resident",
            "status", "severity", "deadline_at", "assignee_user_id", "resolution",
            "next_callback_on")
    return {"type": "complaint_task", "id": f"{doc['id']}.{doc['assignee_user_id']}",
            "v": doc["v"], "complaint_id": doc["id"], **{k: doc[k] for k in keys}}


def _task_ops(old: dict, new: dict) -> list:
    ops = []
    if old.get("assignee_user_id") and old["assignee_user_id"] != new["assignee_user_id"]:
        ops.append(Delete(TASKS, f"{old['id']}.{old['assignee_user_id']}"))
    if new["assignee_user_id"]:
        ops.append(Put(TASKS, f"{new['id']}.{new['assignee_user_id']}", _task(new),
                       user_bucket(new["assignee_user_id"])))
    return ops


def load(reader, actor: Actor, complaint_id: str) -> dict:
    return scoped_doc(reader, actor, COMPLAINTS, complaint_id, "complaint")


def check_unit(reader, site_id: str, unit: str) -> None:
    """A site with a unit register takes complaints (and violations) for its own units
    only: a unit of another site is a 422 on ``unit``."""
    register = reader.get_doc(SITE_UNITS, site_id)
    if register is not None and unit not in register["units"]:
        raise Invalid({"unit": [f"{unit} is not a unit of this site."]})


def set_units(store: Store, actor: Actor, site_id: str, units: list[str]) -> dict:
    """The site's unit register (building-entrance-room labels) complaints are checked
    against; a site without one takes any well-formed label."""
    require_role(actor, MANAGERS)
    require_site(actor, site_id)
    with store.transaction() as tx:
        site_in_path(tx, site_id)
        doc = {"id": site_id, "units": sorted(set(units))}
        tx.commit([Put(SITE_UNITS, site_id, doc, None)])
    return doc


def get_units(store: Store, actor: Actor, site_id: str) -> dict:
    """The site's unit register (empty: the site has none, any well-formed label goes)."""
    require_site(actor, site_id)
    site_in_path(store, site_id)
    return store.get_doc(SITE_UNITS, site_id) or {"id": site_id, "units": []}


def intake(store: Store, actor: Actor, data: dict, now: datetime) -> dict:
    """Record a complaint as received (customer service: supervisors and admins)."""
    require_role(actor, MANAGERS)
    require_site(actor, data["site_id"])
    with store.transaction() as tx:
        site = known_site(tx, data["site_id"])
        check_unit(tx, data["site_id"], data["unit"])
        doc = rules.new_complaint(new_id(), data, actor, now)
        tx.commit([_put(doc, site["timezone"])])
        return view(tx, doc, actor, now)


def _update(store: Store, actor: Actor, complaint_id: str, now: datetime,
            change: Callable[..., "tuple[dict, list]"]) -> dict:
    """Apply ``change(tx, doc) -> (new doc, extra ops)`` in one transaction; a broken rule
    is a 422 naming the field and stores nothing."""
    with store.transaction() as tx:
        doc = load(tx, actor, complaint_id)
        try:
            new, extra = change(tx, doc)
        except ComplaintInvalid as err:
            raise Invalid(err.errors) from None
        tx.commit([*writes(tx, doc, new), *extra])
        return view(tx, new, actor, now)


def writes(tx, old: dict, new: dict) -> list:
    """The complaint's record and its assignee's task after a change from ``old``."""
    site = known_site(tx, new["site_id"])
    return [_put(new, site["timezone"]), *_task_ops(old, new)]


def classify(store: Store, actor: Actor, complaint_id: str, data: dict, now: datetime) -> dict:
    """Valid or invalid and how serious; a serious or major one alerts the site's managers."""
    require_role(actor, MANAGERS)

    def change(tx, doc):
        new = rules.classify(doc, data, actor, now)
        if not new.get("escalated") or doc.get("escalated"):
            return new, []
        managers = _managers(tx, doc["site_id"])
        alerts = [_alert(new, manager, now) for manager in managers]
        new = rules.note_reported(new, actor, now, f"alerted {len(managers)} manager(s)")
        return new, alerts
    return _update(store, actor, complaint_id, now, change)


def _staff(reader, site_id: str, roles) -> list[dict]:
    """The users with one of ``roles`` assigned to ``site_id`` (not disabled), by username."""
    return sorted((rec.doc for rec in reader.scan(users.USERS)
                   if rec.doc["role"] in roles and site_id in rec.doc["site_ids"]
                   and not rec.doc.get("disabled")), key=lambda user: user["username"])


def _managers(reader, site_id: str) -> list[str]:
    """Ids of the supervisors and admins assigned to ``site_id`` (not disabled)."""
    return sorted(user["id"] for user in _staff(reader, site_id, MANAGERS))


def assignable(store: Store, actor: Actor, site_id: str) -> list[dict]:
    """Who a manager may assign a complaint of ``site_id`` to: the site's engineers,
    supervisors and admins (id, username, role), for the page's choice."""
    require_role(actor, MANAGERS)
    require_site(actor, site_id)
    return [{"id": u["id"], "username": u["username"], "role": u["role"]}
            for u in _staff(store, site_id, HANDLERS)]


def _alert(doc: dict, manager_id: str, now: datetime) -> Put:
    """No personal data: the manager opens the complaint for that."""
    alert = {"type": "complaint_alert", "id": f"{doc['id']}.{manager_id}", "v": 1,
             "complaint_id": doc["id"], "site_id": doc["site_id"], "manager_id": manager_id,
             "severity": doc["severity"], "category": doc["category"], "unit": doc["unit"],
             "deadline_at": doc["deadline_at"], "at": iso(now)}
    return Put(ALERTS, alert["id"], alert, user_bucket(manager_id),
               {"manager": (manager_id, alert["at"]), "site": (doc["site_id"], alert["at"])})


def assign(store: Store, actor: Actor, complaint_id: str, assignee_id: str,
           now: datetime) -> dict:
    require_role(actor, MANAGERS)

    def change(tx, doc):
        user = tx.get_doc(users.USERS, assignee_id)
        if user is None or user["role"] not in HANDLERS:
            raise ComplaintInvalid({"assignee_user_id": [
                "No engineer, supervisor or admin with this id (guards do not handle "
                "complaints)."]})
        return rules.assign(doc, users.actor_of(user), actor, now), []
    return _update(store, actor, complaint_id, now, change)


def require_handler(actor: Actor, doc: dict) -> None:
    if not (actor.supervises or actor.user_id == doc.get("assignee_user_id")):
        raise Forbidden("only the assignee or a supervisor or admin handles this complaint")


def record_step(store: Store, actor: Actor, complaint_id: str, step: str, note: str,
                now: datetime) -> dict:
    """Record one of 五清楚一报告 (跟清楚, 复清楚, 记清楚...)."""
    def change(tx, doc):
        require_handler(actor, doc)
        return rules.record_step(doc, step, note, actor, now), []
    return _update(store, actor, complaint_id, now, change)


def resolve(store: Store, actor: Actor, complaint_id: str, resolution: str,
            now: datetime) -> dict:
    def change(tx, doc):
        require_handler(actor, doc)
        tz = zone(known_site(tx, doc["site_id"])["timezone"])
        return rules.resolve(doc, resolution, actor, now, tz), []
    return _update(store, actor, complaint_id, now, change)


def callback(store: Store, actor: Actor, complaint_id: str, data: dict, now: datetime) -> dict:
    """回访 by customer service (supervisors and admins) after resolution."""
    require_role(actor, MANAGERS)
    return _update(store, actor, complaint_id, now,
                   lambda tx, doc: (rules.add_callback(doc, new_id(), data, actor, now), []))


def view(reader, doc: dict, actor: Actor, now: datetime) -> dict:
    """``rules.view_for`` plus the rectification tickets the complaint opened, each as it
    is now (so a ticket's closure shows on the complaint)."""
    out = rules.view_for(doc, actor, now)
    found = reader.get_many(TICKETS, doc.get("ticket_ids", []))
    out["tickets"] = [_ticket_summary(found[t].doc) for t in doc.get("ticket_ids", [])
                      if t in found]
    out["findings"] = [_finding(r.doc) for r in
                       all_records(reader, COMPLAINT_LINKS, "complaint", doc["id"])]
    return out


def _finding(link: dict) -> dict:
    return {k: link[k] for k in ("result_id", "item", "via", "by", "at")}


def links_of_result(reader, result_id: str) -> list[dict]:
    """The complaints that caused the result's failed items (shown with the result)."""
    return [{k: r.doc[k] for k in ("item", "complaint_id", "via", "by", "at")}
            for r in all_records(reader, COMPLAINT_LINKS, "result", result_id)]


def _ticket_summary(ticket: dict) -> dict:
    ticket = read_ticket(ticket)
    closed = next((h["at"] for h in reversed(ticket.get("history", []))
                   if h.get("to") == "closed"), None)
    return {"id": ticket["id"], "status": ticket["status"], "title": ticket.get("title"),
            "assignee": ticket.get("assignee"), "due_at": ticket.get("due_at"),
            "closed_at": closed}


def get_complaint(store: Store, actor: Actor, complaint_id: str, now: datetime) -> dict:
    with store.snapshot() as snap:
        return view(snap, load(snap, actor, complaint_id), actor, now)


def list_complaints(store: Store, actor: Actor, site_id: str, now: datetime, *,
                    status: str | None = None) -> list[dict]:
    """Every complaint of a site (of one ``status``: only those are read), oldest first."""
    require_site(actor, site_id)
    index, key = _listing(site_id, status)
    with store.snapshot() as snap:
        return [view(snap, dict(r.doc), actor, now)
                for r in all_records(snap, COMPLAINTS, index, key)]


def open_complaints(store: Store, actor: Actor, site_id: str, now: datetime) -> list[dict]:
    """The complaints still waiting (received or assigned), by deadline: a board's list,
    read from those two statuses only."""
    waiting = [*list_complaints(store, actor, site_id, now, status=rules.RECEIVED),
               *list_complaints(store, actor, site_id, now, status=rules.ASSIGNED)]
    return sorted(waiting, key=lambda c: (c["clock"] or {}).get("deadline_at") or "~")


def page_complaints(store: Store, actor: Actor, site_id: str, now: datetime, *,
                    status: str | None = None, cursor: str | None = None,
                    limit: int = 50) -> dict:
    """One page of a site's complaints, newest first; a status is its own index key, so a
    page reads only what it shows."""
    require_site(actor, site_id)
    index, key = _listing(site_id, status)
    with store.snapshot() as snap:
        page = read_page(snap, COMPLAINTS, index, key, cursor=cursor, limit=limit,
                         descending=True)
        return {"items": [view(snap, dict(r.doc), actor, now) for r in page.items],
                "next_cursor": page.next_cursor}


def _listing(site_id: str, status: str | None) -> tuple[str, str]:
    return ("site", site_id) if status is None else ("site_status", f"{site_id}|{status}")


def list_alerts(store: Store, actor: Actor, *, limit: int = 100) -> list[dict]:
    """The latest ``limit`` alerts raised to ``actor`` (a manager), newest first."""
    require_role(actor, MANAGERS)
    page = read_page(store, ALERTS, "manager", actor.user_id, cursor=None, limit=limit,
                     descending=True)
    return [dict(r.doc) for r in page.items]


def monthly(store: Store, actor: Actor, site_id: str, month: str) -> dict:
    """Statistics of the complaints received at ``site_id`` in ``month`` (YYYY-MM, the
    site's clock)."""
    require_role(actor, MANAGERS)
    require_site(actor, site_id)
    known_site(store, site_id)
    docs = [dict(r.doc) for r in all_records(store, COMPLAINTS, "month", f"{site_id}|{month}")]
    return rules.monthly_stats(docs, month)


#: server-private marker: complaints stored before the status listing were indexed
COMPLAINTS_INDEXED = "complaints-indexed-1"


def index_stored_complaints(store: Store) -> int:
    """Once per data dir: complaints stored before ``site_status`` existed get it (each put
    back unchanged; complaints are server-private, no device refetches). Returns how many."""
    return index_once(store, COMPLAINTS, COMPLAINTS_INDEXED, lambda tx, doc: _put(
        doc, known_site(tx, doc["site_id"])["timezone"]))
