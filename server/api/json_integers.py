"""Refusing JSON integers beyond 64 bits, naming where they are.

WHY: orjson reads an integer literal beyond 64 bits as a float, so
``12345678901234567890123`` silently became ``1.2345678901234568e22`` --
a changed number stored as if the client had sent it. Such bodies are rare,
so the cheap test (a run of 19 or more digits anywhere) comes first; only
then is the body parsed again with the stdlib, which keeps big integers
exact, to find their paths.
"""
from __future__ import annotations

import json
from typing import Any

from marshmallow import ValidationError

from sync.json_values import INT_MAX, INT_MIN

# Every digit byte becomes "0", every other byte " ": a run of 19 digits is then a plain
# substring search (C speed; a regex scan cost ~3 ms on a 100 KB push).
_DIGITS_ONLY = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_RUN = b"0" * 19
MESSAGE = "Integer beyond 64 bits: send a number from -2**63 to 2**64-1, or a string."


def refuse_oversized_integers(body: bytes) -> None:
    """Raise ``ValidationError`` naming each integer of ``body`` (valid JSON) beyond 64 bits."""
    if _LONG_RUN not in body.translate(_DIGITS_ONLY):
        return
    try:
        value = json.loads(body)
    except RecursionError:  # deeper than the stdlib parses: name the body as a whole
        raise ValidationError([MESSAGE]) from None
    errors: dict = {}
    for path in _oversized(value):
        if not path:
            raise ValidationError([MESSAGE])
        node = errors
        for step in path[:-1]:
            node = node.setdefault(step, {})
        node[path[-1]] = [MESSAGE]
    if errors:
        raise ValidationError(errors)


def _oversized(value: Any) -> list[tuple]:
    found, stack = [], [(value, ())]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, (*path, k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, (*path, n)) for n, v in enumerate(item))
        elif isinstance(item, int) and not isinstance(item, bool) \
                and not INT_MIN <= item <= INT_MAX:
            found.append(path)
    return found
