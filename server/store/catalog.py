"""The bookkeeping every backend needs in memory: who is where, at which seq.

A ``Catalog`` knows, for every record ever written, its latest seq, bucket,
partition and index entries -- but not its body. From that it answers
listings (sorted index entries, keyset paging), per-bucket change feeds and
"is this id live?". Bodies stay with the backend (a dict, TinyDB partitions
on disk, ...), which keeps resident memory at roughly a hundred bytes per
record however large the documents are.

The catalog is not thread-safe; backends call it under their lock.
"""
from __future__ import annotations

import base64
import bisect
from sys import intern
from typing import Iterable, Iterator, Sequence

import orjson

from .base import Delete, Op, Put


# An entry says where a record is and what it is indexed under (no body). It
# is a plain tuple ``(seq, bucket, deleted, partition, index)`` on purpose:
# CPython stops tracking tuples of atomic values after one collection, so a
# million entries cost the garbage collector nothing, where a million small
# objects made every full collection scan them (measured: 1.5 s each at
# 300k records, felt as multi-second listing stalls).
SEQ, BUCKET, DELETED, PARTITION, INDEX = range(5)
Entry = tuple


def make_entry(seq: int, bucket: str | None, deleted: bool, partition: str | None,
               index: tuple) -> Entry:
    """``index`` is a tuple of ``(name, key, sort)`` triples, ``()`` when none."""
    return (seq, bucket, deleted, partition, index)


def entry_row(collection: str, id: str, entry: Entry) -> list:
    """The entry as saved in a partition snapshot."""
    seq, bucket, deleted, partition, index = entry
    return [collection, id, seq, bucket, deleted, partition, [list(t) for t in index]]


def encode_cursor(sort: str, id: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([sort, id])).decode()


def decode_cursor(cursor: str) -> tuple[str, str]:
    """Parse a listing cursor; ValueError for anything that is not one of ours."""
    try:
        sort, id_ = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except Exception as exc:  # noqa: BLE001 - any garbage is one error to the caller
        raise ValueError("malformed cursor") from exc
    if not isinstance(sort, str) or not isinstance(id_, str):
        raise ValueError("malformed cursor")
    return sort, id_


def check_ops(ops: Sequence[Op]) -> None:
    """Refuse a batch the store cannot take, before anything is written."""
    if not ops:
        raise ValueError("empty batch")
    for op in ops:
        if not isinstance(op, (Put, Delete)):
            raise TypeError(f"not a store operation: {op!r}")
        if not op.collection or "/" in op.collection or not isinstance(op.id, str) or not op.id:
            raise ValueError("an operation needs a collection without '/' and a non-empty id")
        if isinstance(op, Put):
            for name, value in op.index.items():
                if not (isinstance(value, tuple) and len(value) == 2
                        and all(isinstance(v, str) for v in value)):
                    raise ValueError(f"index {name!r} entry must be a (key, sort) pair of strings")


