"""Fixtures: site A set up for patrols through the API, and its guard's device
(``site_setup`` says what is set up)."""
from __future__ import annotations

import pytest

from .site_setup import GuardDevice, PatrolSite


@pytest.fixture
def patrol_site(client, team, app_store):
    site = PatrolSite(client, team, app_store)
    site.set_up()
    return site


@pytest.fixture
def guard_device(client, team):
    return GuardDevice(client, team.headers["guard"])
