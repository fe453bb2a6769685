"""Welfare checks of vulnerable households: sightings, checks due, and the tasks.

Anyone working at the site may report that a household's resident was seen
(a guard on patrol does); the sighting holds no personal field. Which checks
are due and the tasks themselves (steps, the three-party incident record with
the signatories' names) are for supervisors of the site and admins, as the
register is. Tasks live server-side (bucket None); the rules are
:mod:`checklists.households.welfare`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from checklists.actors import Actor
from checklists.households import (
    WelfareStepRefused, close_task, open_task, record_step, welfare_checks_due,
)
from server.services.accounts.access import require_site
from server.services.accounts.records import from_text, new_id, to_text
from server.store import Put
from server.store.base import Reader

from .errors import Conflict, Invalid, NotFound
from .households import household_of_site, require_register, site_households
from .paging import read_page

HOUSEHOLD_SIGHTINGS, WELFARE_CHECKS = "household_sightings", "welfare_checks"
OPEN_STATE = "open"


def record_sighting(store, actor: Actor, site_id: str, household_id: str, *,
                    at: datetime) -> None:
    """Note that the household's resident was seen at ``at`` (a later one never goes back)."""
    require_site(actor, site_id)
    with store.transaction() as tx:
        household_of_site(tx, site_id, household_id)
        old = tx.get_doc(HOUSEHOLD_SIGHTINGS, household_id)
        if old is not None and from_text(old["seen_at"]) >= at:
            return
        doc = {"id": household_id, "site_id": site_id, "seen_at": to_text(at),
               "by": actor.user_id}
        tx.commit([Put(HOUSEHOLD_SIGHTINGS, household_id, doc, bucket=None)])


def checks_due(reader: Reader, actor: Actor, site_id: str, *, at: datetime
               ) -> list[dict[str, Any]]:
    """The vulnerable households not seen for their number of days, with no open task."""
    require_register(reader, actor, site_id)
    register = site_households(reader, site_id)
    seen = reader.get_many(HOUSEHOLD_SIGHTINGS, [h["id"] for h in register])
    last_seen = {hid: from_text(r.doc["seen_at"]) for hid, r in seen.items()}
    due = welfare_checks_due(register, last_seen, at)
    return [d for d in due if _open_task(reader, d["household_id"]) is None]


def open_check(store, actor: Actor, site_id: str, household_id: str, reason: str, *,
               at: datetime) -> dict[str, Any]:
    """Open a welfare-check task (one open task per household at a time: 409)."""
    require_register(store, actor, site_id)
    with store.transaction() as tx:
        household = household_of_site(tx, site_id, household_id)
        if _open_task(tx, household_id) is not None:
            raise Conflict("this household already has an open welfare check")
        task = open_task(new_id(), household, actor.user_id, at, reason)
        tx.commit([_put(task)])
    return task


def list_checks(reader: Reader, actor: Actor, site_id: str, *, cursor: str | None,
                limit: int) -> dict[str, Any]:
    """The site's welfare checks, newest first."""
    require_register(reader, actor, site_id)
    page = read_page(reader, WELFARE_CHECKS, "site", site_id, cursor=cursor, limit=limit,
                     descending=True)
    return {"items": [dict(r.doc) for r in page.items], "next_cursor": page.next_cursor}


def get_check(reader: Reader, actor: Actor, site_id: str, task_id: str) -> dict[str, Any]:
    require_register(reader, actor, site_id)
    return _task(reader, site_id, task_id)


def record_check_step(store, actor: Actor, site_id: str, task_id: str,
                      step: Mapping[str, Any], *, at: datetime) -> dict[str, Any]:
    """Add one step of the procedure (422 naming the field if the procedure refuses it)."""
    require_register(store, actor, site_id)
    with store.transaction() as tx:
        task = _refused_as_invalid(record_step, _task(tx, site_id, task_id), step["step"],
                                   step["outcome"], actor.user_id, at, step.get("note", ""),
                                   step.get("supervised_by"))
        tx.commit([_put(task)])
    return task


def close_check(store, actor: Actor, site_id: str, task_id: str, resolution: str,
                incident_record: Mapping[str, Any] | None, *, at: datetime) -> dict[str, Any]:
    """Close the task; after an entry into the home the three-party record is required."""
    require_register(store, actor, site_id)
    with store.transaction() as tx:
        task = _refused_as_invalid(close_task, _task(tx, site_id, task_id), resolution,
                                   actor.user_id, at, incident_record)
        tx.commit([_put(task)])
    return task


def _refused_as_invalid(rule, *args):
    try:
        return rule(*args)
    except WelfareStepRefused as exc:
        raise Invalid(exc.errors) from None


def _task(reader: Reader, site_id: str, task_id: str) -> dict[str, Any]:
    doc = reader.get_doc(WELFARE_CHECKS, task_id)
    if doc is None or doc["site_id"] != site_id:
        raise NotFound(f"no welfare check {task_id!r} at this site")
    return dict(doc)


def _open_task(reader: Reader, household_id: str) -> dict[str, Any] | None:
    page = reader.list(WELFARE_CHECKS, "open", household_id, limit=1)
    return dict(page.items[0].doc) if page.items else None


def _put(task: dict[str, Any]) -> Put:
    index = {"site": (task["site_id"], task["opened_at"])}
    if task["state"] == OPEN_STATE:
        index["open"] = (task["household_id"], "")
    return Put(WELFARE_CHECKS, task["id"], task, bucket=None, index=index)
