"""The field app (PWA) for guards and engineers, served at ``/app/``.

Plain ES modules, no build step: everything under ``static/`` is served as
it is. The service worker (``/app/sw.js``) gets its precache list and cache
version from here: every shell file and a digest of their bytes, so any
change to any file (of any slice) makes browsers fetch a new worker, and the
app offers "update ready" instead of running a stale shell.

The app talks to ``/api/v1`` with its device token (``Authorization:
Bearer``), never the web session cookie, so the CSRF check of the cookie
does not apply to it.
"""
from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from pathlib import Path

from flask import Blueprint, Flask, Response, redirect, send_from_directory

STATIC = Path(__file__).resolve().parent / "static"
#: not part of the shell: documentation and source maps are never fetched by the app
_NOT_SHELL = (".md", ".map", ".txt")
_NOT_SHELL_NAMES = ("LICENSE", "sw.js", "index.html", "manifest.webmanifest")  # own URLs
#: inlined into the start page (index_html), which is precached: never fetched on their own
_INLINED = ("css/", "js/first_paint.js")
# Same origin only; blob: for photo previews and camera frames, wasm for a QR decoder.
# The start page adds the hash of its one inline script (first_paint.js) to script-src.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; media-src 'self' blob:; "
       "connect-src 'self'; worker-src 'self' blob:; manifest-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'none'")

bp = Blueprint("field_app", __name__, url_prefix="/app")
#: what the first screen needs: preloaded in parallel instead of discovered import by import
START_MODULES = ("js/app.js", "js/screens/today.js")
_STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^'"`;]*?(?:from\s*)?['"]([^'"]+)['"]""", re.M)


def shell_files() -> list[Path]:
    """Every file the app may need offline, relative to ``static/``, in a stable order."""
    return sorted(p.relative_to(STATIC) for p in STATIC.rglob("*")
                  if p.is_file() and p.suffix not in _NOT_SHELL
                  and p.name not in _NOT_SHELL_NAMES and not p.name.startswith(".")
                  and not p.relative_to(STATIC).as_posix().startswith(_INLINED))


def shell_urls() -> list[str]:
    """What the service worker precaches: the start page and every shell file."""
    return ["/app/", "/app/manifest.webmanifest",
            *("/app/static/" + p.as_posix() for p in shell_files())]


def shell_version() -> str:
    """A digest of every served file's name and bytes: the cache name carries it."""
    digest = hashlib.sha256()
    for rel in sorted(p.relative_to(STATIC) for p in STATIC.rglob("*") if p.is_file()):
        digest.update(rel.as_posix().encode() + b"\0" + (STATIC / rel).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _secured(resp: Response, csp: str = CSP) -> Response:
    resp.headers["Content-Security-Policy"] = csp
    resp.headers["X-Content-Type-Options"] = "nosniff"
    # the worker decides what is cached; the browser's HTTP cache must not hide a new file
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("")
def app_root():
    # The worker's scope is /app/: /app itself would be outside it (no offline start).
    return redirect("/app/", code=308)


def static_imports(entries=START_MODULES) -> list[str]:
    """The modules ``entries`` import statically (transitively), relative to ``static/``."""
    seen, todo = [], list(entries)
    while todo:
        rel = todo.pop()
        if rel in seen or not (STATIC / rel).is_file():
            continue
        seen.append(rel)
        text = (STATIC / rel).read_text(encoding="utf-8")
        todo += [posixpath.normpath(posixpath.join(posixpath.dirname(rel), spec))
                 for spec in _STATIC_IMPORT.findall(text) if spec.startswith(".")]
    return sorted(seen)


def index_html() -> str:
    """index.html with every slice's stylesheet and texts that exist (no build step: a
    slice adds ``css/<slice>.css`` or ``js/i18n/<slice>.js`` and it is picked up). The
    styles are inlined: a stylesheet to fetch would hold the first paint (15 KB, all of it,
    so no screen ever draws unstyled)."""
    sheets = [STATIC / "css/app.css", *sorted(p for p in (STATIC / "css").glob("*.css") if p.name != "app.css")]
    css = "<style>\n" + "".join(f"/* css/{p.name} */\n" + p.read_text(encoding="utf-8")
                                  for p in sheets).replace("</", "<\\/") + "</style>"
    texts = [f"/app/static/js/i18n/{p.name}" for p in sorted((STATIC / "js/i18n").glob("*.js"))]
    listed = ('<script type="application/json" id="i18n-modules">'
              + json.dumps(texts).replace("<", "\\u003c") + "</script>")
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    # app.js (first) and what it imports, for first_paint.js to preload once it has painted
    start = [f"/app/static/{rel}" for rel in sorted(static_imports(), key=lambda r: r != START_MODULES[0])]
    modules = [url for url in start if f'"{url}"' not in page]
    preload = ('<script type="application/json" id="start-modules">'
               + json.dumps(modules).replace("<", "\\u003c") + "</script>")
    page = _put(page, "<!-- styles:", css)
    page = _put(page, "<!-- first paint:", f"<script>{first_paint_script()}</script>")
    return page.replace("<!-- slice texts -->", listed).replace("<!-- start modules -->", preload)


def _put(page: str, comment_start: str, text: str) -> str:
    """``page`` with the comment starting ``comment_start`` replaced by ``text``."""
    start = page.index(comment_start)
    return page[:start] + text + page[page.index("-->", start) + 3:]


def first_paint_script() -> str:
    """The start page's inline script: painting Today's snapshot must not wait for a fetch."""
    return (STATIC / "js/first_paint.js").read_text(encoding="utf-8").replace("</", "<\\/")


def index_csp() -> str:
    """The CSP of the start page: its inline script allowed by its hash, nothing else."""
    digest = base64.b64encode(hashlib.sha256(first_paint_script().encode()).digest()).decode()
    return CSP.replace("script-src 'self'", f"script-src 'self' 'sha256-{digest}'", 1)


@bp.get("/")
def index():
    return _secured(Response(index_html(), mimetype="text/html"), index_csp())


@bp.get("/sw.js")
def service_worker():
    prelude = (f"const SHELL_VERSION = {json.dumps(shell_version())};\n"
               f"const SHELL_URLS = {json.dumps(shell_urls())};\n")
    body = prelude + (STATIC / "sw.js").read_text(encoding="utf-8")
    resp = Response(body, mimetype="text/javascript")
    resp.headers["Service-Worker-Allowed"] = "/app/"
    return _secured(resp)


@bp.get("/manifest.webmanifest")
def manifest():
    resp = send_from_directory(STATIC, "manifest.webmanifest",
                               mimetype="application/manifest+json")
    return _secured(resp)


@bp.get("/static/<path:filename>")
def static_file(filename: str):
    resp = send_from_directory(STATIC, filename)
    if filename.endswith((".js", ".mjs")):
        resp.mimetype = "text/javascript"  # module scripts need a JavaScript type
    return _secured(resp)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
