"""Languages (Flask-Babel, zh and en catalogues) and times shown in a site's zone.

The language is the one the user chose (kept on their record and copied
into the session at login), else the browser's ``Accept-Language``, else
Chinese. Times are stored in UTC; pages show them in the zone of the site
they belong to (``checklists.timezones``), with the offset, so a supervisor
covering sites in two zones is never misled.
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta

from flask import Flask, current_app, g, request, session
from flask_babel import Babel, format_timedelta, get_locale
from flask_babel import gettext as _

from checklists.timezones import to_site_local
from server.services.accounts.sites import site_timezone
from server.services.accounts.users import LANGUAGES
from server.extensions import get_store

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}  # each in its own language
LANGUAGE_KEY = "lang"
TRANSLATIONS = os.path.join(os.path.dirname(__file__), "translations")


def select_locale() -> str:
    chosen = session.get(LANGUAGE_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def language() -> str:
    """``zh`` or ``en``: which half of a bilingual label (``{"zh", "en"}``) to show."""
    return str(get_locale() or LANGUAGES[0])[:2]


def label(value) -> str:
    """The current language's text of a bilingual label (falls back to Chinese)."""
    if isinstance(value, dict):
        return value.get(language()) or value.get("zh") or next(iter(value.values()), "")
    return "" if value is None else str(value)


def site_zone(site_id: str | None) -> str:
    """The IANA zone of a site, read once per request."""
    zones = g.setdefault("web_site_zones", {})
    if site_id not in zones:
        site = get_store().get("sites", site_id) if site_id else None
        zones[site_id] = site_timezone(site.doc if site else None,
                                       current_app.config["DEFAULT_TIMEZONE"])
    return zones[site_id]


def know_site_zones(sites) -> None:
    """Note the zones of sites the page has read already, so ``site_zone`` need not
    read each again (one store read per site per page otherwise)."""
    zones = g.setdefault("web_site_zones", {})
    for site in sites:
        zones.setdefault(site["id"], site_timezone(site, current_app.config["DEFAULT_TIMEZONE"]))


def site_time(value: str | None, site_id: str | None) -> str:
    """A stored UTC instant as the site's wall-clock time with its offset."""
    if not value:
        return ""
    try:
        local = to_site_local(datetime.fromisoformat(value), site_zone(site_id))
    except (TypeError, ValueError, OverflowError):
        return str(value)  # shown as stored rather than hidden: it is evidence
    return local.strftime("%Y-%m-%d %H:%M ") + local.isoformat(timespec="minutes")[-6:]


def time_left(seconds: int | None) -> str:
    """A clock's seconds to its deadline as words: "2 days left", or "5 hours overdue"."""
    if seconds is None:
        return "–"
    span = format_timedelta(timedelta(seconds=abs(seconds)), threshold=1.5)
    return _("%(span)s overdue", span=span) if seconds < 0 else _("%(span)s left", span=span)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LANGUAGES[0])
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["site_time"] = site_time
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["time_left"] = time_left
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["language"] = language
