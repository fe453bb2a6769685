"""Pull: one page of every bucket the actor may see, since the device's cursors.

The caller holds the store's write lock while calling ``build_pull_page``
(see ``server.services.sync_service.build_pull``), so ``high_water``, every
bucket's changes and the client's ``last_mutation_id`` come from one
snapshot: a pull never shows the effect of mutation *k* without
``last_mutation_id >= k``, and no seq at or below ``high_water`` can appear
later.

Cursor rules (anchors-sync §4.5): a segment returns the changes with
``cursor < seq <= new cursor``; ``new cursor`` is ``high_water`` when the
bucket is complete, else the seq of the last row sent, so paging under
concurrent writes can repeat a record (it moved to a higher seq) but never
skip one. A segment starting at 0 omits tombstones (the device holds nothing
to delete). A cursor beyond ``high_water`` (server restored from an older
copy) or at/below the tombstone horizon (tombstones it needed were purged)
gets ``reset``: the device drops that bucket's pulled rows -- never its
outbox -- and starts again from 0.
"""
from __future__ import annotations

from typing import Protocol, Sequence

import orjson

DEFAULT_MAX_BYTES = 1 << 20  # a page stays around 1 MB however large the records are


class ChangeFeed(Protocol):
    def changes(self, bucket: str, since: int, limit: int) -> list: ...
    def high_water(self) -> int: ...
    def tombstone_horizon(self) -> int: ...


def needs_reset(cursor: int, high_water: int, horizon: int) -> bool:
    return cursor > high_water or 0 < cursor <= horizon


def build_pull_page(feed: ChangeFeed, buckets: Sequence[str], cursors: dict[str, int],
                    limit: int, last_mutation_id: int, *,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """The pull response body for ``buckets`` (in priority order).

    At most ``limit`` rows, and rows stop once their JSON passes ``max_bytes``
    (the first row is always sent, so every page makes progress).
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    high_water, horizon = feed.high_water(), feed.tombstone_horizon()
    remaining, budget = limit, _Budget(max_bytes)
    segments = []
    for name in buckets:
        cursor = cursors.get(name, 0)
        reset = needs_reset(cursor, high_water, horizon)
        since = 0 if reset else cursor
        if remaining <= 0:
            segments.append(_segment(name, since, reset, False, []))
            continue
        rows = feed.changes(name, since, remaining + 1)
        complete = len(rows) <= remaining
        rows, changes = rows[:remaining], []
        for n, row in enumerate(rows):
            if since == 0 and row.op == "del":
                continue
            change = _change(row)
            if not budget.take(change):
                rows, complete = rows[:n], False
                remaining = 0
                break
            changes.append(change)
        remaining = max(0, remaining - len(rows))
        if complete:
            new_cursor = high_water
        else:
            new_cursor = rows[-1].seq if rows else since
        segments.append(_segment(name, new_cursor, reset, complete, changes))
    return {
        "last_mutation_id": last_mutation_id,
        "high_water": high_water,
        "buckets": segments,
        "removed_buckets": sorted(set(cursors) - set(buckets)),
        "has_more": not all(s["complete"] for s in segments),
    }


class _Budget:
    """Bytes left for this page; the first change always fits."""

    def __init__(self, max_bytes: int):
        self.left, self.spent = max_bytes, False

    def take(self, change: dict) -> bool:
        size = len(orjson.dumps(change))
        if self.spent and size > self.left:
            self.left = 0
            return False
        self.left -= size
        self.spent = True
        return True


def _segment(name: str, cursor: int, reset: bool, complete: bool, changes: list) -> dict:
    return {"name": name, "cursor": cursor, "reset": reset, "complete": complete,
            "changes": changes}


def _change(row) -> dict:
    doc = row.doc if row.op == "put" else None
    return {"seq": row.seq, "type": row.collection, "id": row.id,
            "v": doc.get("v") if doc else None, "op": row.op,
            "data": dict(doc) if doc is not None else None}
