"""Ticket use cases for the API (and web pages): the same door a device's push uses.

Every write runs ``sync.ticket_ops`` -- the operations a push runs inside
its batch -- on a ``WorkingSet`` over ONE store transaction, then commits
what it changed, placed exactly where the sync core keeps tickets. So a
supervisor in a browser and an engineer pushing from a device pass the same
checks (site scope, cited records and photos, state machine, merge rules)
and their changes reach every device through the normal pull.

Refusals come back as service errors: a move the machine, the role or the
from-state forbids is a ``Conflict`` carrying ``current`` and ``allowed``
(409), missing evidence or a bad argument ``Invalid`` naming the field (422),
another site's ticket ``NotFound`` (404).
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

from checklists.actors import Actor
from checklists.workflow import Acting
from checklists.workflow import tickets as rules
from server.services.accounts.access import require_site
from server.store import Store
from server.store.base import Op, Reader, Transaction
from sync import ticket_ops
from sync.errors import Rejected
from sync.placement import (OPEN_TICKETS_BY_DUE, TICKETS, TICKETS_BY_ASSIGNEE,
                            TICKETS_BY_ASSIGNEE_STATE, TICKETS_BY_SITE, TICKETS_BY_STATE)
from sync.working_set import WorkingSet

from .errors import Conflict, Forbidden, Invalid, NotFound
from .paging import read_page
from .stored_indexes import MARKERS, index_once
from .sync_service import placed_put

CompletePhotos = Callable[[list[str]], "set[str]"]
Also = Callable[[Transaction, dict], "list[Op]"]
_CONFLICTS = {"invalid_transition", "stale_state", "id_conflict"}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _translated(rejection: Rejected) -> Exception:
    details = dict(rejection.details)
    if "allowed" in details or rejection.code in _CONFLICTS:
        return Conflict(rejection.message, details={"reason": rejection.code, **details})
    if rejection.code == "not_found":
        return NotFound(rejection.message)
    if rejection.code == "forbidden":
        return Forbidden(rejection.message)
    return Invalid(details.get("errors") or {"_schema": [rejection.message]})


@dataclass
class _Batch:
    """One write transaction: the ticket operations' records, and writes of another
    service (a complaint noting its ticket) committed with them."""

    tx: Transaction
    records: WorkingSet
    extra: list = field(default_factory=list)


@contextmanager
def _batch(store: Store) -> Iterator[_Batch]:
    with store.transaction() as tx:
        batch = _Batch(tx, WorkingSet(tx.get_doc))
        try:
            yield batch
        except Rejected as rejection:
            raise _translated(rejection) from None
        writes = [placed_put(collection, doc, id_)
                  for collection, id_, doc in batch.records.changed()] + batch.extra
        if writes:
            tx.commit(writes)


@contextmanager
def _records(store: Store) -> Iterator[WorkingSet]:
    """The ticket operations' records over one write transaction, committed at the end."""
    with _batch(store) as batch:
        yield batch.records


def view(ticket: dict, actor: Actor, now: datetime) -> dict[str, Any]:
    """A ticket as a caller sees it: old names mapped, its clock, their allowed moves."""
    ticket = rules.read_ticket(ticket)
    acting = Acting.web(actor, now)
    return {**ticket, **rules.clock(ticket, now),
            "allowed_moves": rules.allowed_moves(ticket, acting)}


def create(store: Store, actor: Actor, args: dict, complete_photos: CompletePhotos,
           now: datetime | None = None, *, source: dict | None = None,
           also: Also | None = None) -> dict:
    """Open a ticket by hand (the server names it unless ``ticket_id`` is given).

    ``source``: what opened it (default by hand). ``also(tx, ticket)``: writes of
    the service that opened it (a complaint listing its ticket), committed in the
    same transaction; an error it raises leaves nothing stored.
    """
    now = now or _now()
    args = {"ticket_id": f"t-{uuid.uuid4().hex}", **args}
    with _batch(store) as batch:
        change = ticket_ops.create(batch.records, args, Acting.web(actor, now), complete_photos,
                                   source=source)
        if also is not None:
            batch.extra += also(batch.tx, change.ticket)
    return view(change.ticket, actor, now)


def move(store: Store, actor: Actor, ticket_id: str, args: dict,
         complete_photos: CompletePhotos, now: datetime | None = None) -> dict:
    now = now or _now()
    with _records(store) as records:
        change = ticket_ops.move(records, {**args, "ticket_id": ticket_id},
                                 Acting.web(actor, now), complete_photos)
    return view(change.ticket, actor, now)


