"""One process at a time per device data dir.

Each local file is rewritten whole from the process's memory, so two
processes on one data dir (a scheduled ``sync`` and an inspector's ``fill``)
would overwrite each other's writes -- a queued inspection could vanish.
A ``flock`` on ``<data dir>/.lock`` serialises them: the second one waits
(up to a timeout) and then reads the files fresh. The OS drops the lock
when a process dies, so a crash never leaves the dir locked.
"""
from __future__ import annotations

import fcntl
import os
import time

from .errors import DeviceError


class DataDirBusy(DeviceError):
    """Another process kept the data dir longer than we were willing to wait."""


class DirLock:
    def __init__(self, data_dir: str, *, timeout: float):
        self.path = os.path.join(data_dir, ".lock")
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self._fd)
                    self._fd = None
                    raise DataDirBusy(f"another fieldsync device process is using {data_dir}; "
                                      "try again when it has finished") from None
                time.sleep(0.05)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
