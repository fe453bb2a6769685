"""A content-addressed, resumable file store for photos (tus 1.0 semantics, Flask-free).

Layout under ``root``::

    partial/<sha256>.part   bytes received so far; its size *is* the offset,
                            so the offset survives restarts with no metadata
    partial/<sha256>.len    the declared total length of that upload
    <sha[:2]>/<sha256>      a complete photo, published only after its
                            bytes were fsync'ed and hashed to its name

Why it is built this way: memory stays flat in the file size (64 KiB
blocks in, 64 KiB blocks hashed); a photo is stored once however many
devices send it (the name is the content); every error leaves the upload as
it was, so a client can always resume from what ``status`` reports. A
per-hash ``flock`` on the part file makes two concurrent appends to one hash
impossible: the second gets ``UploadBusy`` (409) instead of interleaving.
"""
from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import os
import re
import time
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterable

from server.durable_files import fsync_path as fsync_dir

from .errors import (ChecksumMismatch, HashMismatch, InvalidUpload, LengthMismatch,
                     OffsetMismatch, UploadBusy, UploadNotFound, UploadTooLarge)

BLOCK = 64 * 1024
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class UploadState:
    sha256: str
    state: str  # "complete" | "partial" | "absent"
    offset: int
    length: int | None = None
    completed_now: bool = False  # this very append published the photo

    def to_dict(self) -> dict:
        body = {"state": self.state}
        if self.state == "partial":
            body["offset"] = self.offset
        return body


#: tus checksum extension: the algorithms a chunk's ``Upload-Checksum`` may use,
#: with their digest sizes (``Tus-Checksum-Algorithm`` lists these names).
CHECKSUM_ALGORITHMS = {"sha1": 20, "sha256": 32, "md5": 16}


def parse_checksum(header: str) -> tuple[str, bytes]:
    """``Upload-Checksum: <algorithm> <base64>`` -> (algorithm, expected digest bytes)."""
    algo, _, encoded = header.strip().partition(" ")
    algo = algo.lower()
    if algo not in CHECKSUM_ALGORITHMS:
        raise InvalidUpload(f"unsupported checksum algorithm {algo!r}; use one of "
                            f"{', '.join(CHECKSUM_ALGORITHMS)}")
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidUpload("checksum is not valid base64") from None
    if len(digest) != CHECKSUM_ALGORITHMS[algo]:
        raise InvalidUpload(f"a {algo} checksum is {CHECKSUM_ALGORITHMS[algo]} bytes")
    return algo, digest


