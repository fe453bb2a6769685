"""The field app's blueprint: the page, the worker, the manifest and the static files are
served with the headers an installable offline app needs, and nothing comes from elsewhere."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import re

from PIL import Image

from server.field_app import shell_files, shell_urls

# what would make a browser load something from another origin
_EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|\bimport\s*(?:[\w*{}\s,]+from\s*)?\(?\s*["'](?:https?:)?//"""
    r"""|importScripts\(\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//"""
    r"""|fetch\(\s*["'](?:https?:)?//|@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//""",
    re.I)


def test_app_redirects_into_the_worker_scope_and_serves_the_page(client):
    resp = client.get("/app")
    assert resp.status_code == 308 and resp.headers["Location"].endswith("/app/")
    page = client.get("/app/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    # an inline script (first_paint.js, allowed by its hash) paints Today's snapshot, then
    # starts app.js and preloads its imports
    inline = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    assert "fieldsync-today:v1" in inline
    assert f"script-src 'self' 'sha256-{digest}'" in page.headers["Content-Security-Policy"]
    start = json.loads(re.search(r'id="start-modules">(.*?)</script>', html).group(1))
    assert start[0] == "/app/static/js/app.js" and "/app/static/js/screens/today.js" in start
    # Today reads IndexedDB without Dexie: it, syncing and the other screens' texts load
    # once the first screen is drawn
    for later in ("vendor/dexie.min.mjs", "js/db.js", "js/sync.js", "js/i18n/forms.js"):
        assert f"/app/static/{later}" not in start
    # styles are inlined: nothing to fetch before the first paint
    assert 'rel="stylesheet"' not in html and ".card {" in html and "css/patrol.css" in html
    assert '<link rel="manifest" href="/app/manifest.webmanifest">' in html
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    listed = re.search(r'id="i18n-modules">(.*?)</script>', html).group(1)
    assert isinstance(json.loads(listed), list)


def test_the_worker_is_scoped_to_the_app_never_cached_and_precaches_the_shell(client):
    resp = client.get("/app/sw.js")
    assert resp.status_code == 200 and resp.mimetype == "text/javascript"
    assert resp.headers["Service-Worker-Allowed"] == "/app/"
    assert resp.headers["Cache-Control"] == "no-cache"
    body = resp.get_data(as_text=True)
    version = re.search(r'const SHELL_VERSION = "([0-9a-f]{16})";', body).group(1)
    urls = json.loads(re.search(r"const SHELL_URLS = (\[.*?\]);", body).group(1))
    assert urls == shell_urls() and "/app/" in urls and "/app/static/js/app.js" in urls
    assert "/app/static/vendor/dexie.min.mjs" in urls
    # the styles and first_paint.js are inlined into the precached page: not cached twice
    assert not [u for u in urls if "/static/css/" in u or u.endswith("/first_paint.js")]
    assert "fieldsync-shell-${SHELL_VERSION}" in body and version
    assert "skipWaiting()" in body and "SKIP_WAITING" in body


def test_every_precached_url_is_served(client):
    for url in shell_urls():
        resp = client.get(url)
        assert resp.status_code == 200, url
        if url.endswith((".js", ".mjs")):
            assert resp.mimetype == "text/javascript", url


def test_the_manifest_makes_the_app_installable(client):
    resp = client.get("/app/manifest.webmanifest")
    assert resp.status_code == 200 and resp.mimetype == "application/manifest+json"
    manifest = json.loads(resp.get_data(as_text=True))
    assert manifest["start_url"] == "/app/" and manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"]
    sizes = {}
    for icon in manifest["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200 and png.mimetype == "image/png"
        with Image.open(io.BytesIO(png.data)) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.setdefault(icon.get("purpose", "any"), set()).add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes["any"] and "512x512" in sizes["maskable"]


def test_no_served_file_loads_anything_from_another_origin(client):
    served = ["/app/", "/app/sw.js", "/app/manifest.webmanifest",
              *("/app/static/" + p.as_posix() for p in shell_files())]
    for url in served:
        resp = client.get(url)
        if resp.mimetype.startswith("image/"):
            continue
        text = resp.get_data(as_text=True)
        assert not _EXTERNAL.search(text), (url, _EXTERNAL.search(text).group(0))
    assert _EXTERNAL.search('<script src="https://cdn.example/x.js">')  # the check bites
    assert _EXTERNAL.search("import x from 'https://esm.sh/x'")


def test_a_missing_static_file_is_404(client):
    assert client.get("/app/static/js/nowhere.js").status_code == 404
    assert client.get("/app/static/../__init__.py").status_code == 404
