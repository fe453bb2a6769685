"""Route versions: every edit publishes the next version; published ones never change.

A round is judged against the version its occurrence was planned with, so an
edit (a checkpoint added, a walk retimed) applies to the rounds planned after
it. Route ids are unique across sites (a record id names one route).
"""
from __future__ import annotations

from checklists.actors import Actor
from checklists.patrol import PatrolInvalid, load_checkpoint, load_route
from server.services.errors import Conflict, NotFound
from server.store.base import Reader, Store
from sync.patrol_records import CHECKPOINTS, ROUTES, route_record_id

from .records import (every_doc, invalid, new_id, put, require_manager, require_site_exists,
                      visible_doc)


def latest_record(reader: Reader, route_id: str) -> dict | None:
    page = reader.list(ROUTES, "route", route_id, limit=1, descending=True)
    return page.items[0].doc if page.items else None


def latest_versions(reader: Reader, site_id: str) -> list[dict]:
    """The newest version record of every route of the site, by route id."""
    newest: dict[str, dict] = {}
    for doc in every_doc(reader, ROUTES, "site", site_id):
        route = doc["route"]
        if route["version"] > newest.get(route["id"], {"route": {"version": 0}})["route"]["version"]:
            newest[route["id"]] = doc
    return [newest[k] for k in sorted(newest)]


def list_routes(reader: Reader, actor: Actor, site_id: str) -> list[dict]:
    require_site_exists(reader, actor, site_id)
    return latest_versions(reader, site_id)


def get_route(reader: Reader, actor: Actor, route_id: str, version: int | None = None) -> dict:
    """A route version record (``None``: the newest); other sites' routes are not found."""
    if version is None:
        found = latest_record(reader, route_id)
        if found is None:
            raise NotFound(f"no route {route_id!r}")
        version = found["route"]["version"]
    return visible_doc(reader, actor, ROUTES, route_record_id(route_id, version), "route version")


def publish_route(store: Store, actor: Actor, body: dict, *, site_id: str | None = None,
                  route_id: str | None = None, at: str) -> dict:
    """Publish a new route (``site_id`` given) or the next version of ``route_id``.

    ``body``: name, order, stops (and ``id`` for a new route); each stop must
    name a checkpoint of the site (422 naming ``stops[k].checkpoint_id``).
    """
    with store.transaction() as tx:
        if route_id is None:
            route_id = body.get("id") or new_id("route")
            if latest_record(tx, route_id) is not None:
                raise Conflict(f"route {route_id!r} already exists")
            version = 1
        else:
            current = get_route(tx, actor, route_id)
            site_id, version = current["site_id"], current["route"]["version"] + 1
        require_manager(tx, actor, site_id)
        record = tx.get_doc(CHECKPOINTS, site_id) or {"checkpoints": {}}
        checkpoints = {k: load_checkpoint(c) for k, c in record["checkpoints"].items()}
        try:
            route = load_route({**body, "id": route_id, "version": version, "site_id": site_id},
                               checkpoints=checkpoints)
        except PatrolInvalid as error:
            raise invalid(error) from None
        doc = {"type": "patrol_route", "id": route_record_id(route_id, version), "v": 1,
               "site_id": site_id, "route": route.to_doc(),
               "published": {"by": actor.user_id, "at": at}}
        tx.commit([put(ROUTES, doc)])
    return doc
