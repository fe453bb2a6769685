"""Schedules: when a route's rounds happen. Saving one plans its rounds ahead at once.

Each save is the next version, validated by the domain (an RFC 5545 rule on
the site's clock; more than 96 rounds a day, an unknown zone or a bad rule is
a 422 naming the field) and planned in the same transaction, so a schedule
and its occurrences never disagree. Deleting deactivates: future rounds
without a result are cancelled, rounds walked stay.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from checklists.actors import Actor
from checklists.patrol import PatrolInvalid, load_route, load_schedule
from server.services.accounts.sites import site_timezone
from server.services.errors import Conflict, Invalid
from server.store.base import Reader, Store
from sync.patrol_records import ROUTES, SCHEDULES, route_record_id

from .occurrences import plan_schedule
from .records import every_doc, invalid, new_id, put, require_manager, require_site_exists, visible_doc
from .routes import latest_record


def list_schedules(reader: Reader, actor: Actor, site_id: str) -> list[dict]:
    require_site_exists(reader, actor, site_id)
    return list(every_doc(reader, SCHEDULES, "site", site_id))


def get_schedule(reader: Reader, actor: Actor, schedule_id: str) -> dict:
    return visible_doc(reader, actor, SCHEDULES, schedule_id, "schedule")


def save_schedule(store: Store, actor: Actor, body: dict, *, now: datetime,
                  horizon: timedelta, default_timezone: str, site_id: str | None = None,
                  schedule_id: str | None = None) -> dict:
    """Create a schedule at ``site_id`` or save the next version of ``schedule_id``.

    ``route_version`` defaults to the route's newest; ``timezone`` to the site's.
    """
    with store.transaction() as tx:
        if schedule_id is None:
            schedule_id = body.get("id") or new_id("schedule")
            if tx.get(SCHEDULES, schedule_id) is not None:
                raise Conflict(f"schedule {schedule_id!r} already exists")
            version = 1
        else:
            current = get_schedule(tx, actor, schedule_id)
            site_id, version = current["site_id"], current["schedule"]["version"] + 1
        site = require_manager(tx, actor, site_id)
        route = _route_version(tx, site_id, body)
        doc = {"timezone": site_timezone(site, default_timezone), **body, "id": schedule_id,
               "version": version, "site_id": site_id, "route_version": route.version}
        try:
            schedule = load_schedule(doc, route=route)
        except PatrolInvalid as error:
            raise invalid(error) from None
        record = {"type": "patrol_schedule", "id": schedule_id, "v": version, "site_id": site_id,
                  "active": True, "schedule": schedule.to_doc(),
                  "saved": {"by": actor.user_id, "at": now.isoformat()}}
        tx.commit([put(SCHEDULES, record), *plan_schedule(tx, record, now, horizon)])
    return record


def deactivate_schedule(store: Store, actor: Actor, schedule_id: str, *, now: datetime) -> dict:
    with store.transaction() as tx:
        current = get_schedule(tx, actor, schedule_id)
        require_manager(tx, actor, current["site_id"])
        record = {**current, "active": False, "v": current["v"] + 1,
                  "saved": {"by": actor.user_id, "at": now.isoformat()}}
        tx.commit([put(SCHEDULES, record), *plan_schedule(tx, record, now, timedelta(0))])
    return record


def _route_version(tx: Reader, site_id: str, body: dict):
    """The route version a schedule names (its newest when no version is given)."""
    route_id = body.get("route_id")
    if not isinstance(route_id, str):
        raise Invalid({"route_id": ["Missing data for required field."]})
    latest = latest_record(tx, route_id)
    if latest is None or latest["site_id"] != site_id:
        raise Invalid({"route_id": [f"no route {route_id!r} at this site"]})
    version = body.get("route_version", latest["route"]["version"])
    found = tx.get_doc(ROUTES, route_record_id(route_id, version))
    if found is None:
        raise Invalid({"route_version": [f"route {route_id} has no version {version}"]})
    return load_route(found["route"])
