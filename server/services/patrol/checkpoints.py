"""A site's checkpoints: tagged places, kept as one record per site.

One record holds the whole set, so a tag code is checked unique against the
very set it joins (inside the write transaction: two supervisors cannot add
the same code), devices pull the set in one change and a push judges a round
against one consistent set. A checkpoint still on a route's latest version
cannot be deleted (that route's next rounds would visit a ghost).
"""
from __future__ import annotations

from checklists.actors import Actor
from checklists.patrol import PatrolInvalid, load_checkpoint, tag_clashes
from server.services.errors import Conflict, Invalid, NotFound
from server.store.base import Reader, Store
from sync.patrol_records import CHECKPOINTS

from . import routes
from .records import invalid, new_id, put, require_manager, require_site_exists


def checkpoints_record(reader: Reader, site_id: str) -> dict:
    """The site's checkpoints record (an empty one before the first checkpoint)."""
    return reader.get_doc(CHECKPOINTS, site_id) or {
        "type": "patrol_checkpoints", "id": site_id, "site_id": site_id, "v": 0, "checkpoints": {}}


def list_checkpoints(reader: Reader, actor: Actor, site_id: str) -> list[dict]:
    require_site_exists(reader, actor, site_id)
    found = checkpoints_record(reader, site_id)["checkpoints"].values()
    return sorted(found, key=lambda c: (c["name"], c["id"]))


def get_checkpoint(reader: Reader, actor: Actor, site_id: str, checkpoint_id: str) -> dict:
    require_site_exists(reader, actor, site_id)
    found = checkpoints_record(reader, site_id)["checkpoints"].get(checkpoint_id)
    if found is None:
        raise NotFound(f"no checkpoint {checkpoint_id!r} at this site")
    return found


def create_checkpoint(store: Store, actor: Actor, site_id: str, body: dict) -> dict:
    """Add a checkpoint (``id`` optional); 409 for a taken id, 422 for a tag in use."""
    with store.transaction() as tx:
        require_manager(tx, actor, site_id)
        record = checkpoints_record(tx, site_id)
        checkpoint_id = body.get("id") or new_id("cp")
        if checkpoint_id in record["checkpoints"]:
            raise Conflict(f"checkpoint {checkpoint_id!r} already exists at this site")
        return _save(tx, record, {**body, "id": checkpoint_id, "site_id": site_id})


def update_checkpoint(store: Store, actor: Actor, site_id: str, checkpoint_id: str,
                      changes: dict) -> dict:
    """Change a checkpoint's fields (a new tag must be free in the site); a field
    changed to ``None`` is removed (the web's edit form takes a checklist off so)."""
    with store.transaction() as tx:
        require_manager(tx, actor, site_id)
        record = checkpoints_record(tx, site_id)
        current = record["checkpoints"].get(checkpoint_id)
        if current is None:
            raise NotFound(f"no checkpoint {checkpoint_id!r} at this site")
        merged = {k: v for k, v in {**current, **changes}.items() if v is not None}
        return _save(tx, record, {**merged, "id": checkpoint_id, "site_id": site_id})


def delete_checkpoint(store: Store, actor: Actor, site_id: str, checkpoint_id: str) -> None:
    with store.transaction() as tx:
        require_manager(tx, actor, site_id)
        record = checkpoints_record(tx, site_id)
        if checkpoint_id not in record["checkpoints"]:
            raise NotFound(f"no checkpoint {checkpoint_id!r} at this site")
        using = [r["route"]["id"] for r in routes.latest_versions(tx, site_id)
                 if any(s["checkpoint_id"] == checkpoint_id for s in r["route"]["stops"])]
        if using:
            raise Conflict(f"checkpoint {checkpoint_id!r} is on route(s) {', '.join(using)}: "
                           f"publish them without it first")
        kept = {k: v for k, v in record["checkpoints"].items() if k != checkpoint_id}
        tx.commit([put(CHECKPOINTS, {**record, "checkpoints": kept, "v": record["v"] + 1})])


def _save(tx, record: dict, body: dict) -> dict:
    try:
        checkpoint = load_checkpoint(body)
    except PatrolInvalid as error:
        raise invalid(error) from None
    others = [load_checkpoint(c) for k, c in record["checkpoints"].items() if k != checkpoint.id]
    clash = tag_clashes([*others, checkpoint]).get(f"{checkpoint.id}.tag")
    if clash:
        raise Invalid({"tag": clash})
    doc = checkpoint.to_doc()
    tx.commit([put(CHECKPOINTS, {**record, "v": record["v"] + 1,
                                 "checkpoints": {**record["checkpoints"], checkpoint.id: doc}})])
    return doc
