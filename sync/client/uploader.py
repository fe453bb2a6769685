"""Resumable photo upload: query, resume at the server's offset, checksummed chunks.

The server's offset is the truth (anchors-sync §4.8): after any broken
connection the uploader asks ``HEAD`` where to continue instead of trusting
what it thinks it sent. Every chunk carries ``Upload-Checksum`` so a chunk
damaged or cut on the way is refused whole (460) and simply sent again.

A 413 for the *request* (a proxy or the server's body limit) halves the
chunk size and goes on. Failures that retrying cannot fix (the photo is
larger than the server takes, the declared length conflicts with an earlier
partial upload, the local copy no longer hashes to its name) mark that photo
``failed`` with the reason, visible in ``status``; they never stop the other
photos, and the next run tries a failed photo again.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable

from .api import ServerApi
from .errors import ServerUnreachable
from .photo_queue import COMPLETE, FAILED, PhotoQueue, hash_file

DEFAULT_CHUNK = 8 * 1024 * 1024
MIN_CHUNK = 64 * 1024
QUERY_BATCH = 500
Progress = Callable[[str, int, int], None]  # (sha256, bytes confirmed, total)


@dataclass
class UploadReport:
    completed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    bytes_sent: int = 0


class Uploader:
    def __init__(self, api: ServerApi, queue: PhotoQueue, *, chunk_size: int = DEFAULT_CHUNK,
                 checksum: bool = True, attempts: int = 8,
                 sleep: Callable[[float], None] = time.sleep):
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        self.api, self.queue = api, queue
        self.chunk_size, self.checksum = chunk_size, checksum
        self.attempts, self.sleep = attempts, sleep

    def run(self, progress: Progress | None = None) -> UploadReport:
        report = UploadReport()
        queued = self.queue.queued()
        states: dict[str, dict] = {}
        for start in range(0, len(queued), QUERY_BATCH):
            batch = [p["sha256"] for p in queued[start:start + QUERY_BATCH]]
            states.update(self.api.photo_query(batch))
        for photo in queued:
            sha256 = photo["sha256"]
            state = states.get(sha256, {"state": "absent"})
            if state["state"] == "complete":
                self._complete(photo, report, progress)
                continue
            offset = state.get("offset", 0) if state["state"] == "partial" else 0
            self._upload(photo, offset, report, progress)
        return report

    def _complete(self, photo: dict, report: UploadReport, progress: Progress | None) -> None:
        self.queue.mark(photo["sha256"], state=COMPLETE, sent=photo["size"], error=None)
        report.completed.append(photo["sha256"])
        if progress:
            progress(photo["sha256"], photo["size"], photo["size"])

    def _fail(self, photo: dict, reason: str, report: UploadReport) -> None:
        self.queue.mark(photo["sha256"], state=FAILED, error=reason)
        report.failed[photo["sha256"]] = reason

    def _upload(self, photo: dict, offset: int, report: UploadReport,
                progress: Progress | None) -> None:
        sha256, total = photo["sha256"], photo["size"]
        path = self.queue.file_path(sha256)
        failures = restarts = 0
        with open(path, "rb") as fh:
            while True:
                if offset > total:
                    return self._complete(photo, report, progress)
                # At offset == total an empty chunk is sent: the server answers with
                # `Photo-State` once the photo is published *and* checked (it may have
                # put the check off with a 503; HEAD and query then say offset == total).
                self.queue.mark(sha256, sent=offset)
                if progress:
                    progress(sha256, offset, total)
                fh.seek(offset)
                chunk = fh.read(min(self.chunk_size, total - offset))
                try:
                    answer = self.api.photo_patch(sha256, offset, total, chunk,
                                                  checksum=self.checksum)
                except ServerUnreachable:
                    failures += 1
                    if failures >= self.attempts:
                        raise
                    self._backoff(failures)
                    offset = self._server_offset(sha256, failures)
                    continue
                status = answer.status
                if status == 200 or (status == 204 and answer.header("Photo-State")):
                    # complete (tus: 204 telling Photo-State; servers before tus: 200)
                    report.bytes_sent += len(chunk)
                    self._complete(photo, report, progress)
                    return
                if status == 204:
                    new_offset = answer.header_int("Upload-Offset")
                    report.bytes_sent += len(chunk)
                    offset = new_offset if new_offset is not None else offset + len(chunk)
                    failures = 0
                    continue
                failures += 1
                if failures >= self.attempts:
                    return self._fail(photo, f"gave up after HTTP {status}", report)
                body = answer.body if isinstance(answer.body, dict) else {}
                if status == 409:  # wrong offset (take the server's) or busy (wait)
                    if body.get("error") == "upload_busy":
                        self._backoff(failures)
                    offset = body["offset"] if isinstance(body.get("offset"), int) \
                        else self.api.photo_offset(sha256)
                elif status == 460:  # the chunk was damaged on the way: send it again
                    continue
                elif status == 422 and body.get("error") == "hash_mismatch":
                    restarts += 1
                    if restarts > 1 or hash_file(path)[0] != sha256:
                        return self._fail(photo, "the local copy does not hash to its name",
                                          report)
                    offset = 0
                elif status == 413 and body.get("error") != "too_large" \
                        and self.chunk_size > MIN_CHUNK:
                    # the request, not the photo, was too big for the server: smaller chunks
                    self.chunk_size = max(MIN_CHUNK, self.chunk_size // 2)
                    failures -= 1
                elif status == 413:
                    return self._fail(photo, body.get("message", "too large for the server"),
                                      report)
                else:
                    return self._fail(photo, f"HTTP {status}: {body.get('message', '')}",
                                      report)

    def _server_offset(self, sha256: str, failures: int) -> int:
        """HEAD after a broken connection, itself retried while the link stays down."""
        while True:
            try:
                return self.api.photo_offset(sha256)
            except ServerUnreachable:
                failures += 1
                if failures >= self.attempts:
                    raise
                self._backoff(failures)

    def _backoff(self, failures: int) -> None:
        """Exponential backoff with full jitter, capped at 30 s."""
        self.sleep(random.uniform(0, min(30.0, 0.25 * 2 ** failures)))
