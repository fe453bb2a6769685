"""What bench/web.py reads out of the pages it gets: the login form's CSRF token and
the results list's "Next page" address (a keyset cursor), as a browser would follow them."""
from __future__ import annotations

import html
import re

_NEXT = re.compile(r'id="next" href="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def next_page_link(page: str) -> str | None:
    """The results page's "Next page" address (keyset cursor included), if it has one."""
    found = _NEXT.search(page)
    return html.unescape(found[1]) if found else None


def csrf_token(page: str) -> str:
    """The CSRF token of the page's first form."""
    found = _CSRF.search(page)
    if found is None:
        raise ValueError("the page has no form with a CSRF token")
    return found[1]
