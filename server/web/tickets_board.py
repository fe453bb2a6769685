"""The tickets board (``/tickets``) by state and due date, and its CSV.

Both read ``services.tickets.list_tickets`` -- the API's listing, one
keyset page per read -- following its cursor up to ``BOARD_LIMIT`` tickets.
"""
from __future__ import annotations

from typing import Iterator

from flask import render_template, request

from checklists.actors import Actor
from server.services.accounts.sites import sites_for
from server.services.accounts.users import users_by_ids
from server.extensions import get_store
from server.services import tickets
from server.services.errors import Invalid

from .csv_export import csv_response
from .i18n import site_time
from .pages import SUPERVISING, page, page_blueprint
from .ticket_filters import TICKET_STATES, ticket_query

bp = page_blueprint("web_tickets_board", __name__)
PAGE = 200
BOARD_LIMIT = 1000
#: the board's columns, in the order the work flows
BOARD_ORDER = ("open", "reopened", "in_progress", "disputed", "fixed", "verified", "closed")
CSV_COLUMNS = ("id", "site", "title", "state", "priority", "assignee", "due_at", "overdue",
               "age_days", "result_id", "item")


def ticket_pages(store, actor: Actor, query: dict) -> Iterator[list[dict]]:
    """The pages of tickets ``query`` selects, as the listing service returns them."""
    cursor = None
    while True:
        body = tickets.list_tickets(store, actor, **query, cursor=cursor, limit=PAGE)
        yield body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return


def _due_key(ticket: dict) -> tuple:
    return (ticket.get("due_at") is None, ticket.get("due_at") or "")


@bp.get("/tickets")
@page(*SUPERVISING)
def board(actor):
    """Columns by state, each by due date (soonest first); overdue ones highlighted."""
    store = get_store()
    problems, status, shown = {}, 200, []
    try:
        query, sites = ticket_query(store, actor, request.args)
        for items in ticket_pages(store, actor, query):
            shown.extend(items)
            if len(shown) >= BOARD_LIMIT:
                break
    except Invalid as exc:
        problems, status, query, sites = exc.messages, 400, {}, sites_for(store, actor)
    columns = {state: sorted((t for t in shown if t["status"] == state), key=_due_key)
               for state in BOARD_ORDER}
    return render_template(
        "web/tickets.html", columns=columns, total=len(shown),
        truncated=len(shown) >= BOARD_LIMIT, sites=sites, query=query,
        filters=request.args.to_dict(), problems=problems, states=TICKET_STATES,
        people=users_by_ids(store, {t["assignee"] for t in shown if t.get("assignee")})), status


@bp.get("/tickets.csv")
@page(*SUPERVISING)
def board_csv(actor):
    """Every ticket the filters select."""
    store = get_store()
    query, sites = ticket_query(store, actor, request.args)
    codes = {s["id"]: s["code"] for s in sites}

    def rows():
        for items in ticket_pages(store, actor, query):
            people = users_by_ids(store, {t["assignee"] for t in items if t.get("assignee")})
            for t in items:
                yield (t["id"], codes.get(t["site_id"], t["site_id"]), t.get("title"),
                       t["status"], t.get("priority"),
                       people.get(t.get("assignee"), {}).get("username", t.get("assignee")),
                       site_time(t["due_at"], t["site_id"]) if t.get("due_at") else "",
                       t["overdue"], t["age_days"], t.get("result_id"), t.get("item"))

    return csv_response("tickets.csv", CSV_COLUMNS, rows())
