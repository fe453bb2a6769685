"""Shrinking a decoded photo to the display size without full-size copies.

``Image.thumbnail`` on a 50 MP RGBA picture first converts all of it to
premultiplied RGBa (another 200 MB) and a P or 16-bit picture is converted
whole before it can be resampled at all. Here the integer box reduction that
``thumbnail`` does first (``reducing_gap`` 2) runs over horizontal bands:
each band is cropped, converted and reduced on its own, so the extra memory
is one band plus the reduced image, and only that small image is resampled
to the exact size. Band heights are multiples of the reduction factor, so the
result is the same as reducing the whole image at once.
"""
from __future__ import annotations

import math

from PIL import Image

#: Pixels per band: 4 M pixels is 16 MB of RGBA.
BAND_PIXELS = 1 << 22
REDUCING_GAP = 2.0


def fit(im: Image.Image, long_side: int) -> Image.Image:
    """``im`` shrunk to fit a square of ``long_side`` (never enlarged), in a mode
    that resamples well. May return ``im`` itself when nothing needed doing."""
    size = fitted_size(im.size, long_side)
    if size is None:
        return convert_for_resampling(im) if needs_conversion(im) else im
    factor_x = max(1, int(im.width / size[0] / REDUCING_GAP))
    factor_y = max(1, int(im.height / size[1] / REDUCING_GAP))
    if factor_x > 1 or factor_y > 1 or needs_conversion(im):
        im = _reduce_in_bands(im, factor_x, factor_y)
    return im.resize(size, Image.Resampling.BICUBIC)


def fitted_size(size: tuple[int, int], long_side: int) -> tuple[int, int] | None:
    """The size ``thumbnail((long_side, long_side))`` gives, or None if it fits."""
    width, height = size
    if width <= long_side and height <= long_side:
        return None
    aspect = width / height

    def round_aspect(number: float, key) -> int:
        return max(min(math.floor(number), math.ceil(number), key=key), 1)

    x = y = long_side
    if x / y >= aspect:
        x = round_aspect(y * aspect, key=lambda n: abs(aspect - n / y))
    else:
        y = round_aspect(x / aspect, key=lambda n: 0 if n == 0 else abs(aspect - x / n))
    return x, y


def needs_conversion(im: Image.Image) -> bool:
    return im.mode in ("1", "P") or im.mode.startswith("I;16")


def convert_for_resampling(im: Image.Image) -> Image.Image:
    if im.mode == "P":
        return im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode == "1":
        return im.convert("L")
    if im.mode.startswith("I;16"):
        # 16-bit greyscale: keep the top 8 bits instead of clipping everything to white.
        return im.convert("I").point(lambda value: value / 256).convert("L")
    return im


def _reduce_in_bands(im: Image.Image, factor_x: int, factor_y: int) -> Image.Image:
    rows = max(factor_y, BAND_PIXELS // max(1, im.width) // factor_y * factor_y)
    out: Image.Image | None = None
    for top in range(0, im.height, rows):
        band = convert_for_resampling(im.crop((0, top, im.width, min(im.height, top + rows))))
        if factor_x > 1 or factor_y > 1:
            band = band.reduce((factor_x, factor_y))
        if out is None:
            out = Image.new(band.mode, (-(-im.width // factor_x), -(-im.height // factor_y)))
        out.paste(band, (0, top // factor_y))
    assert out is not None  # an image has at least one row
    return out
