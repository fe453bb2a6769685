"""A submitted result closes the plan occurrence it fulfils (``checklists.plans``).

The device may name the occurrence (``occurrence_id``); otherwise the
occurrence of a plan of the same site and checklist whose window holds the
work's time, assigned to the submitter (or their role), is closed. A named
occurrence that is no occurrence of this site and checklist rejects the
submission (naming ``occurrence_id``), so nothing is half-applied; a result
that fulfils nothing is just a result.
"""
from __future__ import annotations

from checklists import plans
from checklists.plans.matching import candidate_ids, fulfilment_time

from .context import MutationContext
from .errors import Rejected
from .placement import OCCURRENCES

#: server-private: one record per site summarising its active plans (``matching.summary``)
PLAN_SITES = "plan_sites"


def named_occurrence(ws, args: dict, ctx: MutationContext) -> dict | None:
    """The occurrence ``args`` names, checked; None when it names none."""
    occ_id = args.get("occurrence_id")
    if occ_id is None:
        return None
    occ = ws.get(OCCURRENCES, occ_id)
    if occ is None or occ["site_id"] != args["site_id"] or \
            occ["checklist_id"] != args["checklist"]["id"]:  # one answer: existence not leaked
        raise Rejected("invalid_reference", f"occurrence {occ_id} is no occurrence of this "
                       f"site and checklist", errors={"occurrence_id": [
                           "No occurrence with this id for this site and checklist."]})
    if not (ctx.actor.supervises or plans.assigned_to(occ, ctx.actor.user_id, ctx.actor.role)):
        raise Rejected("forbidden", f"occurrence {occ_id} is not assigned to you",
                       errors={"occurrence_id": ["Not assigned to you."]})
    return occ


def close_fulfilled(ws, args: dict, ctx: MutationContext, named: dict | None
                    ) -> list[tuple[str, str]]:
    """Close the occurrence the stored result ``args['result_id']`` fulfils; what it touched."""
    if named is None and not ws.get(PLAN_SITES, args["site_id"]):
        return []  # most sites' results: no plan to match, no time to work out
    at = fulfilment_time(args.get("finished_at"), ctx.clock_offset_ms, ctx.received_at)
    occ = named if named is not None else _matching(ws, args, ctx, at)
    if occ is None:
        return []
    closed = plans.close(occ, args["result_id"], at, ctx.stamp())
    if closed is None:
        return []
    ws.put(OCCURRENCES, closed["id"], closed)
    return [(OCCURRENCES, closed["id"])]


def _matching(ws, args: dict, ctx: MutationContext, at) -> dict | None:
    site_plans = ws.get(PLAN_SITES, args["site_id"])
    if not site_plans:
        return None
    for occ_id in candidate_ids(site_plans["plans"], args["checklist"]["id"], at):
        occ = ws.get(OCCURRENCES, occ_id)
        if occ is not None and occ["status"] in plans.OPEN_STATES and plans.covers(occ, at) \
                and plans.assigned_to(occ, ctx.actor.user_id, ctx.actor.role):
            return occ
    return None
