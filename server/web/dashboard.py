"""The dashboard: latest scores and bands per site, and each site's score trend."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from flask_babel import gettext as _

from server.services.accounts.sites import sites_for
from server.extensions import get_store
from server.services import result_queries
from server.services.page_reads import one_snapshot
from server.services.errors import NotFound

from .charts import heatmap_svg, trend_svg
from .dashboard_blocks import patrol_grid, site_blocks
from .i18n import know_site_zones, site_zone
from .pages import SUPERVISING, page, page_blueprint
from .results import checklist_choices

bp = page_blueprint("web_dashboard", __name__)
TREND_MONTHS = 12
LATEST_PER_SITE = 5


def month_span(today: date, count: int) -> list[str]:
    """The last ``count`` months up to ``today``'s, oldest first (``YYYY-MM``)."""
    index = today.year * 12 + today.month - 1
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(index - count + 1, index + 1)]


@bp.get("/dashboard")
@page(*SUPERVISING)
def dashboard(actor):
    """Across the user's sites, or one site with ``?site=<id>`` (404 for another's)."""
    with one_snapshot(get_store()) as store:
        return _dashboard(store, actor)


def _dashboard(store, actor):
    sites = sites_for(store, actor)
    chosen = request.args.get("site")
    if chosen:
        sites = [s for s in sites if s["id"] == chosen]
        if not sites:
            raise NotFound("no such site among yours")
    site_ids = [s["id"] for s in sites]
    know_site_zones(sites)
    latest = {sid: result_queries.list_results(
        store, actor, {"site": [sid], "limit": LATEST_PER_SITE})["items"] for sid in site_ids}
    months = month_span(date.today(), TREND_MONTHS)
    summary = result_queries.summarize_results(
        store, actor, {"site": site_ids, "from": date.fromisoformat(months[0] + "-01")}
    )["months"] if site_ids else []
    names = {s["id"]: s["name"] for s in sites}
    series: dict[str, list] = {names[sid]: [] for sid in site_ids}
    for row in summary:
        series[names[row["site_id"]]].append((row["month"], row["mean_score"]))
    chart = trend_svg(series, months=months, y_label=_("Mean score"),
                      font_path=current_app.config["PHOTO_FONT_PATH"])
    now = datetime.now(timezone.utc)
    blocks = {sid: site_blocks(store, actor, sid, now) for sid in site_ids}
    titles, bands = checklist_choices(store)
    return render_template("web/dashboard.html", sites=sites, chosen=chosen, latest=latest,
                           blocks=blocks, heat=_punctuality(store, actor, sites[0], now)
                           if chosen else None,
                           summary=summary, chart=chart, site_names=names,
                           titles=dict(titles), band_names=dict(bands))


def _punctuality(store, actor, site: dict, now: datetime) -> str | None:
    """One site's checkpoints × days heat map (a site's own page only: it reads 14 days of
    rounds), or None before any round was walked."""
    grid = patrol_grid(store, actor, site["id"],
                       now.astimezone(ZoneInfo(site_zone(site["id"]))).date())
    if not grid["rows"]:
        return None
    return heatmap_svg(grid["values"], rows=grid["rows"],
                       columns=[d[5:] for d in grid["columns"]], label=_("percent on time"),
                       font_path=current_app.config["PHOTO_FONT_PATH"])
