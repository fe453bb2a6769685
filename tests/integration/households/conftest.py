"""A site A register with a vulnerable and a rental household, written through the API."""
from __future__ import annotations

from datetime import datetime

import pytest

from server.services import household_access
from server.services.accounts import sites
from server.services.accounts.records import utc_now
from server.services.accounts.users import actor_of

from tests.unit.households.builders import elderly_body, rental_body


def sites_url(team, *parts, site=None) -> str:
    site_id = (site or team.site_a)["id"]
    return "/".join([f"/api/v1/sites/{site_id}", *parts])


@pytest.fixture
def register(client, team):
    """``{"elderly": doc, "rental": doc}`` created by site A's supervisor."""
    made = {}
    for key, body in (("elderly", elderly_body()), ("rental", rental_body())):
        r = client.post(sites_url(team, "households"), json=body,
                        headers=team.headers["supervisor"])
        assert r.status_code == 201, r.get_json()
        made[key] = r.get_json()
    return made


@pytest.fixture
def site_lead(accounts, app_store, team):
    """Site A's lead (项目负责人), a supervisor there: decides access to its files."""
    lead = accounts.user("supervisor", username="lead-a", site_ids=[team.site_a["id"]])
    sites.edit_site(app_store, team.site_a["id"], {"lead_user_id": lead["id"]})
    return lead


@pytest.fixture
def grant(app_store, team, site_lead):
    """``grant(role_or_user, household_id, at=None)``: a request approved through the service.

    The site's lead approves it (an admin when the lead is the one asking),
    so tests that read full records hold the grant a real reader would.
    """
    def approve(who, household_id: str, *, at: datetime | None = None) -> dict:
        user = team.users[who] if isinstance(who, str) else who
        at = at or utc_now()
        request = household_access.request_access(
            app_store, actor_of(user), team.site_a["id"], household_id,
            {"reason": "welfare follow-up"}, at=at, door="test")
        decider = team.users["admin"] if user["id"] == site_lead["id"] else site_lead
        return household_access.decide_access(
            app_store, actor_of(decider), team.site_a["id"], request["id"],
            {"approve": True}, at=at, hours=24, door="test")
    return approve
