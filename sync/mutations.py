"""The named mutations a device may push, and how each one applies.

Each handler reads through the batch's working set, checks the actor may
touch the site, applies the pure rules (``results``; tickets through
``ticket_ops``, the door the web services use too) and puts the changed
documents back. It returns an ``Outcome`` or raises
``Rejected``; it never commits anything itself.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from marshmallow import Schema

from checklists import Definition, load_definition
from checklists.workflow.ticket_rules import tickets_for_result

from . import mutation_args as schemas
from . import complaint_links, photo_access, plan_link, reinspections, results, ticket_ops
from .context import MutationContext
from .errors import Rejected
from .patrol_rounds import submit_round
from .placement import PHOTO_REFS, PHOTOS, RESULTS, TICKETS
from .working_set import WorkingSet

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PushServices:
    """What the push needs from outside the protocol core, injected by the caller.

    ``evaluate(definition_doc, answers)`` validates and scores answers and
    raises an exception with ``.errors`` for invalid ones;
    ``find_definition(checklist_id, version)`` returns the published
    definition document or None; ``complete_photos(hashes)`` returns the
    subset already complete in the upload store. ``transient_errors`` are the
    store's failures that stop the whole batch unacknowledged (the device
    retries) instead of rejecting the mutation that met them.
    ``parse_definition`` gives the model of a definition document (the server
    passes its cache); it is asked only of definitions with ticket rules.
    """

    evaluate: Callable[[dict, dict], dict]
    find_definition: Callable[[str, int], "dict | None"]
    complete_photos: Callable[[list[str]], "set[str]"]
    transient_errors: tuple[type[BaseException], ...] = ()
    parse_definition: Callable[[dict], Definition] = load_definition
    #: ``review(get, ctx, args)``: the reviewed result document, or ``Rejected`` -- the
    #: server's one review door (``server.services.review``), shared with its API
    review: "Callable[[Callable, MutationContext, dict], dict] | None" = None


@dataclass(slots=True)
class Outcome:
    status: str  # "applied" | "duplicate"
    touched: list[tuple[str, str]]
    missing_photos: list[str] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)


Handler = Callable[[WorkingSet, dict, MutationContext, PushServices], Outcome]


def _require_site(ctx: MutationContext, site_id: str) -> None:
    if not ctx.actor.works_at(site_id):
        raise Rejected("forbidden", f"you do not work at site {site_id}")


def _definition(services: PushServices, checklist: dict) -> dict:
    definition = services.find_definition(checklist["id"], checklist["version"])
    if definition is None:
        raise Rejected("unknown_checklist",
                       f"checklist {checklist['id']} version {checklist['version']} "
                       f"is not published")
    return definition


def _score(services: PushServices, definition: dict, answers: dict) -> dict:
    try:
        return services.evaluate(definition, answers)
    except Exception as exc:  # noqa: BLE001 - any failure is answered, the data kept
        errors = getattr(exc, "errors", None)
        if errors is not None:
            raise Rejected("invalid_answers", "the answers do not fit the checklist",
                           errors=errors) from None
        log.exception("evaluating checklist %s@%s failed", definition.get("id"),
                      definition.get("version"))
        raise Rejected("evaluation_failed", f"the answers could not be scored: {exc!r}") from None


def _store_result(ws: WorkingSet, args: dict, ctx: MutationContext, services: PushServices,
                  checklist: dict, base: dict | None, *, answers: dict | None = None,
                  shape: Callable[[dict], dict] | None = None) -> Outcome:
    """Score and store a result; ``answers`` replace the sent ones when scoring and
    storing (a re-inspection's), ``shape`` adds to the document before it is put."""
    definition = _definition(services, checklist)
    score = _score(services, definition, args["answers"] if answers is None else answers)
    hashes = results.photo_hashes(args)
    site = base["site_id"] if base else args["site_id"]
    # Here and usable by this submitter: see photo_access (knowing a hash is not having it).
    complete = photo_access.usable(ws.get, services.complete_photos, hashes, ctx.actor.user_id,
                                   (site,))
    missing = [h for h in hashes if h not in complete]
    doc = results.new_result(args, score, missing, ctx, base=base,
                             refused=_refusals(ws, complete))
    if answers is not None:
        doc["answers"] = answers
    if shape is not None:
        doc = shape(doc)
    ws.put(RESULTS, doc["id"], doc)
    for sha in hashes:
        ref = ws.get(PHOTO_REFS, sha) or {"sha256": sha, "results": []}
        if doc["id"] not in ref["results"]:
            ws.put(PHOTO_REFS, sha, {**ref, "results": [*ref["results"], doc["id"]]})
    return Outcome("applied", [(RESULTS, doc["id"])], missing)


def _refusals(ws: WorkingSet, complete: set[str]) -> dict[str, str]:
    """Why each already-refused photo was refused: a later result citing it says so at once."""
    found = {}
    for sha in complete:
        record = ws.get(PHOTOS, sha)
        if record is not None and record.get("status") == "refused":
            found[sha] = record["reason"]
    return found


def submit_result(ws, args, ctx, services) -> Outcome:
    _require_site(ctx, args["site_id"])
    existing = ws.get(RESULTS, args["result_id"])
    if results.check_insert_once(existing, args):
        return Outcome("duplicate", [(RESULTS, existing["id"])], existing["missing_photos"])
    named = plan_link.named_occurrence(ws, args, ctx)
    if args.get("reinspects"):
        outcome = _store_reinspection(ws, args, ctx, services)
    else:
        outcome = _store_result(ws, args, ctx, services, args["checklist"], None)
        _open_tickets(ws, ws.get(RESULTS, args["result_id"]), ctx, services)
    outcome.touched += plan_link.close_fulfilled(ws, args, ctx, named)
    if args.get("complaint_links"):
        outcome.touched += complaint_links.link_submitted(ws, args, ctx.acting())
    return outcome


def _open_tickets(ws: WorkingSet, result: dict, ctx: MutationContext,
                  services: PushServices) -> None:
    """Open the tickets the definition's rules derive from this result, in its transaction.

    Ids derive from the result and the item, so nothing opens twice.
    Amendments open none: the findings belong to the result they amend.
    """
    definition = services.find_definition(result["checklist"]["id"],
                                          result["checklist"]["version"])
    if not definition or not definition.get("tickets") or result.get("score") is None:
        return
    acting = ctx.acting()
    for opened in tickets_for_result(services.parse_definition(definition), result["answers"],
                                     result["score"], result_id=result["id"],
                                     site_id=result["site_id"], submitted_at=acting.now):
        ticket_ops.open_from_rule(ws, opened, acting)


def _store_reinspection(ws, args, ctx, services) -> Outcome:
    original, answers = reinspections.target(ws.get, args)
    outcome = _store_result(ws, args, ctx, services, args["checklist"], None, answers=answers,
                            shape=lambda doc: reinspections.as_round(doc, args, original))
    stored = ws.get(RESULTS, args["result_id"])
    ws.put(RESULTS, original["id"], reinspections.with_round(original, stored, ctx))
    outcome.touched += reinspections.follow_tickets(ws, original, stored, ctx.acting(),
                                                    services.complete_photos)
    return outcome


def amend_result(ws, args, ctx, services) -> Outcome:
    base = ws.get(RESULTS, args["supersedes"])
    if base is None:
        raise Rejected("not_found", f"result {args['supersedes']} does not exist")
    _require_site(ctx, base["site_id"])
    if base.get("reinspection"):
        raise Rejected("not_supported", f"result {base['id']} is a re-inspection: record "
                                        f"another re-inspection instead of amending it")
    existing = ws.get(RESULTS, args["result_id"])
    if results.check_insert_once(existing, args):
        return Outcome("duplicate", [(RESULTS, existing["id"])], existing["missing_photos"])
    outcome = _store_result(ws, args, ctx, services, base["checklist"], base)
    ws.put(RESULTS, base["id"], results.link_superseded(base, args["result_id"]))
    return outcome


def _ticket_outcome(change: ticket_ops.TicketChange) -> Outcome:
    return Outcome(change.status, [(TICKETS, change.ticket["id"])], conflicts=change.conflicts)


def create_ticket(ws, args, ctx, services) -> Outcome:
    return _ticket_outcome(ticket_ops.create(ws, args, ctx.acting(), services.complete_photos))


def edit_ticket(ws, args, ctx, services) -> Outcome:
    return _ticket_outcome(ticket_ops.edit(ws, args["ticket_id"], args["set"], args["base_fv"],
                                           ctx.acting()))


def comment_ticket(ws, args, ctx, services) -> Outcome:
    return _ticket_outcome(ticket_ops.comment(ws, args, ctx.acting(), services.complete_photos))


def move_ticket(ws, args, ctx, services) -> Outcome:
    return _ticket_outcome(ticket_ops.move(ws, args, ctx.acting(), services.complete_photos))


def attach_ticket_photos(ws, args, ctx, services) -> Outcome:
    return _ticket_outcome(ticket_ops.attach_photos(ws, args["ticket_id"], args["photos"],
                                                    ctx.acting(), services.complete_photos))


def review_result(ws, args, ctx, services) -> Outcome:
    if services.review is None:
        raise Rejected("not_supported", "this server does not review results from devices")
    doc = services.review(ws.get, ctx, args)
    ws.put(RESULTS, doc["id"], doc)
    return Outcome("applied", [(RESULTS, doc["id"])])


# One schema instance per mutation, built once: instantiating a schema (and,
# on first load, its nested schemas) for every pushed mutation was ~16 % of a
# push. Marshmallow schemas keep no per-load state, so one instance serves
# every load (pushes also run one at a time under the store's write lock).
MUTATIONS: dict[str, tuple[Schema, Handler]] = {
    "submit_result": (schemas.SubmitResult(), submit_result),
    "amend_result": (schemas.AmendResult(), amend_result),
    "create_ticket": (schemas.CreateTicket(), create_ticket),
    "edit_ticket": (schemas.EditTicket(), edit_ticket),
    "comment_ticket": (schemas.CommentTicket(), comment_ticket),
    "move_ticket": (schemas.MoveTicket(), move_ticket),
    "review_result": (schemas.ReviewResult(), review_result),
    "attach_ticket_photos": (schemas.AttachTicketPhotos(), attach_ticket_photos),
    "submit_round": (schemas.SubmitRound(), submit_round),
}
