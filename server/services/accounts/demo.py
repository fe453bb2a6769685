"""Demo accounts: two sites and a user of every role, with known passwords.

For trying fieldsync on one machine (``fieldsync demo`` binds 127.0.0.1).
Running it again changes nothing that exists, so a demo data dir can be
reused; the passwords are printed every time because they never vary.
"""
from __future__ import annotations

from server.services.errors import Conflict
from server.store import Store

from . import sites, users
from checklists.actors import ADMIN, ENGINEER, GUARD, SUPERVISOR

DEMO_SITES = (("NHG", "南湖花园 Nanhu Garden"), ("BJT", "滨江大厦 Binjiang Tower"))
# username, role, site codes, password
DEMO_USERS = (
    ("admin", ADMIN, (), "demo-admin"),
    ("supervisor", SUPERVISOR, ("NHG", "BJT"), "demo-supervisor"),
    ("engineer", ENGINEER, ("NHG",), "demo-engineer"),
    ("guard", GUARD, ("NHG",), "demo-guard"),
    ("guard2", GUARD, ("BJT",), "demo-guard2"),
)


def seed_demo(store: Store, *, hash_method: str = users.DEFAULT_HASH_METHOD) -> list[dict]:
    """Create what is missing of the demo; return ``[{username, role, password, sites}]``."""
    site_ids = {}
    for code, name in DEMO_SITES:
        site = sites.find_site(store, code) or sites.create_site(store, code=code, name=name)
        site_ids[code] = site["id"]
    credentials = []
    for username, role, codes, password in DEMO_USERS:
        if users.find_user(store, username) is None:
            try:
                users.create_user(store, username=username, password=password, role=role,
                                  site_ids=[site_ids[c] for c in codes],
                                  hash_method=hash_method)
            except Conflict:  # created meanwhile: fine, it is there
                pass
        credentials.append({"username": username, "role": role, "password": password,
                            "sites": list(codes)})
    return credentials
