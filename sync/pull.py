"""Pull: one page of every bucket the actor may see, since the device's cursors.

The caller reads through one store snapshot while calling
``build_pull_page`` (see ``server.services.sync_service.build_pull``), so
``high_water``, every bucket's changes and the client's ``last_mutation_id``
come from one consistent state, without waiting for any writer: a pull never shows the effect of mutation *k* without
``last_mutation_id >= k``, and no seq at or below ``high_water`` can appear
later.

Cursor rules (anchors-sync §4.5): a segment returns the changes with
``cursor < seq <= new cursor``; ``new cursor`` is ``high_water`` when the
bucket is complete, else the seq of the last row sent, so paging under
concurrent writes can repeat a record (it moved to a higher seq) but never
skip one. A segment starting at 0 omits tombstones (the device holds nothing
to delete). ``reset`` makes the device drop that bucket's pulled rows --
never its outbox -- and start again from 0. A segment is reset when

* the device's epoch is not the server's: its cursors count seqs of another
  history (the data dir was restored from a backup and given a new epoch);
* its cursor is beyond ``high_water`` (restored, but no new epoch given);
* its cursor is at or below the tombstone horizon (``Store.tombstone_horizon``):
  deletes it has not seen may have been purged.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

import orjson

DEFAULT_MAX_BYTES = 1 << 20  # a page stays around 1 MB however large the records are


class ChangeFeed(Protocol):
    def changes(self, bucket: str, since: int, limit: int) -> list: ...
    def high_water(self) -> int: ...
    def tombstone_horizon(self) -> int: ...
    def epoch(self) -> str: ...


def needs_reset(cursor: int, high_water: int, horizon: int, *, other_epoch: bool = False) -> bool:
    if cursor == 0:
        return False  # nothing held yet: a plain first fetch
    return other_epoch or cursor > high_water or cursor <= horizon


def build_pull_page(feed: ChangeFeed, buckets: Sequence[str], cursors: dict[str, int],
                    limit: int, last_mutation_id: int, *,
                    max_bytes: int = DEFAULT_MAX_BYTES, epoch: str | None = None,
                    stored_json: bool = False) -> dict:
    """The pull response body for ``buckets`` (in priority order).

    ``epoch`` is the one the device's cursors belong to (None: it has none
    yet, e.g. an app from before epochs -- then its cursors are trusted).

    At most ``limit`` rows, and rows stop once their JSON passes ``max_bytes``
    (the first row is always sent, so every page makes progress). Tombstones
    skipped for a cursor-0 segment still count against ``limit``.

    ``stored_json``: each change's ``data`` is the document's stored JSON text
    as an ``orjson.Fragment``, for an answer orjson encodes (the HTTP route):
    nothing is decoded or re-encoded. Otherwise ``data`` is a dict.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    high_water, horizon, current = feed.high_water(), feed.tombstone_horizon(), feed.epoch()
    other_epoch = epoch is not None and epoch != current
    remaining, budget = limit, _Budget(max_bytes)
    segments = []
    for name in buckets:
        cursor = cursors.get(name, 0)
        reset = needs_reset(cursor, high_water, horizon, other_epoch=other_epoch)
        since = 0 if reset else cursor
        if remaining <= 0:
            segments.append(_segment(name, since, reset, False, []))
            continue
        read = _read_bucket(feed, name, since, remaining, budget, stored_json)
        remaining = 0 if budget.exhausted else remaining - read.rows
        new_cursor = high_water if read.complete else read.last_seq
        segments.append(_segment(name, new_cursor, reset, read.complete, read.changes))
    return {
        "epoch": current,
        "last_mutation_id": last_mutation_id,
        "high_water": high_water,
        "buckets": segments,
        "removed_buckets": sorted(set(cursors) - set(buckets)),
        "has_more": not all(s["complete"] for s in segments),
    }


@dataclass(slots=True)
class _BucketRead:
    changes: list[dict]
    rows: int  # feed rows consumed, skipped tombstones included
    last_seq: int  # seq of the last row consumed (the cursor if incomplete)
    complete: bool


def _read_bucket(feed: ChangeFeed, name: str, since: int, remaining: int,
                 budget: "_Budget", stored_json: bool) -> _BucketRead:
    """Up to ``remaining`` rows of one bucket after ``since``, within ``budget``.

    WHY in slices: the byte budget, not ``limit``, usually ends a page of
    large records (a 1 MiB page holds ~90 rows of 10 KB), and the feed
    reads every body it returns -- asking for ``limit + 1`` rows at once
    read ~5x the rows sent. Each slice is sized from the bytes the rows
    so far took, plus one row to learn whether the bucket goes on.
    """
    read = _BucketRead([], 0, since, False)
    skip_tombstones = since == 0  # the device holds nothing of this bucket to delete
    position = since
    while True:
        want = min(remaining - read.rows + 1, budget.rows_estimate())
        rows = feed.changes(name, position, want)
        for row in rows:
            if read.rows == remaining:  # a row beyond the limit: the bucket goes on
                return read
            if not (skip_tombstones and row.op == "del"):
                change = _change(row, stored_json)
                if not budget.take(change):
                    return read
                read.changes.append(change)
            read.rows += 1
            read.last_seq = row.seq
        if len(rows) < want:  # the feed has nothing more for this bucket
            read.complete = True
            return read
        position = rows[-1].seq


class _Budget:
    """Bytes left for this page; the first change always fits."""

    FIRST_SLICE = 64  # rows read before any size is known
    MIN_SLICE = 8  # rows per read at least, so an estimate too low costs few reads

    def __init__(self, max_bytes: int):
        self.left, self.spent, self.taken = max_bytes, 0, 0
        self.exhausted = False

    def take(self, change: dict) -> bool:
        size = len(orjson.dumps(change))
        if self.taken and size > self.left:
            self.left, self.exhausted = 0, True
            return False
        self.left -= size
        self.spent += size
        self.taken += 1
        return True

    def rows_estimate(self) -> int:
        """How many more rows likely fit, from the average size so far (+1 to see the end)."""
        if not self.taken:
            return self.FIRST_SLICE
        average = max(1, self.spent // self.taken)
        return max(self.MIN_SLICE, max(0, self.left) // average + 1)


def _segment(name: str, cursor: int, reset: bool, complete: bool, changes: list) -> dict:
    return {"name": name, "cursor": cursor, "reset": reset, "complete": complete,
            "changes": changes}


def _change(row, stored_json: bool) -> dict:
    if row.body is None:
        data = None
    else:
        data = orjson.Fragment(row.body) if stored_json else row.doc
    return {"seq": row.seq, "type": row.collection, "id": row.id, "v": row.v, "op": row.op,
            "data": data}
