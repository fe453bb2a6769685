"""The watermark band of a ``stamped`` photo, like Chinese patrol apps print:
big time, date and weekday, then site, checkpoint or item, inspector and GPS.

The stamp is drawn on a derived copy only; the original stays untouched. Its
time is the server-corrected device time the caller passes in, not EXIF.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PIL import Image, ImageDraw

from .exif import GpsFix
from .fonts import AnyFont, FontBook

_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: Field labels; the Latin set is used when the CJK font is missing, so the
#: stamp stays readable instead of turning into boxes.
_LABELS_ZH = {"site": "地点", "checkpoint": "检查点", "inspector": "巡检人",
              "gps": "坐标"}
_LABELS_EN = {"site": "Site", "checkpoint": "Checkpoint", "inspector": "Inspector",
              "gps": "GPS"}
_MAX_FIELD_CHARS = 120

#: The band darkens what is under it to 53 %: blending with black at alpha
#: 120/255, done as a per-channel lookup table (3x faster than ImageDraw's blend).
_DARKEN = [round(v * (255 - 120) / 255) for v in range(256)] * 3
_ACCENT = (255, 196, 0, 255)
_TEXT = (255, 255, 255, 255)


@dataclass(frozen=True, slots=True)
class StampInfo:
    """What the stamp says. ``time`` should be timezone-aware (it is printed in
    its own zone, with the offset), or None when no stored time was usable
    (the stamp then says so); ``checkpoint`` is the checkpoint or the
    checklist item the photo proves."""

    time: datetime | None
    site: str
    checkpoint: str
    inspector: str
    gps: GpsFix | None = None

    def __post_init__(self) -> None:
        if self.time is not None and not isinstance(self.time, datetime):
            raise TypeError("StampInfo.time must be a datetime or None, "
                            f"not {type(self.time).__name__}")
        for name in ("site", "checkpoint", "inspector"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"StampInfo.{name} must be a str")
        if self.gps is not None and not isinstance(self.gps, GpsFix):
            raise TypeError("StampInfo.gps must be a GpsFix or None")

    def digest(self) -> str:
        """A stable hash naming the rendering of this stamp in the cache."""
        gps = None if self.gps is None else [self.gps.lat, self.gps.lon]
        when = None if self.time is None else self.time.isoformat()
        canonical = json.dumps([when, self.site, self.checkpoint,
                                self.inspector, gps], ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def draw_stamp(image: Image.Image, stamp: StampInfo, fonts: FontBook) -> None:
    """Draw the band across the bottom of ``image`` (RGB, modified in place)."""
    width, height = image.size
    unit = max(10, round(min(width, height * 0.75) * 0.032))
    margin, gap = unit, unit // 3
    small, big = fonts.get(unit), fonts.get(round(unit * 2.2))
    cjk = fonts.has_cjk_font
    labels = _LABELS_ZH if cjk else _LABELS_EN
    lines = [f"{labels['site']}: {_clean(stamp.site)}",
             f"{labels['checkpoint']}: {_clean(stamp.checkpoint)}",
             f"{labels['inspector']}: {_clean(stamp.inspector)}"]
    if stamp.gps is not None:
        lines.append(f"{labels['gps']}: {_format_gps(stamp.gps)}")

    clock, date_line, zone_line = _time_lines(stamp.time, cjk)

    line_height = unit + gap
    header_height = round(unit * 2.2) + gap
    band_height = margin + header_height + gap + line_height * len(lines) + margin // 2
    top = max(0, height - band_height)
    image.paste(image.crop((0, top, width, height)).point(_DARKEN), (0, top))
    draw = ImageDraw.Draw(image, "RGBA")

    x, y = margin, top + margin
    draw.rectangle((x, y, x + max(2, unit // 5), y + header_height - gap), fill=_ACCENT)
    x += unit // 2
    draw.text((x, y), fonts.renderable(clock, big), font=big, fill=_TEXT, anchor="la")
    side_x = x + big.getlength(clock) + unit // 2
    room = width - side_x - margin
    for offset, text in ((0, date_line), (unit + gap, zone_line)):
        _fitted_text(draw, (side_x, y + offset + gap // 2), text, small, room, fonts)
    y += header_height + gap
    for line in lines:
        _fitted_text(draw, (margin, y), line, small, width - 2 * margin, fonts)
        y += line_height


def _time_lines(when: datetime | None, cjk: bool) -> tuple[str, str, str]:
    """The big clock, the date with weekday, and seconds with the UTC offset."""
    if when is None:
        return "--:--", "时间未知" if cjk else "time unknown", ""
    weekday = (_WEEKDAYS_ZH if cjk else _WEEKDAYS_EN)[when.weekday()]
    return (when.strftime("%H:%M"), f"{when:%Y-%m-%d} {weekday}",
            f"{when:%H:%M:%S} {_zone(when)}".rstrip())


def _fitted_text(draw: ImageDraw.ImageDraw, at: tuple[float, float], text: str, font: AnyFont,
                 room: float, fonts: FontBook) -> None:
    text, ellipsis = fonts.renderable(text, font), fonts.renderable("…", font)
    if room <= 0:
        return
    if font.getlength(text) > room:
        low, high = 0, len(text)
        while low < high:  # longest prefix that fits with the ellipsis
            mid = (low + high + 1) // 2
            if font.getlength(text[:mid] + ellipsis) <= room:
                low = mid
            else:
                high = mid - 1
        text = text[:low] + ellipsis if low else ""
    draw.text(at, text, font=font, fill=_TEXT, anchor="la")


def _clean(value: Any) -> str:
    """One line of at most ``_MAX_FIELD_CHARS`` printable characters."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(value))
    return " ".join(text.split())[:_MAX_FIELD_CHARS]


def _format_gps(gps: GpsFix) -> str:
    lat = f"{abs(gps.lat):.6f}°{'N' if gps.lat >= 0 else 'S'}"
    lon = f"{abs(gps.lon):.6f}°{'E' if gps.lon >= 0 else 'W'}"
    return f"{lat}, {lon}"


def _zone(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
