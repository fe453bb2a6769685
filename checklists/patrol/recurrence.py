"""RFC 5545 recurrence on a site's wall clock, via python-dateutil's rrule.

A schedule's rule runs on *naive local* date-times (``22:00, 00:00, 02:00 …``
on the site's clock) and each start is placed in the IANA zone afterwards,
the way RFC 5545 §3.3.5 reads local times: a time that does not exist (the
hour skipped when clocks go forward) is read with the offset from before the
gap, so 02:30 becomes 03:30; a time that happens twice (clocks go back) is
the first of the two. Two local starts that land on the same instant (02:00
and 03:00 on the spring-forward night) give one round, not two.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

#: rounds a schedule may produce on one local day: one every 15 minutes
MAX_ROUNDS_PER_DAY = 96
#: days from ``dtstart`` the per-day ceiling is checked over when a schedule is loaded
CHECK_DAYS = 8
# a rule's text holds the RRULE value only: DTSTART, EXDATE... come from the schedule's fields
_FORBIDDEN = ("DTSTART", "RDATE", "EXDATE", "EXRULE", "\n", "\r")


class RuleError(ValueError):
    """A recurrence rule cannot be used; the message says why (no field name)."""


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; :class:`RuleError` if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise RuleError(f"unknown IANA time zone {name!r}") from None


def parse_rule(text: str, dtstart: datetime) -> rrule:
    """The rrule of ``text`` (``FREQ=DAILY;BYHOUR=22,0,2``, an optional ``RRULE:``) from
    the naive local ``dtstart``."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:"):]
    upper = body.upper()
    for word in _FORBIDDEN:
        if word in upper:
            shown = word if word.strip() else "a line break"
            raise RuleError(f"give only the RRULE value ({shown} is not allowed here)")
    if "FREQ=" not in upper:
        raise RuleError("an RRULE needs FREQ=, e.g. FREQ=DAILY;BYHOUR=22,0,2,4;BYMINUTE=0")
    if "UNTIL=" in upper and "Z" in upper.split("UNTIL=", 1)[1].split(";", 1)[0]:
        raise RuleError("UNTIL is on the site's clock: write it without Z")
    try:
        rule = rrulestr(body, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, IndexError) as err:
        raise RuleError(f"not a valid RRULE: {err}") from None
    if not isinstance(rule, rrule):
        raise RuleError("give one RRULE")
    return rule


def _capped(starts: Iterator[datetime]) -> Iterator[datetime]:
    """``starts`` unchanged; :class:`RuleError` once a local day has too many of them."""
    per_day: Counter = Counter()
    for start in starts:
        day = start.date()
        per_day[day] += 1
        if per_day[day] > MAX_ROUNDS_PER_DAY:
            raise RuleError(f"produces more than {MAX_ROUNDS_PER_DAY} rounds on {day} "
                            f"(at most one every 15 minutes)")
        yield start


def check_rounds_per_day(rule: rrule, dtstart: datetime, days: int = CHECK_DAYS) -> None:
    """Refuse a rule producing more than :data:`MAX_ROUNDS_PER_DAY` rounds on a local day
    within ``days`` of its start (stops counting as soon as one day is over)."""
    end = dtstart + timedelta(days=days)
    for start in _capped(rule.xafter(dtstart, inc=True)):
        if start >= end:
            return


def local_starts(rule: rrule, tz: ZoneInfo, since: datetime, until: datetime
                 ) -> Iterator[tuple[datetime, datetime]]:
    """``(naive local start, UTC start)`` of every round starting in ``[since, until)`` (UTC).

    Searches one extra day of local time on each side, since a zone's offset moves the
    local window; starts mapping onto an instant already given are dropped.
    """
    local_from = since.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
    local_to = until.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    seen: set[datetime] = set()
    for local in _capped(rule.xafter(local_from, inc=True)):
        if local > local_to:
            return
        # fold=0 (replace keeps it): the earlier of a repeated hour; a skipped time keeps the
        # offset from before the gap, which is RFC 5545's reading
        instant = local.replace(tzinfo=tz).astimezone(UTC)
        if since <= instant < until and instant not in seen:
            seen.add(instant)
            yield local, instant
