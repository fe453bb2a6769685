"""Photos waiting to be uploaded: files named by their sha256 plus a small queue file.

``add`` copies the photo into the device's own directory first (atomic
copy, fsync'ed), then records it in the queue: the original on a memory
card may be moved or deleted, the evidence the result cites must not be.
The queue remembers how many bytes the server confirmed, for ``status``
and progress bars; the server's offset (HEAD / query) stays the truth when
resuming.
"""
from __future__ import annotations

import hashlib
import os

from tinydb import Query

from .errors import InvalidInput
from .outbox import now_text
from .storage import LocalDB, fsync_dir

PHOTOS = "photos"
QUEUED, COMPLETE, FAILED = "queued", "complete", "failed"
_BLOCK = 1 << 20
_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def sniff_content_type(head: bytes) -> str | None:
    """The content type of a JPEG, PNG or WebP from its first bytes; None otherwise."""
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def hash_file(path: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


class PhotoQueue:
    def __init__(self, path: str, files_dir: str):
        self.db = LocalDB(path)
        self.files_dir = files_dir
        os.makedirs(files_dir, exist_ok=True)

    def file_path(self, sha256: str) -> str:
        return os.path.join(self.files_dir, sha256)

    @staticmethod
    def describe(source: str) -> dict:
        """``{sha256, size, content_type}`` of a photo file, or ``InvalidInput`` naming it."""
        try:
            with open(source, "rb") as fh:
                head = fh.read(16)
            content_type = sniff_content_type(head)
            if content_type is None:
                raise InvalidInput(f"photo {source} is not a JPEG, PNG or WebP image")
            sha256, size = hash_file(source)
            if size == 0:
                raise InvalidInput(f"photo {source} is empty")
        except OSError as exc:
            raise InvalidInput(f"cannot read photo {source}: {exc.strerror}") from None
        return {"sha256": sha256, "size": size, "content_type": content_type}

    def add(self, source: str, described: dict) -> None:
        """Copy ``source`` (as ``describe``d) into the device dir, then queue it."""
        sha256 = described["sha256"]
        self._copy_in(source, sha256)
        table = self.db.table(PHOTOS)
        if not table.contains(Query().sha256 == sha256):
            table.insert({**described, "sent": 0, "state": QUEUED, "error": None,
                          "added_at": now_text()})

    def _copy_in(self, source: str, sha256: str) -> None:
        target = self.file_path(sha256)
        if os.path.exists(target) and hash_file(target)[0] == sha256:
            return
        tmp = target + ".tmp"
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            while block := src.read(_BLOCK):
                dst.write(block)
            dst.flush()
            os.fsync(dst.fileno())
        if hash_file(tmp)[0] != sha256:  # the file changed while we read it
            os.unlink(tmp)
            raise InvalidInput(f"photo {source} changed while it was copied; try again")
        os.replace(tmp, target)
        fsync_dir(self.files_dir)

    def queued(self) -> list[dict]:
        return sorted(self.db.table(PHOTOS).search(Query().state != COMPLETE),
                      key=lambda p: p["added_at"])

    def all(self) -> list[dict]:
        return sorted(self.db.table(PHOTOS).all(), key=lambda p: p["added_at"])

    def get(self, sha256: str) -> dict | None:
        return self.db.table(PHOTOS).get(Query().sha256 == sha256)

    def requeue(self, hashes) -> int:
        """Queue again photos the server says it lacks (e.g. restored from a backup)."""
        again = 0
        for sha256 in hashes:
            photo = self.get(sha256)
            if photo and photo["state"] == COMPLETE and os.path.exists(self.file_path(sha256)):
                self.mark(sha256, state=QUEUED, sent=0)
                again += 1
        return again

    def mark(self, sha256: str, **fields) -> None:
        self.db.table(PHOTOS).update(fields, Query().sha256 == sha256)
