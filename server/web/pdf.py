"""A result as a PDF (WeasyPrint over Debian's pango), Chinese in WenQuanYi Micro Hei.

The photos are embedded as data URIs of their stamped copies, so WeasyPrint
never fetches anything: no URL of ours or anyone's is opened while rendering.
A photo that cannot be shown (refused, decoding busy) is named in the PDF
instead of failing the whole report.

Rendering is ``server.services.pdf_rendering`` (shared with the patrol
labels), which keeps WeasyPrint's import from changing Pillow for photo intake.
"""
from __future__ import annotations

import base64

from flask import current_app, render_template
from checklists.actors import Actor
from server.extensions import get_store
from server.media import get_uploads, get_variants
from server.photos import DecodeBusy, PhotoRefused
from server.services import photos
from server.services.errors import Invalid, NotFound
from server.services.pdf_rendering import html_to_pdf


def _embedded(actor: Actor, result_id: str, photo: dict) -> str | None:
    """The photo's stamped copy as a data URI, or None when it cannot be shown."""
    try:
        found = photos.variant(get_store(), get_uploads(), get_variants(), actor,
                               photo["sha256"], "stamped", result_id,
                               default_timezone=current_app.config["DEFAULT_TIMEZONE"])
        with open(found.path, "rb") as f:
            data = base64.b64encode(f.read()).decode()
    except (PhotoRefused, DecodeBusy, NotFound, Invalid, OSError):
        return None
    return f"data:{found.media_type};base64,{data}"


def result_pdf(actor: Actor, report: dict) -> bytes:
    images = {p["sha256"]: _embedded(actor, report["result"]["id"], p)
              for p in report["photos"]}
    html = render_template("web/result_pdf.html", images=images, **report)
    return html_to_pdf(html)
