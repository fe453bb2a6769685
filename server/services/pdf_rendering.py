"""HTML to PDF with WeasyPrint (over Debian's pango), in the server process.

WeasyPrint is imported on the first PDF, not with the app (it was most of the
server's start), through ``server.photos.weasyprint_loader``: its import
switches on Pillow's process-wide ``LOAD_TRUNCATED_IMAGES``, and the loader
puts it back before any photo decode can run.

Only ``data:`` URIs and the files the caller hands over by name
(``fieldsync-file:<name>``) are fetched: nothing else is opened, whatever
text a result or a checkpoint holds. Photos go by name, not as data URIs:
the HTML parser scanned every base64 byte (a 20-photo report spent ~30% of
its time there, ``bench/web.py``).
"""
from __future__ import annotations

from functools import cache
from typing import Mapping

from server.photos.weasyprint_loader import WeasyPrintUnavailable, load_weasyprint


class PdfRenderFailed(RuntimeError):
    """WeasyPrint could not render the page (the message says why): a server fault."""


FILE_SCHEME = "fieldsync-file:"


@cache
def _named_files_fetcher() -> type:
    """``_NamedFiles(files)``: ``data:`` URIs, and ``fieldsync-file:<name>`` for the files
    in ``files`` (name -> (path, media type)); any other address is refused. A class made
    on first use because its base is WeasyPrint's."""
    urls = load_weasyprint().urls

    class _NamedFiles(urls.URLFetcher):
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
                return urls.URLFetcherResponse(url, f.read(), {"Content-Type": found[1]})
    return _NamedFiles


def file_address(name: str) -> str:
    """Where a page given to ``html_to_pdf`` refers to the file it passes as ``name``."""
    return FILE_SCHEME + name


def html_to_pdf(html: str, files: Mapping[str, tuple[str, str]] | None = None) -> bytes:
    """The PDF of an HTML page that refers to nothing but ``files`` (by ``file_address``)."""
    try:
        fetcher = _named_files_fetcher()(files or {})
        return load_weasyprint().HTML(string=html, url_fetcher=fetcher).write_pdf()
    except WeasyPrintUnavailable as exc:
        raise PdfRenderFailed(str(exc)) from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise PdfRenderFailed(f"rendering the PDF failed: {exc}") from exc
