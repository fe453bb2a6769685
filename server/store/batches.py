"""What a batch may do: the rules every commit checks before anything is written.

* every op is a ``Put`` or ``Delete`` with a collection (no ``/``) and a
  non-empty string id, neither holding NUL (nor the bucket: PostgreSQL text
  cannot, and both engines refuse the same batches); index entries are ``(key, sort)`` pairs of strings;
* a delete names a live record (or one the same batch put);
* a record never moves between buckets: a device holding it in one bucket's
  feed would otherwise never learn it left;
* a document must encode as JSON (orjson: no objects, no integers past 64 bits,
  nesting within its limit). The check is the encoding itself, done once.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import orjson

from .base import Delete, Op, Put


def check_shape(ops: Sequence[Op]) -> None:
    """Refuse a batch that is malformed on its own, before any SQL."""
    if not ops:
        raise ValueError("empty batch")
    for op in ops:
        if not isinstance(op, (Put, Delete)):
            raise TypeError(f"not a store operation: {op!r}")
        if not isinstance(op.collection, str) or not op.collection or "/" in op.collection \
                or not isinstance(op.id, str) or not op.id:
            raise ValueError("an operation needs a collection without '/' and a non-empty id")
        if "\x00" in op.collection or "\x00" in op.id:
            raise ValueError("a collection or id cannot contain NUL")  # PostgreSQL text cannot
        if isinstance(op, Put):
            if op.bucket is not None and (not isinstance(op.bucket, str) or "\x00" in op.bucket):
                raise ValueError(f"bucket of {op.collection}/{op.id} must be a string "
                                 f"without NUL, or None")
            for name, value in op.index.items():
                if not (isinstance(value, tuple) and len(value) == 2
                        and all(isinstance(v, str) for v in value)):
                    raise ValueError(f"index {name!r} entry must be a (key, sort) pair of strings")


def encode_body(op: Put) -> str:
    """The document as stored JSON text; ValueError naming the record if it cannot be."""
    if op.text is not None:
        if not isinstance(op.text, str):
            raise ValueError(f"text of {op.collection}/{op.id} must be a str")
        return op.text
    try:
        return orjson.dumps(op.doc).decode()
    except TypeError as exc:  # orjson.JSONEncodeError is a TypeError
        raise ValueError(f"document {op.collection}/{op.id} is not JSON-serialisable: "
                         f"{exc}") from None


def check_against(ops: Sequence[Op], existing: Mapping[tuple[str, str], tuple]) -> None:
    """Check deletes and bucket moves against ``{(collection, id): (bucket, deleted)}``."""
    live: dict[tuple[str, str], bool] = {}
    bucket_of = {key: bucket for key, (bucket, _) in existing.items()}
    for op in ops:
        key = (op.collection, op.id)
        was = existing.get(key)
        if isinstance(op, Delete):
            if not live.get(key, was is not None and not was[1]):
                raise ValueError(f"delete of unknown record {op.collection}/{op.id}")
            live[key] = False
        else:
            if key in bucket_of and bucket_of[key] != op.bucket:
                raise ValueError(f"{op.collection}/{op.id} cannot move from bucket "
                                 f"{bucket_of[key]!r} to {op.bucket!r}")
            bucket_of[key] = op.bucket
            live[key] = True
