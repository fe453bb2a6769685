"""JournalStore: the embedded default backend -- TinyDB partitions made durable and flat.

How a commit works (under one lock, so commits are serialised):

1. the batch is checked (nothing is written for a batch that cannot apply);
2. it is framed with its first seq and appended to the journal with one
   ``write`` and an ``fsync`` -- the seqs and the data become durable in the
   same step, and only then is the commit acknowledged;
3. it is applied to the in-memory TinyDB partitions and the catalog.

Every so often (journal past ``checkpoint_bytes``, or too many unsaved
documents) a checkpoint starts a fresh journal and copies what changed in
each dirty partition; a background thread writes the partition files, and
only then does the manifest name the new journal (``journal_files``). Commits
go on meanwhile: the checkpoint's file writes and fsyncs -- about as many
bytes as the commits themselves -- are off the push path. Startup reads the
catalog frame of every saved partition, then replays the journals onto them
(skipping what a partition's file already holds); a torn tail is set aside
and dropped, damage anywhere else stops the store with the file and offset.

Records are placed in bounded *chunks* (``chunks.ChunkMap``), and a
checkpoint appends only what changed to each chunk's file, so neither
commits nor checkpoints cost more as the store grows.

Only the catalog (ids, seqs, index keys) is resident for every record;
document bodies are loaded a partition at a time and clean partitions are
evicted least-recently-used, so memory does not grow with document size.

Files under the store directory::

    LOCK                     flock'ed by the owning process
    MANIFEST                 first journal generation to replay + saved partitions
                             and their seqs, the epoch and the tombstone horizon
    journal-<gen>.log        frames of committed batches since the last checkpoint
                             (two generations while a checkpoint is being written)
    parts/<key>.part         one partition: segments of catalog rows + documents
"""
from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections import OrderedDict
from typing import Iterator, Sequence

import orjson

from .base import Delete, Put, Record, StoreCorrupt, StoreError, StoreUnavailable
from .catalog import PARTITION, make_entry
from .catalog_store import CatalogStore
from .checkpointing import CheckpointJob, CheckpointMixin
from .chunks import ChunkMap
from .dirlock import DirectoryLock
from .encoding import encode_document
from .framing import TornTail, encode_frame, iter_frames, read_snapshot, write_atomic
from .journal_files import create_journal, journal_path, journals_to_replay, set_aside_torn_tail
from .partition import Partition, load_partition, partition_filename
from .partition_file import read_partition_file

log = logging.getLogger(__name__)
MANIFEST_MAGIC = b"FIELDSYNC-MANIFEST 1\n"


def relax_gc() -> None:
    """Tune CPython's collector for a process that owns a JournalStore.

    The catalog is a few huge, long-lived containers (a million-entry dict,
    index and feed lists) that hold no cycles. Every full collection walks all
    their references -- measured ~0.25 s at 1M records, felt as listing stalls
    and commit jitter. Freezing what exists after startup takes it out of the
    collector's walks, and a higher oldest-generation threshold makes full
    collections rare; reference counting still frees everything as usual.
    """
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1000)


