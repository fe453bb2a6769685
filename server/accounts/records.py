"""How account records are identified and time-stamped.

Ids are random UUID hex strings generated here, never TinyDB document ids
(those are reused after a restart). Times are stored as RFC 3339 UTC strings
with second precision so they sort as text and read the same in every client.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone


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

