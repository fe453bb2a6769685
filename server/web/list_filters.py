"""What the per-site list pages share: their filters as a browser sends them, and the site.

A GET form submits every field, empty ones too, so blanks mean "any"; a
value that cannot be understood is ``Invalid`` naming the field (a 400
page, never a 500). A site the user does not work at is ``NotFound``, like
any other site's object; without a site the page shows the user's first.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict

from checklists.actors import Actor
from server.services.accounts.sites import sites_for
from server.services.errors import Invalid, NotFound


def load_filters(schema: Schema, args: MultiDict) -> dict:
    """The non-blank query arguments (the last of each) loaded by ``schema``."""
    raw = {key: args.getlist(key)[-1] for key in args if args.getlist(key)[-1].strip()}
    try:
        return schema.load(raw)
    except ValidationError as exc:
        raise Invalid(exc.messages, "query") from None


def chosen_site(store, actor: Actor, site_id: str | None) -> tuple[dict, list[dict]]:
    """(the named site among the user's -- default the first --, all the user's sites)."""
    sites = sites_for(store, actor)
    wanted = site_id or (sites[0]["id"] if sites else None)
    site = next((s for s in sites if s["id"] == wanted), None)
    if site is None:
        raise NotFound("no such site among yours" if sites else "you do not work at any site")
    return site, sites
