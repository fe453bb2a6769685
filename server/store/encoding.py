"""Documents as the stores keep them: compact JSON bytes of exactly their size.

orjson returns its working buffer as the bytes object without shrinking it:
measured with orjson 3.x, a 3 KB document holds a 24 KiB allocation and a
20 KB one 227 KiB. The stores keep every committed document's bytes (journal
replay, document cache, MemoryStore), so kept as-is they cost 4-10x their
size -- the unexplained server RSS after pushing 10 KB results -- and every
commit touched fresh pages. One copy of exactly the right size (about 1 us
for 10 KB) returns the big buffer to the allocator at once.
"""
from __future__ import annotations

from typing import Any

import orjson


def encode_document(doc: Any) -> bytes:
    """``orjson.dumps(doc)`` trimmed to its length, for bytes that are kept."""
    return memoryview(orjson.dumps(doc)).tobytes()
