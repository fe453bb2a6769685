"""What the caller may know about themselves: their user, sites and device."""
from __future__ import annotations

from server.store import Store

from checklists.actors import Actor
from .devices import get_device
from .sites import sites_by_ids
from .users import get_user


def profile(store: Store, actor: Actor) -> dict:
    """``{"user", "sites", "device"}`` for ``GET /api/v1/me`` (device None for web sessions)."""
    user = get_user(store, actor.user_id)
    return {"user": user, "sites": sites_by_ids(store, user["site_ids"]),
            "device": get_device(store, actor.device_id) if actor.device_id else None}
