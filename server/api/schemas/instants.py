"""A query bound given as a date or a date-time, kept as the caller meant it.

marshmallow's ``DateTime`` reads ``2026-11-29`` as midnight, so a range
``to=2026-11-29`` silently left out the very day it names. Keeping a plain
date a ``date`` lets the service read it as a whole day (``through that day``).
"""
from __future__ import annotations

from datetime import date

from marshmallow import fields


class DateOrDateTime(fields.DateTime):
    """ISO date (a whole day) or ISO date-time; a plain date loads as a ``date``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass  # let DateTime name the error
        return super()._deserialize(value, attr, data, **kwargs)