class JournalStore(CheckpointMixin, CatalogStore):
    """Durable store on a directory: journal + TinyDB partitions + resident catalog."""

    def __init__(self, root: str, *, cache_bytes: int = 128 << 20,
                 checkpoint_bytes: int = 64 << 20, chunk_docs: int = 256):
        self.root = os.path.abspath(root)
        self.cache_bytes = cache_bytes
        self.checkpoint_bytes = checkpoint_bytes
        self.fsync = os.fsync  # tests swap in a failing one to prove nothing is acknowledged
        os.makedirs(os.path.join(self.root, "parts"), exist_ok=True)
        self._dirlock = DirectoryLock(os.path.join(self.root, "LOCK"))
        super().__init__()
        self._parts: OrderedDict[str, Partition] = OrderedDict()
        self._saved: dict[str, int] = {}
        self._chunks = ChunkMap(chunk_docs)
        self._broken: str | None = None
        self._fd: int | None = None
        self._job: CheckpointJob | None = None   # the checkpoint being written, if any
        self._saver: threading.Thread | None = None
        self._retry_at = 0.0                      # after a failed checkpoint, not before this
        try:
            self._open()
        except BaseException:
            self._dirlock.release()
            raise

    # -- startup ---------------------------------------------------------------
    def _path(self, name: str) -> str:
        return os.path.join(self.root, name)

    def _part_path(self, key: str) -> str:
        return os.path.join(self.root, "parts", partition_filename(key))

    def _open(self) -> None:
        manifest = self._path("MANIFEST")
        if not os.path.exists(manifest):
            leftovers = [n for n in os.listdir(self.root) if n.startswith("journal-")]
            if leftovers or os.listdir(os.path.join(self.root, "parts")):
                raise StoreCorrupt(manifest, 0, "MANIFEST is missing but store files exist")
            self._base_gen = 1
            create_journal(self.root, 1)
            self._write_manifest()
        meta = orjson.loads(read_snapshot(manifest, MANIFEST_MAGIC, 1)[0])
        self._base_gen = meta["journal"]
        self._catalog.horizon = meta.get("horizon", 0)
        self._load_catalog(meta["partitions"])
        gens = journals_to_replay(self.root, self._base_gen)
        ends = [self._replay(journal_path(self.root, gen), last=gen == gens[-1]) for gen in gens]
        self._gen, self._journal_size = gens[-1], ends[-1]
        self._older_bytes = sum(ends[:-1])  # unsaved journal bytes in earlier generations
        self._fd = os.open(journal_path(self.root, self._gen), os.O_WRONLY | os.O_APPEND)
        if self._catalog.horizon:  # the journal may bring back purged tombstones
            self._forget(self._catalog.purge(self._catalog.horizon))
        if "epoch" in meta:
            self._epoch = meta["epoch"]
        else:  # a store made before epochs: its epoch starts now, saved at once
            self._write_manifest()

    def _load_catalog(self, partitions: dict) -> None:
        rows = []
        for key in partitions:
            path = self._part_path(key)
            if not os.path.exists(path):
                raise StoreCorrupt(path, 0, "partition named in MANIFEST is missing")
            saved = read_partition_file(path, read_docs=False, repair=True,
                                        expect_seq=partitions[key])
            self._saved[key] = saved.seq
            # A tombstone at or below the horizon was purged; its row may linger in a file.
            kept = [row for row in saved.rows.values()
                    if not (row[4] and row[2] <= self._catalog.horizon)]
            for row in kept:
                self._chunks.add(key, row[1])
            rows.extend(kept)
        rows.sort(key=lambda row: row[2])
        for collection, id_, seq, bucket, deleted, partition, index in rows:
            self._catalog.load_entry(collection, id_, make_entry(
                seq, bucket, deleted, partition, tuple(tuple(t) for t in index)))

    def _replay(self, path: str, *, last: bool) -> int:
        """Apply the journal's batches; return where its good frames end."""
        with open(path, "rb") as f:
            end = 0
            for frame in iter_frames(path, f):
                if isinstance(frame, TornTail):
                    if not last:  # commits were acknowledged after it, in the next journal
                        raise StoreCorrupt(path, frame.offset, f"torn frame ({frame.reason}) "
                                                               f"in a journal that is not the last")
                    set_aside_torn_tail(path, frame)
                    break
                offset, payload = frame
                batch = orjson.loads(payload)
                self._apply(batch["s"], [
                    [*row[:6], None if row[6] is None else encode_document(row[6])]
                    for row in batch["o"]], replay=True)
                end = offset + len(payload) + 8
        return end

    def _write_manifest(self, epoch: str | None = None, horizon: int | None = None, *,
                        journal: int | None = None) -> None:
        body = orjson.dumps({"format": 1, "journal": journal or self._base_gen,
                             "partitions": self._saved,
                             "epoch": epoch or self._epoch,
                             "horizon": self._catalog.horizon if horizon is None else horizon})
        write_atomic(self._path("MANIFEST"), MANIFEST_MAGIC, [body])

    # -- epoch and tombstone GC -------------------------------------------------
    def _save_meta(self, epoch: str, horizon: int) -> None:
        """The manifest is replaced atomically: the new epoch or horizon is all there or not.

        A purge needs nothing else on disk: at startup every tombstone at or
        below the saved horizon -- in a partition file or replayed from the
        journal -- is dropped again (``_open``).
        """
        self._write_manifest(epoch, horizon)

    def purge_tombstones(self, upto_seq, *, dry_run=False):
        with self._lock:
            if not dry_run and any(not p.evictable for p in self._parts.values()):
                # purged ids must not wait among a partition's unsaved changes:
                # the next checkpoint would look up their (gone) catalog rows
                self.checkpoint()
            return super().purge_tombstones(upto_seq, dry_run=dry_run)

    def _forget(self, gone: list) -> None:
        for (_, id_), entry in gone:
            self._chunks.discard(entry[PARTITION], id_)

    # -- applying batches ------------------------------------------------------
    def _partition(self, key: str) -> Partition:
        part = self._parts.get(key)
        if part is not None:
            self._parts.move_to_end(key)
            return part
        path = self._part_path(key)
        if key in self._saved:
            part = load_partition(key, path, self._saved[key])
        else:
            if os.path.exists(path):  # left by a checkpoint cut short; the journal has it all
                os.unlink(path)
            part = Partition(key, path)
        self._parts[key] = part
        return part

    def _apply(self, first: int, ops: list, *, replay: bool = False) -> None:
        """Apply a batch: ``[kind, collection, id, bucket, partition, index, json bytes]`` each."""
        grouped: dict[str, tuple[dict, list]] = {}
        for n, (kind, collection, id_, bucket, key, index, raw) in enumerate(ops):
            seq = first + n
            if replay and seq <= self._saved.get(key, 0):
                continue  # the partition's snapshot already holds this op
            puts, deletes = grouped.setdefault(key, ({}, []))
            if kind == "put":
                puts[id_] = raw
                op = Put(collection, id_, {}, bucket,
                         index={k: tuple(v) for k, v in index.items()})
            else:
                puts.pop(id_, None)
                deletes.append(id_)
                op = Delete(collection, id_)
            self._catalog.apply_op(op, seq, key)
            self._chunks.add(key, id_)
        for key, (puts, deletes) in grouped.items():
            self._partition(key).apply(puts, deletes)
        self._catalog.last_seq = max(self._catalog.last_seq, first + len(ops) - 1)

    def _commit(self, ops: Sequence) -> list[int]:
        if self._fd is None:
            raise StoreError("store is closed")
        if self._broken:
            raise StoreUnavailable(self._broken)
        self._catalog.check(ops)
        first = self._catalog.last_seq + 1
        encoded, placed, open_chunks = [], {}, {}
        try:
            for op in ops:
                if isinstance(op, Put):
                    entry = self._catalog.entries.get((op.collection, op.id))
                    key = self._chunks.place(op, placed.get((op.collection, op.id)) or (
                        entry[PARTITION] if entry else None), open_chunks)
                    placed[(op.collection, op.id)] = key
                    encoded.append(["put", op.collection, op.id, op.bucket, key,
                                    dict(op.index), encode_document(op.doc)])
                else:
                    key = placed.get((op.collection, op.id)) or \
                        self._catalog.entries[(op.collection, op.id)][PARTITION]
                    encoded.append(["del", op.collection, op.id, None, key, {}, None])
        except TypeError as exc:
            raise ValueError(f"document is not JSON-serialisable: {exc}") from None
        # Each document is encoded once: the journal embeds the bytes, memory keeps them.
        payload = orjson.dumps({"s": first, "o": [
            [*row[:6], None if row[6] is None else orjson.Fragment(row[6])] for row in encoded]})
        self._append(encode_frame(payload))
        try:
            self._apply(first, encoded)
        except Exception as exc:
            # Durable but not in memory: refuse further commits until a restart replays it.
            self._broken = f"commit {first} is in the journal but failed to apply: {exc!r}"
            log.exception(self._broken)
            raise StoreUnavailable(self._broken) from exc
        self._after_commit()
        return list(range(first, first + len(ops)))

    def _append(self, frame: bytes) -> None:
        """Write and fsync one frame, or leave the journal as it was and raise."""
        try:
            view = memoryview(frame)
            while view:
                view = view[os.write(self._fd, view):]
            self.fsync(self._fd)
        except OSError as exc:
            try:
                os.ftruncate(self._fd, self._journal_size)
                os.fsync(self._fd)
            except OSError as again:
                self._broken = f"journal cannot be written or repaired: {again}"
            raise StoreUnavailable(f"commit not durable: {exc}") from exc
        self._journal_size += len(frame)

    def _after_commit(self) -> None:
        if self._job is None and time.monotonic() >= self._retry_at:
            dirty = sum(p.nbytes for p in self._parts.values() if p.dirty)
            unsaved = self._journal_size + self._older_bytes
            if unsaved > self.checkpoint_bytes or dirty > self.cache_bytes // 2:
                self._checkpoint_in_background()
        self._evict()

    def _evict(self) -> None:
        """Drop least recently used clean partitions until the documents fit the cache."""
        loaded = sum(p.nbytes for p in self._parts.values())
        for key in list(self._parts):
            if loaded <= self.cache_bytes:
                break
            part = self._parts[key]
            if part.evictable:
                loaded -= part.nbytes
                del self._parts[key]

    # -- reads -----------------------------------------------------------------
    def _body(self, collection, id, entry):
        return self._partition(entry[PARTITION]).get(id)

    def _after_read(self) -> None:
        self._evict()

    def scan(self, collection) -> Iterator[Record]:
        with self._lock:
            keys = list(self._chunks.of_collection(collection))
        for key in keys:
            with self._lock:
                ids = sorted(self._chunks.members.get(key, ()))
                records = [self._record(collection, i, e) for i in ids
                           if (e := self._catalog.live(collection, i)) is not None]
                self._after_read()
            yield from records

    # -- lifetime --------------------------------------------------------------
    def close(self) -> None:
        saver = None
        try:
            with self._lock:
                if self._fd is None:
                    return
                saver = self._saver
                try:
                    self._settle()
                    if any(p.dirty for p in self._parts.values()) and not self._broken:
                        self.checkpoint()
                finally:
                    os.close(self._fd)
                    self._fd = None
        finally:
            if saver is not None:
                saver.join()  # it may still be removing journals: done before the next owner
            self._dirlock.release()

