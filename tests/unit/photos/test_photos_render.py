"""Markup and stamp drawing: marks land where the normalised coordinates say,
Chinese renders as Chinese, and a missing font degrades with a warning."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image, ImageChops

from server.photos import AnnotationsSchema, GpsFix, PhotoConfig, StampInfo
from server.photos.config import DEFAULT_FONT_PATH
from server.photos.fonts import FontBook
from server.photos.markup import draw_markup
from server.photos.stamp import draw_stamp

WHITE, RED = (255, 255, 255), (255, 0, 0)
CJK = FontBook(PhotoConfig())
STAMP = StampInfo(time=datetime(2024, 5, 6, 14, 32, 10, tzinfo=timezone(timedelta(hours=8))),
                  site="阳光花园 3期", checkpoint="东门消防通道", inspector="张伟",
                  gps=GpsFix(31.230416, 121.473701))


def drawn(shapes, size=(400, 300), fonts=CJK) -> Image.Image:
    image = Image.new("RGB", size, WHITE)
    draw_markup(image, AnnotationsSchema().load({"shapes": shapes}), fonts)
    return image


def ink(image: Image.Image, box=None) -> int:
    """How many pixels in ``box`` differ from white."""
    region = image.crop(box) if box else image
    diff = ImageChops.difference(region, Image.new("RGB", region.size, WHITE)).convert("L")
    return sum(diff.histogram()[41:])


def test_cjk_font_is_installed():
    assert CJK.has_cjk_font, (f"no CJK font at {DEFAULT_FONT_PATH}: "
                              "apt-get install fonts-wqy-microhei")


def test_rect_outline_lands_at_its_normalised_corners():
    image = drawn([{"type": "rect", "points": [[0.75, 0.8], [0.25, 0.2]], "color": "#ff0000",
                    "width": 0.01}])
    assert image.getpixel((100, 150)) == RED    # left edge, x = 0.25 × 399
    assert image.getpixel((299, 150)) == RED    # right edge
    assert image.getpixel((200, 60)) == RED     # top edge, y = 0.2 × 299
    assert image.getpixel((200, 150)) == WHITE  # inside stays clear
    assert image.getpixel((50, 150)) == WHITE


def test_same_markup_scales_with_the_image():
    shape = [{"type": "ellipse", "points": [[0.1, 0.2], [0.9, 0.8]], "color": "#ff0000"}]
    for width, height in ((200, 150), (800, 600), (3000, 1000)):
        image = drawn(shape, (width, height))
        column = [image.getpixel((width // 2, y)) for y in range(height)]
        top = column.index(RED)
        bottom = height - 1 - column[::-1].index(RED)
        assert top == pytest.approx(0.2 * (height - 1), abs=1)
        assert bottom == pytest.approx(0.8 * (height - 1), abs=1)


def test_arrow_has_a_head_wider_than_its_shaft_at_the_tip():
    image = drawn([{"type": "arrow", "points": [[0.1, 0.5], [0.9, 0.5]], "color": "#ff0000",
                    "width": 0.01}], size=(500, 200))
    tip_x, y = round(0.9 * 499), round(0.5 * 199)
    shaft = sum(image.getpixel((150, row)) == RED for row in range(200))
    head = sum(image.getpixel((tip_x - 20, row)) == RED for row in range(200))
    assert shaft >= 4 and head > 2 * shaft
    assert image.getpixel((tip_x - 4, y)) == RED
    assert image.getpixel((tip_x + 3, y)) == WHITE


def test_alpha_colour_blends_with_the_photo():
    image = drawn([{"type": "line", "points": [[0, 0.5], [1, 0.5]], "color": "#ff000080",
                    "width": 0.02}])
    red, green, blue = image.getpixel((200, 150))
    assert red == 255 and 110 < green < 145 and 110 < blue < 145


def test_freehand_of_the_maximum_size_draws_its_path():
    points = [[i / 1999, 0.5 + 0.3 * ((i // 100) % 2)] for i in range(2000)]
    image = drawn([{"type": "freehand", "points": points, "color": "#0000ff"}])
    assert image.getpixel((10, 150)) == (0, 0, 255)
    assert image.getpixel((60, 239)) == (0, 0, 255)


def test_chinese_label_renders_real_glyphs_not_boxes():
    """Missing glyphs all draw as the same box, so two different characters
    rendering identically means the font has no Chinese."""
    def label(text):
        return drawn([{"type": "text", "points": [[0.1, 0.1]], "text": text,
                       "color": "#000000", "size": 0.2}])
    crack, seam = label("裂"), label("缝")
    assert ink(crack) > 200
    assert ImageChops.difference(crack, seam).getbbox() is not None


def test_label_sits_at_its_anchor():
    image = drawn([{"type": "text", "points": [[0.5, 0.5]], "text": "Exit 出口",
                    "color": "#000000", "size": 0.08}])
    assert ink(image, (0, 0, 195, 300)) == 0 and ink(image, (0, 0, 400, 145)) == 0
    assert ink(image, (200, 150, 400, 300)) > 100


def test_stamp_band_sits_at_the_bottom_with_its_text():
    image = Image.new("RGB", (1500, 2000), WHITE)
    draw_stamp(image, STAMP, CJK)
    assert ink(image, (0, 0, 1500, 1500)) == 0
    band_top = next(y for y in range(2000) if image.getpixel((1499, y)) != WHITE)
    assert 1400 < band_top < 1900
    assert ink(image, (0, band_top, 1500, 2000)) > 0.9 * 1500 * (2000 - band_top)


@pytest.mark.parametrize("size", [(1500, 2000), (2048, 1536), (64, 48), (3, 2)])
def test_stamp_fits_any_size_and_long_values_are_cut(size):
    stamp = StampInfo(time=datetime(2024, 5, 6, 14, 32), site="很长的站点名称" * 200,
                      checkpoint="a\nb\tc\x00d", inspector="", gps=None)
    image = Image.new("RGB", size, WHITE)
    draw_stamp(image, stamp, CJK)
    assert image.size == size


def missing_font(tmp_path) -> FontBook:
    return FontBook(PhotoConfig(font_path=str(tmp_path / "no-such-font.ttc")))


def test_missing_font_falls_back_with_a_clear_warning(tmp_path, caplog):
    fonts = missing_font(tmp_path)
    with caplog.at_level(logging.WARNING, logger="server.photos.fonts"):
        stamped = Image.new("RGB", (800, 600), WHITE)
        draw_stamp(stamped, STAMP, fonts)
        labelled = drawn([{"type": "text", "points": [[0.1, 0.1]], "text": "裂缝 crack"}],
                         fonts=fonts)
    assert not fonts.has_cjk_font
    assert ink(labelled) > 0 and ink(stamped) > 0
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once per path, not once per label
    assert str(tmp_path / "no-such-font.ttc") in warnings[0]
    assert "fonts-wqy-microhei" in warnings[0]


def test_unreadable_font_file_falls_back_too(tmp_path, caplog):
    bogus = tmp_path / "bogus.ttc"
    bogus.write_bytes(b"not a font")
    fonts = FontBook(PhotoConfig(font_path=str(bogus)))
    with caplog.at_level(logging.WARNING, logger="server.photos.fonts"):
        draw_stamp(Image.new("RGB", (800, 600), WHITE), STAMP, fonts)
    assert "bogus.ttc" in caplog.text


def test_stamp_labels_switch_to_latin_without_the_cjk_font(tmp_path):
    """Without the font the field names would be boxes; Latin ones stay readable.
    Compare against the same stamp with the real font: the labels differ."""
    with_font, without = Image.new("RGB", (800, 600), WHITE), Image.new("RGB", (800, 600), WHITE)
    latin_only = StampInfo(time=STAMP.time, site="Block 3", checkpoint="East door",
                           inspector="Zhang Wei", gps=None)
    draw_stamp(with_font, latin_only, CJK)
    draw_stamp(without, latin_only, missing_font(tmp_path))
    assert ImageChops.difference(with_font, without).getbbox() is not None


@pytest.mark.parametrize("field, value, message", [
    ("time", "2024-05-06 14:32", "StampInfo.time must be a datetime or None, not str"),
    ("site", None, "StampInfo.site must be a str"),
    ("gps", (31.2, 121.4), "StampInfo.gps must be a GpsFix or None"),
])
def test_stamp_info_names_a_wrong_field(field, value, message):
    fields = {"time": STAMP.time, "site": "s", "checkpoint": "c", "inspector": "i", "gps": None}
    with pytest.raises(TypeError, match=message):
        StampInfo(**{**fields, field: value})
