"""Intake: decide whether an uploaded file is a photo we accept, in one decode.

Every image the server reads goes through ``open_checked`` (format allow-list,
our own pixel ceiling checked from the header, Pillow's decompression-bomb
warning as an error) and is then fully decoded by ``decode_for_display``.
``Image.verify()`` is not used: for JPEG it checks nothing and passes truncated
files; a real decode raises on truncation.

That decode is also the expensive part of making derived images, so it is done
once and its result is the display copy: a JPEG is decoded straight at a
reduced DCT scale (``draft``), which still walks the whole entropy-coded stream
and so still catches truncation, then ``thumbnail`` and only then the EXIF
rotation (rotating first would force a full-size decode).

Global state: Pillow's ``Image.MAX_IMAGE_PIXELS`` is left alone (our ceiling,
``PhotoConfig.max_pixels``, is checked by us and is stricter than Pillow's 89 MP
default). To make Pillow's ``DecompressionBombWarning`` an error we add one
process-wide ``warnings`` filter for that category on each intake (idempotent):
``warnings.catch_warnings`` would be local but is not thread-safe before
Python 3.14, and a server opening an image past Pillow's bomb limit should fail
everywhere anyway. Pillow's ``LOAD_TRUNCATED_IMAGES`` must stay False:
WeasyPrint's import switches it on, so ``open_checked`` first lets
``weasyprint_loader`` finish that import and put the flag back.
"""
from __future__ import annotations

import os
import re
import struct
import warnings
import zlib
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Iterator

from PIL import Image, ImageFile, JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401

from .budget import DecodeBudget
from .completeness import check_jpeg_data, check_png_data
from .config import PhotoConfig
from .exif import ExifFacts, read_exif_facts
from .info import PhotoInfo
from .refusal import PhotoRefused
from .shrink import fit
from .sniff import ALLOWED_MEDIA_TYPES, sniff_file
from .weasyprint_loader import settle_before_decoding

# Importing the three plugins above registers them, so ``Image.open`` with this
# allow-list never triggers Pillow's import of all 40-odd plugins.
ALLOWED_FORMATS = tuple(ALLOWED_MEDIA_TYPES)

#: Same table as ``ImageOps.exif_transpose``; applied from the orientation we
#: validated ourselves, because ``exif_transpose`` re-serialises the whole EXIF
#: block and can raise on an unrelated damaged tag (derived copies carry no
#: EXIF anyway: that also keeps GPS out of thumbnails).
_TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

#: Pillow opens a JPEG carrying several pictures (CIPA "MPO": phones add depth
#: maps and previews) as format "MPO"; its first frame is the ordinary photo.
_FORMAT_OF_PLUGIN = {"MPO": "JPEG"}

#: Data-versus-header checks run before the decode (``completeness``): decoders
#: silently fill what a short stream leaves out. WebP's decoder refuses it itself.
_DATA_CHECKS = {"JPEG": check_jpeg_data, "PNG": check_png_data}

#: Bytes a pixel takes in Pillow's memory; modes not listed take 4.
_STORED_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}

# Exceptions Pillow's decoders raise for damaged data (OSError only when it has
# no errno: with one it is the disk failing, which is not the photo's fault).
_DAMAGED_DATA = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError,
                 struct.error, zlib.error)


@dataclass(slots=True)
class DecodedPhoto:
    """The result of the one decode: the facts, and the upright display image
    (RGB, long side at most ``display_long_side``) that other variants derive from."""

    info: PhotoInfo
    display: Image.Image


def inspect_photo(path: str | os.PathLike[str], config: PhotoConfig) -> PhotoInfo:
    """Check the file at ``path`` completely; return its facts or raise ``PhotoRefused``."""
    return decode_for_display(path, config).info


