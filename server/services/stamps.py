"""What a ``stamped`` photo says, read from whatever the stored result holds.

Stamps are evidence that supervisors print, so a stamp must render for every
stored result, including ones written before ``client_ts`` was validated at
push: a device time that is no date, or that a clock offset pushes outside
the years 1-9999, falls back to the server's receive time, and when even that
is unusable the stamp says the time is unknown. Times are shown in the site's
time zone with its offset (``checklists.timezones``).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

from checklists.timezones import UnknownTimezone, to_site_local
from server.services.accounts.sites import site_timezone
from server.photos import GpsFix, StampInfo
from server.store import Store

from . import definitions
from .errors import NotFound

#: What a stored time may be that ``datetime`` cannot take: junk text, a
#: number, a list, or a value beyond year 9999 once corrected.
_UNUSABLE_TIME = (TypeError, ValueError, OverflowError, UnknownTimezone)


def stamp_for(store: Store, result: dict, photo: dict, default_timezone: str) -> StampInfo:
    """The watermark facts of ``photo`` as cited by ``result``."""
    submitted = _mapping(result.get("submitted"))
    site_id = _text(result.get("site_id"))
    site = store.get("sites", site_id) if site_id else None
    user_id = _text(submitted.get("by"))
    user = store.get("users", user_id) if user_id else None
    tz_name = site_timezone(site.doc if site else None, default_timezone)
    return StampInfo(time=_stamp_time(photo, submitted, tz_name),
                     site=site.doc["name"] if site else str(site_id or "?"),
                     checkpoint=_what_it_proves(store, result, _text(photo.get("item"))),
                     inspector=user.doc["username"] if user else "?",
                     gps=_gps(result.get("gps")))


def _stamp_time(photo: dict, submitted: dict, tz_name: str) -> datetime | None:
    """Device time corrected by the device's clock offset at that sync, else the
    server's receive time, in the site's zone; None when neither is usable."""
    device_time = photo.get("taken_at") or submitted.get("device_ts")
    candidates: list[Callable[[], datetime]] = [
        lambda: _parse(device_time) + timedelta(
            milliseconds=_offset_ms(submitted.get("clock_offset_ms"))),
        lambda: _parse(submitted.get("at")),
    ]
    for candidate in candidates if device_time else candidates[1:]:
        try:
            return to_site_local(candidate(), tz_name)
        except _UNUSABLE_TIME:
            continue
    return None


def _parse(value: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError("a stored time is not text")
    return datetime.fromisoformat(value)  # naive means UTC (``to_site_local``)


def _offset_ms(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("a stored clock offset is not an integer")
    return value


def _what_it_proves(store: Store, result: dict, item_id: str | None) -> str:
    """The checklist item the photo documents, by its Chinese label when known."""
    checklist = _mapping(result.get("checklist"))
    checklist_id, version = _text(checklist.get("id")), checklist.get("version")
    if checklist_id is None or not isinstance(version, int):
        return item_id or "?"
    try:
        definition = definitions.definition_for_result(store, checklist_id, version)
    except NotFound:
        return item_id or checklist_id
    item = definition.items_by_id.get(item_id) if item_id else None
    return item.label.zh if item is not None else definition.title.zh


def _gps(value: Any) -> GpsFix | None:
    """A fix only when both coordinates are numbers in range."""
    if not isinstance(value, dict):
        return None
    lat, lon = value.get("lat"), value.get("lon")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return GpsFix(lat=float(lat), lon=float(lon))


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
