"""One process per data directory, enforced by the OS.

``flock`` is released by the kernel when the owner dies (even by ``kill -9``),
so a crashed server never leaves a stale lock behind, and a second process
gets a clear refusal at once instead of corrupting the journal.
"""
from __future__ import annotations

import fcntl
import os

from .base import StoreLocked


class DirectoryLock:
    """An exclusive, non-blocking ``flock`` on a lock file; records the owner's pid."""

    def __init__(self, path: str, what: str | None = None):
        self.path = path
        what = what or os.path.dirname(path)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(self._fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(self._fd)
            self._fd = None
            raise StoreLocked(f"{what} is in use by another fieldsync server "
                              f"(pid {owner}); stop it or use another data dir") from None
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"{os.getpid()}\n".encode(), 0)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