def decode_for_display(path: str | os.PathLike[str], config: PhotoConfig,
                       budget: DecodeBudget | None = None) -> DecodedPhoto:
    """All intake checks plus the decode, returning the display copy as well.

    With a ``budget`` the decode first reserves what its pixels will take
    (``decode_bytes``) and holds it until the display copy is made.
    """
    with open_checked(path, config) as im:
        fmt = _FORMAT_OF_PLUGIN.get(im.format or "", im.format or "")
        header_size = im.size
        _DATA_CHECKS.get(fmt, lambda _: None)(path)
        scale = draft_scale(im.size, config)
        if scale > 1:
            im.draft("RGB", (im.width // scale, im.height // scale))
        with budget.reserve(decode_bytes(im)) if budget else nullcontext():
            # Inside the reservation: a PNG's EXIF may follow its pixels, and
            # Pillow decodes the whole image to find it.
            facts = read_exif_facts(im)
            info = PhotoInfo(format=fmt, media_type=ALLOWED_MEDIA_TYPES[fmt],
                             width=header_size[0], height=header_size[1], exif=facts)
            _decode(im, info.format)
            fitted = fit(im, config.display_long_side)
            if fitted is not im:
                im.close()  # frees the full-size pixels before the smaller copies are made
            display = _upright_rgb(fitted, facts)
            if display is im:  # closing the file object would discard its pixels
                display = im.copy()
    return DecodedPhoto(info=info, display=display)


def decode_bytes(im: Image.Image) -> int:
    """Memory the decode of ``im`` (after any ``draft``) takes: its pixels as
    Pillow stores them (RGB and two-band modes take 4 bytes a pixel), plus
    what ``shrink.fit`` holds beside them: the box-reduced copy (at most a
    quarter of the pixels at 4 bytes) and one band converted and reduced, with
    the allocator's slack -- 2 bytes a pixel, measured on 50 MP RGBA PNGs."""
    pixels = im.width * im.height
    return pixels * (_STORED_BYTES_PER_PIXEL.get(im.mode, 4) + 2)


@contextmanager
def open_checked(path: str | os.PathLike[str],
                 config: PhotoConfig) -> Iterator[ImageFile.ImageFile]:
    """Open ``path`` lazily, refusing it unless its header passes every check.

    Nothing is decoded yet, so a bomb (tiny file, huge dimensions) is refused
    in the time it takes to read its header.
    """
    if os.stat(path).st_size == 0:
        raise PhotoRefused("empty file (0 bytes)", "empty")
    _ensure_bomb_warning_is_error()
    settle_before_decoding()
    try:
        im = Image.open(path, formats=list(ALLOWED_FORMATS))
    except Image.UnidentifiedImageError:
        raise _unidentified(path) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb(_header_size(path), config, str(exc)) from None
    except _DAMAGED_DATA as exc:
        _reraise_disk_errors(exc)
        raise PhotoRefused(f"damaged {sniff_file(path)} header ({exc})", "damaged") from None
    with im:
        if im.width * im.height > config.max_pixels:
            raise _too_large(im.size, config)
        yield im


def draft_scale(size: tuple[int, int], config: PhotoConfig) -> int:
    """The largest JPEG DCT reduction (8, 4, 2 or 1) that still leaves the long
    side at least ``display_min_fraction`` of the display size."""
    long_side, short_side = max(size), min(size)
    wanted = config.display_long_side * config.display_min_fraction
    for scale in (8, 4, 2):
        if -(-long_side // scale) >= wanted and short_side // scale >= 1:
            return scale
    return 1


def _decode(im: ImageFile.ImageFile, fmt: str) -> None:
    try:
        im.load()
    except _DAMAGED_DATA as exc:
        _reraise_disk_errors(exc)
        if "truncated" in str(exc):
            raise PhotoRefused(f"truncated {fmt}", "truncated") from None
        raise PhotoRefused(f"damaged {fmt} ({exc})", "damaged") from None


def _upright_rgb(im: Image.Image, facts: ExifFacts) -> Image.Image:
    if facts.orientation in _TRANSPOSE_FOR_ORIENTATION:
        im = im.transpose(_TRANSPOSE_FOR_ORIENTATION[facts.orientation])
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        flattened = Image.new("RGB", im.size, "white")
        flattened.paste(rgba, mask=rgba.getchannel("A"))
        return flattened
    return im if im.mode == "RGB" else im.convert("RGB")


def _unidentified(path: str | os.PathLike[str]) -> PhotoRefused:
    fmt = sniff_file(path)
    if fmt is None:
        return PhotoRefused("not an image (unrecognised data)", "not_an_image")
    if fmt in ALLOWED_FORMATS:
        return PhotoRefused(f"damaged {fmt} header", "damaged")
    return PhotoRefused(f"unsupported format {fmt} (send JPEG, PNG or WebP)",
                        "unsupported_format")


def _too_large(size: tuple[int, int], config: PhotoConfig) -> PhotoRefused:
    width, height = size
    return PhotoRefused(f"image of {width}×{height} exceeds {config.max_megapixels_label}",
                        "too_large")


def _bomb(size: tuple[int, int] | None, config: PhotoConfig, detail: str) -> PhotoRefused:
    """Pillow's bomb check fired inside ``Image.open``: word it like our own ceiling,
    unless the image is within ours and only Pillow's (global) limit is lower."""
    if size is not None and size[0] * size[1] > config.max_pixels:
        return _too_large(size, config)
    pixels = re.search(r"\((\d+) pixels\)", detail)
    what = (f"{size[0]}×{size[1]}" if size else
            f"{int(pixels.group(1)) / 1e6:g} MP" if pixels else "this size")
    limit = (Image.MAX_IMAGE_PIXELS or 0) / 1e6
    return PhotoRefused(f"image of {what} exceeds Pillow's decompression-bomb limit of "
                        f"{limit:g} MP", "too_large")


def _header_size(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """Dimensions from the header alone, for the refusal message after Pillow's
    own bomb check fired (it fires inside ``Image.open``, before we see a size).
    The plugin class parses the header exactly as ``Image.open`` just did."""
    fmt = sniff_file(path)
    if fmt not in ALLOWED_FORMATS:
        return None
    factory = Image.OPEN[fmt][0]
    try:
        with open(path, "rb") as fh, factory(fh, os.fspath(path)) as header_only:
            return header_only.size
    except Exception:  # noqa: BLE001 - only used to word the message
        return None


def _ensure_bomb_warning_is_error() -> None:
    """Make ``DecompressionBombWarning`` raise (see module docstring for why global).

    Checked on every call because test runners and ``catch_warnings`` blocks
    restore the filter list behind our back; ``filterwarnings`` de-duplicates.
    """
    ours = ("error", None, Image.DecompressionBombWarning, None, 0)
    for entry in warnings.filters:
        if issubclass(Image.DecompressionBombWarning, entry[2]):
            if entry == ours:
                return
            break
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


def _reraise_disk_errors(exc: BaseException) -> None:
    if isinstance(exc, OSError) and exc.errno is not None:
        raise exc
