"""Field types shared by the sync request schemas.

Values stay JSON-native strings (timestamps are validated, not converted) so
that what a device sent is stored and hashed exactly as sent -- the content
hash of a submission must not depend on how a parser re-formats a date.
"""
from __future__ import annotations

from datetime import datetime, timezone

from marshmallow import ValidationError, fields, validate

SHA256_PATTERN = r"^[0-9a-f]{64}$"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"
BUCKET_PATTERN = r"^(defs|site:[A-Za-z0-9_.-]{1,100}|user:[A-Za-z0-9_.-]{1,100})$"


class Sha256(fields.String):
    def __init__(self, **kw):
        super().__init__(validate=validate.Regexp(SHA256_PATTERN,
                                                  error="Not a sha256: 64 lowercase hex digits."),
                         metadata={"example": "9f86d081884c7d659a2feaa0c55ad015"
                                              "a3bf4f1b2b0b822cd15d6c15b0f00a08"}, **kw)


class Id(fields.String):
    """A client- or server-generated id (UUID, ULID, 32 hex...)."""

    def __init__(self, **kw):
        super().__init__(validate=validate.Regexp(ID_PATTERN, error="Not a valid id."), **kw)


# Device clocks are trusted only this far: a reset clock reads 1970, and
# anything past 2100 is a broken or hostile one. Within the window, a stamp
# corrected by any measured clock offset still stays a valid datetime.
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)


def timestamp_error(value) -> str | None:
    """Why ``value`` is not a device timestamp we keep (None: it is one)."""
    if not isinstance(value, str) or len(value) > 64:
        return "Not an ISO-8601 timestamp."
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return "Not an ISO-8601 timestamp."
    if parsed.tzinfo is None:
        return "Timestamp needs a UTC offset."
    if not EARLIEST <= parsed < LATEST:
        return f"Timestamp must lie between {EARLIEST.year} and {LATEST.year}."
    return None


class Timestamp(fields.String):
    """An ISO-8601 timestamp with a UTC offset, kept as the string the device sent."""

    def _deserialize(self, value, attr, data, **kw):
        text = super()._deserialize(value, attr, data, **kw)
        error = timestamp_error(text)
        if error is not None:
            raise ValidationError(error)
        return text


class StrictInt(fields.Integer):
    def __init__(self, **kw):
        super().__init__(strict=True, **kw)


def parse_timestamp(text: str | None) -> datetime | None:
    """Lenient parse for device clocks: None for anything unusable."""
    if not text or timestamp_error(text) is not None:
        return None
    return datetime.fromisoformat(text)
