"""Residents' violations: recording (penalties by managers only), listing, the month-end
copy for finance. Server-private records (bucket None), indexed by site and month."""
from __future__ import annotations

from datetime import datetime

from checklists import violations as rules
from checklists.actors import Actor
from checklists.patrol.recurrence import zone
from server.services.accounts.access import require_site
from server.services.accounts.records import new_id
from server.store import Put, Store

from .complaints import check_unit
from .errors import Forbidden, Invalid
from .paging import all_records, read_page
from .scoped import known_site, scoped_doc

VIOLATIONS = "violations"


def record(store: Store, actor: Actor, data: dict, now: datetime) -> dict:
    require_site(actor, data["site_id"])
    with store.transaction() as tx:
        site = known_site(tx, data["site_id"])
        check_unit(tx, data["site_id"], data["unit"])
        try:
            doc = rules.new_violation(new_id(), data, actor, now, zone(site["timezone"]))
        except rules.ViolationForbidden as err:
            raise Forbidden(str(err)) from None
        except rules.ViolationInvalid as err:
            raise Invalid(err.errors) from None
        tx.commit([Put(VIOLATIONS, doc["id"], doc, None, {
            "site": (doc["site_id"], doc["recorded_at"]),
            "month": (f"{doc['site_id']}|{doc['month']}", doc["recorded_at"]),
            "retention": (doc["retention"]["class"], doc["retention"]["keep_until"])})])
    return doc


def get_violation(store: Store, actor: Actor, violation_id: str) -> dict:
    return scoped_doc(store, actor, VIOLATIONS, violation_id, "violation")


def list_violations(store: Store, actor: Actor, site_id: str, month: str | None) -> list[dict]:
    """Every violation of a site (of one month), oldest first: the finance copy's rows."""
    require_site(actor, site_id)
    return [dict(r.doc) for r in all_records(store, VIOLATIONS, *_listing(site_id, month))]


def page_violations(store: Store, actor: Actor, site_id: str, month: str | None, *,
                    cursor: str | None = None, limit: int = 50) -> dict:
    """One page of a site's violations (of one month), newest first."""
    require_site(actor, site_id)
    page = read_page(store, VIOLATIONS, *_listing(site_id, month), cursor=cursor, limit=limit,
                     descending=True)
    return {"items": [dict(r.doc) for r in page.items], "next_cursor": page.next_cursor}


def _listing(site_id: str, month: str | None) -> tuple[str, str]:
    return ("month", f"{site_id}|{month}") if month else ("site", site_id)


def finance_copy(store: Store, actor: Actor, site_id: str, month: str) -> bytes:
    """The month's violation records as CSV for finance (managers only)."""
    if not actor.supervises:
        raise Forbidden("only a supervisor or admin sends the month-end copy to finance")
    return rules.finance_csv(list_violations(store, actor, site_id, month))
