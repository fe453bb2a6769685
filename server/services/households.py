"""The key-household register (重点户, seed 003): personal files, kept server-side.

Who sees what:

* the register (``households``, bucket None: never synced) -- supervisors
  of the site and admins; every read or write of a full record appends an
  entry to ``household_audit`` (who, when, which record, through which
  door) in the same transaction, so no full record leaves without its entry;
* a full record goes out only to whoever holds an approved, unexpired access
  grant for that household (``household_access``, seed 001 §4.8) -- except
  the record a ``create`` returns to its creator, who has just typed it;
* everyone working at the site -- the guard view (``household_watch``, one
  document per site in the site's sync bucket), recomputed from the register
  in the transaction of every register write, so devices pull it and never
  anything else of the file.

A record of another site answers "not found", as other sites' objects do.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping

from checklists.actors import Actor
from checklists.households import HouseholdInvalid, guard_view, load_household
from checklists.timezones import DEFAULT_TIMEZONE, to_site_local
from server.services.accounts.access import require_site
from server.services.accounts.records import new_id, to_text
from server.services.accounts.sites import SITES, site_timezone
from server.store import Page, Put
from server.store.base import Delete, Reader, Transaction
from sync.actor import site_bucket
from sync.placement import HOUSEHOLD_WATCH

from . import household_access
from .errors import Forbidden, Invalid, NotFound
from .paging import read_page
from .scoped import site_in_path

HOUSEHOLDS, HOUSEHOLD_AUDIT = "households", "household_audit"
READ, CREATE, UPDATE, DELETE = "read", "create", "update", "delete"
#: what a register listing shows of each household: where and why, not who
SUMMARY_FIELDS = ("id", "site_id", "building", "unit", "checkpoint_tag", "categories",
                  "updated_at", "version")
_PAGE = 200


def require_register(reader: Reader, actor: Actor, site_id: str) -> None:
    """Only supervisors of the site and admins touch the register (403 otherwise)."""
    require_site(actor, site_id)
    if not actor.supervises:
        raise Forbidden("the key-household register is for supervisors of the site and admins")
    require_existing_site(reader, site_id)


def require_existing_site(reader: Reader, site_id: str) -> None:
    """``NotFound`` for a site that does not exist (an admin may name any site)."""
    site_in_path(reader, site_id)


def site_today(reader: Reader, site_id: str, at: datetime) -> date:
    """The site's calendar day at ``at`` (its own time zone; dates in the file are local)."""
    zone = site_timezone(reader.get_doc(SITES, site_id), DEFAULT_TIMEZONE)
    return to_site_local(at, zone).date()


def site_households(reader: Reader, site_id: str) -> list[dict[str, Any]]:
    """Every record of the site's register, by building and unit."""
    found, cursor = [], None
    while True:
        page = reader.list(HOUSEHOLDS, "site", site_id, after=cursor, limit=_PAGE)
        found.extend(dict(r.doc) for r in page.items)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


def list_households(reader: Reader, actor: Actor, site_id: str, *, cursor: str | None,
                    limit: int) -> dict[str, Any]:
    """One page of the register as summaries (no personal fields, so not audited)."""
    require_register(reader, actor, site_id)
    page = read_page(reader, HOUSEHOLDS, "site", site_id, cursor=cursor, limit=limit)
    return {"items": [{k: r.doc.get(k) for k in SUMMARY_FIELDS} for r in page.items],
            "next_cursor": page.next_cursor}


def create_household(store, actor: Actor, site_id: str, body: Mapping[str, Any], *,
                     at: datetime, door: str) -> dict[str, Any]:
    """Add a household to the register; the full record is returned (and audited)."""
    require_register(store, actor, site_id)
    with store.transaction() as tx:
        doc = {**_validated(body, site_today(tx, site_id, at)), "id": new_id(),
               "site_id": site_id, "created_at": to_text(at), "version": 1,
               **_stamp(actor, at)}
        _write(tx, actor, doc, CREATE, at, door)
    return doc


def get_household(store, actor: Actor, site_id: str, household_id: str, *, at: datetime,
                  door: str) -> dict[str, Any]:
    """One full record, with ``access_expires_at`` of the grant that allows the read.

    Without an approved, unexpired grant the read is refused (``Forbidden``);
    with one it is audited before the record is returned.
    """
    require_register(store, actor, site_id)
    with store.transaction() as tx:
        doc = household_of_site(tx, site_id, household_id)
        grant = household_access.require_grant(tx, actor, household_id, at)
        tx.commit([audit_put(actor, doc, READ, at, door, request_id=grant["id"])])
    return {**doc, "access_expires_at": grant["expires_at"]}


