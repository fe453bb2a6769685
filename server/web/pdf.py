"""A result as a PDF (WeasyPrint over Debian's pango), Chinese in WenQuanYi Micro Hei.

The photos are embedded as data URIs of their stamped copies, so WeasyPrint
never fetches anything: no URL of ours or anyone's is opened while rendering.
A photo that cannot be shown (refused, decoding busy) is named in the PDF
instead of failing the whole report.

WeasyPrint is imported with the app, not at the first PDF, because importing
it sets PIL's global ``LOAD_TRUNCATED_IMAGES``: that is put back at once,
before any request could check an upload, or truncated photos would pass
photo intake as whole ones.
"""
from __future__ import annotations

import base64

from flask import current_app, render_template
from PIL import ImageFile

from checklists.actors import Actor
from server.extensions import get_store
from server.media import get_uploads, get_variants
from server.photos import DecodeBusy, PhotoRefused
from server.services import photos
from server.services.errors import Invalid, NotFound

_truncated_images = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import HTML  # noqa: E402 - between saving and restoring PIL's flag
from weasyprint.urls import URLFetcher  # noqa: E402

ImageFile.LOAD_TRUNCATED_IMAGES = _truncated_images


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
    # data: URIs only: nothing outside the document is opened, whatever the answers hold.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
