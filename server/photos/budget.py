"""A memory budget shared by every image decode and render of one server.

Why: a 50 MP RGBA PNG is ~200 KB on the wire but 200 MB once decoded, so eight
parallel uploads took a server from 79 MB to 3.6 GB. Each decode reserves what
its pixels will take (``width × height × bytes per pixel``, read from the
header before any pixel is decoded) and waits, first come first served, until
the budget has room. A caller that waited ``wait_seconds`` in vain gets
``DecodeBusy``, which the API answers with 503 and ``Retry-After``.

An image larger than the whole budget is not refused (the photo is evidence
and the limit is the server's, not the device's): it waits until nothing else
is reserved and is then decoded alone.

``reserved``, ``peak`` and ``wait_for_waiters`` let tests and benchmarks
synchronise on the budget itself instead of on time.
"""
from __future__ import annotations

import threading
from collections import deque
from contextlib import contextmanager
from itertools import count
from typing import Iterator


class DecodeBusy(Exception):
    """The decode budget stayed spent for the whole wait; try again later."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class DecodeBudget:
    """At most ``total_bytes`` of decoded pixels at once, in arrival order."""

    def __init__(self, total_bytes: int, *, wait_seconds: float = 30.0):
        if total_bytes < 1:
            raise ValueError("a decode budget must be at least one byte")
        self.total_bytes, self.wait_seconds = total_bytes, wait_seconds
        self.reserved = 0
        self.peak = 0
        self._queue: deque[int] = deque()
        self._tickets = count()
        self._changed = threading.Condition()

    @contextmanager
    def reserve(self, nbytes: int) -> Iterator[int]:
        """Hold ``nbytes`` (at most the whole budget) for the ``with`` block."""
        want = max(0, min(int(nbytes), self.total_bytes))
        with self._changed:
            ticket = next(self._tickets)
            self._queue.append(ticket)
            self._changed.notify_all()  # a waiter arrived: ``wait_for_waiters`` sees it
            try:
                granted = self._changed.wait_for(
                    lambda: self._queue[0] == ticket
                    and self.reserved + want <= self.total_bytes, timeout=self.wait_seconds)
            finally:
                self._queue.remove(ticket)
                self._changed.notify_all()  # the next in line may fit now
            if not granted:
                raise DecodeBusy(f"the server is decoding other photos ({self.reserved >> 20} "
                                 f"of {self.total_bytes >> 20} MiB in use); try again",
                                 retry_after=max(1, round(self.wait_seconds) or 1))
            self.reserved += want
            self.peak = max(self.peak, self.reserved)
        try:
            yield want
        finally:
            with self._changed:
                self.reserved -= want
                self._changed.notify_all()

    def wait_for_waiters(self, n: int, timeout: float = 60.0) -> bool:
        """Block until ``n`` callers are queued for room (a test's synchronisation point)."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._queue) >= n, timeout=timeout)
