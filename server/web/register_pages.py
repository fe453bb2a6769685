"""The month's liability summary (``/liability``, its CSV) and the key-household register
(``/households``): supervisors of the site and admins only.

Both stand on the services the API uses: ``liability.monthly_summary`` and
``households`` -- whose full-record read writes its audit entry in the same
transaction, so opening a household here is logged like an API read. The
register's list shows only where and why (no personal fields), as the API's.
Opening a file needs an approved access request (seed 001 §4.8): each line
of the register has a "request access" form, and the site's lead or an admin
sees the pending requests above the register with approve / refuse.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from checklists.households import LABELS
from checklists.households.access import APPROVED
from server.services.accounts.records import utc_now
from server.services.accounts.sites import sites_for
from server.extensions import get_store
from server.services import household_access, households, liability
from server.services.errors import NotFound
from server.services.workflow_settings import liability_split

from .csv_export import csv_response
from .forms import AccessDecisionForm, AccessRequestForm
from .i18n import site_time, site_zone
from .list_filters import chosen_site
from .pages import SUPERVISING, error_page, page, page_blueprint

bp = page_blueprint("web_registers", __name__)
REGISTER_PAGE = 200
HOUSEHOLD_COLUMNS = ("id", "site", "building", "unit", "checkpoint_tag", "categories",
                     "updated")


def _my_site(store, actor, site_id: str | None) -> tuple[dict | None, list[dict]]:
    """The named site among the user's (404 for another), or None when none is named."""
    sites = sites_for(store, actor)
    if not site_id:
        return None, sites
    site = next((s for s in sites if s["id"] == site_id), None)
    if site is None:
        raise NotFound("no such site among yours")
    return site, sites


def _summary(actor):
    store = get_store()
    site, sites = _my_site(store, actor, request.args.get("site"))
    month = request.args.get("month") or datetime.now(timezone.utc).astimezone(
        ZoneInfo(site_zone(site["id"] if site else None))).strftime("%Y-%m")
    body = liability.monthly_summary(
        store, actor, month=month, site_ids=[site["id"]] if site else [],
        split=liability_split(current_app.config),
        default_zone=current_app.config["DEFAULT_TIMEZONE"])
    return body, site, sites


@bp.get("/liability")
@page(*SUPERVISING)
def liability_page(actor):
    """The month's deductions by department and person, sanctions and joint liability."""
    body, site, sites = _summary(actor)
    return render_template("web/liability.html", summary=body, site=site, sites=sites)


@bp.get("/liability.csv")
@page(*SUPERVISING)
def liability_csv(actor):
    body, _site, _sites = _summary(actor)
    return Response(liability.summary_csv(body), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="liability-{body["month"]}.csv"'})


@bp.get("/households")
@page(*SUPERVISING)
def register(actor):
    """The site's register as a list of where and why; opening one is audited."""
    store = get_store()
    site, sites = chosen_site(store, actor, request.args.get("site"))
    listed = households.list_households(store, actor, site["id"],
                                        cursor=request.args.get("cursor"), limit=REGISTER_PAGE)
    pending = (household_access.pending_requests(store, actor, site["id"])
               if household_access.may_decide_at(store, actor, site["id"]) else None)
    return render_template("web/households.html", site=site, sites=sites,
                           rows=listed["items"], next_cursor=listed["next_cursor"],
                           labels=LABELS, pending=pending)


@bp.get("/households.csv")
@page(*SUPERVISING)
def register_csv(actor):
    """The register's list as on the page: where and why, no personal fields."""
    store = get_store()
    site, _sites = chosen_site(store, actor, request.args.get("site"))
    first = households.list_households(store, actor, site["id"], cursor=None,
                                       limit=REGISTER_PAGE)  # refused before the download

    def rows():
        listed = first
        while True:
            for h in listed["items"]:
                yield (h["id"], site["code"], h["building"], h["unit"], h.get("checkpoint_tag"),
                       " ".join(str(LABELS.get(c, c)) for c in h["categories"]),
                       site_time(h["updated_at"], site["id"]))
            if listed["next_cursor"] is None:
                return
            listed = households.list_households(store, actor, site["id"],
                                                cursor=listed["next_cursor"],
                                                limit=REGISTER_PAGE)

    return csv_response(f"households-{site['code']}.csv", HOUSEHOLD_COLUMNS, rows())


@bp.get("/households/<site_id>/<household_id>")
@page(*SUPERVISING)
def household(actor, site_id, household_id):
    store = get_store()
    site, _sites = _my_site(store, actor, site_id)
    record = households.get_household(store, actor, site_id, household_id, at=utc_now(),
                                      door=f"web {request.method} {request.path}")
    return render_template("web/household.html", site=site, record=record, labels=LABELS)


@bp.post("/households/<site_id>/<household_id>/access-requests")
@page(*SUPERVISING)
def request_access(actor, site_id, household_id):
    """Register a request to read the file; the site's lead or an admin decides it."""
    form = AccessRequestForm()
    if not form.validate_on_submit():
        return error_page(400, errors=form.errors)
    _my_site(get_store(), actor, site_id)
    household_access.request_access(get_store(), actor, site_id, household_id,
                                    {"reason": form.reason.data}, at=utc_now(),
                                    door=f"web {request.method} {request.path}")
    flash(_("Access requested; the site's lead or an admin decides it."))
    return redirect(url_for("web_registers.register", site=site_id))


@bp.post("/households/<site_id>/access-requests/<request_id>/decision")
@page()
def decide_access(actor, site_id, request_id):
    form = AccessDecisionForm()
    if not form.validate_on_submit():
        return error_page(400, errors=form.errors)
    decided = household_access.decide_access(
        get_store(), actor, site_id, request_id,
        {"approve": form.decision.data == "approve", "reason": form.reason.data},
        at=utc_now(), hours=household_access.access_hours(current_app.config),
        door=f"web {request.method} {request.path}")
    flash(_("Request approved.") if decided["status"] == APPROVED else _("Request refused."))
    return redirect(url_for("web_registers.register", site=site_id))
