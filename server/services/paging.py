"""Paging store listings for clients with opaque keyset cursors.

Clients page with ``{items, next_cursor}``; the cursor is the store's own
keyset cursor, so paging under concurrent writes never skips a record. A
cursor the store cannot parse is the client's input error (422 on
``cursor``), never a server fault.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from server.store import Page
from server.store.base import Reader
from server.store.cursors import encode_cursor

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


def read_range(reader: Reader, collection: str, index: str, key: str, *,
               sort_of: Callable[[Mapping[str, Any]], str], start: str | None = None,
               end: str | None = None, cursor: str | None = None, limit: int = 50,
               descending: bool = False) -> Page:
    """One page of the records whose sort value (``sort_of(doc)``) lies in
    ``[start, end)``, ascending (or descending) by it.

    The first page starts at the bound itself: a keyset position just before
    ``(start, any id)`` (after ``(end, "")`` going down) is where the store's
    own cursor would be, so no record before the range is read. Later pages
    continue from ``cursor`` with the same bounds.
    """
    seek = start if not descending else end
    if cursor is None and seek is not None:
        cursor = encode_cursor(seek, "")
    page = read_page(reader, collection, index, key, cursor=cursor, limit=limit,
                     descending=descending)
    inside = [r for r in page.items if (start is None or sort_of(r.doc) >= start)
              and (end is None or sort_of(r.doc) < end)]
    return Page(inside, page.next_cursor if len(inside) == len(page.items) else None)
