"""Patrol for supervisors: a site's rounds of a day with their verdicts and the missed-round
alerts (``/patrol``), and one round (``/patrol/rounds/<id>``): its scans against the
expected windows, per-checkpoint verdicts and anti-fraud flags with their evidence.

Read through ``services.patrol.reports`` -- the patrol API's reports -- so
scope is the API's; another site is not found, as on every page.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import render_template, request

from server.extensions import get_store
from server.services.errors import Invalid
from server.services.patrol import reports

from .csv_export import csv_response
from .i18n import site_zone
from .list_filters import chosen_site
from .pages import SUPERVISING, page, page_blueprint
from .patrol_visits import round_visits

bp = page_blueprint("web_patrol", __name__)
ROUND_COLUMNS = ("id", "site", "local_start", "route", "status", "start_status", "on_time",
                 "stops", "punctuality", "flags", "walked_later_by")


def _site_and_day(store, actor) -> tuple[dict, list[dict], str]:
    """The chosen site (default: the first of the user's) and day (default: its today)."""
    site, sites = chosen_site(store, actor, request.args.get("site"))
    day = request.args.get("day") or datetime.now(timezone.utc).astimezone(
        ZoneInfo(site_zone(site["id"]))).date().isoformat()
    try:
        date.fromisoformat(day)
    except ValueError:
        raise Invalid({"day": ["Give a date as YYYY-MM-DD."]}, "query") from None
    return site, sites, day


@bp.get("/patrol")
@page(*SUPERVISING)
def rounds_of_day(actor):
    store = get_store()
    site, sites, day = _site_and_day(store, actor)
    return render_template(
        "web/patrol.html", site=site, sites=sites, day=day,
        rounds=reports.rounds_of_day(store, actor, site["id"], day),
        alerts=reports.alerts_of_day(store, actor, site["id"], day))


def clock_of(zone: str):
    """Epoch seconds (how verdicts store times) as the round's local wall-clock time."""
    tz = ZoneInfo(zone)

    def clock(epoch_s: float | None) -> str:
        if epoch_s is None:
            return "–"
        return datetime.fromtimestamp(epoch_s, timezone.utc).astimezone(tz).strftime("%H:%M:%S")
    return clock


@bp.get("/patrol.csv")
@page(*SUPERVISING)
def rounds_csv(actor):
    """The day's rounds, then its missed-round alerts (``missed``, and whether one came later)."""
    store = get_store()
    site, _sites, day = _site_and_day(store, actor)
    rounds = reports.rounds_of_day(store, actor, site["id"], day)
    alerts = reports.alerts_of_day(store, actor, site["id"], day)
    rows = [(r["id"], site["code"], r["local_start"], r["verdict"]["route_id"],
             r["verdict"]["status"], r["verdict"].get("start_status"), r["verdict"]["on_time"],
             r["verdict"]["stops"], r["verdict"]["punctuality"],
             " ".join(f["code"] for f in r["verdict"]["flags"]), None) for r in rounds]
    rows += [(a["occurrence_id"], site["code"], a["local_start"], a["route_id"], "missed",
              None, None, None, None, None, a["late_round_id"]) for a in alerts]
    return csv_response(f"patrol-{site['code']}-{day}.csv", ROUND_COLUMNS, rows)


@bp.get("/patrol/rounds/<round_id>")
@page(*SUPERVISING)
def round_page(actor, round_id):
    found = reports.get_round(get_store(), actor, round_id)
    return render_template("web/patrol_round.html", round=found, verdict=found["verdict"],
                           visits=round_visits(get_store(), actor, found),
                           clock=clock_of(found["verdict"]["timezone"]))
