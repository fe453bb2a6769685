"""The results list (filters, sort, keyset pages, a count) and its CSV.

Both stand on ``result_queries.list_results``, the service behind
``GET /api/v1/results``: the user's sites bound every row.
"""
from __future__ import annotations

from flask import render_template, request

from server.services.accounts.sites import sites_for
from server.services.accounts.users import users_by_ids
from server.extensions import get_store
from server.repositories.results import MAX_LIMIT, SORTS
from server.services import definitions, result_queries
from server.services.errors import Invalid

from .csv_export import csv_response
from .i18n import know_site_zones, label, site_time
from .pages import SUPERVISING, page, page_blueprint
from .result_filters import DEFAULT_SORT, PAGE_SIZE, REVIEW_STATES, filter_query

bp = page_blueprint("web_results", __name__)

#: a count the monthly totals cannot give is shown as "more than this" beyond it
COUNT_UP_TO = 5000
CSV_COLUMNS = ("id", "site", "checklist", "version", "submitted_at", "inspector", "score",
               "percent", "band", "review_state", "flagged", "photos")


def checklist_choices(store) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(definition ids with titles, band ids with labels) of the published checklists."""
    checklists, bands = {}, {}
    for doc in definitions.all_published(store):
        body = doc["definition"]
        checklists.setdefault(body["id"], label(body.get("title")))
        for band in (body.get("scoring") or {}).get("bands", ()):
            bands.setdefault(band["id"], label(band.get("label")))
    return sorted(checklists.items()), sorted(bands.items())


@bp.get("/results")
@page(*SUPERVISING)
def list_results(actor):
    store = get_store()
    problems, status = {}, 200
    try:
        query = filter_query(store, actor, request.args)
        body = result_queries.list_results(store, actor,
                                           {**query, "limit": PAGE_SIZE, "count": True},
                                           count_up_to=COUNT_UP_TO)
    except Invalid as exc:
        problems, status = exc.messages, 400
        body = {"items": [], "next_cursor": None, "total": None, "total_over": False}
    checklists, bands = checklist_choices(store)
    filters = request.args.to_dict(flat=False)
    filters.pop("cursor", None)
    sites = sites_for(store, actor)
    know_site_zones(sites)
    return render_template(
        "web/results.html", rows=body["items"], total=body.get("total"),
        total_over=body["total_over"],
        next_cursor=body["next_cursor"], filters=filters, problems=problems,
        sites=sites, site_codes={s["id"]: s["code"] for s in sites}, checklists=checklists,
        bands=bands, sorts=SORTS,
        sort=request.args.get("sort") or DEFAULT_SORT, band_names=dict(bands),
        review_states=REVIEW_STATES,
        people=users_by_ids(store, {r["inspector"] for r in body["items"]})), status


@bp.get("/results.csv")
@page(*SUPERVISING)
def results_csv(actor):
    """Every row the filters select (all pages)."""
    store = get_store()
    query = filter_query(store, actor, request.args)
    query.pop("cursor", None)
    first = result_queries.list_results(store, actor, {**query, "limit": MAX_LIMIT})
    codes = {s["id"]: s["code"] for s in sites_for(store, actor)}

    def rows():
        body = first
        while True:
            people = users_by_ids(store, {r["inspector"] for r in body["items"]})
            for r in body["items"]:
                yield (r["id"], codes.get(r["site_id"], r["site_id"]), r["definition_id"],
                       r["definition_version"], site_time(r["submitted_at"], r["site_id"]),
                       people.get(r["inspector"], {}).get("username", r["inspector"]),
                       r["score"], r["percent"], r["band"], r["review_state"], r["flagged"],
                       r["media"])
            if body["next_cursor"] is None:
                return
            body = result_queries.list_results(
                store, actor, {**query, "limit": MAX_LIMIT, "cursor": body["next_cursor"]})

    return csv_response("results.csv", CSV_COLUMNS, rows())
