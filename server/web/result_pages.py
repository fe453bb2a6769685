"""One result: its page, its PDF and its review (``/results/<id>``, ``.pdf``, ``/review``).

Photos on the page are the API's own photo URLs (``/api/v1/photos/<sha>``),
which check the same scope for the session cookie; the PDF embeds the
stamped copies, made by the same photo service. A review goes through
``services.review.review_result``, the API's door: a stale or refused move
comes back as the error page naming the state now and the moves possible.
"""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from server.extensions import get_store
from server.services import review

from .forms import ActionForm, ReviewForm
from .pages import SUPERVISING, error_page, page, page_blueprint
from .pdf import result_pdf
from .report import result_report
from .result_followup import followup
from .states import state_name

bp = page_blueprint("web_result", __name__)


@bp.get("/results/<result_id>")
@page(*SUPERVISING)
def result(actor, result_id):
    """Who, where, when, every item with its answer and score line, the photos, and what
    followed: review, tickets, appeals, rectification rounds."""
    store = get_store()
    report = result_report(store, actor, result_id)
    return render_template("web/result.html", **report, **followup(store, actor, report),
                           review_form=ActionForm())


@bp.get("/results/<result_id>.pdf")
@page(*SUPERVISING)
def result_as_pdf(actor, result_id):
    report = result_report(get_store(), actor, result_id)
    return Response(result_pdf(actor, report), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="result-{report["result"]["id"]}.pdf"'})


@bp.post("/results/<result_id>/review")
@page(*SUPERVISING)
def review_result(actor, result_id):
    """Approve, mark as having issues, or reject (a reason is required to reject)."""
    form = ReviewForm()
    if not form.validate_on_submit():
        return error_page(400, errors=form.errors)
    done = review.review_result(get_store(), actor, result_id, {
        "from": form.from_state.data, "to": form.to.data,
        "reason": (form.reason.data or "").strip() or None})
    flash(_("Review saved: %(state)s.", state=state_name(done["review"]["state"])))
    return redirect(url_for("web_result.result", result_id=result_id))
