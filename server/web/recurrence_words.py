"""A patrol schedule's RFC 5545 rule to and from words a supervisor uses.

The schedule form asks for times of day (or "every N minutes between two
hours") and weekdays, and builds the rule the schedule stores; the set-up
page reads a stored rule back as words. Rules of other shapes (written
through the API) are shown as stored: better exact than a wrong paraphrase.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from server.services.errors import Invalid

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = dict(zip(DAY_CODES, (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"),
                                 _l("Sat"), _l("Sun"))))
WEEKDAYS = [SelectChoice(code, DAY_NAMES[code]) for code in DAY_CODES]
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_KNOWN = {"FREQ", "INTERVAL", "BYHOUR", "BYMINUTE", "BYDAY"}


def _frequency(days: list[str]) -> str:
    return f"FREQ=WEEKLY;BYDAY={','.join(days)}" if days else "FREQ=DAILY"


def daily_rule(text: str, days: list[str]) -> tuple[str, str]:
    """The rule of "22:00, 00:00, 02:00" (on ``days``; none: daily) and its first time.

    One rule gives every hour with every minute listed, so all times must share
    their minutes; other times need a second schedule.
    """
    parts = [p.strip() for p in re.split(r"[,，、\s]+", text) if p.strip()]
    if not parts:
        raise Invalid({"times": [_("Give at least one time, e.g. 22:00.")]})
    found = [_TIME.match(p) for p in parts]
    bad = [p for p, m in zip(parts, found) if m is None]
    if bad:
        raise Invalid({"times": [_("Not a time of day (HH:MM): %(times)s", times=", ".join(bad))]})
    hours = list(dict.fromkeys(int(m.group(1)) for m in found))
    minutes = {int(m.group(2)) for m in found}
    if len(minutes) > 1:
        raise Invalid({"times": [_("All times need the same minutes (22:00, 00:00, 02:00); "
                                   "make another schedule for the others.")]})
    minute = minutes.pop()
    rule = f"{_frequency(days)};BYHOUR={','.join(map(str, hours))};BYMINUTE={minute}"
    return rule, f"{hours[0]:02d}:{minute:02d}"


def interval_rule(every_min: int, from_hour: int | None, to_hour: int | None,
                  days: list[str]) -> str:
    """Every ``every_min`` minutes, in the hours from ``from_hour`` to ``to_hour`` (included,
    through midnight if it is smaller), on ``days``."""
    rule = f"FREQ=MINUTELY;INTERVAL={every_min}"
    if from_hour is not None or to_hour is not None:
        start, end = from_hour or 0, 23 if to_hour is None else to_hour
        hours = range(start, end + 1) if start <= end else [*range(start, 24), *range(0, end + 1)]
        rule += f";BYHOUR={','.join(map(str, hours))}"
    if days:
        rule += f";BYDAY={','.join(days)}"
    return rule


def _parts(rule: str) -> dict[str, str] | None:
    body = rule.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:"):]
    try:
        parts = dict(p.split("=", 1) for p in body.upper().split(";") if p)
    except ValueError:
        return None
    return parts if set(parts) <= _KNOWN else None


def _hour_span(hours: list[int]) -> str:
    return _("%(start)02d:00–%(end)02d:59", start=hours[0], end=hours[-1])


def describe(rule: str, dtstart: str) -> str:
    """``rule`` (with the schedule's first local start) in words, or as stored."""
    parts = _parts(rule)
    if parts is None:
        return rule
    try:
        interval = int(parts.get("INTERVAL", "1"))
        hours = [int(h) for h in parts["BYHOUR"].split(",")] if "BYHOUR" in parts else None
        minutes = [int(m) for m in parts.get("BYMINUTE", dtstart[14:16] or "0").split(",")]
    except ValueError:
        return rule
    days = [DAY_NAMES.get(d, d) for d in parts["BYDAY"].split(",")] if "BYDAY" in parts else []
    on_days = ", ".join(str(d) for d in days)
    freq = parts.get("FREQ")
    if freq == "MINUTELY":
        words = _("every %(n)s minutes", n=interval)
        if hours:
            words += " " + _("between %(span)s", span=_hour_span(hours))
    elif freq in ("DAILY", "WEEKLY") and interval == 1 and (freq == "WEEKLY") == bool(days):
        hours = hours if hours is not None else [int(dtstart[11:13] or 0)]
        times = "、".join(f"{h:02d}:{m:02d}" for h in hours for m in minutes)
        words = _("at %(times)s", times=times)
    else:
        return rule
    return _("%(days)s: %(words)s", days=on_days, words=words) if days else \
        _("Every day: %(words)s", words=words)
