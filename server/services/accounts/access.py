"""Checks of what an actor's role and sites allow them to touch.

An ``Actor`` (``checklists.actors``) is built once per request from a session
or a device token and passed to services. Site scope is the rule of the
house: everyone works at a set of sites, admins at all of them. Asking for a *specific* object of
another site answers "not found" (``hide=True``), so ids of other sites are
not confirmed to exist; asking for a whole site you do not work at answers
"forbidden", because the caller named the site and deserves to know why.
"""
from __future__ import annotations

from typing import Collection

from checklists.actors import Actor
from server.services.errors import Forbidden, NotFound



def require_role(actor: Actor, roles: Collection[str]) -> None:
    """Raise ``Forbidden`` unless the caller has one of ``roles`` (empty: any role)."""
    if roles and actor.role not in roles:
        raise Forbidden(f"this needs the role {' or '.join(roles)}; you are {actor.role}")


def require_site(actor: Actor, site_id: str, *, hide: bool = False) -> None:
    """Raise unless the caller works at ``site_id``.

    :param hide: raise ``NotFound`` instead of ``Forbidden`` -- use it when
        the site was reached through a specific object's id.
    """
    if actor.works_at(site_id):
        return
    if hide:
        raise NotFound("not found")
    raise Forbidden(f"you do not work at site {site_id}")
