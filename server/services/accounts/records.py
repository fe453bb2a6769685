"""How account records are identified, looked up and time-stamped.

Ids are random UUID hex strings generated here, never TinyDB document ids
(those are reused after a restart). Times are stored as RFC 3339 UTC strings
with second precision so they sort as text and read the same in every client.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from server.services.errors import NotFound
from server.store.base import Reader


def new_id() -> str:
    """A fresh record id (uuid4, 32 hex digits)."""
    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def to_text(moment: datetime) -> str:
    """``2024-05-01T08:30:00Z`` -- sortable, unambiguous, what we store."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))



def get_doc(reader: Reader, collection: str, id_: str, what: str) -> dict:
    """The document of a live record, else ``NotFound`` naming ``what`` ("user", ...)."""
    rec = reader.get(collection, id_)
    if rec is None:
        raise NotFound(f"{what} {id_} not found")
    return dict(rec.doc)


def find_doc(reader: Reader, collection: str, index: str, key: str) -> dict | None:
    """The document filed under a unique index key (a username, a site code), or None."""
    page = reader.list(collection, index, key, limit=1)
    return dict(page.items[0].doc) if page.items else None
