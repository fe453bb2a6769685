"""EXIF facts: capture time, GPS, orientation -- and damaged EXIF never refusing a photo."""
from __future__ import annotations

import os
import struct
from datetime import datetime, timedelta, timezone

import pytest
from PIL.TiffImagePlugin import IFDRational

from server.photos import PhotoConfig, inspect_photo
from server.photos.intake import decode_for_display

from .samples import encode, exif_bytes, quadrant_picture, raw_exif, write

SMALL = PhotoConfig(display_long_side=256, thumb_long_side=64)
SHANGHAI_GPS = {1: "N", 2: (31.0, 13.0, 49.4976), 3: "E", 4: (121.0, 28.0, 25.3236),
                5: b"\x00", 6: 12.5, 7: (6.0, 30.0, 15.0), 29: "2024:05:06"}


def photo_with_exif(tmp_path, exif: bytes, fmt: str = "JPEG"):
    return write(tmp_path, "p", encode(quadrant_picture(120, 90), fmt, exif=exif))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_capture_time_gps_and_camera_are_read(tmp_path, fmt):
    exif = exif_bytes(6, base={0x010F: "Xiaomi", 0x0110: "Redmi Note 12"},
                      exif={0x9003: "2024:05:06 14:30:00", 0x9011: "+08:00", 0x9291: "25"},
                      gps=SHANGHAI_GPS)
    facts = inspect_photo(photo_with_exif(tmp_path, exif, fmt), SMALL).exif
    assert facts.taken_at == datetime(2024, 5, 6, 14, 30, 0, 250000,
                                      tzinfo=timezone(timedelta(hours=8)))
    assert facts.orientation == 6
    assert facts.camera == "Xiaomi Redmi Note 12"
    assert (facts.gps.lat, facts.gps.lon, facts.gps.alt) == (31.230416, 121.473701, 12.5)
    assert facts.gps.time == datetime(2024, 5, 6, 6, 30, 15, tzinfo=timezone.utc)
    assert facts.warnings == ()


def test_record_is_plain_json_types(tmp_path):
    exif = exif_bytes(6, exif={0x9003: "2024:05:06 14:30:00"}, gps=SHANGHAI_GPS)
    record = inspect_photo(photo_with_exif(tmp_path, exif), SMALL).to_record()
    assert record["taken_at"] == "2024-05-06T14:30:00"  # no offset recorded: camera local time
    assert record["gps"] == {"lat": 31.230416, "lon": 121.473701, "alt": 12.5,
                             "time": "2024-05-06T06:30:15+00:00"}
    assert (record["width"], record["height"]) == (120, 90)
    assert (record["oriented_width"], record["oriented_height"]) == (90, 120)


def test_southern_western_and_below_sea_level_are_negative(tmp_path):
    gps = {1: "S", 2: (33.0, 52.0, 4.0), 3: "W", 4: (70.0, 40.0, 0.0), 5: b"\x01", 6: 28.0}
    fix = inspect_photo(photo_with_exif(tmp_path, exif_bytes(gps=gps)), SMALL).exif.gps
    assert fix.lat == pytest.approx(-33.867778, abs=1e-6)
    assert fix.lon == pytest.approx(-70.666667, abs=1e-6)
    assert fix.alt == -28.0


def test_date_time_falls_back_to_ifd0_datetime(tmp_path):
    exif = exif_bytes(base={0x0132: "2023:12:31 23:59:59\x00"})
    assert inspect_photo(photo_with_exif(tmp_path, exif), SMALL).exif.taken_at == \
        datetime(2023, 12, 31, 23, 59, 59)


@pytest.mark.parametrize("gps, why", [
    ({1: "N", 2: (IFDRational(31, 0), 13.0, 4.0), 3: "E", 4: (121.0, 0.0, 0.0)}, "invalid"),
    ({1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (121.0, 0.0, 0.0)}, "invalid"),
    ({1: "X", 2: (31.0, 0.0, 0.0), 3: "E", 4: (121.0, 0.0, 0.0)}, "invalid"),
    ({1: "N", 2: (31.0, 0.0, 0.0)}, "incomplete"),
    ({1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)}, "missing fix"),
])
def test_unusable_gps_is_dropped_with_a_warning(tmp_path, gps, why):
    facts = inspect_photo(photo_with_exif(tmp_path, exif_bytes(gps=gps)), SMALL).exif
    assert facts.gps is None
    assert any("GPS" in w and why in w for w in facts.warnings)


def test_unreadable_capture_time_is_dropped_with_a_warning(tmp_path):
    exif = exif_bytes(exif={0x9003: "0000:00:00 00:00:00"})
    facts = inspect_photo(photo_with_exif(tmp_path, exif), SMALL).exif
    assert facts.taken_at is None
    assert facts.warnings == ("EXIF time '0000:00:00 00:00:00' is not a date; ignored",)


def test_orientation_9_is_ignored_and_the_photo_kept(tmp_path):
    decoded = decode_for_display(photo_with_exif(tmp_path, exif_bytes(9)), SMALL)
    assert decoded.info.exif.orientation == 1
    assert decoded.display.size == (120, 90)
    assert decoded.info.exif.warnings == ("EXIF orientation 9 is not 1-8; ignored",)


@pytest.mark.parametrize("entry", [
    (0x0112, 2, 2, b"6\x00"),                      # orientation as text
    (0x0112, 3, 1, struct.pack("<H", 65535)),      # orientation out of range
    (0x0112, 3, 1, struct.pack("<H", 0)),          # orientation 0
])
def test_mistyped_orientation_is_ignored(tmp_path, entry):
    decoded = decode_for_display(photo_with_exif(tmp_path, raw_exif([entry])), SMALL)
    assert decoded.info.exif.orientation == 1
    assert decoded.display.size == (120, 90)
    assert "orientation" in decoded.info.exif.warnings[0]


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns "Corrupt EXIF data"
@pytest.mark.parametrize("payload", [
    lambda: b"Exif\x00\x00" + os.urandom(300),
    lambda: b"Exif\x00\x00II*\x00\xff\xff\xff\x7f",            # IFD offset past the end
    lambda: raw_exif([(0x0112, 3, 1, b"\x06\x00"),              # valid orientation next to
                      (0x0132, 5, 1, struct.pack("<I", 9999)),  # a rational pointing nowhere
                      (0x8825, 4, 1, struct.pack("<I", 7777))]),  # and a GPS IFD nowhere
    lambda: b"Exif\x00\x00II",
])
def test_garbage_exif_never_refuses_the_photo(tmp_path, payload):
    decoded = decode_for_display(photo_with_exif(tmp_path, payload()), SMALL)
    assert decoded.info.format == "JPEG"
    assert decoded.display.mode == "RGB"
    assert decoded.info.exif.gps is None

