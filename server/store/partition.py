"""A partition: one small TinyDB database of documents, saved as one atomic file.

TinyDB rewrites a whole database on every write, so its cost grows with what
the database holds. We keep that cost bounded by keeping each TinyDB small:
records are split into partitions (results by site and month, small
collections whole), and every write touches only its own partitions.

TinyDB's in-place ``JSONStorage`` is not crash-safe, so a partition's
TinyDB runs on ``ResidentStorage`` (the data lives in memory; durability comes
from the journal) and is saved by ``save()`` as a snapshot file written
atomically. A snapshot holds two frames: the catalog rows of the partition
(small, read for every partition at startup) and the documents (read only
when the partition is first needed).

Record ids are our own strings, used directly as TinyDB document ids
(``StrIdTable``): TinyDB's integer ids are reused after a restart and are
never exposed.
"""
from __future__ import annotations

from typing import Iterable, Mapping
from urllib.parse import quote

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from .framing import read_snapshot, write_atomic

MAGIC = b"FIELDSYNC-PARTITION 1\n"
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


class StrIdTable(Table):
    """A TinyDB table whose document ids are our record ids (strings)."""

    document_id_class = str


class _PartitionDB(TinyDB):
    table_class = StrIdTable


def partition_filename(key: str) -> str:
    """A filesystem-safe, reversible file name for a partition key."""
    return quote(key, safe="") + ".part"


class Partition:
    """The documents of one partition, kept in a TinyDB table."""

    def __init__(self, key: str, path: str, seq: int = 0, docs: dict | None = None):
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

    def apply(self, puts: Mapping[str, Mapping], deletes: Iterable[str]) -> None:
        """Replace/insert ``puts`` and drop ``deletes``, in two TinyDB writes at most."""
        current = self._db.storage.data.get(TABLE, {})
        gone = [i for i in (*deletes, *puts) if i in current]
        if gone:
            self.table.remove(doc_ids=gone)
        if puts:
            self.table.insert_multiple(Document(doc, doc_id=id) for id, doc in puts.items())
        self.dirty = True

    def save(self, rows: list, seq: int, *, sync_dir: bool = True) -> None:
        """Write rows + documents atomically; afterwards the partition is clean at ``seq``."""
        meta = orjson.dumps({"key": self.key, "seq": seq, "rows": rows})
        docs = orjson.dumps(self._db.storage.data.get(TABLE, {}))
        write_atomic(self.path, MAGIC, [meta, docs], sync_dir=sync_dir)
        self.seq = seq
        self.dirty = False


def read_rows(path: str) -> dict:
    """The catalog frame of a saved partition: ``{key, seq, rows}``."""
    return orjson.loads(read_snapshot(path, MAGIC, 1)[0])


def load_partition(key: str, path: str) -> Partition:
    """Load a saved partition with its documents (the file must exist)."""
    meta, docs = read_snapshot(path, MAGIC, 2)
    return Partition(key, path, orjson.loads(meta)["seq"], orjson.loads(docs))
