"""The file of one partition: segments appended at checkpoints, compacted now and then.

A partition file is a magic line followed by *segments*; each segment is two
frames (``framing``): a small JSON header ``{key, seq, rows, docs, gone}`` and
the documents' JSON back to back. The first segment of a file holds the whole
partition; each later one holds what changed since the previous checkpoint
(catalog rows of the changed records, their new documents, ids removed).
Reading a file replays its segments in order, later ones winning.

Why segments: a checkpoint then costs what changed, not what the partition
holds, so saving a batch into a full chunk costs the same as into an empty
one. Appending is not atomic, but it does not need to be: a segment is only
trusted whole (checksummed frames), and until the manifest records the
checkpoint the journal still holds every op of a torn segment -- so a torn
last segment is cut off and replay restores it. Damage *before* the last
segment cannot come from a crash and stops the store, like the journal.
When a file has many segments or mostly dead bytes it is rewritten whole,
atomically (``write_full``).
"""
from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator

import orjson

from .base import StoreCorrupt
from .framing import HEADER, encode_frame, write_atomic

MAGIC = b"FIELDSYNC-PARTITION 3\n"


@dataclass
class PartitionFile:
    """What reading a partition file found."""

    seq: int = 0
    rows: dict[str, list] = field(default_factory=dict)   # id -> catalog row
    docs: dict[str, bytes] = field(default_factory=dict)  # id -> JSON (only if read)
    segments: int = 0
    size: int = 0


def _segment(key: str, seq: int, rows: list, docs: dict[str, bytes], gone: list) -> list[bytes]:
    meta = orjson.dumps({"key": key, "seq": seq, "rows": rows,
                         "docs": [[id_, len(raw)] for id_, raw in docs.items()], "gone": gone})
    return [meta, b"".join(docs.values())]


def write_full(path: str, key: str, seq: int, rows: list, docs: dict[str, bytes], *,
               sync_dir: bool = True) -> int:
    """Replace the file with one segment holding the whole partition; return its size."""
    write_atomic(path, MAGIC, _segment(key, seq, rows, docs, []), sync_dir=sync_dir)
    return os.path.getsize(path)


def append_delta(path: str, key: str, seq: int, rows: list, docs: dict[str, bytes],
                 gone: list) -> int:
    """Append one segment of changes and fsync it; return the bytes appended."""
    data = b"".join(encode_frame(p) for p in _segment(key, seq, rows, docs, gone))
    with open(path, "ab") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return len(data)


def _frame(path: str, f: BinaryIO, offset: int, size: int, read: bool):
    """``(payload or None, end)`` of the frame at ``offset``; ``None, None`` if it is torn."""
    header = f.read(HEADER.size)
    if len(header) < HEADER.size:
        return None, None
    length, crc = HEADER.unpack(header)
    end = offset + HEADER.size + length
    if end > size:
        return None, None
    if not read:
        f.seek(end)
        return b"", end
    payload = f.read(length)
    if zlib.crc32(payload) != crc:
        if end == size:
            return None, None
        raise StoreCorrupt(path, offset, "checksum mismatch with valid data after it")
    return payload, end


def _segments(path: str, f: BinaryIO, read_docs: bool) -> Iterator[tuple[int, dict, bytes]]:
    """Yield ``(offset, header, body)`` per whole segment; stop before a torn last one."""
    size = os.fstat(f.fileno()).st_size
    if f.read(len(MAGIC)) != MAGIC:
        raise StoreCorrupt(path, 0, "not a fieldsync partition (bad magic)")
    offset = len(MAGIC)
    while offset < size:
        meta, meta_end = _frame(path, f, offset, size, True)
        if meta is None:
            return
        body, end = _frame(path, f, meta_end, size, read_docs)
        if body is None:
            return
        yield offset, orjson.loads(meta), body
        offset = end


def read_partition_file(path: str, *, read_docs: bool, expect_seq: int,
                        repair: bool = False) -> PartitionFile:
    """Replay the segments of ``path``; with ``repair``, cut a torn last segment off.

    ``expect_seq`` is the seq the manifest recorded for this partition: a last
    segment that fails its checks is only a torn append if the segments before
    it already reach that seq (a checkpoint cut before the manifest). If they
    do not, a checkpoint the manifest acknowledged is damaged: ``StoreCorrupt``.
    """
    found = PartitionFile()
    end = len(MAGIC)
    with open(path, "rb") as f:
        for offset, meta, body in _segments(path, f, read_docs):
            found.seq = meta["seq"]
            found.segments += 1
            for row in meta["rows"]:
                found.rows[row[1]] = row
            for id_ in meta["gone"]:
                found.docs.pop(id_, None)
            at = 0
            for id_, length in meta["docs"]:
                if read_docs:
                    found.docs[id_] = body[at:at + length]
                at += length
            if read_docs and at != len(body):
                raise StoreCorrupt(path, offset, f"documents take {len(body)} bytes, "
                                                 f"their sizes {at}")
            end = f.tell()
        size = os.fstat(f.fileno()).st_size
    if found.segments == 0 or found.seq < expect_seq:
        raise StoreCorrupt(path, end, f"segment damaged: the file holds changes up to seq "
                                      f"{found.seq}, the manifest recorded {expect_seq}")
    if end < size and repair:
        with open(path, "r+b") as f:  # a checkpoint was cut mid-append: the journal has it
            f.truncate(end)
            os.fsync(f.fileno())
        size = end
    found.size = size
    return found
