"""WeasyPrint is imported on first use, and its import never lets a truncated photo through.

Importing WeasyPrint switches on Pillow's process-wide ``LOAD_TRUNCATED_IMAGES``.
The checks run in a fresh interpreter each: in the test session WeasyPrint is
usually imported already, which would hide both the start-up import and the
order of imports these tests are about.
"""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

_CUT_PHOTO = """
    import io, sys
    from PIL import Image, ImageFile
    from server.photos import PhotoConfig, PhotoRefused, inspect_photo

    def cut_photo_refused() -> bool:
        whole = io.BytesIO()
        Image.effect_noise((320, 240), 60).convert("RGB").save(whole, "JPEG", quality=90)
        path = sys.argv[1] + "/cut.jpg"
        with open(path, "wb") as f:
            f.write(whole.getvalue()[: len(whole.getvalue()) // 2])
        try:
            inspect_photo(path, PhotoConfig())
        except PhotoRefused as refused:
            return refused.code == "truncated"
        return False
"""


def _run(tmp_path, script: str) -> list[str]:
    """The lines ``script`` prints, run in a new interpreter on this worktree's code."""
    code = textwrap.dedent(_CUT_PHOTO) + textwrap.dedent(script)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_app_starts_without_weasyprint_and_a_pdf_after_it_leaves_photos_checked(tmp_path):
    assert _run(tmp_path, """
        from server import create_app
        create_app({"DATA_DIR": sys.argv[1], "STORE_URL": "memory://"})
        print("weasyprint" in sys.modules)
        from server.services.pdf_rendering import html_to_pdf
        print(html_to_pdf("<p>今天</p>").startswith(b"%PDF"))
        print(ImageFile.LOAD_TRUNCATED_IMAGES, cut_photo_refused())
    """) == ["False", "True", "False", "True"]


def test_a_photo_decoded_before_any_pdf_waits_for_weasyprints_import(tmp_path):
    """The decode path runs the import first, so the import cannot flip the flag
    under a decode later on."""
    assert _run(tmp_path, """
        print(cut_photo_refused(), "weasyprint" in sys.modules)
        from server.services.pdf_rendering import html_to_pdf
        print(html_to_pdf("<p>x</p>").startswith(b"%PDF"), cut_photo_refused())
    """) == ["True", "True", "True", "True"]


def test_only_the_loader_imports_weasyprint():
    """Any other import could run WeasyPrint's first import outside the loader's lock."""
    importing = re.compile(r"^\s*(import weasyprint|from weasyprint)", re.MULTILINE)
    found = [str(path.relative_to(ROOT)) for folder in ("server", "sync", "checklists")
             for path in (ROOT / folder).rglob("*.py") if importing.search(path.read_text())]
    assert found == ["server/photos/weasyprint_loader.py"]
