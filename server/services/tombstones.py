"""Tombstone GC: how far deletes may be forgotten, and forgetting them (anchors-sync §4.7).

A delete leaves a tombstone in its bucket's feed so that devices holding
the record learn it is gone. Kept forever they only grow; purged too early a
device would keep a record the server deleted. The rule: a tombstone may go
once it is older than the retention (90 days) AND every *active* client
(seen within the retention) has pulled past it. The store then raises its
tombstone horizon, and a device whose cursor is at or below it -- one idle
longer than the retention -- gets ``reset`` at its next pull and refetches
its buckets: slower, never wrong.

How old is a tombstone? The store keeps no time on a delete: its catalog
entry is ``(seq, bucket, ...)`` (about a hundred bytes per record, resident
for every record), and a time there would change catalog rows, partition
files and journal frames for one admin job. Instead every GC run lays a
*seq-clock mark* -- its time and the ``high_water`` then -- in one
server-private record. A tombstone at or below a mark's seq was made before
that mark's time, so it is older than the retention once a run at least
that long ago saw a ``high_water`` at or above it. The cost: GC purges only
after it has run for one retention period (run it daily; the first runs only
lay marks), and its granularity is the interval between runs.

Client cursors come from the client records (``sync.cursors_seen``), which
lag by up to an hour: lower cursors, so a safe side.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from server.store.base import Put, Store
from sync.cursors_seen import lowest_cursor
from sync.placement import CLIENTS

RETENTION_DAYS = 90
SEQ_CLOCK = ("sync_gc", "seq_clock")  # (collection, id) of the marks, server-private


@dataclass(frozen=True)
class GcReport:
    horizon: int           # the tombstone horizon after this run (or after a real run)
    previous_horizon: int
    purged: int            # tombstones dropped (with dry_run: that would be)
    age_bound: int         # every seq up to this is older than the retention
    active_clients: int    # clients seen within the retention that hold cursors
    clients_to_reset: int  # idle clients whose cursors fall at or below the new horizon
    dry_run: bool


def collect_tombstones(store: Store, now: datetime, retention_days: int = RETENTION_DAYS, *,
                       dry_run: bool = False) -> GcReport:
    """Raise the tombstone horizon as far as the rule allows and purge below it.

    ``now`` must be timezone-aware. With ``dry_run`` nothing is written, not
    even the run's mark.
    """
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    cutoff = now - timedelta(days=retention_days)
    marks = _marks(store)
    age_bound = max((seq for at, seq in marks if datetime.fromisoformat(at) <= cutoff),
                    default=0)
    active, idle = _lowest_cursors(store, cutoff)
    previous = store.tombstone_horizon()
    # "Below every active client's cursors": a cursor at the horizon is reset (sync.pull).
    bound = min([age_bound, store.high_water()] + [low - 1 for low in active])
    horizon = max(bound, previous)
    purged = store.purge_tombstones(bound, dry_run=dry_run) if bound > previous else 0
    if not dry_run:
        _lay_mark(store, marks, now, cutoff)
    return GcReport(horizon=horizon, previous_horizon=previous, purged=purged,
                    age_bound=age_bound, active_clients=len(active),
                    clients_to_reset=sum(1 for low in idle if low <= horizon),
                    dry_run=dry_run)


def _marks(store: Store) -> list[list]:
    rec = store.get(*SEQ_CLOCK)
    return list(rec.doc["marks"]) if rec else []


def _lowest_cursors(store: Store, cutoff: datetime) -> tuple[list[int], list[int]]:
    """The lowest held cursor of each active client, and of each idle one."""
    active, idle = [], []
    for rec in store.scan(CLIENTS):
        low = lowest_cursor(rec.doc)
        if low is None:
            continue  # holds nothing that a purge could leave stale
        seen = rec.doc.get("last_seen")
        (active if seen and datetime.fromisoformat(seen) >= cutoff else idle).append(low)
    return active, idle


def _lay_mark(store: Store, marks: list[list], now: datetime, cutoff: datetime) -> None:
    """Add ``[now, high_water]``; keep the marks after ``cutoff`` and the newest before it."""
    marks = sorted(marks, key=lambda m: datetime.fromisoformat(m[0]))
    with store.transaction() as tx:
        old = [m for m in marks if datetime.fromisoformat(m[0]) <= cutoff]
        kept = old[-1:] + [m for m in marks if datetime.fromisoformat(m[0]) > cutoff]
        kept.append([now.isoformat(), tx.high_water()])
        tx.commit([Put(*SEQ_CLOCK, {"marks": kept})])
