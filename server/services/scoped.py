"""Reading a site-scoped record (plans, complaints, violations, tasks) for an actor.

One rule for all of them: an id the actor may not see answers "not found",
so ids of other sites are not confirmed to exist; a site named in a body
that does not exist is the body's fault (422 on ``site_id``).
"""
from __future__ import annotations

from checklists.actors import Actor
from server.services.accounts import sites
from server.services.accounts.access import require_site

from .errors import Invalid, NotFound


def scoped_doc(reader, actor: Actor, collection: str, record_id: str, what: str) -> dict:
    """A copy of the record, if it exists at a site ``actor`` works at; else ``NotFound``."""
    doc = reader.get_doc(collection, record_id)
    if doc is None:
        raise NotFound(f"{what} {record_id} not found")
    require_site(actor, doc["site_id"], hide=True)
    return dict(doc)


def site_in_path(reader, site_id: str) -> dict:
    """The site a URL names; ``NotFound`` if there is none (the resource is missing, the
    request is not malformed)."""
    site = reader.get_doc(sites.SITES, site_id)
    if site is None:
        raise NotFound(f"no site {site_id!r}")
    return dict(site)


def known_site(reader, site_id: str) -> dict:
    """The site named in a request body; ``Invalid`` on ``site_id`` if there is none."""
    site = reader.get_doc(sites.SITES, site_id)
    if site is None:
        raise Invalid({"site_id": ["Unknown site."]})
    return dict(site)
