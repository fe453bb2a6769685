"""Does the file hold as much image data as its header claims?

A decoder fills what a stream leaves out: libjpeg turns an early EOI into grey
blocks and a PNG whose zlib stream ends early leaves the remaining rows black,
and Pillow reports neither. So a JPEG whose header says 6000×6000 but whose
data is a 320×240 picture "decodes" as 36 MP. These checks compare the data
with the header without decoding anything:

* JPEG (Huffman-coded, baseline or progressive): every 8×8 block of every
  component costs at least one bit of entropy-coded data (its DC category
  code), so the scans must hold at least ``blocks / 8`` bytes. Arithmetic-coded
  and lossless JPEGs have no such floor and are not checked.
* PNG: the inflated IDAT stream must be exactly the size the header implies
  (rows plus filter bytes, per Adam7 pass when interlaced). The same pass
  checks every chunk's CRC, which Pillow's decoder does not.

The file is read through ``mmap`` so even a 50 MB upload costs no heap.
"""
from __future__ import annotations

import mmap
import os
import re
import struct
import zlib
from dataclasses import dataclass
from math import ceil

from .refusal import PhotoRefused

#: SOF markers of Huffman-coded DCT JPEGs (baseline, extended, progressive).
_HUFFMAN_DCT_SOF = {0xC0, 0xC1, 0xC2}
_NO_LENGTH = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn carry no length field
#: The end of entropy-coded data: 0xFF not followed by stuffing (00) or RSTn.
_SCAN_END = re.compile(rb"\xff(?![\x00\xd0-\xd7])")
_INFLATE_STEP = 1 << 20

#: Adam7 passes: (x start, y start, x step, y step).
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4),
          (1, 0, 2, 2), (0, 1, 1, 2))
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _mapped(path: str | os.PathLike[str]) -> mmap.mmap:
    with open(path, "rb") as fh:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


def check_jpeg_data(path: str | os.PathLike[str]) -> None:
    """Refuse a JPEG whose scans are too short for its frame header."""
    with _mapped(path) as data:
        frame, scan_bytes = _jpeg_frame_and_scan_bytes(data)
    if frame is not None and scan_bytes < frame.needed:
        raise PhotoRefused(f"truncated JPEG: {scan_bytes} bytes of image data cannot hold the "
                           f"{frame.width}×{frame.height} its header claims (at least "
                           f"{frame.needed} needed)", "truncated")


@dataclass(frozen=True, slots=True)
class _Frame:
    width: int
    height: int
    needed: int  # bytes of entropy-coded data the frame's blocks need at the least


def _frame(data, body: int) -> _Frame | None:
    """The SOF segment at ``body``, or None when it is not checkable."""
    if body + 6 > len(data):
        return None
    height, width, count = struct.unpack_from(">HHB", data, body + 1)
    if body + 6 + 3 * count > len(data) or count == 0:
        return None
    sampling = [(data[body + 7 + 3 * n] >> 4, data[body + 7 + 3 * n] & 15) for n in range(count)]
    if any(h == 0 or v == 0 for h, v in sampling):
        return None
    h_max, v_max = max(h for h, _ in sampling), max(v for _, v in sampling)
    blocks = sum(ceil(ceil(width * h / h_max) / 8) * ceil(ceil(height * v / v_max) / 8)
                 for h, v in sampling)
    return _Frame(width, height, ceil(blocks / 8))


def _jpeg_frame_and_scan_bytes(data) -> tuple[_Frame | None, int]:
    """The first frame of a Huffman-coded DCT JPEG and how many entropy-coded
    bytes its scans hold, counted only until there are enough (so a whole
    photo is not searched byte by byte). None for other JPEGs."""
    frame, scan_bytes, pos, end = None, 0, 2, len(data)
    while pos + 4 <= end:
        if data[pos] != 0xFF:
            break  # not a marker where one must be: the decoder judges such files
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xD9:
            break
        if marker in _NO_LENGTH:
            pos += 2
            continue
        length = struct.unpack_from(">H", data, pos + 2)[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and frame is None:
            frame = _frame(data, pos + 4) if marker in _HUFFMAN_DCT_SOF else None
            if frame is None:
                return None, 0
        pos += 2 + length
        if marker == 0xDA and frame is not None:
            window = min(end, pos + frame.needed - scan_bytes)
            # One byte past the window, so a stuffed FF 00 on its edge is no end.
            found = _SCAN_END.search(data, pos, min(end, window + 1))
            stop = found.start() if found and found.start() < window else window
            scan_bytes += max(0, stop - pos)
            if scan_bytes >= frame.needed:
                break
            pos = stop
    return frame, scan_bytes


def check_png_data(path: str | os.PathLike[str]) -> None:
    """Refuse a PNG with a damaged chunk, or less pixel data than its header needs."""
    with _mapped(path) as mapped, memoryview(mapped) as data:  # chunks are read, not copied
        header, inflated, complete = _png_inflated_size(data)
    if header is None:
        return
    width, height, expected = header
    if inflated < expected or not complete:
        raise PhotoRefused(f"truncated PNG: its image data holds {inflated} of the {expected} "
                           f"bytes its {width}×{height} header needs", "truncated")


def _png_inflated_size(data) -> tuple[tuple | None, int, bool]:
    """``(width, height, raw bytes needed)`` from IHDR, how many bytes the IDAT
    stream inflates to (counting stops past what is needed, so a stream that
    inflates to gigabytes costs no more than a real one), and whether it ended."""
    pos, end, header = 8, len(data), None
    inflater, inflated = zlib.decompressobj(), 0
    while pos + 12 <= end:
        length, kind = struct.unpack_from(">I4s", data, pos)
        body = pos + 8
        if body + length + 4 > end:
            raise PhotoRefused(f"truncated PNG: chunk {kind!r} runs past the end of the file",
                               "truncated")
        crc = struct.unpack_from(">I", data, body + length)[0]
        if zlib.crc32(data[pos + 4:body + length]) != crc:
            raise PhotoRefused(f"damaged PNG (bad CRC in chunk {kind!r})", "damaged")
        if kind == b"IHDR" and length >= 13:
            width, height, depth, colour, _, _, interlace = struct.unpack_from(
                ">IIBBBBB", data, body)
            header = (width, height, _png_raw_size(width, height, depth,
                                                   _CHANNELS.get(colour, 1), interlace))
        elif kind == b"IDAT" and header is not None and inflated <= header[2] \
                and not inflater.eof:
            inflated += _inflate_counting(inflater, data[body:body + length])
        elif kind == b"IEND":
            break
        pos = body + length + 4
    return header, inflated, inflater.eof or (header is not None and inflated > header[2])


def _inflate_counting(inflater, chunk: bytes) -> int:
    """Feed ``chunk``; return how many bytes came out, holding at most a step in memory."""
    count = 0
    try:
        out = inflater.decompress(chunk, _INFLATE_STEP)
        count += len(out)
        while inflater.unconsumed_tail and not inflater.eof:
            out = inflater.decompress(inflater.unconsumed_tail, _INFLATE_STEP)
            count += len(out)
    except zlib.error as exc:
        raise PhotoRefused(f"damaged PNG ({exc})", "damaged") from None
    return count


def _png_raw_size(width: int, height: int, depth: int, channels: int, interlace: int) -> int:
    """Bytes of filtered scanlines (one filter byte per row) for the whole image."""
    def rows(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + ceil(w * depth * channels / 8))
    if interlace != 1:
        return rows(width, height)
    return sum(rows(ceil(max(0, width - x0) / dx), ceil(max(0, height - y0) / dy))
               for x0, y0, dx, dy in _ADAM7)
