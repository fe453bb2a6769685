"""One result: its page and its PDF (``/results/<id>`` and ``/results/<id>.pdf``).

Photos on the page are the API's own photo URLs (``/api/v1/photos/<sha>``),
which check the same scope for the session cookie; the PDF embeds the
stamped copies, made by the same photo service.
"""
from __future__ import annotations

from flask import Response, render_template

from server.extensions import get_store

from .pages import SUPERVISING, page, page_blueprint
from .pdf import result_pdf
from .report import result_report

bp = page_blueprint("web_result", __name__)


@bp.get("/results/<result_id>")
@page(*SUPERVISING)
def result(actor, result_id):
    """Who, where, when, every item with its answer and score line, and the photos."""
    return render_template("web/result.html", **result_report(get_store(), actor, result_id))


@bp.get("/results/<result_id>.pdf")
@page(*SUPERVISING)
def result_as_pdf(actor, result_id):
    report = result_report(get_store(), actor, result_id)
    return Response(result_pdf(actor, report), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="result-{report["result"]["id"]}.pdf"'})
