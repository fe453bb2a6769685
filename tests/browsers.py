"""Debian's Chromium and a live server for the browser tests (one copy of each).

Playwright's Python package drives ``/usr/bin/chromium`` (Debian's package, as
``.ci/run`` installs it): no browser download. Pages need a real port, bound
before the test's first request, so a server thread starts before the body runs.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"


def launch_chromium(pw, *args: str):
    """A headless Chromium of ``pw`` (a sync Playwright), with ``args`` after --no-sandbox."""
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", *args])


@contextmanager
def serving(wsgi_app) -> Iterator[str]:
    """``wsgi_app`` on 127.0.0.1 at a free port (accepting before this yields); its base URL."""
    http = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        thread.join()


def log_in(page, base: str, username: str, password: str) -> None:
    """Log ``page`` in through the login form and wait for the dashboard."""
    page.goto(base + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login button[type=submit]")
    page.wait_for_url(base + "/dashboard")
