"""Plans for supervisors (``/plans``): a site's plan occurrences with their state and clock,
and its building-maintenance tasks with their due dates; each list with its CSV.

Read through ``services.plans.list_occurrences`` and
``services.maintenance.list_tasks`` -- the plans and maintenance API's
listings -- at one instant, so scope and states are the API's.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import render_template, request
from marshmallow import Schema, fields, validate

from checklists.plans.occurrences import STATES
from server.extensions import get_store
from server.services import maintenance, plans
from server.services.accounts.users import users_by_ids

from .csv_export import csv_response
from .i18n import label, site_time
from .list_filters import chosen_site, load_filters
from .pages import SUPERVISING, page, page_blueprint

bp = page_blueprint("web_plans", __name__)
OCCURRENCE_COLUMNS = ("id", "site", "plan", "name", "state", "start", "due_at", "closes_at",
                      "seconds_left", "assignee", "assignee_role", "result_id", "late")
TASK_COLUMNS = ("id", "site", "name", "team", "frequency", "mode", "due_on", "days_left",
                "overdue", "last_done_on")


class PlanFilterArgs(Schema):
    site = fields.String(validate=validate.Length(max=100))
    state = fields.String(validate=validate.OneOf(STATES))
    overdue = fields.Boolean(metadata={"description": "maintenance tasks past due only"})


def _last_done(task: dict) -> str | None:
    done = [c["done_on"] for c in task["completions"] if c["counts"]]
    return max(done) if done else None


def _read(actor, *, occurrences: bool = True, tasks: bool = True) -> dict:
    """The site, the user's sites, the filters, and the occurrences and tasks they select."""
    store = get_store()
    query = load_filters(PlanFilterArgs(), request.args)
    site, sites = chosen_site(store, actor, query.get("site"))
    now = datetime.now(timezone.utc)
    found = {"site": site, "sites": sites, "query": query, "occurrences": [], "tasks": []}
    if occurrences:
        found["occurrences"] = sorted(
            plans.list_occurrences(store, actor, site["id"], now, state=query.get("state")),
            key=lambda o: o["due_at"])
    if tasks:
        found["tasks"] = [{**t, "last_done_on": _last_done(t)} for t in maintenance.list_tasks(
            store, actor, site["id"], now, overdue=True if query.get("overdue") else None)]
    found["people"] = users_by_ids(store, {o["assignee_user_id"] for o in found["occurrences"]
                                           if o.get("assignee_user_id")})
    return found


@bp.get("/plans")
@page(*SUPERVISING)
def plans_page(actor):
    return render_template("web/plans.html", **_read(actor), states=STATES,
                           filters=request.args.to_dict())


@bp.get("/plans/occurrences.csv")
@page(*SUPERVISING)
def occurrences_csv(actor):
    found = _read(actor, tasks=False)
    site, people = found["site"], found["people"]
    rows = ((o["id"], site["code"], o["plan_id"], label(o["name"]), o["state"],
             site_time(o["start"], site["id"]), site_time(o["due_at"], site["id"]),
             site_time(o["closes_at"], site["id"]), o.get("seconds_left"),
             people.get(o.get("assignee_user_id"), {}).get("username", o.get("assignee_user_id")),
             o.get("assignee_role"), o.get("result_id"), o.get("late"))
            for o in found["occurrences"])
    return csv_response(f"occurrences-{site['code']}.csv", OCCURRENCE_COLUMNS, rows)


@bp.get("/plans/tasks.csv")
@page(*SUPERVISING)
def tasks_csv(actor):
    found = _read(actor, occurrences=False)
    site = found["site"]
    rows = ((t["id"], site["code"], t["name"], t.get("team"), t["frequency"], t["mode"],
             (t["state"] or {}).get("due_on"), (t["state"] or {}).get("days_left"),
             (t["state"] or {}).get("overdue"), t["last_done_on"])
            for t in found["tasks"])
    return csv_response(f"maintenance-{site['code']}.csv", TASK_COLUMNS, rows)
