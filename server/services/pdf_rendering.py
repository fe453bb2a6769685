"""HTML to PDF with WeasyPrint (over Debian's pango), in the server process.

Importing WeasyPrint sets Pillow's process-wide ``ImageFile.
LOAD_TRUNCATED_IMAGES = True`` (``weasyprint/images.py``), and photo intake
relies on Pillow refusing a truncated image (``server.photos``). So this
module is imported with the app (the result report and the patrol labels
import it), before any request could check an upload, and the flag is put
back at once: rendering itself does not touch it again.

Only ``data:`` URIs are fetched: nothing outside the document is opened,
whatever text a result or a checkpoint holds.
"""
from __future__ import annotations

from PIL import ImageFile

_truncated_images = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import HTML  # noqa: E402 - between saving and restoring Pillow's flag
from weasyprint.urls import URLFetcher  # noqa: E402

ImageFile.LOAD_TRUNCATED_IMAGES = _truncated_images


class PdfRenderFailed(RuntimeError):
    """WeasyPrint could not render the page (the message says why): a server fault."""


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page."""
    try:
        return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    except (OSError, ValueError, RuntimeError) as exc:
        raise PdfRenderFailed(f"rendering the PDF failed: {exc}") from exc