def edit(store: Store, actor: Actor, ticket_id: str, values: dict, base_fv: dict,
         now: datetime | None = None) -> dict:
    """Set fields edited from versions ``base_fv``; the answer lists values that lost."""
    now = now or _now()
    with _records(store) as records:
        change = ticket_ops.edit(records, ticket_id, values, base_fv, Acting.web(actor, now))
    return {**view(change.ticket, actor, now), "new_conflicts": change.conflicts}


def comment(store: Store, actor: Actor, ticket_id: str, args: dict,
            complete_photos: CompletePhotos, now: datetime | None = None) -> dict:
    now = now or _now()
    args = {"comment_id": f"k-{uuid.uuid4().hex}", **args, "ticket_id": ticket_id}
    with _records(store) as records:
        change = ticket_ops.comment(records, args, Acting.web(actor, now), complete_photos)
    return view(change.ticket, actor, now)


def attach_photo(store: Store, actor: Actor, ticket_id: str, hashes: list[str],
                 complete_photos: CompletePhotos, now: datetime | None = None) -> dict:
    now = now or _now()
    with _records(store) as records:
        change = ticket_ops.attach_photos(records, ticket_id, hashes, Acting.web(actor, now),
                                          complete_photos)
    return view(change.ticket, actor, now)


def get(reader: Reader, actor: Actor, ticket_id: str, now: datetime | None = None) -> dict:
    """One ticket at a site the caller works at (404 for any other)."""
    record = reader.get(TICKETS, ticket_id)
    if record is None or not actor.works_at(record.doc["site_id"]):
        raise NotFound(f"ticket {ticket_id!r} does not exist")
    return view(dict(record.doc), actor, now or _now())



def visible_among(store: Store, actor: Actor, ticket_ids: list[str]) -> list[dict]:
    """The tickets of ``ticket_ids`` that exist and ``actor`` may see, in that order."""
    found = []
    with store.snapshot() as snap:
        for ticket_id in ticket_ids:
            try:
                found.append(get(snap, actor, ticket_id))
            except NotFound:
                continue
    return found

def list_tickets(reader: Reader, actor: Actor, *, site: str | None = None,
                 state: str | None = None, assignee: str | None = None,
                 overdue: bool = False, cursor: str | None = None, limit: int = 50,
                 now: datetime | None = None) -> dict:
    """One page of a site's tickets, newest first (``overdue``: most overdue first).

    Each filter combination is one index key, so a page is one keyset read.
    ``overdue`` walks the open tickets by due time and stops at the first
    not yet due; with ``state`` or ``assignee`` too, a page may hold fewer
    than ``limit`` tickets (follow ``next_cursor``).
    """
    now = now or _now()
    site = _site(actor, site)
    if overdue:
        page = read_page(reader, TICKETS, OPEN_TICKETS_BY_DUE, site, cursor=cursor, limit=limit)
        due = [r.doc for r in page.items if rules.overdue(rules.read_ticket(r.doc), now)]
        next_cursor = page.next_cursor if len(due) == len(page.items) else None
        docs = [d for d in due if (state is None or rules.read_ticket(d)["status"] == state)
                and (assignee is None or d.get("assignee") == assignee)]
        return {"items": [view(d, actor, now) for d in docs], "next_cursor": next_cursor}
    index, key = _listing(site, state, assignee)
    page = read_page(reader, TICKETS, index, key, cursor=cursor, limit=limit, descending=True)
    return {"items": [view(dict(r.doc), actor, now) for r in page.items],
            "next_cursor": page.next_cursor}


def _site(actor: Actor, site: str | None) -> str:
    if site is not None:
        require_site(actor, site)
        return site
    if not actor.is_admin and len(actor.site_ids) == 1:
        return next(iter(actor.site_ids))
    raise Invalid({"site": ["Name the site (you work at several)."]}, location="query")


def _listing(site: str, state: str | None, assignee: str | None) -> tuple[str, str]:
    if state and assignee:
        return TICKETS_BY_ASSIGNEE_STATE, f"{site}/{assignee}/{state}"
    if state:
        return TICKETS_BY_STATE, f"{site}/{state}"
    if assignee:
        return TICKETS_BY_ASSIGNEE, f"{site}/{assignee}"
    return TICKETS_BY_SITE, site



#: server-private marker: the tickets stored before listings existed were indexed
WORKFLOW_STATE, TICKETS_INDEXED = MARKERS, "tickets-indexed-1"


def index_stored_tickets(store: Store) -> int:
    """Once per data dir: give tickets stored before listings existed their index entries.

    Each is put back unchanged (its seq moves, so devices refetch it once);
    afterwards every write places tickets itself and this is one read at start.
    A store without tickets is left untouched (nothing to index, no marker).
    Returns how many tickets were indexed.
    """
    return index_once(store, TICKETS, TICKETS_INDEXED,
                      lambda tx, doc: placed_put(TICKETS, doc), count_key="tickets")
