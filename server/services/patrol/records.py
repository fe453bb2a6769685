"""Reading and writing patrol records: placed puts, whole listings, who may manage a site.

Every patrol record goes back where ``sync.patrol_records`` places it (site
bucket plus its index entries), whether the server or a push writes it.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

from checklists.actors import Actor
from checklists.patrol import PatrolInvalid
from server.services.accounts.access import require_site
from server.services.errors import Forbidden, Invalid, NotFound
from server.services.scoped import site_in_path
from server.services.sync_service import placed_put
from server.store.base import Put, Reader

PAGE = 200


def put(collection: str, doc: dict) -> Put:
    return placed_put(collection, doc)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def every_doc(reader: Reader, collection: str, index: str, key: str, *,
              descending: bool = False,
              until: Callable[[dict], bool] | None = None) -> Iterator[dict]:
    """The documents of ``index`` = ``key`` in sort order; stop at the first ``until(doc)``."""
    cursor = None
    while True:
        page = reader.list(collection, index, key, after=cursor, limit=PAGE, descending=descending)
        for rec in page.items:
            if until is not None and until(rec.doc):
                return
            yield rec.doc
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def invalid(error: PatrolInvalid, location: str = "json") -> Invalid:
    """The domain's path-named errors as the API's 422."""
    return Invalid(error.errors, location=location)


def require_site_exists(reader: Reader, actor: Actor, site_id: str) -> dict:
    """The site record, if the actor works there (else 403) and it exists (else 404)."""
    require_site(actor, site_id)
    return site_in_path(reader, site_id)


def require_manager(reader: Reader, actor: Actor, site_id: str) -> dict:
    """Supervisors of the site and admins set up its patrols."""
    site = require_site_exists(reader, actor, site_id)
    if not actor.supervises:
        raise Forbidden("setting up patrols needs the role supervisor or admin")
    return site


def visible_doc(reader: Reader, actor: Actor, collection: str, id_: str, what: str) -> dict:
    """A record of a site the actor works at; other sites' records are not found."""
    doc = reader.get_doc(collection, id_)
    if doc is None:
        raise NotFound(f"no {what} {id_!r}")
    require_site(actor, doc["site_id"], hide=True)
    return doc

