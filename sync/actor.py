"""Which buckets a syncing actor is entitled to.

The HTTP layer builds an ``Actor`` (``checklists.actors``) from the
authenticated device token; the protocol core never trusts a user id or site list sent in a request body.
Bucket membership is decided here, on the server, from the actor alone.
"""
from __future__ import annotations

from checklists.actors import Actor


def site_bucket(site_id: str) -> str:
    return f"site:{site_id}"


def user_bucket(user_id: str) -> str:
    return f"user:{user_id}"


def buckets_for(actor: Actor) -> list[str]:
    """The actor's buckets in the order a pull serves them: defs, sites, own.

    Assigned sites only, admins included: working at every site is a right
    to act there, not a reason to download every site to one phone.
    """
    return ["defs", *(site_bucket(s) for s in sorted(actor.site_ids)), user_bucket(actor.user_id)]
