"""A partition: one small TinyDB database of documents, saved to its own file.

TinyDB rewrites a whole database on every write, so its cost grows with what
the database holds. We keep that cost bounded by keeping each TinyDB small:
records are split into partitions (results by site and month, small
collections whole), and every write touches only its own partitions.

TinyDB's in-place ``JSONStorage`` is not crash-safe, so a partition's
TinyDB runs on ``ResidentStorage`` (the data lives in memory; durability comes
from the journal) and ``save()`` writes what changed to the partition's file
at checkpoints (``partition_file``: appended segments, compacted atomically).

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
        self.segments, self.file_bytes = segments, size
        docs = {id_: EncodedDoc(raw) for id_, raw in (docs or {}).items()}
        self.nbytes = sum(len(d.raw) for d in docs.values())
        self._db = _PartitionDB({TABLE: docs}, storage=ResidentStorage)
        self.table = self._db.table(TABLE, cache_size=0)

    @property
    def dirty(self) -> bool:
        return bool(self.changed)

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

    def save(self, seq: int, rows_of, members: Iterable[str], *, sync_dir: bool = True) -> None:
        """Write what changed since the last save; afterwards the partition is clean at ``seq``.

        ``rows_of(ids)`` gives the catalog rows of ``ids``; ``members`` are all
        ids ever placed here (tombstones included). A new, fragmented or mostly
        dead file is rewritten whole; otherwise one segment is appended.
        """
        docs = self._docs
        if (self.segments == 0 or self.segments >= self.MAX_SEGMENTS
                or self.file_bytes > 2 * self.nbytes + (1 << 20)):
            self.file_bytes = write_full(self.path, self.key, seq, rows_of(members),
                                         {i: d.raw for i, d in docs.items()}, sync_dir=sync_dir)
            self.segments = 1
        else:
            changed = sorted(self.changed)
            self.file_bytes += append_delta(
                self.path, self.key, seq, rows_of(changed),
                {i: docs[i].raw for i in changed if i in docs},
                [i for i in changed if i not in docs])
            self.segments += 1
        self.seq = seq
        self.changed.clear()


def load_partition(key: str, path: str, seq: int) -> Partition:
    """Load a saved partition with its documents, holding changes up to ``seq``."""
    found = read_partition_file(path, read_docs=True, expect_seq=seq)
    return Partition(key, path, found.seq, found.docs, segments=found.segments, size=found.size)
