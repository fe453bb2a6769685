"""WeasyPrint, imported on first use, without leaving Pillow accepting truncated photos.

Importing WeasyPrint sets Pillow's process-wide ``ImageFile.
LOAD_TRUNCATED_IMAGES = True`` (``weasyprint/images.py``), and photo intake
relies on Pillow refusing a truncated image. WeasyPrint's import also costs
about a second of CPU, most of the server's start, so it is not imported with
the app but here, on the first PDF or the first photo decode, whichever comes
first:

* ``load_weasyprint`` imports it once, under a lock, and puts the flag back
  before anyone can see the module as loaded;
* every photo decode calls ``settle_before_decoding`` first, which runs the
  same import (or waits for the one in progress). So no decode can start while
  the import is under way, and once it is done the flag never changes again.

It lives with the photos because it guards their checks; the PDF renderer
(``server.services.pdf_rendering``) is its other caller. Nothing else in the
server imports ``weasyprint``.
"""
from __future__ import annotations

import threading
from types import ModuleType

from PIL import ImageFile

_lock = threading.Lock()
#: the module once imported, or why it could not be (pango missing, say)
_loaded: ModuleType | Exception | None = None


class WeasyPrintUnavailable(RuntimeError):
    """WeasyPrint could not be imported (the message says why): no PDF can be made."""


def load_weasyprint() -> ModuleType:
    """The ``weasyprint`` module (with ``weasyprint.urls``), imported once; raises
    ``WeasyPrintUnavailable`` if it cannot be imported."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _import_keeping_pillow_strict()
    if isinstance(_loaded, Exception):
        raise WeasyPrintUnavailable(f"WeasyPrint cannot be loaded: {_loaded}") from _loaded
    return _loaded


def settle_before_decoding() -> None:
    """Call before decoding any photo: afterwards WeasyPrint's import can no longer
    switch Pillow's truncated-image flag under the decode. A WeasyPrint that cannot
    be imported does not stop photos (only PDFs)."""
    try:
        load_weasyprint()
    except WeasyPrintUnavailable:
        pass


def _import_keeping_pillow_strict() -> ModuleType | Exception:
    # The caller publishes the result only after this returns, so the flag is back
    # before any thread skips the lock on seeing the module loaded.
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint
        import weasyprint.urls  # noqa: F401 - the fetcher classes pdf_rendering uses
        return weasyprint
    except (ImportError, OSError) as exc:  # OSError: a shared library (pango) missing
        return exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved
