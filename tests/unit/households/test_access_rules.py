"""Access to a household file (seed 001 §4.8): who asks, who decides, how long it lasts."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from checklists.actors import Actor
from checklists.households.access import (
    APPROVED, REFUSED, AccessDenied, AccessInvalid, AlreadyDecided, decide, new_request,
    open_grant,
)

AT = datetime(2026, 11, 15, 8, 0, tzinfo=timezone.utc)
HOUSEHOLD = {"id": "h1", "site_id": "A"}
SUPERVISOR = Actor("sup", "supervisor", {"A"})
LEAD = Actor("lead", "supervisor", {"A"})
ADMIN = Actor("boss", "admin", set())


def asked(actor=SUPERVISOR, reason="welfare follow-up"):
    return new_request(actor, HOUSEHOLD, reason, request_id="r1", at=AT)


def test_an_approval_is_a_grant_for_the_requester_and_household_until_it_expires():
    grant = decide(asked(), LEAD, approve=True, reason=None, site_lead_id="lead", at=AT,
                   hours=24)
    assert grant["status"] == APPROVED and grant["expires_at"] == "2026-11-16T08:00:00Z"
    assert open_grant([grant], SUPERVISOR, "h1", AT + timedelta(hours=23)) == grant
    assert open_grant([grant], SUPERVISOR, "h1", AT + timedelta(hours=24)) is None  # expired
    assert open_grant([grant], LEAD, "h1", AT) is None  # another person
    assert open_grant([grant], SUPERVISOR, "h2", AT) is None  # another household


def test_the_requester_never_decides_their_own_request_not_even_a_lead_or_admin():
    for actor, lead in ((LEAD, "lead"), (ADMIN, "lead")):
        with pytest.raises(AccessDenied, match="own request"):
            decide(asked(actor), actor, approve=True, reason=None, site_lead_id=lead, at=AT)


def test_only_the_sites_lead_or_an_admin_decides():
    lead_b = Actor("lead-b", "supervisor", {"B"})
    for actor in (lead_b, Actor("other", "supervisor", {"A"}), Actor("g", "guard", {"A"})):
        with pytest.raises(AccessDenied):
            decide(asked(), actor, approve=True, reason=None, site_lead_id="lead", at=AT)
    assert decide(asked(), ADMIN, approve=True, reason=None, site_lead_id=None,
                  at=AT)["decided_by"] == "boss"


def test_a_refusal_needs_a_reason_and_grants_nothing():
    with pytest.raises(AccessInvalid) as err:
        decide(asked(), LEAD, approve=False, reason=" ", site_lead_id="lead", at=AT)
    assert list(err.value.errors) == ["reason"]
    refused = decide(asked(), LEAD, approve=False, reason="not needed", site_lead_id="lead",
                     at=AT)
    assert refused["status"] == REFUSED and refused["expires_at"] is None
    assert open_grant([refused], SUPERVISOR, "h1", AT) is None


def test_a_request_is_decided_once():
    approved = decide(asked(), LEAD, approve=True, reason=None, site_lead_id="lead", at=AT)
    with pytest.raises(AlreadyDecided):
        decide(approved, ADMIN, approve=False, reason="no", site_lead_id="lead", at=AT)


def test_who_may_ask_and_the_reason_it_needs():
    with pytest.raises(AccessInvalid) as err:
        asked(reason="")
    assert list(err.value.errors) == ["reason"]
    for actor in (Actor("g", "guard", {"A"}), Actor("s", "supervisor", {"B"})):
        with pytest.raises(AccessDenied):
            asked(actor)
    assert asked(ADMIN)["requester_id"] == "boss"
