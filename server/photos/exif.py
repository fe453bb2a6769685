"""Facts the patrol engine needs from a photo's EXIF: when, where, which way up.

EXIF is written by whatever camera app the device runs and is often wrong or
damaged, while the photo itself is still good evidence. So nothing here
raises: each value that cannot be trusted is dropped and a warning says why,
and the photo goes on through intake without it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from PIL import ExifTags, Image

_T = ExifTags.Base
_GPS = ExifTags.GPS

#: Which timestamp tags we try, best first, each with its UTC-offset companion.
_TIME_TAGS = (
    (_T.DateTimeOriginal, _T.SubsecTimeOriginal, _T.OffsetTimeOriginal),
    (_T.DateTimeDigitized, _T.SubsecTimeDigitized, _T.OffsetTimeDigitized),
    (_T.DateTime, _T.SubsecTime, _T.OffsetTime),
)


@dataclass(frozen=True, slots=True)
class GpsFix:
    """Where the camera says it was. ``time`` is the satellite clock (UTC), when
    recorded: an independent check on the device's own clock."""

    lat: float
    lon: float
    alt: float | None = None
    time: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExifFacts:
    """What EXIF told us. ``taken_at`` is naive (camera local time, zone unknown)
    unless the camera recorded its UTC offset; ``orientation`` is the EXIF
    orientation actually applied to derived images (1 when absent or invalid)."""

    taken_at: datetime | None = None
    orientation: int = 1
    gps: GpsFix | None = None
    camera: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


def read_exif_facts(image: Image.Image) -> ExifFacts:
    """Extract capture time, GPS, orientation and camera from ``image``'s EXIF."""
    warnings: list[str] = []
    try:
        exif = image.getexif()
        base = dict(exif)
        sub = dict(exif.get_ifd(ExifTags.IFD.Exif))
        gps_ifd = dict(exif.get_ifd(ExifTags.IFD.GPSInfo))
    except Exception as exc:  # noqa: BLE001 - any damage means "no EXIF", never a refusal
        return ExifFacts(warnings=(f"EXIF unreadable, ignored ({type(exc).__name__})",))
    return ExifFacts(
        taken_at=_taken_at({**base, **sub}, warnings),
        orientation=_orientation(base.get(_T.Orientation), warnings),
        gps=_gps_fix(gps_ifd, warnings) if gps_ifd else None,
        camera=_camera(base),
        warnings=tuple(warnings),
    )


def _orientation(value: Any, warnings: list[str]) -> int:
    if value is None:
        return 1
    if type(value) is int and 1 <= value <= 8:
        return value
    warnings.append(f"EXIF orientation {_short_repr(value)} is not 1-8; ignored")
    return 1


def _taken_at(tags: dict[int, Any], warnings: list[str]) -> datetime | None:
    for time_tag, subsec_tag, offset_tag in _TIME_TAGS:
        raw = tags.get(time_tag)
        if raw is None:
            continue
        parsed = _parse_exif_datetime(raw)
        if parsed is None:
            warnings.append(f"EXIF time {_short_repr(raw)} is not a date; ignored")
            continue
        parsed = parsed.replace(microsecond=_subsec_micros(tags.get(subsec_tag)))
        offset = _parse_offset(tags.get(offset_tag))
        return parsed.replace(tzinfo=offset) if offset else parsed
    return None


def _parse_exif_datetime(raw: Any) -> datetime | None:
    text = _text(raw)
    if text is None:
        return None
    try:
        return datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def _subsec_micros(raw: Any) -> int:
    digits = _text(raw) or ""
    if not digits.isdigit():
        return 0
    return int(digits[:6].ljust(6, "0"))


def _parse_offset(raw: Any) -> timezone | None:
    text = _text(raw)
    if not text or len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        hours, minutes = int(text[1:3]), int(text[4:6])
    except ValueError:
        return None
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _gps_fix(gps: dict[int, Any], warnings: list[str]) -> GpsFix | None:
    lat = _degrees(gps.get(_GPS.GPSLatitude), _text(gps.get(_GPS.GPSLatitudeRef)), "NS", 90)
    lon = _degrees(gps.get(_GPS.GPSLongitude), _text(gps.get(_GPS.GPSLongitudeRef)), "EW", 180)
    if lat is None or lon is None:
        warnings.append("EXIF GPS position incomplete or invalid; ignored")
        return None
    if lat == 0 and lon == 0:
        warnings.append("EXIF GPS position 0,0 is a missing fix; ignored")
        return None
    return GpsFix(lat=round(lat, 7), lon=round(lon, 7), alt=_altitude(gps), time=_gps_time(gps))


def _degrees(value: Any, ref: str | None, refs: str, limit: float) -> float | None:
    if ref is None or ref.upper() not in refs or not isinstance(value, tuple) or len(value) != 3:
        return None
    try:
        d, m, s = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    if not math.isfinite(degrees) or min(d, m, s) < 0 or degrees > limit:
        return None
    return -degrees if ref.upper() == refs[1] else degrees


def _altitude(gps: dict[int, Any]) -> float | None:
    try:
        alt = float(gps[_GPS.GPSAltitude])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not math.isfinite(alt) or abs(alt) > 100_000:
        return None
    below_sea = gps.get(_GPS.GPSAltitudeRef) in (1, b"\x01")
    return round(-alt if below_sea else alt, 2)


def _gps_time(gps: dict[int, Any]) -> datetime | None:
    date_text, hms = _text(gps.get(_GPS.GPSDateStamp)), gps.get(_GPS.GPSTimeStamp)
    if not date_text or not isinstance(hms, tuple) or len(hms) != 3:
        return None
    try:
        day = datetime.strptime(date_text[:10], "%Y:%m:%d")
        h, m, s = (float(part) for part in hms)
        moment = day + timedelta(hours=h, minutes=m, seconds=s)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if not (0 <= h < 24 and 0 <= m < 60 and 0 <= s < 61):
        return None
    return moment.replace(tzinfo=timezone.utc)


def _camera(base: dict[int, Any]) -> str | None:
    parts = [_text(base.get(_T.Make)), _text(base.get(_T.Model))]
    name = " ".join(part for part in parts if part)
    return name[:100] or None


def _text(raw: Any) -> str | None:
    """EXIF ASCII as a clean str: cameras pad with NULs and spaces, some write bytes."""
    if isinstance(raw, bytes):
        raw = raw.decode("ascii", "replace")
    if not isinstance(raw, str):
        return None
    text = raw.replace("\x00", "").strip()
    return text or None


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
