"""Who is acting: the one identity every rule, service and mutation takes.

A request from a browser session and a push from a device both become an
``Actor``; the only difference is ``device_id`` (None for a web session).
Site scope is the rule of the house: everyone works at the sites they are
assigned to, admins at every site. What a device *pulls* is a separate
question (its user's assigned sites, see ``sync.actor.buckets_for``), so an
admin's phone does not download every site of the company.
"""
from __future__ import annotations

from dataclasses import dataclass

GUARD, ENGINEER, SUPERVISOR, ADMIN = "guard", "engineer", "supervisor", "admin"
ROLES = (GUARD, ENGINEER, SUPERVISOR, ADMIN)
SUPERVISING_ROLES = frozenset({SUPERVISOR, ADMIN})
FIELD_ROLES = frozenset({GUARD, ENGINEER})


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated user behind a request, and the device when they sync from one."""

    user_id: str
    role: str
    site_ids: frozenset[str]
    device_id: str | None = None
    username: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "site_ids", frozenset(self.site_ids))

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def supervises(self) -> bool:
        return self.role in SUPERVISING_ROLES

    def works_at(self, site_id: str) -> bool:
        """True if the actor may see and act at ``site_id`` (admins: every site)."""
        return self.is_admin or site_id in self.site_ids
