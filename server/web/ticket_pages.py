"""One ticket (``/tickets/<id>``): photos before and after, history, comments, and the
supervisor's moves (verify, reopen, close) as CSRF forms.

Moves go through ``services.tickets.move`` -- the door the API and a
device's push use -- so the fixer cannot verify their own fix and a stale
page gets the error page naming the state now and the moves possible.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from checklists.workflow.tickets import fixer
from server.services.accounts.sites import get_site
from server.services.accounts.users import users_by_ids
from server.extensions import get_store
from server.media import UPLOADS_KEY
from server.services import tickets

from .forms import ActionForm, TicketMoveForm
from .pages import SUPERVISING, error_page, page, page_blueprint
from .states import state_name

bp = page_blueprint("web_tickets", __name__)
#: the moves offered as buttons on the page (work moves belong to the assignee's device)
PAGE_MOVES = ("verified", "reopened", "closed")


def _complete_photos(hashes):
    return current_app.extensions[UPLOADS_KEY].complete_among(hashes)


def _people(ticket: dict) -> dict:
    ids = {ticket.get("assignee"), ticket.get("responsible"), fixer(ticket)}
    ids |= {e.get("by") for e in ticket.get("history", ())}
    ids |= {c.get("by") for c in ticket.get("comments") or ()}
    return users_by_ids(get_store(), {i for i in ids if i})


@bp.get("/tickets/<ticket_id>")
@page(*SUPERVISING)
def ticket(actor, ticket_id):
    store = get_store()
    found = tickets.get(store, actor, ticket_id)
    fix = found.get("fix") or {}
    after = set(fix.get("photos") or ())
    return render_template(
        "web/ticket.html", ticket=found, site=get_site(store, found["site_id"]),
        before=[p for p in found.get("photos") or () if p not in after],
        after=list(fix.get("photos") or ()), people=_people(found),
        moves=[m for m in found["allowed_moves"] if m in PAGE_MOVES], form=ActionForm())


@bp.post("/tickets/<ticket_id>/move")
@page(*SUPERVISING)
def move(actor, ticket_id):
    form = TicketMoveForm()
    if not form.validate_on_submit():
        return error_page(400, errors=form.errors)
    moved = tickets.move(get_store(), actor, ticket_id, {
        "from_state": form.from_state.data, "to": form.to.data,
        "note": (form.note.data or "").strip() or None}, _complete_photos)
    flash(_("Ticket is now: %(state)s.", state=state_name(moved["status"])))
    return redirect(url_for("web_tickets.ticket", ticket_id=ticket_id))
