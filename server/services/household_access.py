"""Access requests for household files: ask, decide, and the grant a full read needs.

Seed 001 §4.8: a household file is opened only with the manager's approval,
registered first. Requests live in ``household_access`` (server-side, never
synced); each request and each decision appends an entry to the register's
audit trail in the same commit, beside the reads the grant then allows.
``require_grant`` is what ``households.get_household`` (and an edit, which
returns the full record) calls inside its read transaction.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import Any, Mapping

from checklists.actors import Actor
from checklists.households import access as rules
from server.services.accounts.access import require_site
from server.services.accounts.records import new_id
from server.services.accounts.sites import SITES
from server.store import Put
from server.store.base import Reader

from . import households
from .errors import Conflict, Forbidden, Invalid, NotFound

HOUSEHOLD_ACCESS = "household_access"
REQUEST, APPROVE, REFUSE = "access-request", "access-approve", "access-refuse"
NO_GRANT = "no approved access to this household's file; request it"
_PAGE = 200


def access_hours(config: Mapping[str, Any]) -> int:
    """How long an approval lasts (``HOUSEHOLD_ACCESS_HOURS``, default 24)."""
    return int(config.get("HOUSEHOLD_ACCESS_HOURS", rules.DEFAULT_HOURS))


def request_access(store, actor: Actor, site_id: str, household_id: str,
                   body: Mapping[str, Any], *, at: datetime, door: str) -> dict[str, Any]:
    """Ask to read one household's file; the request waits for the site's lead or an admin."""
    households.require_register(store, actor, site_id)
    with store.transaction() as tx:
        household = households.household_of_site(tx, site_id, household_id)
        with _as_service_errors():
            doc = rules.new_request(actor, household, body.get("reason"),
                                    request_id=new_id(), at=at)
        tx.commit([_put(doc), households.audit_put(actor, household, REQUEST, at, door,
                                                   request_id=doc["id"])])
    return doc


def decide_access(store, actor: Actor, site_id: str, request_id: str,
                  body: Mapping[str, Any], *, at: datetime, hours: int,
                  door: str) -> dict[str, Any]:
    """Approve (a grant for ``hours``) or refuse (with a reason) a waiting request."""
    require_site(actor, site_id)
    with store.transaction() as tx:
        site = tx.get_doc(SITES, site_id)
        found = tx.get_doc(HOUSEHOLD_ACCESS, request_id)
        if site is None or found is None or found["site_id"] != site_id:
            raise NotFound(f"no access request {request_id!r} on this site")
        approve = body.get("approve")
        if not isinstance(approve, bool):
            raise Invalid({"approve": ["Give true (approve) or false (refuse)."]})
        with _as_service_errors():
            doc = rules.decide(found, actor, approve=approve, reason=body.get("reason"),
                               site_lead_id=site.get("lead_user_id"), at=at, hours=hours)
        household = {"id": doc["household_id"], "site_id": site_id}
        tx.commit([_put(doc), households.audit_put(actor, household,
                                                   APPROVE if approve else REFUSE, at, door,
                                                   request_id=doc["id"])])
    return doc


def pending_requests(reader: Reader, actor: Actor, site_id: str) -> list[dict[str, Any]]:
    """Requests of the site waiting for ``actor``'s decision (none of their own), oldest first."""
    require_site(actor, site_id)
    site = reader.get_doc(SITES, site_id)
    if site is None:
        raise NotFound(f"no site {site_id!r}")
    if not rules.may_decide(actor, site_id, site.get("lead_user_id")):
        raise Forbidden("only the site's lead or an admin decides access to household files")
    return [r for r in _requests(reader, "site", site_id)
            if r["status"] == rules.REQUESTED and r["requester_id"] != actor.user_id]


def may_decide_at(reader: Reader, actor: Actor, site_id: str) -> bool:
    """Whether pages should offer ``actor`` the pending list of the site."""
    site = reader.get_doc(SITES, site_id)
    return site is not None and rules.may_decide(actor, site_id, site.get("lead_user_id"))


def grant_of(reader: Reader, actor: Actor, household_id: str,
             at: datetime) -> Mapping[str, Any] | None:
    """``actor``'s open grant for the household, or None."""
    return rules.open_grant(_requests(reader, "household", household_id), actor,
                            household_id, at)


def require_grant(reader: Reader, actor: Actor, household_id: str,
                  at: datetime) -> Mapping[str, Any]:
    """The open grant, or ``Forbidden`` saying what is missing (no full read without one)."""
    grant = grant_of(reader, actor, household_id, at)
    if grant is None:
        raise Forbidden(NO_GRANT)
    return grant


def _requests(reader: Reader, index: str, key: str) -> list[dict[str, Any]]:
    found, cursor = [], None
    while True:
        page = reader.list(HOUSEHOLD_ACCESS, index, key, after=cursor, limit=_PAGE)
        found.extend(dict(r.doc) for r in page.items)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


def _put(doc: Mapping[str, Any]) -> Put:
    return Put(HOUSEHOLD_ACCESS, doc["id"], dict(doc), bucket=None,
               index={"household": (doc["household_id"], doc["requested_at"]),
                      "site": (doc["site_id"], doc["requested_at"])})


@contextmanager
def _as_service_errors():
    """The domain's refusals as the service errors callers map (403, 409, 422)."""
    try:
        yield
    except rules.AccessDenied as exc:
        raise Forbidden(str(exc)) from None
    except rules.AlreadyDecided as exc:
        raise Conflict(str(exc), {"status": "decided"}) from None
    except rules.AccessInvalid as exc:
        raise Invalid(exc.errors) from None
