"""A partition: one small TinyDB database of documents, saved as one atomic file.

TinyDB rewrites a whole database on every write, so its cost grows with what
the database holds. We keep that cost bounded by keeping each TinyDB small:
records are split into partitions (results by site and month, small
collections whole), and every write touches only its own partitions.

TinyDB's in-place ``JSONStorage`` is not crash-safe, so a partition's
TinyDB runs on ``ResidentStorage`` (the data lives in memory; durability comes
from the journal) and is saved by ``save()`` as a snapshot file written
atomically. A snapshot holds three frames: the catalog rows of the partition
(small, read for every partition at startup), the ids and sizes of its
documents, and the documents' JSON back to back (read only when the
partition is first needed).

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

from .base import StoreCorrupt
from .framing import read_snapshot, write_atomic

MAGIC = b"FIELDSYNC-PARTITION 2\n"
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

    def __init__(self, key: str, path: str, seq: int = 0,
                 docs: dict[str, EncodedDoc] | None = None):
        self.key = key
        self.path = path
        self.seq = seq            # every op up to this seq is in the saved snapshot
        self.dirty = False        # holds ops not yet saved (they are in the journal)
        self._db = _PartitionDB({TABLE: docs or {}}, storage=ResidentStorage)
        self.table = self._db.table(TABLE, cache_size=0)

    def __len__(self) -> int:
        return len(self._db.storage.data.get(TABLE, {}))

    def get(self, id: str) -> dict | None:
        return self.table.get(doc_id=id)

    def apply(self, puts: Mapping[str, bytes], deletes: Iterable[str]) -> None:
        """Store ``puts`` (id -> JSON bytes) and drop ``deletes`` in one TinyDB write."""
        self.table.replace_encoded(puts, deletes)
        self.dirty = True

    def save(self, rows: list, seq: int, *, sync_dir: bool = True) -> None:
        """Write rows + documents atomically; afterwards the partition is clean at ``seq``."""
        docs = self._db.storage.data.get(TABLE, {})
        meta = orjson.dumps({"key": self.key, "seq": seq, "rows": rows})
        sizes = orjson.dumps([[id_, len(doc.raw)] for id_, doc in docs.items()])
        body = b"".join(doc.raw for doc in docs.values())
        write_atomic(self.path, MAGIC, [meta, sizes, body], sync_dir=sync_dir)
        self.seq = seq
        self.dirty = False


def read_rows(path: str) -> dict:
    """The catalog frame of a saved partition: ``{key, seq, rows}``."""
    return orjson.loads(read_snapshot(path, MAGIC, 1)[0])


def load_partition(key: str, path: str) -> Partition:
    """Load a saved partition with its documents (the file must exist)."""
    meta, sizes, body = read_snapshot(path, MAGIC, 3)
    docs, at = {}, 0
    for id_, size in orjson.loads(sizes):
        docs[id_] = EncodedDoc(body[at:at + size])
        at += size
    if at != len(body):
        raise StoreCorrupt(path, 0, f"documents take {len(body)} bytes, their sizes {at}")
    return Partition(key, path, orjson.loads(meta)["seq"], docs)
