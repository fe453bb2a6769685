"""The ``submit_round`` mutation: a guard's walked round, judged once as it arrives.

Exactly once like ``submit_result``: the round id is the device's; the same
round sent again is a ``duplicate``, other content under that id an
``id_conflict``. What can never be applied is ``rejected`` naming the field
(the round is still kept whole in the user's ``rejections``):

* args the patrol domain cannot judge (``load_round_result``'s errors);
* an unknown or cancelled occurrence, or one of a site the guard does not work at;
* a guard not assigned to the occurrence (a round assigned to a post may be
  walked by any guard of the site: whoever holds the post that night);
* a second round for an occurrence that already has one.

Anything that can be judged but looks wrong (an unknown tag, scans out of
order, GPS out of range, a visit's answers that break the checklist version it
names, or a version not published here) is accepted and flagged on the
verdict: field data is evidence. Judging corrects device times by the clock offset measured at
this push (``MutationContext.clock_offset_ms``); a round whose occurrence was
already marked missed keeps its alert and is judged on its own times.
"""
from __future__ import annotations

from datetime import datetime

from checklists.actors import GUARD, Actor
from checklists.patrol import (
    CANCELLED, JudgeContext, Occurrence, PatrolInvalid, judge_round, load_checkpoint,
    load_round_result, load_route, named_checklists,
)

from . import photo_access
from .context import MutationContext
from .errors import Rejected
from .patrol_records import CHECKPOINTS, OCCURRENCES, ROUNDS, ROUTES, route_record_id
from .placement import PHOTO_REFS
from .results import content_hash
from .working_set import WorkingSet


def submit_round(ws: WorkingSet, args: dict, ctx: MutationContext, services):
    from .mutations import Outcome  # mutations imports this module for its table

    existing = ws.get(ROUNDS, args["id"])
    if existing is not None:
        if ctx.actor.works_at(existing["site_id"]) and existing["content_hash"] == content_hash(
                args):  # a resend: the answer names the photos still to come
            return Outcome("duplicate", [(ROUNDS, existing["id"])], existing["missing_photos"])
        raise Rejected("id_conflict", f"round {args['id']} already exists with other content")
    occurrence_doc = _occurrence(ws, args["occurrence_id"], ctx)
    result = _loaded(args)
    route_doc = ws.get(ROUTES, route_record_id(result.route_id, result.route_version))
    occurrence = Occurrence.from_doc(occurrence_doc)
    if route_doc is None or (result.route_id, result.route_version) != (
            occurrence.route_id, occurrence.route_version):
        raise Rejected("invalid_args", "the round names another route version than its occurrence",
                       errors={"route_version": [f"the round is of route {occurrence.route_id}@"
                                                 f"{occurrence.route_version}"]})
    context = JudgeContext(site_checkpoints(ws.get(CHECKPOINTS, occurrence.site_id)),
                           clock_offset_s=(ctx.clock_offset_ms or 0) / 1000.0,
                           received_at=datetime.fromisoformat(ctx.received_at),
                           marked_missed_at=_time(occurrence_doc.get("missed_at")),
                           checklists=_named_checklists(result, services))
    verdict = judge_round(load_route(route_doc["route"]), occurrence, result, context)
    # in the shape of a result's photos, so the photo path serves both alike
    photos = list({p.sha256: {"sha256": p.sha256, "item": checkpoint_id}
                   for checkpoint_id, visit in result.visits.items()
                   for p in visit.photos}.values())
    hashes = [p["sha256"] for p in photos]
    missing = _missing_photos(ws, hashes, ctx, services, occurrence.site_id)
    doc = {"type": "patrol_round", "id": args["id"], "v": 1, "site_id": occurrence.site_id,
           "occurrence_id": occurrence.id, "guard_id": ctx.actor.user_id,
           "local_start": occurrence_doc["local_start"], "result": args,
           "verdict": verdict.to_record(), "photos": photos, "missing_photos": missing,
           "media": "pending" if missing else "complete", "submitted": ctx.stamp(),
           "content_hash": content_hash(args)}
    ws.put(ROUNDS, doc["id"], doc)
    ws.put(OCCURRENCES, occurrence.id,
           {**occurrence_doc, "round_id": doc["id"], "v": occurrence_doc["v"] + 1})
    for sha in hashes:
        ref = photo_access.with_citation(ws.get(PHOTO_REFS, sha), sha, "rounds", doc["id"])
        if ref is not None:
            ws.put(PHOTO_REFS, sha, ref)
    return Outcome("applied", [(ROUNDS, doc["id"])], missing)


def _missing_photos(ws: WorkingSet, hashes: list[str], ctx: MutationContext, services,
                    site_id: str) -> list[str]:
    """The photos still to come: not here, or here but not yet this guard's to cite
    (``photo_access``: knowing a hash is not having the photo). The existing photo
    path then completes the round's media when the bytes arrive."""
    complete = photo_access.usable(ws.get, services.complete_photos, hashes, ctx.actor.user_id,
                                   (site_id,))
    return [h for h in hashes if h not in complete]


def _occurrence(ws: WorkingSet, occurrence_id: str, ctx: MutationContext) -> dict:
    """The occurrence this actor may submit a round for, or ``Rejected`` naming why not."""
    doc = ws.get(OCCURRENCES, occurrence_id)
    if doc is None or not ctx.actor.works_at(doc["site_id"]):  # existence is not leaked
        raise Rejected("not_found", f"no round {occurrence_id} at your sites",
                       errors={"occurrence_id": ["No such round at a site you work at."]})
    if not is_assigned(doc, ctx.actor):
        raise Rejected("not_assigned", f"you are not assigned to round {occurrence_id}",
                       errors={"occurrence_id": ["You are not assigned to this round."]})
    if doc["status"] == CANCELLED:
        raise Rejected("cancelled", f"round {occurrence_id} was cancelled by a schedule edit",
                       errors={"occurrence_id": ["This round was cancelled."]})
    if doc.get("round_id") is not None:
        raise Rejected("already_submitted",
                       f"round {occurrence_id} already has a result ({doc['round_id']})",
                       errors={"occurrence_id": [f"Already has the result {doc['round_id']}."]})
    return doc


def is_assigned(occurrence: dict, actor: Actor) -> bool:
    """Whether ``actor`` walks this round: a named guard, or (a post's rounds) any guard
    of the site, since whoever holds the post that night walks it."""
    assignees = occurrence["assignees"]
    if "post" in assignees:
        return actor.role == GUARD
    return actor.user_id in assignees.get("guards", ())


def _loaded(args: dict):
    try:
        return load_round_result(args)
    except PatrolInvalid as invalid:
        raise Rejected("invalid_args", "the round cannot be judged", errors=invalid.errors) from None


def _named_checklists(result, services) -> dict:
    """The checklist versions the visits name, parsed (``None``: not published here),
    read through the push's own definition lookup, as a result's are."""
    found = {}
    for checklist_id, version in named_checklists(result):
        doc = services.find_definition(checklist_id, version)
        found[checklist_id, version] = None if doc is None else services.parse_definition(doc)
    return found


def site_checkpoints(record: dict | None) -> dict:
    """The ``Checkpoint`` objects of a site's checkpoints record (none yet: empty)."""
    docs = (record or {}).get("checkpoints", {})
    return {cid: load_checkpoint(doc) for cid, doc in docs.items()}


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