def replace_household(store, actor: Actor, site_id: str, household_id: str,
                      body: Mapping[str, Any], *, at: datetime, door: str) -> dict[str, Any]:
    """Replace a record's fields (id, site, creation kept; version counts the edits).

    The full record comes back, so an edit needs a grant as a read does.
    """
    require_register(store, actor, site_id)
    with store.transaction() as tx:
        old = household_of_site(tx, site_id, household_id)
        household_access.require_grant(tx, actor, household_id, at)
        doc = {**_validated(body, site_today(tx, site_id, at)),
               **{k: old[k] for k in ("id", "site_id", "created_at")},
               "version": old["version"] + 1, **_stamp(actor, at)}
        _write(tx, actor, doc, UPDATE, at, door)
    return doc


def delete_household(store, actor: Actor, site_id: str, household_id: str, *, at: datetime,
                     door: str) -> None:
    """Take a household off the register (moved out); its audit entries stay."""
    require_register(store, actor, site_id)
    with store.transaction() as tx:
        doc = household_of_site(tx, site_id, household_id)
        others = [h for h in site_households(tx, site_id) if h["id"] != household_id]
        tx.commit([Delete(HOUSEHOLDS, household_id), audit_put(actor, doc, DELETE, at, door),
                   _watch_put(site_id, others, at)])


def list_audit(reader: Reader, actor: Actor, site_id: str, *, cursor: str | None,
               limit: int) -> Page:
    """The site's register audit log, newest first."""
    require_register(reader, actor, site_id)
    return read_page(reader, HOUSEHOLD_AUDIT, "site", site_id, cursor=cursor, limit=limit,
                     descending=True)


def watch_view(reader: Reader, actor: Actor, site_id: str) -> dict[str, Any]:
    """The guards' view of the site: what to watch where (anyone working at the site)."""
    require_site(actor, site_id)
    require_existing_site(reader, site_id)
    stored = reader.get_doc(HOUSEHOLD_WATCH, site_id)
    if stored is not None:
        return dict(stored)
    return guard_view(site_id, [], generated_at=None)


def household_of_site(reader: Reader, site_id: str, household_id: str) -> dict[str, Any]:
    """The record, if it is on ``site_id``'s register (else ``NotFound``)."""
    doc = reader.get_doc(HOUSEHOLDS, household_id)
    if doc is None or doc["site_id"] != site_id:
        raise NotFound(f"no household {household_id!r} on this site's register")
    return dict(doc)


def _validated(body: Mapping[str, Any], today: date) -> dict[str, Any]:
    try:
        return load_household(body, today)
    except HouseholdInvalid as exc:
        raise Invalid(exc.errors) from None


def _stamp(actor: Actor, at: datetime) -> dict[str, str]:
    return {"updated_at": to_text(at), "updated_by": actor.user_id}


def _write(tx: Transaction, actor: Actor, doc: dict[str, Any], action: str, at: datetime,
           door: str) -> None:
    """Store ``doc``, its audit entry and the site's new guard view in one commit."""
    site_id = doc["site_id"]
    register = [h for h in site_households(tx, site_id) if h["id"] != doc["id"]] + [doc]
    tx.commit([Put(HOUSEHOLDS, doc["id"], doc, bucket=None,
                   index={"site": (site_id, f"{doc['building']}\x1f{doc['unit']}")}),
               audit_put(actor, doc, action, at, door),
               _watch_put(site_id, register, at)])


def _watch_put(site_id: str, register: list[dict[str, Any]], at: datetime) -> Put:
    view = guard_view(site_id, register, generated_at=to_text(at))
    return Put(HOUSEHOLD_WATCH, site_id, view, bucket=site_bucket(site_id))


def audit_put(actor: Actor, household: Mapping[str, Any], action: str, at: datetime,
              door: str, *, request_id: str | None = None) -> Put:
    """An append-only audit entry: a new id each time, never rewritten or deleted.

    ``request_id`` names the access request a read went through (or that an
    access entry is about), so the trail links each read to its approval.
    """
    entry = {"id": new_id(), "site_id": household["site_id"],
             "household_id": household["id"], "action": action, "at": to_text(at),
             "user_id": actor.user_id, "username": actor.username, "role": actor.role,
             "device_id": actor.device_id, "door": door, "request_id": request_id}
    return Put(HOUSEHOLD_AUDIT, entry["id"], entry, bucket=None,
               index={"site": (entry["site_id"], entry["at"])})

