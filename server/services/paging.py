"""Paging store listings for clients with opaque keyset cursors.

Clients page with ``{items, next_cursor}``; the cursor is the store's own
keyset cursor, so paging under concurrent writes never skips a record. A
cursor the store cannot parse is the client's input error (422 on
``cursor``), never a server fault.
"""
from __future__ import annotations

from server.store import Page
from server.store.base import Reader

from .errors import Invalid

MAX_LIMIT = 200


def read_page(reader: Reader, collection: str, index: str, key: str, *,
              cursor: str | None, limit: int, descending: bool = False) -> Page:
    """One page of ``collection`` by ``index`` = ``key``, continuing after ``cursor``."""
    try:
        return reader.list(collection, index, key, after=cursor or None,
                           limit=min(limit, MAX_LIMIT), descending=descending)
    except ValueError:
        raise Invalid({"cursor": ["Not a cursor this server issued."]},
                      location="query") from None


def all_records(reader: Reader, collection: str, index: str, key: str):
    """Every record of ``collection`` with ``index`` = ``key``, by sort, page after page
    (for the small per-site sets a service reads whole: plans, occurrences, complaints)."""
    cursor = None
    while True:
        page = reader.list(collection, index, key, after=cursor, limit=MAX_LIMIT)
        yield from page.items
        cursor = page.next_cursor
        if cursor is None:
            return
