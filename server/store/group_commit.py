"""Group commit: write transactions that queue for the writer share one COMMIT.

A commit's cost on these disks is mostly its fsync. When several devices
push at once, each transaction still runs alone (one writer), but instead
of committing, a transaction that sees others waiting leaves the database
transaction open for the next one; the last in line (or the 32nd) commits
for all of them -- one fsync -- and only then is any of them answered.
Nobody is acknowledged before the COMMIT that holds their data returned,
so the durability promise is unchanged; a failed COMMIT fails every member
(nothing of theirs is visible, nothing acknowledged). A lone writer commits
at once: no waiting, no added latency.

Members see the uncommitted writes of the members before them (they run on
the same connection, in order), which is exactly the order they commit in.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, ContextManager, Iterator

from sqlalchemy import Connection

from .base import StoreUnavailable

MAX_MEMBERS = 32


class _Group:
    def __init__(self, conn: Connection):
        self.conn = conn
        self.members = 0
        self.done = threading.Event()
        self.error: BaseException | None = None


class GroupCommit:
    """The writer's turn-taking; ``member()`` yields the connection of the open group."""

    def __init__(self, connect: Callable[[], Connection],
                 translated: Callable[[], ContextManager]):
        self._connect, self._translated = connect, translated
        self._turn = threading.Lock()
        self._counting = threading.Lock()
        self._waiting = 0
        self._group: _Group | None = None

    @contextmanager
    def member(self) -> Iterator[Connection]:
        with self._counting:
            self._waiting += 1
        self._turn.acquire()
        with self._counting:
            self._waiting -= 1
        try:
            if self._group is None:
                with self._translated():
                    self._group = _Group(self._connect())
            group = self._group
        except BaseException:
            self._turn.release()
            raise
        succeeded = False
        try:
            yield group.conn
            succeeded = True
        finally:
            self._leave(group)
        group.done.wait()
        if succeeded and group.error is not None:
            raise StoreUnavailable(f"the commit failed: {group.error}") from group.error

    def _leave(self, group: _Group) -> None:
        """Commit now, or leave the group open for the writer already waiting."""
        try:
            group.members += 1
            with self._counting:
                others = self._waiting
            if others and group.members < MAX_MEMBERS:
                return  # the next writer continues this transaction and commits it
            self._group = None
            try:
                with self._translated():
                    if group.conn.in_transaction():
                        group.conn.commit()
            except BaseException as exc:  # noqa: BLE001 - every member learns of it
                group.error = exc
            finally:
                group.conn.close()  # rolls back whatever did not commit
                group.done.set()
        finally:
            self._turn.release()

    def close(self) -> None:
        """Wait for the writer's turn, so no group is open while the engine is disposed."""
        with self._turn:
            pass
