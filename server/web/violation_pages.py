"""Residents' violations for managers (``/violations``, its CSV): a site's records, of one
month (the site's calendar) or all, through ``services.violations`` like the API.

The CSV is the page's list; the month-end copy for finance stays the API's
(``services.violations.finance_copy``), whose columns finance expects.
"""
from __future__ import annotations

from flask import render_template, request
from marshmallow import Schema, fields, validate

from server.extensions import get_store
from server.services import violations

from .csv_export import csv_response
from .i18n import site_time
from .list_filters import chosen_site, load_filters
from .pages import SUPERVISING, page, page_blueprint

bp = page_blueprint("web_violations", __name__)
CSV_COLUMNS = ("id", "site", "unit", "kind", "severity", "description", "remedies",
               "compensation_amount", "rectify_by", "recorded_at", "month", "keep_until")


class ViolationFilterArgs(Schema):
    site = fields.String(validate=validate.Length(max=100))
    month = fields.String(validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$",
                                                   error="Give the month as YYYY-MM."))


def _listed(actor) -> dict:
    store = get_store()
    query = load_filters(ViolationFilterArgs(), request.args)
    site, sites = chosen_site(store, actor, query.get("site"))
    rows = violations.list_violations(store, actor, site["id"], query.get("month"))[::-1]
    return {"site": site, "sites": sites, "query": query, "rows": rows}


@bp.get("/violations")
@page(*SUPERVISING)
def violation_list(actor):
    return render_template("web/violations.html", **_listed(actor),
                           filters=request.args.to_dict())


@bp.get("/violations.csv")
@page(*SUPERVISING)
def violations_csv(actor):
    found = _listed(actor)
    site = found["site"]
    rows = ((v["id"], site["code"], v["unit"], v["kind"], v["severity"], v["description"],
             "; ".join(v["remedies"]), v["compensation_amount"], v["rectify_by"],
             site_time(v["recorded_at"], site["id"]), v["month"], v["retention"]["keep_until"])
            for v in found["rows"])
    return csv_response(f"violations-{site['code']}.csv", CSV_COLUMNS, rows)
