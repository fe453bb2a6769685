"""TinyDB on an atomic, fsync'ed JSON file, with batched writes.

TinyDB's own ``JSONStorage`` rewrites its file in place (seek, write,
truncate): a crash mid-write leaves a file that cannot be read, and the
device's unsent inspections with it. ``AtomicJSONStorage`` writes a temp
file, fsyncs it, ``os.replace``s it over the old one and fsyncs the
directory, so after a crash the file is either the old state or the new one.

``LocalDB.batch()`` turns every TinyDB write inside it into one file write
at the end (or none, if the block raised): a pulled page and its cursors,
or a push result and the outbox entries it drops, land together.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from .errors import DeviceError


def fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: str, data: bytes, *, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` so a crash leaves the old or the new bytes, never a mix."""
    tmp = f"{path}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(os.path.dirname(os.path.abspath(path)))


class AtomicJSONStorage(Storage):
    """Holds the whole (small) database in memory; each flush is one atomic file write."""

    def __init__(self, path: str):
        self.path = path
        self._depth = 0
        self._dirty = False
        self._data = self._load()

    def _load(self) -> dict | None:
        try:
            with open(self.path, "rb") as fh:
                raw = fh.read()
        except FileNotFoundError:
            return None
        try:
            return orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError:
            # never overwrite it: it may hold unsent inspections someone can recover
            raise DeviceError(f"{self.path} is damaged and cannot be read; it was left "
                              "untouched -- copy it aside before starting over") from None

    def read(self):
        return self._data

    def write(self, data) -> None:
        self._data = data
        if self._depth:
            self._dirty = True
        else:
            self._flush()

    def _flush(self) -> None:
        try:
            write_atomic(self.path, orjson.dumps(self._data))
        except BaseException:
            self._data = self._load()  # memory must never run ahead of the disk
            raise

    @contextmanager
    def deferred(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._dirty = False
                self._data = self._load()
            raise
        self._depth -= 1
        if self._depth == 0 and self._dirty:
            self._dirty = False
            self._flush()


class LocalDB:
    """A TinyDB file of the device; use ``batch()`` to make several writes one."""

    def __init__(self, path: str):
        self.path = path
        self._open()

    def _open(self) -> None:
        self.db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._storage: AtomicJSONStorage = self.db.storage

    def table(self, name: str):
        return self.db.table(name)

    def tables(self) -> set[str]:
        return self.db.tables()

    def drop_table(self, name: str) -> None:
        self.db.drop_table(name)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """All writes inside reach the disk together at the end, or not at all."""
        try:
            with self._storage.deferred():
                yield
        except BaseException:
            if self._storage._depth == 0:
                self._open()  # TinyDB caches tables and queries: drop what the failure left
            raise

    def get_meta(self, key: str, default=None):
        doc = self.db.table("meta").get(doc_id=1)
        return default if doc is None else doc.get(key, default)

    def set_meta(self, **values) -> None:
        meta = self.db.table("meta")
        if meta.get(doc_id=1) is None:
            meta.insert(values)
        else:
            meta.update(values, doc_ids=[1])
