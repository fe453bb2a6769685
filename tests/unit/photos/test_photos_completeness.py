"""A header that claims more pixels than the file's data holds is refused."""
from __future__ import annotations

import zlib

import pytest

from server.photos import PhotoRefused, inspect_photo

from .samples import claiming_size, encode, noisy_picture, png_bomb, write
from .test_photos_intake import SMALL


@pytest.mark.parametrize("fmt, params", [("JPEG", {}), ("JPEG", {"progressive": True}),
                                         ("PNG", {})])
def test_a_small_picture_under_a_huge_header_is_refused_as_truncated(tmp_path, fmt, params):
    small = encode(noisy_picture(320, 240), fmt, **params)
    liar = write(tmp_path, "liar", claiming_size(small, 6000, 6000))
    with pytest.raises(PhotoRefused) as caught:
        inspect_photo(liar, SMALL)
    assert caught.value.code == "truncated"
    assert f"truncated {fmt}" in caught.value.reason and "6000×6000" in caught.value.reason


@pytest.mark.parametrize("fmt, mode, params", [
    ("JPEG", "RGB", {"quality": 5}), ("JPEG", "L", {"quality": 5}),
    ("JPEG", "RGB", {"quality": 5, "subsampling": 0}),
    ("JPEG", "RGB", {"quality": 5, "progressive": True}),
    ("PNG", "RGBA", {}), ("PNG", "P", {}), ("PNG", "1", {}), ("PNG", "I;16", {}),
    ("PNG", "RGB", {"compress_level": 9})])
def test_flat_images_that_compress_to_almost_nothing_are_still_whole(tmp_path, fmt, mode,
                                                                     params):
    """The floor is what any complete stream needs, so the flattest picture passes."""
    flat = noisy_picture(1, 1).resize((1500, 1000)).convert(mode)
    info = inspect_photo(write(tmp_path, "flat", encode(flat, fmt, **params)), SMALL)
    assert (info.width, info.height) == (1500, 1000)


def test_a_png_whose_stream_stops_early_is_refused_even_when_it_ends_cleanly(tmp_path):
    """Pillow leaves the missing rows black and says nothing."""
    rows = b"".join(b"\x00" + bytes(3 * 100) for _ in range(40))  # 40 of 100 rows
    data = bytearray(png_bomb(100, 100))
    start = data.index(b"IDAT") - 4
    end = data.index(b"IEND") - 4
    body = zlib.compress(rows)
    chunk = (len(body).to_bytes(4, "big") + b"IDAT" + body
             + zlib.crc32(b"IDAT" + body).to_bytes(4, "big"))
    with pytest.raises(PhotoRefused) as caught:
        inspect_photo(write(tmp_path, "short.png", bytes(data[:start]) + chunk
                            + bytes(data[end:])), SMALL)
    assert caught.value.code == "truncated"
