"""Draw validated markup (``AnnotationsSchema`` output) over an upright image.

Drawing uses ``ImageDraw.Draw(image, "RGBA")``, which blends colours with alpha
straight into the RGB image; compositing a full-size RGBA overlay instead
would cost about 40 ms per 3 MP image for the few pixels a mark covers.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from PIL import Image, ImageColor, ImageDraw

from .fonts import FontBook

Point = tuple[float, float]


def draw_markup(image: Image.Image, annotations: Mapping[str, Any], fonts: FontBook) -> None:
    """Draw every shape of ``annotations`` onto ``image`` (RGB, modified in place)."""
    draw = ImageDraw.Draw(image, "RGBA")
    long_side = max(image.size)
    for shape in annotations["shapes"]:
        points = [(x * (image.width - 1), y * (image.height - 1)) for x, y in shape["points"]]
        color = ImageColor.getrgb(shape["color"])
        stroke = max(1, round(shape["width"] * long_side))
        kind = shape["type"]
        if kind == "text":
            _label(draw, points[0], shape["text"], color, round(shape["size"] * long_side), fonts)
        elif kind in ("rect", "ellipse"):
            box = _box(points[0], points[1])
            if kind == "rect":
                draw.rectangle(box, outline=color, width=stroke)
            else:
                draw.ellipse(box, outline=color, width=stroke)
        elif kind == "arrow":
            _arrow(draw, points[0], points[1], color, stroke)
        else:
            _stroke(draw, points, color, stroke)


def _box(a: Point, b: Point) -> tuple[float, float, float, float]:
    """Pillow wants (left, top, right, bottom); devices send any two opposite corners."""
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def _stroke(draw: ImageDraw.ImageDraw, points: Sequence[Point], color: tuple[int, ...],
            width: int) -> None:
    """A polyline with round joints and round caps, like a finger-drawn stroke."""
    draw.line(list(points), fill=color, width=width, joint="curve")
    radius = width / 2
    if width > 2:
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=color)


def _arrow(draw: ImageDraw.ImageDraw, tail: Point, tip: Point, color: tuple[int, ...],
           width: int) -> None:
    """A shaft ending in a filled triangle at ``tip``. The head is sized from the
    stroke but never longer than half the shaft, so a short arrow is still an
    arrow, and the shaft stops at the head's base so it cannot poke out."""
    dx, dy = tip[0] - tail[0], tip[1] - tail[1]
    shaft = math.hypot(dx, dy)
    if shaft < 1:
        _stroke(draw, [tail, tip], color, width)
        return
    length = min(max(width * 5, 12), shaft / 2)
    ux, uy = dx / shaft, dy / shaft
    base = (tip[0] - ux * length, tip[1] - uy * length)
    half = max(length * 0.6, width)
    _stroke(draw, [tail, (base[0] + ux, base[1] + uy)], color, width)
    draw.polygon([tip, (base[0] - uy * half, base[1] + ux * half),
                  (base[0] + uy * half, base[1] - ux * half)], fill=color)


def _label(draw: ImageDraw.ImageDraw, at: Point, text: str, color: tuple[int, ...],
           size: int, fonts: FontBook) -> None:
    """Text with a contrasting outline so it reads on any background."""
    font = fonts.get(size)
    text = fonts.renderable(text, font)
    outline = (0, 0, 0) if sum(color[:3]) > 382 else (255, 255, 255)
    draw.multiline_text(at, text, font=font, fill=color, stroke_width=max(1, size // 12),
                        stroke_fill=outline + color[3:])
