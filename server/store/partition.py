"""A partition: one small TinyDB database of documents, saved to its own file.

TinyDB rewrites a whole database on every write, so its cost grows with what
the database holds. We keep that cost bounded by keeping each TinyDB small:
records are split into partitions (results by site and month, small
collections whole), and every write touches only its own partitions.

TinyDB's in-place ``JSONStorage`` is not crash-safe, so a partition's
TinyDB runs on ``ResidentStorage`` (the data lives in memory; durability comes
from the journal) and checkpoints write what changed to the partition's file
(``begin_save`` copies it, ``PendingSave.write`` writes it; ``partition_file``:
appended segments, compacted atomically).

Documents sit in the table as ``EncodedDoc`` -- their JSON bytes, exactly
as the journal holds them -- and the table's ``document_class`` decodes them
when read. Decoded, a 2 KB result is ~10 KB of Python objects that the
garbage collector scans on every full collection; encoded it is 2 KB and
nothing to scan. Every read gets a fresh copy, so no caller can change what
the store holds by mutating a document it was given.

Record ids are our own strings, used directly as TinyDB document ids
(``StrIdTable``): TinyDB's integer ids are reused after a restart and are
never exposed.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from .partition_file import append_delta, read_partition_file, write_full
TABLE = "docs"


class ResidentStorage(Storage):
    """Hands TinyDB the in-memory data; durability is the journal's job."""

    def __init__(self, data: dict | None = None):
        self.data = data if data is not None else {}

    def read(self):
        return self.data

    def write(self, data):
        self.data = data

    def close(self):
        pass


class EncodedDoc(Mapping):
    """A stored document as its JSON bytes; TinyDB queries decode it on access."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes):
        self.raw = raw

    def decoded(self) -> dict:
        return orjson.loads(self.raw)

    def __getitem__(self, key):
        return self.decoded()[key]

    def __iter__(self):
        return iter(self.decoded())

    def __len__(self):
        return len(self.decoded())


class DecodedDocument(Document):
    """What the table hands out: a fresh dict decoded from the stored bytes."""

    def __init__(self, value, doc_id):
        super().__init__(value.decoded() if isinstance(value, EncodedDoc) else value, doc_id)


class StrIdTable(Table):
    """A TinyDB table whose document ids are our record ids (strings)."""

    document_id_class = str
    document_class = DecodedDocument

    def replace_encoded(self, puts: Mapping[str, bytes], deletes: Iterable[str]) -> None:
        """Store ``puts`` (id -> JSON bytes) and drop ``deletes`` in one table write.

        TinyDB's ``insert``/``update`` would decode the documents into dicts;
        ``_update_table`` is the hook its own writers use.
        """
        def updater(table: dict) -> None:
            for id_ in deletes:
                table.pop(id_, None)
            for id_, raw in puts.items():
                table[id_] = EncodedDoc(raw)

        self._update_table(updater)


class _PartitionDB(TinyDB):
    table_class = StrIdTable


def partition_filename(key: str) -> str:
    """A filesystem-safe, reversible file name for a partition key."""
    return quote(key, safe="") + ".part"


class Partition:
    """The documents of one partition, kept in a TinyDB table."""

    MAX_SEGMENTS = 16

    def __init__(self, key: str, path: str, seq: int = 0,
                 docs: dict[str, bytes] | None = None, *, segments: int = 0, size: int = 0):
        self.key = key
        self.path = path
        self.seq = seq            # every op up to this seq is in the saved file
        self.changed: set[str] = set()   # ids changed since the last save (in the journal)
        self.saving = False               # a save of earlier changes is being written
        self.segments, self.file_bytes = segments, size
        docs = {id_: EncodedDoc(raw) for id_, raw in (docs or {}).items()}
        self.nbytes = sum(len(d.raw) for d in docs.values())
        self._db = _PartitionDB({TABLE: docs}, storage=ResidentStorage)
        self.table = self._db.table(TABLE, cache_size=0)

    @property
    def dirty(self) -> bool:
        return bool(self.changed)

    @property
    def evictable(self) -> bool:
        """Its file holds everything: dropping it from memory loses nothing."""
        return not self.changed and not self.saving

    @property
    def _docs(self) -> dict[str, EncodedDoc]:
        return self._db.storage.data.get(TABLE, {})

    def __len__(self) -> int:
        return len(self._docs)

    def get(self, id: str) -> dict | None:
        return self.table.get(doc_id=id)

    def apply(self, puts: Mapping[str, bytes], deletes: Iterable[str]) -> None:
        """Store ``puts`` (id -> JSON bytes) and drop ``deletes`` in one TinyDB write."""
        deletes = list(deletes)
        current = self._docs
        self.nbytes += sum(len(r) for r in puts.values()) - sum(
            len(current[i].raw) for i in {*deletes, *puts} if i in current)
        self.table.replace_encoded(puts, deletes)
        self.changed.update(deletes, puts)

    def begin_save(self, seq: int, rows_of, members: Iterable[str]) -> "PendingSave":
        """Hand what changed up to ``seq`` to a save that may run without the store lock.

        Called under the store lock: the catalog rows (``rows_of(ids)``) and
        the document bytes are copied now, so commits may change the partition
        while the save writes. ``members`` are all ids ever placed here
        (tombstones included). A new, fragmented or mostly dead file is
        rewritten whole; otherwise one segment of the changes is appended.
        Until ``finish_save`` the partition must stay loaded: its file is behind.
        """
        docs = self._docs
        full = (self.segments == 0 or self.segments >= self.MAX_SEGMENTS
                or self.file_bytes > 2 * self.nbytes + (1 << 20))
        ids, self.changed, self.saving = self.changed, set(), True
        if full:
            return PendingSave(self, seq, ids, True, rows_of(members),
                               {i: d.raw for i, d in docs.items()}, [])
        changed = sorted(ids)
        return PendingSave(self, seq, ids, False, rows_of(changed),
                           {i: docs[i].raw for i in changed if i in docs},
                           [i for i in changed if i not in docs])

    def finish_save(self, pending: "PendingSave", ok: bool) -> None:
        """Record a written save, or take its changes back so the next checkpoint retries them."""
        self.saving = False
        if not ok:
            self.changed |= pending.ids
            self.segments = 0  # a failed append may have left a torn segment: rewrite whole
            return
        if pending.full:
            self.file_bytes, self.segments = pending.written, 1
        else:
            self.file_bytes += pending.written
            self.segments += 1
        self.seq = pending.seq


@dataclass
class PendingSave:
    """A partition's changes up to ``seq``, copied under the store lock, written without it."""

    part: Partition
    seq: int
    ids: set[str]
    full: bool
    rows: list
    docs: dict[str, bytes]
    gone: list[str]
    written: int = 0

    def write(self) -> None:
        """Write the file (its directory is synced once per checkpoint, by the caller)."""
        if self.full:
            self.written = write_full(self.part.path, self.part.key, self.seq, self.rows,
                                      self.docs, sync_dir=False)
        else:
            self.written = append_delta(self.part.path, self.part.key, self.seq, self.rows,
                                        self.docs, self.gone)


def load_partition(key: str, path: str, seq: int) -> Partition:
    """Load a saved partition with its documents, holding changes up to ``seq``."""
    found = read_partition_file(path, read_docs=True, expect_seq=seq)
    return Partition(key, path, found.seq, found.docs, segments=found.segments, size=found.size)
