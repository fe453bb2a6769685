"""A result as a PDF (WeasyPrint over Debian's pango), Chinese in WenQuanYi Micro Hei.

The photos embedded are their stamped copies, handed to WeasyPrint as named
files (``pdf_rendering.file_address``): no URL of ours or anyone's is opened
while rendering.
A photo that cannot be shown (refused, decoding busy) is named in the PDF
instead of failing the whole report.

Rendering is ``server.services.pdf_rendering`` (shared with the patrol
labels), which keeps WeasyPrint's import from changing Pillow for photo intake.
"""
from __future__ import annotations

import os

from flask import current_app, render_template
from checklists.actors import Actor
from server.extensions import get_store
from server.media import get_uploads, get_variants
from server.photos import DecodeBusy, PhotoRefused
from server.services import photos
from server.services.errors import Invalid, NotFound
from server.services.pdf_rendering import file_address, html_to_pdf


def _stamped(actor: Actor, result_id: str, photo: dict) -> tuple[str, str] | None:
    """(path, media type) of the photo's stamped copy, or None when it cannot be shown."""
    try:
        found = photos.variant(get_store(), get_uploads(), get_variants(), actor,
                               photo["sha256"], "stamped", result_id,
                               default_timezone=current_app.config["DEFAULT_TIMEZONE"])
    except (PhotoRefused, DecodeBusy, NotFound, Invalid, OSError):
        return None
    if not os.path.isfile(found.path):  # said "not available" rather than left blank
        return None
    return str(found.path), found.media_type


def result_pdf(actor: Actor, report: dict) -> bytes:
    found = {p["sha256"]: _stamped(actor, report["result"]["id"], p) for p in report["photos"]}
    files = {sha256: where for sha256, where in found.items() if where is not None}
    images = {sha256: file_address(sha256) if where else None for sha256, where in found.items()}
    html = render_template("web/result_pdf.html", images=images, **report)
    return html_to_pdf(html, files)
