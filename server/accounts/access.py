"""Who is asking, and what their role and sites allow them to touch.

A ``Principal`` is built once per request from a session or a device token
and passed to services. Site scope is the rule of the house: everyone works
at a set of sites, admins at all of them. Asking for a *specific* object of
another site answers "not found" (``hide=True``), so ids of other sites are
not confirmed to exist; asking for a whole site you do not work at answers
"forbidden", because the caller named the site and deserves to know why.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

from server.services.errors import Forbidden, NotFound

GUARD, ENGINEER, SUPERVISOR, ADMIN = "guard", "engineer", "supervisor", "admin"
ROLES = (GUARD, ENGINEER, SUPERVISOR, ADMIN)


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a user, possibly speaking through one device."""

    user_id: str
    username: str
    role: str
    site_ids: frozenset[str]
    device_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def works_at(self, site_id: str) -> bool:
        """True if the caller may see ``site_id`` (admins see every site)."""
        return self.is_admin or site_id in self.site_ids


def require_role(principal: Principal, roles: Collection[str]) -> None:
    """Raise ``Forbidden`` unless the caller has one of ``roles`` (empty: any role)."""
    if roles and principal.role not in roles:
        raise Forbidden(f"this needs the role {' or '.join(roles)}; you are {principal.role}")


def require_site(principal: Principal, site_id: str, *, hide: bool = False) -> None:
    """Raise unless the caller works at ``site_id``.

    :param hide: raise ``NotFound`` instead of ``Forbidden`` -- use it when
        the site was reached through a specific object's id.
    """
    if principal.works_at(site_id):
        return
    if hide:
        raise NotFound("not found")
    raise Forbidden(f"you do not work at site {site_id}")
