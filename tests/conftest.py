"""Shared fixtures: a real app on a real store in a temp dir, and its callers.

* ``app`` -- ``create_app`` on ``tmp_path/data`` (the SQLite store there);
  the store is closed after the test.
* ``postgres_cluster`` -- a throwaway PostgreSQL cluster for the session
  (``create_database()`` / ``url(name)`` / ``drop_database(name)``).
* ``client`` / ``runner`` -- Flask test client and CLI runner for ``app``
  (``runner.invoke(server.cli.main, [...])`` runs the ``fieldsync`` CLI on it).
* ``app_store`` -- the app's ``server.store.Store``.
* ``accounts`` -- makes sites, users and device tokens (``AccountMaker``).
* ``team`` -- two sites (A, B), one user of every role at A, a guard at B,
  and bearer headers for each (``Team``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from server import create_app
from server.services.accounts import devices, sites, users
from checklists.actors import ROLES
from server.extensions import STORE_KEY, close_store
from tests.pg_server import PostgresCluster

PASSWORD = "correct horse battery"
# A fast hash keeps fixtures quick; the production default (scrypt) is tested on its own.
FAST_HASH = "pbkdf2:sha256:1000"


def make_app(data_dir, **overrides):
    return create_app({"TESTING": True, "DATA_DIR": str(data_dir), "SECRET_KEY": "test-secret",
                       "PASSWORD_HASH_METHOD": FAST_HASH, **overrides})


@pytest.fixture(scope="session")
def postgres_cluster():
    """A PostgreSQL cluster for the whole session (fails, never skips, without binaries)."""
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path / "data")
    yield app
    close_store(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_store(app):
    return app.extensions[STORE_KEY]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class AccountMaker:
    """Creates accounts straight through the services (fast, no HTTP)."""

    def __init__(self, store):
        self.store = store
        self._n = 0

    def site(self, code: str, name: str | None = None) -> dict:
        return sites.create_site(self.store, code=code, name=name or f"Site {code}")

    def user(self, role: str, *, username: str | None = None, password: str = PASSWORD,
             site_ids=()) -> dict:
        self._n += 1
        return users.create_user(self.store, username=username or f"{role}{self._n}",
                                 password=password, role=role, site_ids=site_ids,
                                 hash_method=FAST_HASH)

    def token(self, user: dict, device_name: str = "test phone") -> str:
        return devices.register_device(self.store, user, name=device_name)[1]

    def headers(self, user: dict) -> dict:
        """Bearer headers of a new device of ``user``."""
        return bearer(self.token(user))


@pytest.fixture
def accounts(app_store):
    return AccountMaker(app_store)


@dataclass
class Team:
    site_a: dict
    site_b: dict
    users: dict = field(default_factory=dict)     # role -> user at site A (admin: no sites)
    headers: dict = field(default_factory=dict)   # role -> bearer headers
    guard_b: dict | None = None
    guard_b_headers: dict | None = None


@pytest.fixture
def team(accounts):
    team = Team(site_a=accounts.site("A"), site_b=accounts.site("B"))
    for role in ROLES:
        site_ids = [] if role == "admin" else [team.site_a["id"]]
        team.users[role] = accounts.user(role, username=f"{role}-a", site_ids=site_ids)
        team.headers[role] = accounts.headers(team.users[role])
    team.guard_b = accounts.user("guard", username="guard-b", site_ids=[team.site_b["id"]])
    team.guard_b_headers = accounts.headers(team.guard_b)
    return team
