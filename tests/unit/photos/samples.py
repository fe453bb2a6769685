"""Test images made on the fly with Pillow (and a few hand-built byte strings
for what Pillow cannot write: HEIC headers, PNG bombs, damaged EXIF)."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageChops

#: Colours of the four quadrants of an upright test picture, clockwise from top left.
QUADRANTS = {"top_left": (255, 0, 0), "top_right": (0, 255, 0),
             "bottom_right": (0, 0, 255), "bottom_left": (255, 255, 255)}

#: How a camera stores an upright picture for each EXIF orientation: the inverse
#: of the transpose a viewer applies (EXIF 2.32, tag 0x0112).
STORE_FOR_ORIENTATION = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,    # viewer turns it 90° clockwise
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,   # viewer turns it 90° counter-clockwise
}


def quadrant_picture(width: int, height: int) -> Image.Image:
    """An upright picture whose four quadrants have distinct colours."""
    im = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    im.paste(QUADRANTS["top_left"], (0, 0, half_w, half_h))
    im.paste(QUADRANTS["top_right"], (half_w, 0, width, half_h))
    im.paste(QUADRANTS["bottom_right"], (half_w, half_h, width, height))
    im.paste(QUADRANTS["bottom_left"], (0, half_h, half_w, height))
    return im


def quadrant_colours(im: Image.Image) -> dict[str, tuple[int, ...]]:
    """The colour at the centre of each quadrant of ``im``."""
    w, h = im.size
    spots = {"top_left": (w // 4, h // 4), "top_right": (3 * w // 4, h // 4),
             "bottom_right": (3 * w // 4, 3 * h // 4), "bottom_left": (w // 4, 3 * h // 4)}
    return {name: im.convert("RGB").getpixel(xy) for name, xy in spots.items()}


def noisy_picture(width: int, height: int) -> Image.Image:
    """Something photo-like (gradient plus sensor noise) that compresses like a photo."""
    noise = [Image.effect_noise((width, height), sigma) for sigma in (30, 40, 50)]
    gradient = Image.linear_gradient("L").resize((width, height))
    return Image.merge("RGB", [ImageChops.add(gradient, n, scale=2.0) for n in noise])


def exif_bytes(orientation: int | None = None, **ifds: dict[int, object]) -> bytes:
    """EXIF as Pillow writes it; ``ifds`` may hold ``base``, ``exif`` and ``gps`` tag dicts."""
    exif = Image.Exif()
    for tag, value in ifds.get("base", {}).items():
        exif[tag] = value
    if orientation is not None:
        exif[0x0112] = orientation
    if "exif" in ifds:
        exif[0x8769] = ifds["exif"]
    if "gps" in ifds:
        exif[0x8825] = ifds["gps"]
    return exif.tobytes()


def raw_exif(entries: list[tuple[int, int, int, bytes]]) -> bytes:
    """A little-endian EXIF block with hand-made IFD0 entries (tag, type, count,
    4 value bytes), to write damaged or mistyped tags Pillow refuses to write."""
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\x00")
        for tag, typ, count, value in entries) + b"\x00\x00\x00\x00"
    return b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 8) + ifd


def encode(im: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def write(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.write_bytes(data)
    return path


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width``×``height``. Its IDAT is junk, so
    anything that tried to decode it would fail with a *different* reason."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"\x00" * 64)
            + chunk(b"IEND", b""))


def heic_header() -> bytes:
    """The start of an iPhone HEIC file (ISO-BMFF ``ftyp`` box, brand ``heic``)."""
    ftyp = b"ftyp" + b"heic" + struct.pack(">I", 0) + b"mif1heicmiaf"
    return struct.pack(">I", len(ftyp) + 4) + ftyp + b"\x00\x00\x00\x22meta" + b"\x00" * 64


def claiming_size(data: bytes, width: int, height: int) -> bytes:
    """``data`` (a JPEG or PNG) with its header rewritten to claim ``width``×``height``
    while the image data stays that of the original, smaller picture."""
    out = bytearray(data)
    if out.startswith(b"\x89PNG"):
        at = out.index(b"IHDR")
        out[at + 4:at + 12] = struct.pack(">II", width, height)
        out[at + 17:at + 21] = struct.pack(">I", zlib.crc32(bytes(out[at:at + 17])))
        return bytes(out)
    at = next(i for i in range(len(out) - 1)
              if out[i] == 0xFF and out[i + 1] in (0xC0, 0xC1, 0xC2))
    out[at + 5:at + 9] = struct.pack(">HH", height, width)
    return bytes(out)
