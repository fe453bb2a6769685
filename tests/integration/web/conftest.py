"""A team at sites A and B with results (one with an annotated photo), and logged-in browsers.

Results reach the server the way devices send them: pushed over HTTP with a
device token, the photo uploaded after (``tests.integration.web.seeding``).
``web(username)`` is a test client logged in through the login form.
"""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

from .seeding import seed_results


def csrf_from(html: str) -> str:
    """The CSRF token a page's form carries."""
    marker = 'name="csrf_token" type="hidden" value="'
    if marker not in html:
        marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


class Browser:
    """A test client with a session, and the CSRF token of its last page."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def get(self, url, **kw):
        resp = self.client.get(url, **kw)
        if resp.mimetype == "text/html" and 'name="csrf_token"' in resp.text:
            self.token = csrf_from(resp.text)
        return resp

    def post(self, url, data=None, *, token=True, **kw):
        data = dict(data or {})
        if token:
            data["csrf_token"] = self.token
        return self.client.post(url, data=data, **kw)


def log_in(app, username, password=PASSWORD, **headers) -> Browser:
    browser = Browser(app.test_client())
    browser.get("/", headers=headers)
    resp = browser.post("/", {"username": username, "password": password}, headers=headers)
    assert resp.status_code == 302, resp.text
    browser.get("/account", headers=headers)  # a fresh token for the new session
    return browser


@pytest.fixture
def web(app):
    return lambda username, **headers: log_in(app, username, **headers)


@pytest.fixture
def seeded(app, client, team):
    return seed_results(app, client, team)
