"""The register's monthly update (change list per team) and its reminders.

A monthly update (seed 003 §4.2.3, §4.2.5) keeps a snapshot of the whole
register (server-private, like the register) and the change list against the
snapshot before it; the change list names places, categories and changed
field names only, so it can be forwarded to the security, cleaning and
repair teams. Reminders are computed on request from the register and the
date of the last update, in the site's own calendar.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from checklists.actors import Actor
from checklists.households import monthly_changes, reminders
from server.services.accounts.records import from_text, new_id, to_text
from server.store import Put
from server.store.base import Reader

from .households import require_register, site_households, site_today

HOUSEHOLD_REVIEWS = "household_reviews"


def pending_changes(reader: Reader, actor: Actor, site_id: str) -> dict[str, Any]:
    """What the next monthly update would list: the register against the last update."""
    require_register(reader, actor, site_id)
    last = _last_review(reader, site_id)
    return {"since": last["at"] if last else None,
            "changes": monthly_changes(last["snapshot"] if last else [],
                                       site_households(reader, site_id))}


def record_monthly_update(store, actor: Actor, site_id: str, *, at: datetime) -> dict[str, Any]:
    """Close the month: keep the register's snapshot and the change list since the last one."""
    require_register(store, actor, site_id)
    with store.transaction() as tx:
        last = _last_review(tx, site_id)
        register = site_households(tx, site_id)
        review = {"id": new_id(), "site_id": site_id, "at": to_text(at), "by": actor.user_id,
                  "since": last["at"] if last else None, "snapshot": register,
                  "changes": monthly_changes(last["snapshot"] if last else [], register)}
        tx.commit([Put(HOUSEHOLD_REVIEWS, review["id"], review, bucket=None,
                       index={"site": (site_id, review["at"])})])
    return _without_snapshot(review)


def list_monthly_updates(reader: Reader, actor: Actor, site_id: str, *, limit: int = 12
                         ) -> list[dict[str, Any]]:
    """The latest monthly updates, newest first, with their change lists."""
    require_register(reader, actor, site_id)
    page = reader.list(HOUSEHOLD_REVIEWS, "site", site_id, limit=limit, descending=True)
    return [_without_snapshot(r.doc) for r in page.items]


def open_reminders(reader: Reader, actor: Actor, site_id: str, *, at: datetime
                   ) -> dict[str, Any]:
    """Reminders open on the site's day at ``at`` (a week either side of each due date)."""
    require_register(reader, actor, site_id)
    today = site_today(reader, site_id, at)
    last = _last_review(reader, site_id)
    reviewed = site_today(reader, site_id, from_text(last["at"])) if last else None
    return {"date": today.isoformat(),
            "items": reminders(site_households(reader, site_id), today, reviewed)}


def _last_review(reader: Reader, site_id: str) -> dict[str, Any] | None:
    page = reader.list(HOUSEHOLD_REVIEWS, "site", site_id, limit=1, descending=True)
    return dict(page.items[0].doc) if page.items else None


def _without_snapshot(review) -> dict[str, Any]:
    return {k: v for k, v in review.items() if k != "snapshot"}
