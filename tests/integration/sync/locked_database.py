"""A real reason for a commit to fail: another process holds the SQLite write lock.

``held_write_lock(path)`` opens its own connection to the database file and
keeps ``BEGIN IMMEDIATE`` open; a store opened with a short busy timeout
then cannot write, gets ``database is locked`` from SQLite and answers
``StoreUnavailable`` -- no fake of the store involved.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager


@contextmanager
def held_write_lock(path: str):
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()
