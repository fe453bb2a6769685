"""A site A register with a vulnerable and a rental household, written through the API."""
from __future__ import annotations

import pytest

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
