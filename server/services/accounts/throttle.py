"""Slowing down password guessing: per (username, client address) backoff.

After ``free_failures`` wrong passwords in a row, each further attempt for
the same username from the same address is refused for an exponentially
growing time (``base_seconds`` doubling up to ``max_seconds``) -- even with
the right password, so a guesser cannot probe during the lock-out. A success
clears the record. State is in memory: the server is one process and a
restart merely forgives.

Memory is bounded: records idle for ``forget_after`` seconds are dropped,
and past ``max_entries`` the oldest go first.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from typing import Callable

from server.services.errors import Throttled


class LoginThrottle:
    """Counts failed logins per key and says how long a key must wait."""

    def __init__(self, *, free_failures: int = 5, base_seconds: float = 2.0,
                 max_seconds: float = 900.0, forget_after: float = 3600.0,
                 max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.free_failures = free_failures
        self.base_seconds = base_seconds
        self.max_seconds = max_seconds
        self.forget_after = forget_after
        self.max_entries = max_entries
        self.clock = clock
        self._lock = threading.Lock()
        # key -> (failures in a row, time of the last failure)
        self._failures: OrderedDict[tuple[str, str], tuple[int, float]] = OrderedDict()

    def check(self, username: str, address: str) -> None:
        """Raise ``Throttled`` if this key must still wait."""
        wait = self.retry_after(username, address)
        if wait > 0:
            raise Throttled(f"too many failed logins; try again in {wait} s", retry_after=wait)

    def retry_after(self, username: str, address: str) -> int:
        """Whole seconds this key must wait (0: may try now)."""
        with self._lock:
            entry = self._failures.get(self._key(username, address))
            if entry is None:
                return 0
            failures, last = entry
            remaining = last + self._delay(failures) - self.clock()
            return math.ceil(remaining) if remaining > 0 else 0

    def failed(self, username: str, address: str) -> None:
        """Count one failed attempt."""
        now = self.clock()
        key = self._key(username, address)
        with self._lock:
            failures, _ = self._failures.pop(key, (0, now))
            self._failures[key] = (failures + 1, now)
            self._forget_old(now)

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop(self._key(username, address), None)

    def _delay(self, failures: int) -> float:
        if failures < self.free_failures:
            return 0.0
        return min(self.max_seconds, self.base_seconds * 2 ** (failures - self.free_failures))

    def _forget_old(self, now: float) -> None:
        # Entries are kept in order of last failure, so the stale ones are in front.
        while self._failures:
            key, (_, last) = next(iter(self._failures.items()))
            if len(self._failures) <= self.max_entries and now - last < self.forget_after:
                break
            del self._failures[key]

    @staticmethod
    def _key(username: str, address: str) -> tuple[str, str]:
        return (username.casefold(), address)
