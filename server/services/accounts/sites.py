"""Sites: the properties people work at, and the unit of sync scope.

A site's record is written to the bucket ``site:<id>`` so a device syncs the
sites its user works at. Site codes are unique regardless of case; the check
runs inside the store transaction so two admins cannot create the same code.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Iterable

from checklists.timezones import DEFAULT_TIMEZONE, UnknownTimezone, check_timezone
from server.services.errors import Conflict, Invalid, NotFound
from server.services.paging import read_page
from server.store import Page, Put, Store

from .records import find_doc, get_doc, new_id, to_text, utc_now

SITES = "sites"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
NAME_MAX = 200
_CODE_RE = re.compile(CODE_PATTERN)


def site_bucket(site_id: str) -> str:
    """The sync bucket holding a site and what belongs to it."""
    return f"site:{site_id}"


def _code_key(code: str) -> str:
    return code.casefold()


def _put(doc: dict) -> Put:
    key = _code_key(doc["code"])
    return Put(SITES, doc["id"], doc, bucket=site_bucket(doc["id"]),
               index={"code": (key, ""), "all": ("all", key)})


def create_site(store: Store, *, code: str, name: str, timezone: str = DEFAULT_TIMEZONE,
                now: datetime | None = None) -> dict:
    """Create a site; ``Conflict`` if the code is taken, ``Invalid`` for a bad code,
    name or time zone (an IANA name such as ``Asia/Shanghai``)."""
    errors = {}
    if not _CODE_RE.match(code or ""):
        errors["code"] = ["Use 1-32 letters, digits, '_' or '-', starting with a letter or digit."]
    if not name or not name.strip() or len(name) > NAME_MAX:
        errors["name"] = [f"Give a name of 1-{NAME_MAX} characters."]
    errors.update(_timezone_errors(timezone))
    if errors:
        raise Invalid(errors)
    doc = {"id": new_id(), "code": code, "name": name.strip(), "timezone": timezone,
           "created_at": to_text(now or utc_now())}
    with store.transaction() as tx:
        if tx.count(SITES, "code", _code_key(code)):
            raise Conflict(f"site code {code!r} is already in use")
        tx.commit([_put(doc)])
    return doc


def set_timezone(store: Store, site_id: str, timezone: str) -> dict:
    """Change the zone a site's times are shown in (stored times stay UTC)."""
    return edit_site(store, site_id, {"timezone": timezone})


def edit_site(store: Store, site_id: str, changes: dict) -> dict:
    """Change a site's ``timezone`` and/or ``lead_user_id`` (project lead, 项目负责人;
    ``None`` clears it) in one transaction: either both apply or neither.

    The lead answers the first level of an appeal and is, by default, the
    person deductions at the site are attributed to.
    """
    if not changes:
        raise Invalid({"timezone": ["Give timezone or lead_user_id."]})
    errors = _timezone_errors(changes["timezone"]) if "timezone" in changes else {}
    if errors:
        raise Invalid(errors)
    with store.transaction() as tx:
        found = tx.get_doc(SITES, site_id)
        if found is None:
            raise NotFound(f"no site {site_id!r}")
        lead = changes.get("lead_user_id")
        if lead is not None and tx.get("users", lead) is None:
            raise Invalid({"lead_user_id": [f"No user {lead}."]})
        doc = {**found, **{k: changes[k] for k in ("timezone", "lead_user_id") if k in changes}}
        tx.commit([_put(doc)])
    return doc


def _timezone_errors(timezone: object) -> dict:
    try:
        check_timezone(timezone)
    except UnknownTimezone as exc:
        return {"timezone": [str(exc)]}
    return {}


def site_timezone(site: dict | None, default: str) -> str:
    """The zone a site's times are shown in: its own, or ``default`` for a site
    created before sites had one (or one whose stored name is no zone)."""
    name = (site or {}).get("timezone")
    try:
        return check_timezone(name)
    except UnknownTimezone:
        return default


def get_site(store: Store, site_id: str) -> dict:
    return get_doc(store, SITES, site_id, "site")


def find_site(store: Store, code: str) -> dict | None:
    """The site with ``code`` (any case), or None."""
    return find_doc(store, SITES, "code", _code_key(code))


def list_sites(store: Store, *, cursor: str | None = None, limit: int = 50) -> Page:
    """All sites by code, one page at a time."""
    return read_page(store, SITES, "all", "all", cursor=cursor, limit=limit)


def sites_by_ids(store: Store, site_ids: Iterable[str]) -> list[dict]:
    """The existing sites among ``site_ids``, ordered by code."""
    found = store.get_many(SITES, list(site_ids))
    return sorted((dict(r.doc) for r in found.values()), key=lambda d: _code_key(d["code"]))


def unknown_site_errors(reader, site_ids: list[str]) -> dict:
    """``{position: ["Unknown site."]}`` for each id in ``site_ids`` that is no site."""
    found = reader.get_many(SITES, site_ids)
    return {str(n): ["Unknown site."] for n, sid in enumerate(site_ids) if sid not in found}


def sites_for(store: Store, actor, *, limit: int = 200) -> list[dict]:
    """The sites ``actor`` works at, by code (admins: every site, the first ``limit``)."""
    if actor.is_admin:
        return [dict(r.doc) for r in list_sites(store, limit=limit).items]
    return sites_by_ids(store, actor.site_ids)