class UploadStore:
    def __init__(self, root: str, *, max_bytes: int = DEFAULT_MAX_BYTES):
        self.root = os.path.abspath(root)
        self.max_bytes = max_bytes
        self._partial = os.path.join(self.root, "partial")
        os.makedirs(self._partial, exist_ok=True)

    # -- paths -----------------------------------------------------------------
    def path(self, sha256: str) -> str:
        """Where a complete photo lives (whether or not it exists yet)."""
        _check_hash(sha256)
        return os.path.join(self.root, sha256[:2], sha256)

    def _part(self, sha256: str) -> str:
        return os.path.join(self._partial, sha256 + ".part")

    def _declared(self, sha256: str) -> str:
        return os.path.join(self._partial, sha256 + ".len")

    # -- queries ---------------------------------------------------------------
    def status(self, sha256: str, *, dedup: bool = True) -> UploadState:
        """Where an upload of ``sha256`` stands.

        ``dedup=False``: as if the complete photo were not here, for a caller
        who must prove they have the bytes (``sync.photo_access``): the state
        of the part file they are sending.
        """
        final = self.path(sha256)
        if dedup and os.path.exists(final):
            size = os.path.getsize(final)
            return UploadState(sha256, "complete", size, size)
        try:
            size = os.path.getsize(self._part(sha256))
        except FileNotFoundError:
            return UploadState(sha256, "absent", 0)
        return UploadState(sha256, "partial", size, self._read_declared(sha256))

    def query(self, hashes: Iterable[str]) -> dict[str, dict]:
        """``{sha256: {"state": complete|absent} | {"state": "partial", "offset": n}}``."""
        return {h: self.status(h).to_dict() for h in hashes}

    def complete_among(self, hashes: Iterable[str]) -> set[str]:
        return {h for h in hashes if os.path.exists(self.path(h))}

    def _read_declared(self, sha256: str) -> int | None:
        try:
            with open(self._declared(sha256), "rb") as fh:
                return int(fh.read().decode())
        except (FileNotFoundError, ValueError):
            return None

    # -- create / append -------------------------------------------------------
    def create(self, sha256: str, upload_length: int, *, dedup: bool = True) -> UploadState:
        """Start (or find) the upload of ``sha256`` with its total length (tus creation).

        Idempotent: the same photo created again is the same upload at its
        current offset, so a client that lost the answer resumes instead of
        starting a duplicate. A different length for a started upload is a
        ``LengthMismatch`` (the name fixes the content, so also its length).
        """
        _check_hash(sha256)
        self._check_length(upload_length)
        if dedup and os.path.exists(self.path(sha256)):
            return self.status(sha256)
        fd = self._lock_part(sha256)
        try:
            declared = self._read_declared(sha256)
            size = os.fstat(fd).st_size
            if declared is not None and declared != upload_length:
                raise LengthMismatch(f"upload was started with length {declared}, "
                                     f"not {upload_length}", offset=size)
            if declared is None:
                self._write_declared(sha256, upload_length)
                fsync_dir(self._partial)
            return UploadState(sha256, "partial", size, upload_length)
        finally:
            os.close(fd)

    def _check_length(self, upload_length: int) -> None:
        if upload_length < 1:
            raise InvalidUpload("upload length must be positive")
        if upload_length > self.max_bytes:
            raise UploadTooLarge(f"a photo may be at most {self.max_bytes} bytes")

    def append(self, sha256: str, offset: int, stream: BinaryIO, length: int, *,
               upload_length: int | None = None, chunk_checksum: str | None = None,
               dedup: bool = True,
               on_verified: Callable[[], None] | None = None) -> UploadState:
        """Append ``length`` bytes of ``stream`` at ``offset`` of a ``upload_length`` upload.

        ``upload_length`` None: the length given when the upload was created
        (``UploadNotFound`` when it never was); given, it must equal that one
        and starts the upload when none exists (the device client's way).
        Without a checksum a cut connection keeps what arrived (the returned
        offset tells how much); with one, anything but the exact chunk is
        truncated away (``ChecksumMismatch``). When the upload reaches its
        length it is hashed and published, or removed on mismatch.
        ``dedup=False`` receives the bytes even when the photo is already
        here (a proof of possession): verified the same way, then they replace
        the identical copy. ``on_verified`` runs once the whole file hashed
        right and before it is published (to record who sent it); if it
        raises, nothing is published and the complete part stays for a retry.
        """
        _check_hash(sha256)
        if length < 0 or offset < 0:
            raise InvalidUpload("offset and length must be non-negative")
        if upload_length is not None:
            self._check_length(upload_length)
        expected = parse_checksum(chunk_checksum) if chunk_checksum is not None else None
        if dedup and os.path.exists(self.path(sha256)):
            return self.status(sha256)  # already here (maybe from another device)
        if upload_length is None and not os.path.exists(self._part(sha256)):
            raise UploadNotFound("no upload of this photo: create it first (POST with "
                                 "Upload-Length and Upload-Metadata)")
        existed = os.path.exists(self._part(sha256))
        fd = self._lock_part(sha256)
        try:
            if dedup and os.path.exists(self.path(sha256)):
                return self.status(sha256)
            size = os.fstat(fd).st_size
            declared = self._read_declared(sha256)
            if upload_length is None:
                if declared is None:
                    raise UploadNotFound("this upload has no length: create it again",
                                         offset=size)
                upload_length = declared
            if declared is not None and declared != upload_length:
                raise LengthMismatch(f"upload was started with length {declared}, "
                                     f"not {upload_length}", offset=size)
            if offset != size:
                raise OffsetMismatch(f"upload is at offset {size}, not {offset}", offset=size)
            if offset + length > upload_length:
                raise UploadTooLarge(f"{offset}+{length} bytes exceed the declared length "
                                     f"{upload_length}", offset=size)
            if declared is None:
                self._write_declared(sha256, upload_length)
            received = self._receive(fd, offset, stream, length, expected)
            end = offset + received
            if end == upload_length:
                self._publish(fd, sha256, on_verified)
                return UploadState(sha256, "complete", end, end, completed_now=True)
            return UploadState(sha256, "partial", end, upload_length)
        except BaseException:
            if not existed and os.fstat(fd).st_size == 0:
                self._discard(sha256)  # a refused first request leaves no trace
            raise
        finally:
            os.close(fd)

    def _lock_part(self, sha256: str) -> int:
        """Open and exclusively lock the part file of ``sha256``, or raise UploadBusy."""
        path = self._part(sha256)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise UploadBusy("another request is uploading this photo") from None
        try:
            # The path may have been published or removed while we opened it:
            # never write into an inode that is no longer the part file.
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current != os.fstat(fd).st_ino:
            os.close(fd)
            raise UploadBusy("the upload changed under this request; retry")
        return fd

    def _write_declared(self, sha256: str, upload_length: int) -> None:
        tmp = self._declared(sha256) + ".tmp"
        with open(tmp, "wb") as fh:
            fh.write(str(upload_length).encode())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self._declared(sha256))

    def _receive(self, fd: int, offset: int, stream: BinaryIO, length: int,
                 expected: tuple[str, bytes] | None) -> int:
        """Stream the chunk into the part file; return how many bytes were kept.

        ``expected``: the chunk's (checksum algorithm, digest), checked before
        anything of the chunk is kept."""
        hasher = hashlib.new(expected[0]) if expected is not None else None
        os.lseek(fd, offset, os.SEEK_SET)
        remaining = length
        try:
            while remaining:
                block = stream.read(min(BLOCK, remaining))
                if not block:
                    break
                view = memoryview(block)
                while view:
                    view = view[os.write(fd, view):]
                if hasher is not None:
                    hasher.update(block)
                remaining -= len(block)
        except OSError:
            if hasher is not None:
                self._truncate(fd, offset)
                raise ChecksumMismatch("the chunk was cut off; it was not kept",
                                       offset=offset) from None
            # tus: keep what arrived; the client resumes from the file size.
        if hasher is not None and (remaining or hasher.digest() != expected[1]):
            self._truncate(fd, offset)
            raise ChecksumMismatch("the chunk does not match its Upload-Checksum",
                                   offset=offset)
        os.fsync(fd)
        return length - remaining

    @staticmethod
    def _truncate(fd: int, offset: int) -> None:
        os.ftruncate(fd, offset)
        os.fsync(fd)

    def _publish(self, fd: int, sha256: str, on_verified: Callable[[], None] | None) -> None:
        """Verify the whole file hashes to its name, then make it visible atomically."""
        hasher = hashlib.sha256()
        os.lseek(fd, 0, os.SEEK_SET)
        while block := os.read(fd, BLOCK):
            hasher.update(block)
        if hasher.hexdigest() != sha256:
            self._discard(sha256)
            raise HashMismatch("the uploaded bytes do not hash to the photo's name; "
                               "start again from offset 0", offset=0)
        if on_verified is not None:
            on_verified()
        final = self.path(sha256)
        os.makedirs(os.path.dirname(final), exist_ok=True)
        os.replace(self._part(sha256), final)
        fsync_dir(os.path.dirname(final))
        self._remove(self._declared(sha256))
        fsync_dir(self._partial)

    def expire_partials(self, max_age_seconds: float, *, now: float | None = None) -> list[str]:
        """Remove uploads idle longer than ``max_age_seconds``; return their hashes.

        An upload being appended to right now is locked and skipped.
        """
        now = time.time() if now is None else now
        expired = []
        for name in os.listdir(self._partial):
            if not name.endswith(".part"):
                continue
            sha256 = name[:-len(".part")]
            try:
                if now - os.path.getmtime(os.path.join(self._partial, name)) <= max_age_seconds:
                    continue
                fd = self._lock_part(sha256)
            except (UploadBusy, FileNotFoundError):
                continue
            try:
                self._discard(sha256)
                expired.append(sha256)
            finally:
                os.close(fd)
        return expired

    def _discard(self, sha256: str) -> None:
        self._remove(self._part(sha256))
        self._remove(self._declared(sha256))
        fsync_dir(self._partial)

    @staticmethod
    def _remove(path: str) -> None:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def _check_hash(sha256: str) -> None:
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise InvalidUpload("a photo is named by its sha256: 64 lowercase hex digits")
