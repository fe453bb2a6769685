"""Checkpoints of the JournalStore, written by a thread that does not hold the store lock.

A checkpoint starts a new journal and copies each dirty partition's changes
under the lock (``_begin_checkpoint``), writes the partition files without
it (``CheckpointJob.write``), then names them and the new journal in the
manifest under the lock again (``_publish``).

Why a separate thread: writing the partition files costs about as much
kernel time as the commits it saves (every byte goes to the journal first,
then to its partition), plus an fsync per file. Inside a commit that would
stall the push that happened to cross the threshold for the whole write;
beside the commits it overlaps with them on another core.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field

from .catalog import entry_row
from .framing import fsync_dir
from .journal_files import create_journal, journal_path, remove_journals_before
from .partition import PendingSave

log = logging.getLogger(__name__)


@dataclass
class CheckpointJob:
    """The saves of every partition dirty at ``seq``; ``gen`` is the journal that follows them."""

    seq: int
    gen: int
    saves: list[PendingSave]
    written: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    published: bool = False  # the manifest names ``gen``: older journals may go

    def write(self, parts_dir: str) -> None:
        """Write every partition file and their directory; keep the error, never raise."""
        try:
            for pending in self.saves:
                pending.write()
            fsync_dir(parts_dir)
        except BaseException as exc:  # handed to whoever publishes the job
            self.error = exc
        finally:
            self.written.set()


class CheckpointMixin:
    """The checkpoint half of ``JournalStore``: start, write beside the commits, publish.

    Everything here but ``CheckpointJob.write`` runs under the store lock.
    """

    def checkpoint(self) -> None:
        """Save every change so far and publish it before returning (close, GC, tests).

        Raises ``OSError`` if the partitions cannot be written; the journals
        still hold every commit and the next checkpoint retries.
        """
        with self._lock:
            self._settle()
            job = self._begin_checkpoint()
            job.write(os.path.join(self.root, "parts"))
            self._publish(job)
            self._remove_covered_journals(job)
            if job.error is not None:
                raise job.error

    def _checkpoint_in_background(self) -> None:
        try:
            job = self._begin_checkpoint()
        except OSError:
            log.exception("checkpoint not started; the journal still holds every commit")
            self._retry_at = time.monotonic() + 1.0
            return
        self._saver = threading.Thread(target=self._write_and_publish, args=(job,),
                                       name="fieldsync-checkpoint", daemon=True)
        self._saver.start()

    def _write_and_publish(self, job: CheckpointJob) -> None:
        job.write(os.path.join(self.root, "parts"))  # without the lock: commits go on
        with self._lock:
            self._publish(job)
        self._remove_covered_journals(job)  # unlinking 64 MB takes a while: not under the lock

    def _remove_covered_journals(self, job: CheckpointJob) -> None:
        if job.published:
            try:
                remove_journals_before(self.root, job.gen)
            except OSError:  # harmless: startup removes them
                log.warning("journals before %d not removed", job.gen, exc_info=True)

    def _begin_checkpoint(self) -> CheckpointJob:
        """Start a new journal and copy each dirty partition's changes (under the lock)."""
        new_gen = self._gen + 1
        create_journal(self.root, new_gen)
        fd = os.open(journal_path(self.root, new_gen), os.O_WRONLY | os.O_APPEND)
        os.close(self._fd)
        self._fd, self._gen = fd, new_gen
        self._older_bytes += self._journal_size
        self._journal_size = 0
        seq, entries = self._catalog.last_seq, self._catalog.entries
        saves = []
        for part in [p for p in self._parts.values() if p.dirty]:
            collection = part.key.split("/", 1)[0]
            saves.append(part.begin_save(
                seq, lambda ids, c=collection: [entry_row(c, i, entries[(c, i)]) for i in ids],
                self._chunks.members.get(part.key, ())))
        self._job = CheckpointJob(seq, new_gen, saves)
        return self._job

    def _settle(self) -> None:
        """Wait for the checkpoint being written, if any, and publish it (under the lock)."""
        if self._job is not None:
            self._job.written.wait()
            self._publish(self._job)

    def _publish(self, job: CheckpointJob) -> None:
        """Name the written partitions and the new journal in the manifest (under the lock).

        If writing failed, the partitions take their changes back and nothing
        on disk changes: the manifest still names the older journal, which
        holds them.
        """
        if job is not self._job:
            return  # already published by ``_settle``
        self._job = None
        for pending in job.saves:
            pending.part.finish_save(pending, job.error is None)
            if job.error is None:
                self._saved[pending.part.key] = job.seq
        if job.error is None:
            try:
                self._write_manifest(journal=job.gen)
            except OSError as exc:
                job.error = exc
            else:
                self._base_gen, self._older_bytes, job.published = job.gen, 0, True
        if job.error is not None:
            log.error("checkpoint failed; the journals still hold every commit",
                      exc_info=job.error)
            self._retry_at = time.monotonic() + 1.0
