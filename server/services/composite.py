"""A site's composite score for a month: each block's latest result, by the plan's weights.

Each block takes the site's latest scored result of its rubric submitted in
the month (any version of the definition); a result an appeal adjusted
counts with its score after appeals, and the block says so.
"""
from __future__ import annotations

from typing import Any

from checklists.actors import Actor
from checklists.composite import composite
from checklists.composite_plans import PLANS, SEED_002
from server.services.accounts.access import require_site
from server.services.accounts.sites import SITES
from server.store import Store

from .appeals import score_after_appeals
from .errors import Invalid, NotFound
from .month_results import parse_month, results_in_month

DEFAULT_PLAN = SEED_002.id


def site_composite(store: Store, actor: Actor, site_id: str, *, month: str,
                   plan_id: str = DEFAULT_PLAN, default_zone: str) -> dict[str, Any]:
    plan = PLANS.get(plan_id)
    if plan is None:
        raise Invalid({"plan": [f"Unknown plan; known: {', '.join(PLANS)}."]}, "query")
    parse_month(month)
    require_site(actor, site_id, hide=True)
    with store.snapshot() as snap:
        site = snap.get_doc(SITES, site_id)
        if site is None:
            raise NotFound(f"no site {site_id!r}")
        percents, sources = {}, {}
        for block in plan.blocks:
            scored = [r for r in results_in_month(snap, site, month, default_zone,
                                                  definition=block.definition_id)
                      if r.get("score") is not None]
            if not scored:
                continue
            latest = scored[-1]
            after = score_after_appeals(snap, latest)
            percents[block.id] = (after or latest["score"])["percent"]
            sources[block.id] = {"result_id": latest["id"],
                                 "submitted_at": latest["submitted"]["at"],
                                 "score_percent": latest["score"]["percent"],
                                 "after_appeals": after is not None}
    body = composite(plan, percents).to_dict()
    for block in body["blocks"]:
        block["source"] = sources.get(block["block_id"])
    return {"site_id": site_id, "month": month, **body}
