"""Opaque keyset cursors: the last row's sort key and id, base64 of JSON.

A cursor says where a page ended, not how far in, so paging under concurrent
writes never skips a row. Anything that does not decode is a ``ValueError``
(the API answers 422 naming the parameter).
"""
from __future__ import annotations

import base64

import orjson


def encode_cursor(*position) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(position))).decode()


def decode_cursor(cursor: str, arity: int = 2) -> list:
    """The position a cursor holds; ValueError for anything that is not one of ours."""
    try:
        position = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except Exception as exc:  # noqa: BLE001 - any garbage is one error to the caller
        raise ValueError("malformed cursor") from exc
    if not isinstance(position, list) or len(position) != arity:
        raise ValueError("malformed cursor")
    return position
