"""Maintenance tasks of a site (seed 004 annual plan): created from the built-in plan,
listed with their due state on the site's calendar, completed by the teams.

Tasks live in the site's bucket (the engineers' devices see them); the site's
rainy-season start is a small server-private record per site.
"""
from __future__ import annotations

from datetime import date, datetime

import checklists
from checklists import maintenance as rules
from checklists.actors import Actor
from checklists.patrol.recurrence import zone
from server.services.accounts.access import require_site
from server.store import Put, Store
from sync.actor import site_bucket

from .errors import Forbidden, Invalid
from .paging import all_records
from .scoped import known_site, scoped_doc

TASKS, SETTINGS = "maintenance_tasks", "maintenance_sites"
PLAN_ID = "building-maintenance-plan"


def _put(doc: dict) -> Put:
    return Put(TASKS, doc["id"], doc, site_bucket(doc["site_id"]),
               {"site": (doc["site_id"], doc["item_id"])})


def _require_manager(actor: Actor, site_id: str) -> None:
    if not actor.supervises:
        raise Forbidden("only a supervisor or admin sets up maintenance")
    require_site(actor, site_id)


def _invalid(err: rules.TaskInvalid) -> Invalid:
    return Invalid(err.errors)


def set_rainy_season(store: Store, actor: Actor, site_id: str, start: str) -> dict:
    _require_manager(actor, site_id)
    if not rules.MONTH_DAY.match(start):
        raise Invalid({"rainy_season_start": ["Give the day as MM-DD, e.g. 05-01."]})
    with store.transaction() as tx:
        known_site(tx, site_id)
        doc = {"id": site_id, "rainy_season_start": start}
        tx.commit([Put(SETTINGS, site_id, doc, None)])
    return doc


def create_tasks(store: Store, actor: Actor, site_id: str, first_due: date, mode: str) -> list:
    """The site's tasks from the built-in maintenance plan; existing ones are kept as they
    are (their completions are evidence), so running it again adds only what is missing."""
    _require_manager(actor, site_id)
    try:
        planned = rules.tasks_from_plan(checklists.builtin_definition(PLAN_ID), site_id,
                                        first_due, mode)
    except rules.TaskInvalid as err:
        raise _invalid(err) from None
    with store.transaction() as tx:
        known_site(tx, site_id)
        existing = tx.get_many(TASKS, [t["id"] for t in planned])
        new = [t for t in planned if t["id"] not in existing]
        if new:
            tx.commit([_put(t) for t in new])
    return new


def list_tasks(store: Store, actor: Actor, site_id: str, now: datetime, *,
               overdue: bool | None = None) -> list[dict]:
    """The site's tasks with their state today on the site's calendar (overdue first).

    Read whole: a site has one task per cycle-tagged item of the plan (tens),
    completions are kept inside each task, so the set does not grow with time.
    """
    require_site(actor, site_id)
    site = known_site(store, site_id)
    today = now.astimezone(zone(site["timezone"])).date()
    rainy = (store.get_doc(SETTINGS, site_id) or {}).get("rainy_season_start")
    out = []
    for rec in all_records(store, TASKS, "site", site_id):
        task = dict(rec.doc)
        try:
            task["state"] = rules.state(task, rainy, today)
        except rules.TaskInvalid:
            task["state"] = None  # a rainy-season task before the site set its season
        if overdue is None or bool(task["state"] and task["state"]["overdue"]) == overdue:
            out.append(task)
    return sorted(out, key=lambda t: (t["state"] or {}).get("due_on") or "9999")


def complete_task(store: Store, actor: Actor, task_id: str, data: dict) -> dict:
    with store.transaction() as tx:
        task = scoped_doc(tx, actor, TASKS, task_id, "maintenance task")
        try:
            done = rules.complete(task, data["done_on"], actor.user_id,
                                  intact_rate=data.get("intact_rate"), note=data.get("note"))
        except rules.TaskInvalid as err:
            raise _invalid(err) from None
        tx.commit([_put(done)])
    return done
