"""Complaints for supervisors: a site's complaints with their clocks (``/complaints``, its
CSV), one complaint with its handling and callbacks (``/complaints/<id>``), and a callback
(回访) recorded from the page (a CSRF form). The other handling forms post to
``complaint_handling``.

Everything goes through ``services.complaints`` -- the complaints API's
door -- so residents' names and phones are shown only to whom the rules
allow (``view_for``); the CSV never carries them: an export leaves the system.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from wtforms.fields.choices import SelectChoice

from checklists.complaints import CallbackSchema
from checklists.complaints.model import CATEGORIES, FIVE_CLEAR
from checklists.complaints.rules import ASSIGNED, CLOSED, RECEIVED, RESOLVED
from server.extensions import get_store
from server.services import complaints
from server.services.accounts.sites import get_site
from server.services.accounts.users import users_by_ids

from .complaint_forms import AssignForm, ClassifyForm, ResolveForm, StepForm, checked
from .csv_export import csv_response
from .forms import CallbackForm, FormRefused, run_form
from .i18n import site_time
from .list_filters import chosen_site, load_filters
from .pages import SUPERVISING, page, page_blueprint
from .states import code_name

bp = page_blueprint("web_complaints", __name__)
STATUSES = (RECEIVED, ASSIGNED, RESOLVED, CLOSED)
CSV_COLUMNS = ("id", "site", "unit", "channel", "category", "validity", "severity", "status",
               "received_at", "deadline_at", "seconds_left", "overdue", "assignee",
               "resolved_at", "on_time", "callback_due_at", "next_callback_on", "callbacks")


class ComplaintFilterArgs(Schema):
    site = fields.String(validate=validate.Length(max=100))
    status = fields.String(validate=validate.OneOf(STATUSES))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    overdue = fields.Boolean()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _listed(actor) -> dict:
    """The site, the user's sites, the filters, and the complaints they select (newest first)."""
    store = get_store()
    query = load_filters(ComplaintFilterArgs(), request.args)
    site, sites = chosen_site(store, actor, query.get("site"))
    rows = [c for c in complaints.list_complaints(store, actor, site["id"], _now(),
                                                  status=query.get("status"))
            if query.get("category") in (None, c["category"])
            and (not query.get("overdue") or (c["clock"] or {}).get("overdue"))]
    rows.reverse()
    people = users_by_ids(store, {c["assignee_user_id"] for c in rows if c["assignee_user_id"]})
    return {"site": site, "sites": sites, "query": query, "rows": rows, "people": people}


@bp.get("/complaints")
@page(*SUPERVISING)
def complaint_list(actor):
    return render_template("web/complaints.html", **_listed(actor), statuses=STATUSES,
                           categories=CATEGORIES, filters=request.args.to_dict())


@bp.get("/complaints.csv")
@page(*SUPERVISING)
def complaints_csv(actor):
    """The listed complaints without residents' names or phones."""
    found = _listed(actor)
    site, people = found["site"], found["people"]
    rows = ((c["id"], site["code"], c["unit"], c["channel"], c["category"], c["validity"],
             c["severity"], c["status"], site_time(c["received_at"], site["id"]),
             site_time(c["deadline_at"], site["id"]), (c["clock"] or {}).get("seconds_left"),
             (c["clock"] or {}).get("overdue"),
             people.get(c["assignee_user_id"], {}).get("username", c["assignee_user_id"]),
             site_time(c["resolved_at"], site["id"]), c["on_time"],
             site_time(c["callback_due_at"], site["id"]), c["next_callback_on"],
             len(c["callbacks"]))
            for c in found["rows"])
    return csv_response(f"complaints-{site['code']}.csv", CSV_COLUMNS, rows)


def complaint_page(actor, complaint_id: str, status: int = 200, **forms):
    """One complaint with the forms its state offers; ``forms`` replaces one that was
    refused (shown again with its problems)."""
    store = get_store()
    found = complaints.get_complaint(store, actor, complaint_id, _now())
    ids = {found["assignee_user_id"], found["received_by"]}
    ids |= {e.get("by") for e in found["history"]} | {c.get("by") for c in found["callbacks"]}
    assign_form = forms.get("assign_form") or AssignForm(
        assignee_user_id=found["assignee_user_id"])
    assign_form.assignee_user_id.choices = [
        SelectChoice(u["id"], f"{u['username']} · {code_name(u['role'], 'role')}")
        for u in complaints.assignable(store, actor, found["site_id"])]
    return render_template(
        "web/complaint.html", complaint=found, site=get_site(store, found["site_id"]),
        people=users_by_ids(store, {i for i in ids if i}),
        callback_form=forms.get("callback_form") or CallbackForm(),
        classify_form=forms.get("classify_form") or ClassifyForm(
            validity=found["validity"] or "valid", severity=found["severity"] or "ordinary"),
        assign_form=assign_form, step_form=forms.get("step_form") or StepForm(),
        resolve_form=forms.get("resolve_form") or ResolveForm(),
        may_classify=found["status"] in (RECEIVED, ASSIGNED),
        may_assign=found["status"] in (RECEIVED, ASSIGNED) and found["validity"] == "valid",
        may_resolve=found["status"] == ASSIGNED,
        may_call_back=found["status"] == RESOLVED, five_clear_steps=FIVE_CLEAR), status


@bp.get("/complaints/<complaint_id>")
@page(*SUPERVISING)
def complaint(actor, complaint_id):
    return complaint_page(actor, complaint_id)


def _callback_data(form: CallbackForm) -> dict:
    """The form's answers checked by the complaint rules' own schema (as the API's body)."""
    def text(field):
        return (field.data or "").strip() or None
    return checked(CallbackSchema(), {
        "quality": form.quality.data, "service_effect": form.service_effect.data,
        "satisfaction": form.satisfaction.data, "resolved": form.resolved.data,
        "next_callback_on": form.next_callback_on.data.isoformat()
        if form.next_callback_on.data else None,
        "shortcomings": text(form.shortcomings), "suggestions": text(form.suggestions),
        "remarks": text(form.remarks)})


@bp.post("/complaints/<complaint_id>/callbacks")
@page(*SUPERVISING)
def add_callback(actor, complaint_id):
    form = CallbackForm()
    try:
        done = run_form(form, lambda: complaints.callback(
            get_store(), actor, complaint_id, _callback_data(form), _now()))
    except FormRefused as refused:
        return complaint_page(actor, complaint_id, refused.status, callback_form=form)
    flash(_("Callback recorded; the complaint is now: %(status)s.",
            status=code_name(done["status"], "complaint")))
    return redirect(url_for("web_complaints.complaint", complaint_id=complaint_id))
