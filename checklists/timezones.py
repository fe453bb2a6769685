"""Site time zones: every time is stored in UTC and shown in the site's zone.

A site names its IANA zone (``Asia/Shanghai``); stamps, patrol schedules and
reports turn stored UTC instants into the site's wall-clock time with
``to_site_local``. Pure (standard library ``zoneinfo`` only) so the device,
the server and later schedule code share one definition.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_TIMEZONE = "Asia/Shanghai"
#: Names the tz database accepts that are no place: ``localtime`` is whatever
#: the server machine is set to, which would move with the server.
_NOT_A_PLACE = frozenset({"localtime"})


class UnknownTimezone(ValueError):
    """Not an IANA time zone name; the message says so and gives an example."""


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_A_PLACE


def check_timezone(name: object) -> str:
    """``name`` if it is an IANA zone name this machine knows, else ``UnknownTimezone``.

    Membership in the tz database's list (not just ``ZoneInfo(name)``) keeps
    out paths and files that happen to parse, like ``posixrules``.
    """
    if not isinstance(name, str) or name not in _known_zones():
        raise UnknownTimezone(f"{name!r} is not an IANA time zone name "
                              f"(like {DEFAULT_TIMEZONE!r} or 'UTC')")
    return name


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` of a checked name (cached: rules are read from disk once)."""
    try:
        return ZoneInfo(check_timezone(name))
    except ZoneInfoNotFoundError as exc:  # listed but its file vanished
        raise UnknownTimezone(str(exc)) from None


def to_site_local(instant: datetime, timezone_name: str) -> datetime:
    """The wall-clock time at the site for a UTC instant, as an aware datetime.

    A naive ``instant`` is taken as UTC (how the store keeps times); an aware
    one is converted from its own offset. Raises ``UnknownTimezone`` for a bad
    name and ``OverflowError`` when the local time falls outside the years
    1-9999 that ``datetime`` can hold.
    """
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(zone(timezone_name))
