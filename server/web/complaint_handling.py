"""A complaint handled from the supervisor's pages: taken in (``/complaints/new``),
classified, assigned, a step of 五清楚一报告 recorded, resolved.

Each form posts to its own URL and calls the same ``services.complaints``
function as the API (one door: roles, sites, the complaint's state and the
rules' own schemas are checked there). A refused form is shown again on the
complaint's page with its problems under its fields.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from checklists.patrol.recurrence import zone
from server.extensions import get_store
from server.services import complaints
from server.services.accounts.sites import get_site

from .complaint_forms import AssignForm, ClassifyForm, IntakeForm, ResolveForm, StepForm
from .complaint_pages import complaint_page
from .forms import FormRefused, run_form
from .list_filters import chosen_site
from .pages import SUPERVISING, page, page_blueprint
from .states import code_name

bp = page_blueprint("web_complaint_handling", __name__)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _intake_form(actor, form: IntakeForm | None = None) -> IntakeForm:
    form = form or IntakeForm()
    site, sites = chosen_site(get_store(), actor, request.args.get("site"))
    form.site_id.choices = [SelectChoice(s["id"], f"{s['code']} {s['name']}") for s in sites]
    if not form.is_submitted():
        form.site_id.data = site["id"]
    return form


@bp.get("/complaints/new")
@page(*SUPERVISING)
def new_complaint(actor):
    return render_template("web/complaint_new.html", form=_intake_form(actor))


@bp.post("/complaints/new")
@page(*SUPERVISING)
def take_in(actor):
    form = _intake_form(actor)
    try:
        taken = run_form(form, lambda: complaints.intake(get_store(), actor, form.answers(),
                                                         _now()))
    except FormRefused as refused:
        return render_template("web/complaint_new.html", form=form), refused.status
    flash(_("Complaint recorded; classify it next."))
    return redirect(url_for("web_complaints.complaint", complaint_id=taken["id"]))


def _handled(actor, complaint_id: str, slot: str, form, action, done_message: str):
    """Run ``action()`` once ``form`` is valid and go back to the complaint; else show
    the complaint's page again with ``form`` (as its ``slot``) and its problems."""
    try:
        done = run_form(form, action)
    except FormRefused as refused:
        return complaint_page(actor, complaint_id, refused.status, **{slot: form})
    flash(done_message % {"status": code_name(done["status"], "complaint")})
    return redirect(url_for("web_complaints.complaint", complaint_id=complaint_id))


@bp.post("/complaints/<complaint_id>/classify")
@page(*SUPERVISING)
def classify(actor, complaint_id):
    form = ClassifyForm()

    def action():
        store = get_store()  # the deadline is typed in the site's time
        site = get_site(store, complaints.load(store, actor, complaint_id)["site_id"])
        return complaints.classify(store, actor, complaint_id,
                                   form.answers(zone(site["timezone"])), _now())
    return _handled(actor, complaint_id, "classify_form", form, action,
                    _("Classified; the complaint is now: %(status)s."))


@bp.post("/complaints/<complaint_id>/assign")
@page(*SUPERVISING)
def assign(actor, complaint_id):
    form = AssignForm()
    return _handled(actor, complaint_id, "assign_form", form, lambda: complaints.assign(
        get_store(), actor, complaint_id, form.answers()["assignee_user_id"], _now()),
        _("Assigned; the complaint is now: %(status)s."))


@bp.post("/complaints/<complaint_id>/steps")
@page(*SUPERVISING)
def record_step(actor, complaint_id):
    form = StepForm()

    def action():
        answers = form.answers()
        return complaints.record_step(get_store(), actor, complaint_id, answers["step"],
                                      answers["note"], _now())
    return _handled(actor, complaint_id, "step_form", form, action, _("Step recorded."))


@bp.post("/complaints/<complaint_id>/resolve")
@page(*SUPERVISING)
def resolve(actor, complaint_id):
    form = ResolveForm()
    return _handled(actor, complaint_id, "resolve_form", form, lambda: complaints.resolve(
        get_store(), actor, complaint_id, form.answers()["resolution"], _now()),
        _("Resolved; the complaint is now: %(status)s."))
