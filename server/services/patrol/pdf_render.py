"""HTML to PDF with WeasyPrint, in a child process.

Importing WeasyPrint sets Pillow's process-wide ``ImageFile.
LOAD_TRUNCATED_IMAGES = True``, and the server's photo checks rely on Pillow
refusing a truncated image (``server.photos``): rendered in the server
process, one printed label sheet would let every later truncated photo
through. A child process keeps the server's Pillow as it is (and WeasyPrint's
2.5 s import and pango out of the server); label sheets are printed rarely,
so the child's start-up is a fair price.

Run as ``python -m server.services.patrol.pdf_render``: HTML on stdin, PDF on stdout.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RENDER_TIMEOUT_S = 120
_ROOT = str(Path(__file__).resolve().parents[3])     # the directory holding ``server``


class PdfRenderFailed(RuntimeError):
    """WeasyPrint could not render the page (its last error line says why): a server fault."""


def html_to_pdf(html: str) -> bytes:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)}
    try:
        done = subprocess.run([sys.executable, "-m", __name__], input=html.encode("utf-8"),
                              capture_output=True, timeout=RENDER_TIMEOUT_S, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise PdfRenderFailed(f"rendering the PDF took over {RENDER_TIMEOUT_S} s") from None
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
        raise PdfRenderFailed(f"rendering the PDF failed: {last}")
    return done.stdout


def _render_stdin_to_stdout() -> None:
    from weasyprint import HTML
    sys.stdout.buffer.write(HTML(string=sys.stdin.buffer.read().decode("utf-8")).write_pdf())


if __name__ == "__main__":
    _render_stdin_to_stdout()
