"""A site's patrol set-up for supervisors (``/patrol/setup``): its checkpoints, routes and
schedules, each route's QR labels as a PDF, and the checkpoint forms (add, edit, delete).

Every read and write goes through ``services.patrol`` -- the patrol API's
door -- so roles, validation and their words are the API's. A site the user
does not work at is not found (404), as on every page; guards and engineers
may not open these pages (403).
"""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from server.extensions import get_store
from server.services import definitions
from server.services.accounts.users import users_by_ids
from server.services.patrol import checkpoints, labels, routes, schedules

from .forms import ActionForm, FormRefused, run_form
from .i18n import label
from .list_filters import chosen_site
from .pages import SUPERVISING, page, page_blueprint
from .patrol_setup_forms import CheckpointForm
from .recurrence_words import describe

bp = page_blueprint("web_patrol_setup", __name__)


def checklist_titles(store) -> dict[str, str]:
    """Published checklists a checkpoint may ask for: id -> title in the page's language."""
    titles: dict[str, str] = {}
    for doc in definitions.all_published(store):
        if doc.get("status") == "published":
            body = doc["definition"]
            titles[body["id"]] = label(body.get("title")) or body["id"]
    return dict(sorted(titles.items()))


def checkpoint_form(store, form: CheckpointForm | None = None, **data) -> CheckpointForm:
    """The form with the checklists to choose from (the one it has kept, even if retired)."""
    form = form or CheckpointForm(**data)
    titles = checklist_titles(store)
    current = data.get("checklist_id") or form.checklist_id.data
    if current and current not in titles:
        titles[current] = current
    form.checklist_id.choices = [SelectChoice("", _("none")), *(
        SelectChoice(k, f"{v} ({k})") for k, v in titles.items())]
    return form


def setup_page(actor, site_id: str | None, status: int = 200, form: CheckpointForm | None = None):
    """The set-up page of the chosen site; ``form``: a refused new checkpoint, shown again."""
    store = get_store()
    site, sites = chosen_site(store, actor, site_id)
    found = checkpoints.list_checkpoints(store, actor, site["id"])
    planned = schedules.list_schedules(store, actor, site["id"])
    listed = routes.list_routes(store, actor, site["id"])
    return render_template(
        "web/patrol_setup.html", site=site, sites=sites, checkpoints=found,
        names={c["id"]: c["name"] for c in found}, titles=checklist_titles(store),
        routes=listed, route_names={r["route"]["id"]: r["route"]["name"] for r in listed},
        schedules=planned, people=users_by_ids(store, {
            g for s in planned for g in s["schedule"]["assignees"].get("guards", ())}),
        describe=describe, form=checkpoint_form(store, form), action_form=ActionForm()), status


@bp.get("/patrol/setup")
@page(*SUPERVISING)
def setup(actor):
    return setup_page(actor, request.args.get("site"))


@bp.get("/patrol/routes/<route_id>/labels.pdf")
@page(*SUPERVISING)
def route_labels(actor, route_id):
    """The API's label sheet (``services.patrol.labels``), to print and stick on site."""
    version = request.args.get("version", type=int)
    pdf = labels.route_labels_pdf(get_store(), actor, route_id, version)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{route_id}-labels.pdf"'})


def _back(site_id: str):
    return redirect(url_for("web_patrol_setup.setup", site=site_id))


@bp.post("/patrol/sites/<site_id>/checkpoints")
@page(*SUPERVISING)
def add_checkpoint(actor, site_id):
    store = get_store()
    site, _sites = chosen_site(store, actor, site_id)
    form = checkpoint_form(store, CheckpointForm())
    try:
        added = run_form(form, lambda: checkpoints.create_checkpoint(
            store, actor, site["id"], form.body()), field_for=form.field_for)
    except FormRefused as refused:
        return setup_page(actor, site["id"], refused.status, form)
    flash(_("Checkpoint %(name)s added.", name=added["name"]))
    return _back(site["id"])


def _edit_page(site: dict, checkpoint: dict, form: CheckpointForm, status: int = 200):
    return render_template("web/patrol_checkpoint.html", site=site, checkpoint=checkpoint,
                           form=form, action_form=ActionForm()), status


def _site_checkpoint(actor, site_id: str, checkpoint_id: str) -> tuple[dict, dict]:
    """(the site, its checkpoint); another site's is not found, as everywhere."""
    site, _sites = chosen_site(get_store(), actor, site_id)
    return site, checkpoints.get_checkpoint(get_store(), actor, site["id"], checkpoint_id)


@bp.get("/patrol/sites/<site_id>/checkpoints/<checkpoint_id>")
@page(*SUPERVISING)
def edit_checkpoint(actor, site_id, checkpoint_id):
    store = get_store()
    site, found = _site_checkpoint(actor, site_id, checkpoint_id)
    return _edit_page(site, found, checkpoint_form(store, **found))


@bp.post("/patrol/sites/<site_id>/checkpoints/<checkpoint_id>")
@page(*SUPERVISING)
def update_checkpoint(actor, site_id, checkpoint_id):
    store = get_store()
    site, found = _site_checkpoint(actor, site_id, checkpoint_id)
    form = checkpoint_form(store, CheckpointForm())
    try:
        saved = run_form(form, lambda: checkpoints.update_checkpoint(
            store, actor, site["id"], checkpoint_id, form.changes()), field_for=form.field_for)
    except FormRefused as refused:
        return _edit_page(site, found, form, refused.status)
    flash(_("Checkpoint %(name)s saved.", name=saved["name"]))
    return _back(site["id"])


@bp.post("/patrol/sites/<site_id>/checkpoints/<checkpoint_id>/delete")
@page(*SUPERVISING)
def delete_checkpoint(actor, site_id, checkpoint_id):
    """Refused (409, naming the routes) while a route's newest version visits it."""
    site, found = _site_checkpoint(actor, site_id, checkpoint_id)
    checkpoints.delete_checkpoint(get_store(), actor, site["id"], checkpoint_id)
    flash(_("Checkpoint %(name)s deleted.", name=found["name"]))
    return _back(site["id"])
