"""What the server remembers of each client's pulls: the cursors it held, and when.

Tombstone GC (``server.services.tombstones``) may only purge deletes that
every active device has already pulled, so the client record (the one that
holds ``last_mutation_id``) also keeps ``cursors_seen`` -- the cursors the
device *sent*, i.e. what it certainly holds -- and ``last_seen``.

Writing that on every pull would turn each poll into a commit, and each
commit moves ``high_water``, so every other device's next poll would have
"moved" cursors too. Instead the record is written at most once per
``SEEN_INTERVAL`` per client (and on its first pull). The cursors kept can
therefore lag by up to that interval; a lagging cursor is lower, so GC stays
on the safe side (it purges less, never a delete a device still needs).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from checklists.actors import Actor
from .push import new_client

SEEN_INTERVAL = timedelta(hours=1)


def note_pull(client: dict | None, actor: Actor, client_id: str, cursors: dict[str, int],
              now: datetime) -> dict | None:
    """The client record to write for this pull, or None when it need not be written."""
    at = now.isoformat()
    if client is not None and "cursors_seen" in client and \
            now - datetime.fromisoformat(client["cursors_seen_at"]) < SEEN_INTERVAL:
        return None
    record = dict(client or new_client(client_id, actor, at))
    record.update(cursors_seen=dict(cursors), cursors_seen_at=at, last_seen=at)
    return record


def lowest_cursor(client: dict) -> int | None:
    """The lowest non-zero cursor the client holds (a 0 cursor holds nothing to delete)."""
    held = [c for c in client.get("cursors_seen", {}).values() if c > 0]
    return min(held) if held else None
