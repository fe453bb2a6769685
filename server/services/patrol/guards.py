"""Who may be assigned a site's rounds: its guards, for the schedule form's choice."""
from __future__ import annotations

from checklists.actors import GUARD, Actor
from server.services.accounts.users import USERS
from server.store.base import Reader

from .records import require_manager


def site_guards(reader: Reader, actor: Actor, site_id: str) -> list[dict]:
    """The site's guards who can log in (id, username), by username; for its managers."""
    require_manager(reader, actor, site_id)
    found = [{"id": rec.doc["id"], "username": rec.doc["username"]} for rec in reader.scan(USERS)
             if rec.doc["role"] == GUARD and site_id in rec.doc["site_ids"]
             and not rec.doc.get("disabled")]
    return sorted(found, key=lambda user: user["username"])
