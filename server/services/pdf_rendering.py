"""HTML to PDF with WeasyPrint (over Debian's pango), in the server process.

Importing WeasyPrint sets Pillow's process-wide ``ImageFile.
LOAD_TRUNCATED_IMAGES = True`` (``weasyprint/images.py``), and photo intake
relies on Pillow refusing a truncated image (``server.photos``). So this
module is imported with the app (the result report and the patrol labels
import it), before any request could check an upload, and the flag is put
back at once: rendering itself does not touch it again.

Only ``data:`` URIs and the files the caller hands over by name
(``fieldsync-file:<name>``) are fetched: nothing else is opened, whatever
text a result or a checkpoint holds. Photos go by name, not as data URIs:
the HTML parser scanned every base64 byte (a 20-photo report spent ~30% of
its time there, ``bench/web.py``).
"""
from __future__ import annotations

from typing import Mapping

from PIL import ImageFile

_truncated_images = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import HTML  # noqa: E402 - between saving and restoring Pillow's flag
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

ImageFile.LOAD_TRUNCATED_IMAGES = _truncated_images


class PdfRenderFailed(RuntimeError):
    """WeasyPrint could not render the page (the message says why): a server fault."""


FILE_SCHEME = "fieldsync-file:"


class _NamedFiles(URLFetcher):
    """``data:`` URIs, and ``fieldsync-file:<name>`` for the files in ``files``
    (name -> (path, media type)); any other address is refused."""

    def __init__(self, files: Mapping[str, tuple[str, str]]):
        super().__init__(allowed_protocols={"data"})
        self.files = files

    def fetch(self, url, headers=None):
        if not url.startswith(FILE_SCHEME):
            return super().fetch(url, headers)
        found = self.files.get(url[len(FILE_SCHEME):])
        if found is None:
            raise ValueError(f"not a file of this document: {url}")
        with open(found[0], "rb") as f:
            return URLFetcherResponse(url, f.read(), {"Content-Type": found[1]})


def file_address(name: str) -> str:
    """Where a page given to ``html_to_pdf`` refers to the file it passes as ``name``."""
    return FILE_SCHEME + name


def html_to_pdf(html: str, files: Mapping[str, tuple[str, str]] | None = None) -> bytes:
    """The PDF of an HTML page that refers to nothing but ``files`` (by ``file_address``)."""
    try:
        return HTML(string=html, url_fetcher=_NamedFiles(files or {})).write_pdf()
    except (OSError, ValueError, RuntimeError) as exc:
        raise PdfRenderFailed(f"rendering the PDF failed: {exc}") from exc
