"""What intake learned about a photo: the record stored beside the original.

``PhotoInfo.to_record()`` is the JSON-friendly dict the photo record keeps
(and ``PhotoInfoSchema`` documents the same shape for OpenAPI); the patrol
engine reads ``taken_at`` and ``gps`` from it to compare with scan time and
checkpoint location.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields

from .exif import ExifFacts


@dataclass(frozen=True, slots=True)
class PhotoInfo:
    """Format and size as stored, plus the EXIF facts. ``width``/``height`` are
    the stored pixel grid; ``oriented_*`` is how it looks upright."""

    format: str
    media_type: str
    width: int
    height: int
    exif: ExifFacts

    @property
    def oriented_width(self) -> int:
        return self.height if self.exif.orientation >= 5 else self.width

    @property
    def oriented_height(self) -> int:
        return self.width if self.exif.orientation >= 5 else self.height

    def to_record(self) -> dict[str, Any]:
        """A plain dict of JSON types (datetimes as ISO 8601 strings)."""
        gps = self.exif.gps
        return {
            "format": self.format,
            "media_type": self.media_type,
            "width": self.width,
            "height": self.height,
            "oriented_width": self.oriented_width,
            "oriented_height": self.oriented_height,
            "orientation": self.exif.orientation,
            "taken_at": self.exif.taken_at.isoformat() if self.exif.taken_at else None,
            "gps": None if gps is None else {
                "lat": gps.lat, "lon": gps.lon, "alt": gps.alt,
                "time": gps.time.isoformat() if gps.time else None,
            },
            "camera": self.exif.camera,
            "warnings": list(self.exif.warnings),
        }


class GpsFixSchema(Schema):
    lat = fields.Float(required=True, metadata={"description": "Latitude, degrees north."})
    lon = fields.Float(required=True, metadata={"description": "Longitude, degrees east."})
    alt = fields.Float(allow_none=True, metadata={"description": "Metres above sea level."})
    time = fields.String(allow_none=True,
                         metadata={"description": "GPS satellite time (UTC, ISO 8601)."})


class PhotoInfoSchema(Schema):
    """Dumps ``PhotoInfo.to_record()``; documents the photo record's metadata."""

    format = fields.String(required=True, metadata={"enum": ["JPEG", "PNG", "WEBP"]})
    media_type = fields.String(required=True)
    width = fields.Integer(required=True, metadata={"description": "Stored pixel width."})
    height = fields.Integer(required=True, metadata={"description": "Stored pixel height."})
    oriented_width = fields.Integer(required=True,
                                    metadata={"description": "Width once EXIF-rotated upright."})
    oriented_height = fields.Integer(required=True)
    orientation = fields.Integer(required=True, metadata={
        "description": "EXIF orientation applied to derived images (1 = none or invalid)."})
    taken_at = fields.String(allow_none=True, metadata={
        "description": "EXIF capture time, ISO 8601; without offset it is camera local time."})
    gps = fields.Nested(GpsFixSchema, allow_none=True)
    camera = fields.String(allow_none=True, metadata={"description": "EXIF make and model."})
    warnings = fields.List(fields.String(), metadata={
        "description": "EXIF values that were ignored, and why."})