class Catalog:
    """Entries, sorted index lists and per-bucket feeds for all records."""

    def __init__(self):
        self.entries: dict[tuple[str, str], Entry] = {}
        self._indexes: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        self._feeds: dict[str, list[tuple[int, str, str]]] = {}
        self._stale: dict[str, int] = {}
        self.last_seq = 0
        self.horizon = 0

    # -- lookups -------------------------------------------------------------
    def live(self, collection: str, id: str) -> Entry | None:
        entry = self.entries.get((collection, id))
        return None if entry is None or entry[DELETED] else entry

    def ids(self, collection: str) -> Iterator[str]:
        return (i for (c, i), e in self.entries.items() if c == collection and not e[DELETED])

    def count(self, collection: str, index: str, key: str) -> int:
        return len(self._indexes.get((collection, index, key), ()))

    def page(self, collection, index, key, after, limit, descending):
        rows = self._indexes.get((collection, index, key), [])
        if descending:
            end = len(rows) if after is None else bisect.bisect_left(rows, decode_cursor(after))
            chosen = rows[max(0, end - limit):end][::-1]
            more = end - limit > 0
        else:
            start = 0 if after is None else bisect.bisect_right(rows, decode_cursor(after))
            chosen = rows[start:start + limit]
            more = start + limit < len(rows)
        cursor = encode_cursor(*chosen[-1]) if chosen and more else None
        return [id_ for _, id_ in chosen], cursor

    def changes(self, bucket: str, since: int, limit: int) -> list[tuple[int, str, str, str]]:
        feed = self._feeds.get(bucket, [])
        pos = bisect.bisect_right(feed, (since, "\uffff", "\uffff"))
        out = []
        for seq, collection, id_ in feed[pos:]:
            entry = self.entries[(collection, id_)]
            if entry[SEQ] != seq:
                continue  # superseded by a later change further on
            out.append((seq, collection, id_, "del" if entry[DELETED] else "put"))
            if len(out) >= limit:
                break
        return out

    def buckets(self) -> Iterable[str]:
        return self._feeds.keys()

    def tombstones(self, upto: int) -> list[tuple[tuple[str, str], Entry]]:
        """The entries of deleted records with seq <= ``upto`` (a full walk: GC only)."""
        return [(key, e) for key, e in self.entries.items() if e[DELETED] and e[SEQ] <= upto]

    # -- garbage collection ----------------------------------------------------
    def purge(self, upto: int) -> list[tuple[tuple[str, str], Entry]]:
        """Forget the tombstones at or below ``upto`` and raise the horizon to it.

        Their feed rows go too (and the superseded rows of their buckets, as a
        compaction would drop them), so no feed row points at a forgotten
        entry. Returns what was forgotten, for the backend's own bookkeeping.
        """
        gone = self.tombstones(upto)
        for key, _ in gone:
            del self.entries[key]
        for bucket in {e[BUCKET] for _, e in gone if e[BUCKET] is not None}:
            self._feeds[bucket] = [row for row in self._feeds[bucket]
                                   if (e := self.entries.get((row[1], row[2]))) is not None
                                   and e[SEQ] == row[0]]
            self._stale[bucket] = 0
        self.horizon = max(self.horizon, upto)
        return gone

    # -- changes -------------------------------------------------------------
    def check(self, ops: Sequence[Op]) -> None:
        """Refuse a batch this catalog cannot apply, before anything is written."""
        check_ops(ops)
        live = {}
        for op in ops:
            key = (op.collection, op.id)
            entry = self.entries.get(key)
            if isinstance(op, Delete):
                if not live.get(key, entry is not None and not entry[DELETED]):
                    raise ValueError(f"delete of unknown record {op.collection}/{op.id}")
                live[key] = False
            else:
                if entry is not None and entry[BUCKET] != op.bucket:
                    raise ValueError(f"{op.collection}/{op.id} cannot move from bucket "
                                     f"{entry[BUCKET]!r} to {op.bucket!r}")
                live[key] = True

    def apply(self, ops: Sequence[Op]) -> list[int]:
        """Record a committed batch with the next seqs."""
        seqs = []
        for op in ops:
            seqs.append(self.last_seq + 1)
            self.apply_op(op, self.last_seq + 1, None)
        return seqs

    def apply_op(self, op: Op, seq: int, partition: str | None) -> None:
        """Record one committed op at ``seq``."""
        key = (op.collection, op.id)
        old = self.entries.get(key)
        if old is not None:
            if old[SEQ] >= seq:
                raise ValueError(f"seq {seq} is not after {old[SEQ]} for {op.collection}/{op.id}")
            self._unindex(op.collection, op.id, old)
            if old[BUCKET] is not None:
                self._stale[old[BUCKET]] = self._stale.get(old[BUCKET], 0) + 1
        if isinstance(op, Put):
            # Buckets, partitions and index keys repeat across many records: one copy each.
            index = tuple((intern(n), intern(k), s) for n, (k, s) in sorted(op.index.items()))
            entry = make_entry(seq, op.bucket and intern(op.bucket), False,
                               partition and intern(partition), index)
        else:
            if old is None:
                raise ValueError(f"delete of unknown record {op.collection}/{op.id}")
            entry = make_entry(seq, old[BUCKET], True, old[PARTITION], ())
        self.load_entry(op.collection, op.id, entry)

    def load_entry(self, collection: str, id: str, entry: Entry) -> None:
        """Install an entry (from a commit, or from a saved index at startup)."""
        seq, bucket, _, _, index = entry
        self.entries[(collection, id)] = entry
        for name, key, sort in index:
            bisect.insort(self._indexes.setdefault((collection, name, key), []), (sort, id))
        if bucket is not None:
            feed = self._feeds.setdefault(bucket, [])
            row = (seq, collection, id)
            if feed and feed[-1] > row:
                bisect.insort(feed, row)  # only while loading saved indexes out of order
            else:
                feed.append(row)
            self._compact_feed(bucket)
        self.last_seq = max(self.last_seq, seq)

    def _unindex(self, collection: str, id: str, entry: Entry) -> None:
        for name, key, sort in entry[INDEX]:
            rows = self._indexes[(collection, name, key)]
            pos = bisect.bisect_left(rows, (sort, id))
            if pos < len(rows) and rows[pos] == (sort, id):
                del rows[pos]
            if not rows:
                del self._indexes[(collection, name, key)]

    def _compact_feed(self, bucket: str) -> None:
        feed = self._feeds[bucket]
        if self._stale.get(bucket, 0) > 1024 and self._stale[bucket] * 2 > len(feed):
            self._feeds[bucket] = [row for row in feed
                                   if self.entries[(row[1], row[2])][SEQ] == row[0]]
            self._stale[bucket] = 0
