"""The results of one site in one calendar month of the site's own time zone.

Monthly rules (liability counts, the composite score) go by the site's
calendar, while results are stored with UTC times: the query takes a day
more on each side and keeps the results whose local date falls in the month.
Only current versions count (an amended result replaces the one it supersedes).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from server.services.accounts.sites import site_timezone
from server.repositories.results import MAX_LIMIT, ResultFilter, ResultsRepository
from server.store.base import Reader
from sync.placement import RESULTS

from .errors import Invalid

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(month: str, field: str = "month") -> tuple[date, date]:
    """The first day of ``YYYY-MM`` and of the month after; ``Invalid`` naming ``field``."""
    found = _MONTH.match(month or "")
    if not found:
        raise Invalid({field: ["Give a month as YYYY-MM, e.g. 2026-11."]}, "query")
    first = date(int(found[1]), int(found[2]), 1)
    return first, (first + timedelta(days=32)).replace(day=1)


def month_of(instant: str, zone: str) -> str:
    """``YYYY-MM`` of a stored UTC time in ``zone``."""
    moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m")


def results_in_month(snap: Reader, site: dict[str, Any], month: str, default_zone: str, *,
                     definition: str | None = None) -> list[dict[str, Any]]:
    """The site's current results submitted in ``month`` (local time), oldest first."""
    first, after = parse_month(month)
    zone = site_timezone(site, default_zone)
    where = ResultFilter(scope=None, sites=(site["id"],), definition=definition,
                         date_from=_utc(first - timedelta(days=1)),
                         date_to=_utc(after + timedelta(days=1)))
    repo = ResultsRepository(snap)
    rows, cursor = [], None
    while True:
        page = repo.page(where, sort="submitted_at", cursor=cursor, limit=MAX_LIMIT)
        rows += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    docs = []
    for row in rows:
        record = snap.get(RESULTS, row["id"])
        if record is not None and month_of(record.doc["submitted"]["at"], zone) == month:
            docs.append(dict(record.doc))
    return docs


def _utc(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).isoformat()
