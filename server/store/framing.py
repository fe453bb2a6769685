"""Checksummed frames and atomic files: the two on-disk primitives of the store.

A frame is ``<u32 length><u32 crc32(payload)><payload>``. The journal is a
sequence of frames appended with one ``write`` and an ``fsync`` each; a
snapshot file is a magic line followed by frames, replaced atomically.

Telling a torn tail from damage matters: a process killed mid-append leaves a
*prefix* of its last frame (the length runs past the end of the file) or, on
power loss, a last frame whose checksum fails with nothing after it. Both are
commits that were never acknowledged, so dropping them is correct. A bad frame
with good data after it cannot come from a crash -- that is damage, and the
store refuses to open rather than guess.
"""
from __future__ import annotations

import os
import struct
import tempfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from .base import StoreCorrupt

HEADER = struct.Struct("<II")
MAX_FRAME = 1 << 30


def encode_frame(payload: bytes) -> bytes:
    return HEADER.pack(len(payload), zlib.crc32(payload)) + payload


@dataclass
class TornTail:
    """Where the good frames end, and why the rest was not a frame."""

    offset: int
    reason: str


def iter_frames(path: str, f: BinaryIO, start: int = 0) -> Iterator[tuple[int, bytes] | TornTail]:
    """Yield ``(offset, payload)`` for each good frame, then a ``TornTail`` if the end is torn.

    Raises ``StoreCorrupt`` for a damaged frame that is followed by more data.
    """
    size = os.fstat(f.fileno()).st_size
    offset = start
    f.seek(start)
    while offset < size:
        header = f.read(HEADER.size)
        if len(header) < HEADER.size:
            yield TornTail(offset, "incomplete frame header")
            return
        length, crc = HEADER.unpack(header)
        end = offset + HEADER.size + length
        if length > MAX_FRAME or end > size:
            if _all_zero(f, offset, size):
                yield TornTail(offset, "zero-filled tail")
                return
            if end > size and length <= MAX_FRAME:
                yield TornTail(offset, f"frame of {length} bytes cut at end of file")
                return
            raise StoreCorrupt(path, offset, f"impossible frame length {length}")
        payload = f.read(length)
        if zlib.crc32(payload) != crc:
            if end == size or _all_zero(f, end, size):
                yield TornTail(offset, "checksum mismatch in the last frame")
                return
            raise StoreCorrupt(path, offset, "checksum mismatch with valid data after it")
        yield offset, payload
        offset = end


def _all_zero(f: BinaryIO, start: int, size: int) -> bool:
    here = f.tell()
    f.seek(start)
    rest = f.read(min(size - start, 1 << 20))
    f.seek(here)
    return not rest.strip(b"\0")


def fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: str, magic: bytes, payloads: list[bytes], *, sync_dir: bool = True) -> None:
    """Replace ``path`` with magic + frames: temp file, fsync, rename, fsync dir.

    A crash at any point leaves either the old file or the new one, whole.
    """
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(magic)
            for payload in payloads:
                f.write(encode_frame(payload))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if sync_dir:
        fsync_dir(directory)


def read_snapshot(path: str, magic: bytes, count: int) -> list[bytes]:
    """Read the first ``count`` frames of a snapshot file; any flaw is ``StoreCorrupt``."""
    with open(path, "rb") as f:
        if f.read(len(magic)) != magic:
            raise StoreCorrupt(path, 0, "not a fieldsync snapshot (bad magic)")
        size = os.fstat(f.fileno()).st_size
        frames = []
        offset = len(magic)
        for _ in range(count):
            header = f.read(HEADER.size)
            if len(header) < HEADER.size:
                raise StoreCorrupt(path, offset, "snapshot ends early")
            length, crc = HEADER.unpack(header)
            if offset + HEADER.size + length > size:
                raise StoreCorrupt(path, offset, f"frame of {length} bytes runs past the end")
            payload = f.read(length)
            if zlib.crc32(payload) != crc:
                raise StoreCorrupt(path, offset, "snapshot checksum mismatch")
            frames.append(payload)
            offset += HEADER.size + length
        return frames
