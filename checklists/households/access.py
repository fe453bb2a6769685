"""Access to a household's file (seed 001 §4.8): requested, then approved or refused.

Household files are top secret (绝密); reading one needs the department
manager's approval, registered before the file is opened. Here a request
names the household, who asks, why, and when; the site's lead
(``lead_user_id``) or an admin decides -- never the one who asked, so no one
approves their own reading. An approval is a grant for that person and that
household for a window (``hours``), after which a new request is needed.

Pure rules (no Flask, no store): the service stores the dicts these return.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping

from checklists.actors import Actor

REQUESTED, APPROVED, REFUSED = "requested", "approved", "refused"
DEFAULT_HOURS = 24
_REASON_MAX = 2000


class AccessInvalid(ValueError):
    """Bad input: ``errors`` maps the field to its messages (marshmallow's shape)."""

    def __init__(self, errors: Mapping[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = dict(errors)


class AccessDenied(PermissionError):
    """The actor may not request, decide or read this (the message says what is missing)."""


class AlreadyDecided(ValueError):
    """A decision on a request that is no longer waiting for one."""


def may_request(actor: Actor, site_id: str) -> bool:
    """Those who may open the register today: supervisors of the site and admins."""
    return actor.supervises and actor.works_at(site_id)


def may_decide(actor: Actor, site_id: str, site_lead_id: str | None) -> bool:
    """The site's lead (who works there) or an admin; the requester is checked in ``decide``."""
    if actor.is_admin:
        return True
    return site_lead_id is not None and actor.user_id == site_lead_id and actor.works_at(site_id)


def _text(at: datetime) -> str:
    """UTC with a Z, as the store keeps times (sortable as text)."""
    return at.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _reason(text: Any, field: str) -> str:
    reason = text.strip() if isinstance(text, str) else ""
    if not reason:
        raise AccessInvalid({field: ["Give a reason."]})
    if len(reason) > _REASON_MAX:
        raise AccessInvalid({field: [f"At most {_REASON_MAX} characters."]})
    return reason


def new_request(actor: Actor, household: Mapping[str, Any], reason: Any, *,
                request_id: str, at: datetime) -> dict[str, Any]:
    """A request waiting for a decision (``AccessDenied``/``AccessInvalid`` otherwise)."""
    if not may_request(actor, household["site_id"]):
        raise AccessDenied("only supervisors of the site and admins may ask to read a file")
    return {"id": request_id, "site_id": household["site_id"],
            "household_id": household["id"], "requester_id": actor.user_id,
            "requester_name": actor.username, "reason": _reason(reason, "reason"),
            "requested_at": _text(at), "status": REQUESTED, "decided_by": None,
            "decided_at": None, "decision_reason": None, "expires_at": None}


def decide(request: Mapping[str, Any], actor: Actor, *, approve: bool, reason: Any,
           site_lead_id: str | None, at: datetime, hours: int = DEFAULT_HOURS
           ) -> dict[str, Any]:
    """The request approved (a grant until ``at + hours``) or refused (a reason required)."""
    if actor.user_id == request["requester_id"]:
        raise AccessDenied("you cannot decide your own request; the site's lead or an "
                           "admin decides it")
    if not may_decide(actor, request["site_id"], site_lead_id):
        raise AccessDenied("only the site's lead or an admin decides access to a file")
    if request["status"] != REQUESTED:
        raise AlreadyDecided(f"this request was already {request['status']}")
    decision_reason = None
    if not approve:
        decision_reason = _reason(reason, "reason")
    elif isinstance(reason, str) and reason.strip():
        decision_reason = reason.strip()[:_REASON_MAX]
    return {**request, "status": APPROVED if approve else REFUSED,
            "decided_by": actor.user_id, "decided_at": _text(at),
            "decision_reason": decision_reason,
            "expires_at": _text(at + timedelta(hours=hours)) if approve else None}


def is_open_grant(request: Mapping[str, Any], actor: Actor, household_id: str,
                  at: datetime) -> bool:
    """An approved, unexpired grant of ``actor`` for ``household_id`` at ``at``."""
    return (request["status"] == APPROVED and request["requester_id"] == actor.user_id
            and request["household_id"] == household_id
            and _moment(request["expires_at"]) > at)


def open_grant(requests: Iterable[Mapping[str, Any]], actor: Actor, household_id: str,
               at: datetime) -> Mapping[str, Any] | None:
    """The grant that lasts longest among ``requests``, or None (no full read)."""
    grants = [r for r in requests if is_open_grant(r, actor, household_id, at)]
    return max(grants, key=lambda r: r["expires_at"], default=None)
