"""Who is syncing, and which buckets that entitles them to.

The HTTP layer builds an ``Actor`` from the authenticated device token; the
protocol core never trusts a user id or site list sent in a request body.
Bucket membership is decided here, on the server, from the actor alone.
"""
from __future__ import annotations

from dataclasses import dataclass

SUPERVISING_ROLES = frozenset({"supervisor", "admin"})
FIELD_ROLES = frozenset({"guard", "engineer"})


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated user behind a request and the device they use."""

    user_id: str
    role: str
    site_ids: frozenset[str]
    device_id: str

    def __post_init__(self):
        object.__setattr__(self, "site_ids", frozenset(self.site_ids))

    @property
    def supervises(self) -> bool:
        return self.role in SUPERVISING_ROLES

    def works_at(self, site_id: str) -> bool:
        return site_id in self.site_ids


def site_bucket(site_id: str) -> str:
    return f"site:{site_id}"


def user_bucket(user_id: str) -> str:
    return f"user:{user_id}"


def buckets_for(actor: Actor) -> list[str]:
    """The actor's buckets in the order a pull serves them: defs, sites, own."""
    return ["defs", *(site_bucket(s) for s in sorted(actor.site_ids)), user_bucket(actor.user_id)]
