"""Intake: which files are accepted, and the reason given for each refusal."""
from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from server.photos import PhotoConfig, PhotoRefused, inspect_photo
from server.photos.intake import decode_for_display, draft_scale

from .samples import (QUADRANTS, STORE_FOR_ORIENTATION, encode, exif_bytes, heic_header,
                      noisy_picture, png_bomb, quadrant_colours, quadrant_picture, write)

SMALL = PhotoConfig(display_long_side=256, thumb_long_side=64)


def refusal(path, config=SMALL) -> PhotoRefused:
    with pytest.raises(PhotoRefused) as caught:
        inspect_photo(path, config)
    return caught.value


@pytest.mark.parametrize("fmt, media_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                             ("WEBP", "image/webp")])
def test_allowed_formats_are_accepted_with_their_size(tmp_path, fmt, media_type):
    path = write(tmp_path, "photo", encode(noisy_picture(300, 200), fmt))
    info = inspect_photo(path, SMALL)
    assert (info.format, info.media_type, info.width, info.height) == (fmt, media_type, 300, 200)


def test_zero_byte_file_is_refused(tmp_path):
    err = refusal(write(tmp_path, "empty.jpg", b""))
    assert (err.code, err.reason) == ("empty", "empty file (0 bytes)")


def test_random_bytes_named_jpg_are_not_an_image(tmp_path):
    err = refusal(write(tmp_path, "photo.jpg", os.urandom(4096).replace(b"\xff\xd8", b"\x00\x00")))
    assert err.code == "not_an_image"
    assert "not an image" in err.reason


@pytest.mark.parametrize("fmt, name", [("GIF", "GIF"), ("TIFF", "TIFF"), ("BMP", "BMP")])
def test_valid_images_in_other_formats_are_refused_by_name(tmp_path, fmt, name):
    err = refusal(write(tmp_path, "photo.jpg", encode(quadrant_picture(40, 30), fmt)))
    assert err.code == "unsupported_format"
    assert err.reason.startswith(f"unsupported format {name}")


def test_heic_is_refused_by_name(tmp_path):
    err = refusal(write(tmp_path, "IMG_0001.HEIC", heic_header()))
    assert (err.code, err.reason) == ("unsupported_format",
                                      "unsupported format HEIC (send JPEG, PNG or WebP)")


def test_png_bomb_is_refused_from_its_header_without_decoding(tmp_path):
    # 900 MP is past Pillow's own hard limit, which fires inside Image.open; its
    # IDAT is junk, so a decode would have said "damaged", not "exceeds".
    err = refusal(write(tmp_path, "bomb.png", png_bomb(30000, 30000)))
    assert (err.code, err.reason) == ("too_large", "image of 30000×30000 exceeds 50 MP")


def test_image_over_our_ceiling_but_under_pillows_is_refused_the_same_way(tmp_path):
    err = refusal(write(tmp_path, "big.png", png_bomb(8000, 7000)))  # 56 MP
    assert (err.code, err.reason) == ("too_large", "image of 8000×7000 exceeds 50 MP")


def test_jpeg_claiming_huge_dimensions_is_refused_from_its_header(tmp_path):
    data = bytearray(encode(noisy_picture(64, 48)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = (60000).to_bytes(2, "big") + (50000).to_bytes(2, "big")
    err = refusal(write(tmp_path, "bomb.jpg", bytes(data)))
    assert (err.code, err.reason) == ("too_large", "image of 50000×60000 exceeds 50 MP")


def test_pillows_bomb_warning_is_an_error_even_when_our_ceiling_is_higher(tmp_path):
    lenient = PhotoConfig(max_pixels=170_000_000)
    pixels = 10000 * 10000
    assert Image.MAX_IMAGE_PIXELS < pixels < 2 * Image.MAX_IMAGE_PIXELS  # warning band
    err = refusal(write(tmp_path, "big.png", png_bomb(10000, 10000)), lenient)
    assert err.code == "too_large"
    assert "10000×10000 exceeds Pillow's decompression-bomb limit" in err.reason


def test_pixel_ceiling_is_configurable(tmp_path):
    path = write(tmp_path, "photo.png", encode(noisy_picture(300, 200), "PNG"))
    err = refusal(path, PhotoConfig(max_pixels=50_000))
    assert err.reason == "image of 300×200 exceeds 0.05 MP"


def test_truncated_jpeg_passes_verify_but_is_refused(tmp_path):
    data = encode(noisy_picture(640, 480), quality=90)
    path = write(tmp_path, "cut.jpg", data[: len(data) // 2])
    with Image.open(path) as im:
        im.verify()  # why intake decodes instead: verify() is a no-op for JPEG
    assert (refusal(path).code, refusal(path).reason) == ("truncated", "truncated JPEG")


@pytest.mark.parametrize("keep", [0.3, 0.9, -2])
@pytest.mark.parametrize("progressive", [False, True])
def test_reduced_draft_decode_still_catches_truncation(tmp_path, keep, progressive):
    """The one decode intake does is a DCT-reduced one (here 1/4 scale); it
    still reads the whole entropy-coded stream, so a cut anywhere is caught,
    even one that only loses the end-of-image marker."""
    im = noisy_picture(1024, 768)
    assert draft_scale(im.size, SMALL) == 4
    data = encode(im, quality=90, progressive=progressive)
    whole = decode_for_display(write(tmp_path, "whole.jpg", data), SMALL)
    assert max(whole.display.size) == 256  # really took the reduced path
    cut = data[: int(len(data) * keep)] if keep > 0 else data[:keep]
    assert refusal(write(tmp_path, "cut.jpg", cut)).code == "truncated"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_truncated_png_and_webp_are_refused(tmp_path, fmt):
    data = encode(noisy_picture(320, 240), fmt)
    err = refusal(write(tmp_path, "cut", data[: len(data) * 2 // 3]))
    assert err.code in ("truncated", "damaged")
    assert fmt in err.reason


@pytest.mark.parametrize("offset", [10, 200, 2000])
def test_damaged_png_data_is_refused_as_damaged(tmp_path, offset):
    """Pillow's PNG decoder ignores chunk checksums, so a flipped byte that still
    inflates would pass a decode; intake checks the CRCs as well."""
    data = bytearray(encode(noisy_picture(64, 64), "PNG"))
    at = data.index(b"IDAT") + 4 + offset
    data[at] ^= 0x01
    err = refusal(write(tmp_path, "bad.png", bytes(data)))
    assert err.code == "damaged"
    assert err.reason.startswith("damaged PNG")


def test_missing_file_is_an_error_not_a_refusal(tmp_path):
    with pytest.raises(FileNotFoundError):
        inspect_photo(tmp_path / "gone", SMALL)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_display_copy_is_upright_for_every_exif_orientation(tmp_path, orientation):
    upright = quadrant_picture(400, 300)
    transform = STORE_FOR_ORIENTATION[orientation]
    stored = upright.transpose(transform) if transform is not None else upright
    path = write(tmp_path, "o.jpg", encode(stored, quality=95, exif=exif_bytes(orientation)))
    decoded = decode_for_display(path, SMALL)
    assert (decoded.info.oriented_width, decoded.info.oriented_height) == (400, 300)
    assert decoded.display.size == (256, 192)
    for quadrant, colour in quadrant_colours(decoded.display).items():
        assert all(abs(a - b) < 40 for a, b in zip(colour, QUADRANTS[quadrant])), quadrant


def test_small_image_is_not_enlarged(tmp_path):
    decoded = decode_for_display(write(tmp_path, "s.png", encode(quadrant_picture(50, 20), "PNG")),
                                 SMALL)
    assert decoded.display.size == (50, 20)


def test_extreme_aspect_ratio_decodes(tmp_path):
    path = write(tmp_path, "strip.jpg", encode(noisy_picture(4000, 3)))
    decoded = decode_for_display(path, SMALL)
    assert max(decoded.display.size) == 256 and min(decoded.display.size) >= 1


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "L", "1", "I;16", "CMYK"])
def test_every_pixel_mode_gives_an_rgb_display_copy(tmp_path, mode):
    src = quadrant_picture(80, 60)
    if mode == "I;16":
        im = src.convert("L").point(lambda v: v).convert("I").point(lambda v: v * 256)
        im = im.convert("I;16")
    elif mode in ("RGBA", "LA"):
        im = src.convert(mode)
        im.putalpha(Image.new("L", src.size, 0))  # fully transparent
    else:
        im = src.convert(mode)
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    decoded = decode_for_display(write(tmp_path, "m", encode(im, fmt)), SMALL)
    assert decoded.display.mode == "RGB"
    if mode in ("RGBA", "LA"):  # transparency is flattened on white, not black
        assert decoded.display.getpixel((5, 5)) == (255, 255, 255)
    if mode == "I;16":  # 16-bit grey keeps its tones instead of clipping to white
        assert decoded.display.getpixel((5, 5))[0] < 200


def test_multi_picture_jpeg_is_a_jpeg_and_uses_its_main_picture(tmp_path):
    """Phones write MPO (a JPEG with extra pictures, e.g. a depth map); Pillow
    names it "MPO", we keep calling it JPEG and show the first picture."""
    main, extra = quadrant_picture(1024, 768), Image.new("RGB", (1024, 768), "black")
    buf = io.BytesIO()
    main.save(buf, "MPO", save_all=True, append_images=[extra], exif=exif_bytes(6))
    decoded = decode_for_display(write(tmp_path, "p.jpg", buf.getvalue()), SMALL)
    assert (decoded.info.format, decoded.info.media_type) == ("JPEG", "image/jpeg")
    assert decoded.display.size == (192, 256)
    assert decoded.display.getpixel((150, 50))[0] > 200  # red quadrant, rotated to top right


def test_animated_png_uses_its_first_frame(tmp_path):
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, "PNG", save_all=True, append_images=frames[1:])
    decoded = decode_for_display(write(tmp_path, "a.png", buf.getvalue()), SMALL)
    assert decoded.display.getpixel((20, 20)) == (255, 0, 0)


@pytest.mark.parametrize("size, expected", [((4000, 3000), 2), ((8160, 6120), 4),
                                            ((3000, 2000), 1), ((100, 50), 1),
                                            ((20000, 3), 2), ((20000, 1), 1)])
def test_draft_scale_keeps_the_display_size_within_tolerance(size, expected):
    config = PhotoConfig()
    scale = draft_scale(size, config)
    assert scale == expected
    if scale > 1:
        assert -(-max(size) // scale) >= config.display_long_side * config.display_min_fraction
