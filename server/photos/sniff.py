"""Name a file's format from its first bytes, without handing it to a decoder.

Pillow's allow-list (``Image.open(formats=...)``) refuses anything else with a
bare "cannot identify image file"; a device user deserves "unsupported format
HEIC" instead. Asking Pillow to identify the file with *all* its plugins would
run exactly the parsers the allow-list exists to keep away from untrusted
bytes, so we read a few magic numbers ourselves.
"""
from __future__ import annotations

import os

#: Formats the pipeline decodes, as Pillow names them, with their media types.
ALLOWED_MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

# ISO-BMFF ``ftyp`` brands (bytes 8..12) of still-image and video containers.
_FTYP_BRANDS = {
    b"heic": "HEIC", b"heix": "HEIC", b"heim": "HEIC", b"heis": "HEIC",
    b"hevc": "HEIC", b"hevx": "HEIC", b"mif1": "HEIF", b"msf1": "HEIF",
    b"avif": "AVIF", b"avis": "AVIF",
    b"isom": "MP4", b"iso2": "MP4", b"mp41": "MP4", b"mp42": "MP4", b"qt  ": "QuickTime",
}

_PREFIXES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
    (b"8BPS", "PSD"),
    (b"%PDF", "PDF"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"PK\x03\x04", "ZIP"),
    (b"<?xml", "XML/SVG"),
    (b"<svg", "SVG"),
)

HEADER_BYTES = 32


def sniff_format(head: bytes) -> str | None:
    """The format named by the magic number at the start of ``head``, if known."""
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], "ISO media")
    for prefix, name in _PREFIXES:
        if head.startswith(prefix):
            return name
    return None


def sniff_file(path: str | os.PathLike[str]) -> str | None:
    """``sniff_format`` of the first bytes of the file at ``path``."""
    with open(path, "rb") as fh:
        return sniff_format(fh.read(HEADER_BYTES))


def media_type_of(path: str | os.PathLike[str]) -> str:
    """The media type to serve an original with; unknown bytes are served opaque."""
    return ALLOWED_MEDIA_TYPES.get(sniff_file(path) or "", "application/octet-stream")
