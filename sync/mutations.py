"""The named mutations a device may push, and how each one applies.

Each handler reads through the batch's working set, checks the actor may
touch the site, applies the pure rules (``results``, ``tickets``) and puts
the changed documents back. It returns an ``Outcome`` or raises
``Rejected``; it never commits anything itself.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from marshmallow import Schema

from . import mutation_args as schemas
from . import photo_access, plan_link, results, tickets
from .context import MutationContext
from .errors import Rejected
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
    """

    evaluate: Callable[[dict, dict], dict]
    find_definition: Callable[[str, int], "dict | None"]
    complete_photos: Callable[[list[str]], "set[str]"]
    transient_errors: tuple[type[BaseException], ...] = ()


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


def _score(services: PushServices, checklist: dict, answers: dict) -> dict:
    definition = services.find_definition(checklist["id"], checklist["version"])
    if definition is None:
        raise Rejected("unknown_checklist",
                       f"checklist {checklist['id']} version {checklist['version']} "
                       f"is not published")
    try:
        return services.evaluate(definition, answers)
    except Exception as exc:  # noqa: BLE001 - any failure is answered, the data kept
        errors = getattr(exc, "errors", None)
        if errors is not None:
            raise Rejected("invalid_answers", "the answers do not fit the checklist",
                           errors=errors) from None
        log.exception("evaluating checklist %s failed", checklist)
        raise Rejected("evaluation_failed", f"the answers could not be scored: {exc!r}") from None


def _store_result(ws: WorkingSet, args: dict, ctx: MutationContext, services: PushServices,
                  checklist: dict, base: dict | None) -> Outcome:
    score = _score(services, checklist, args["answers"])
    hashes = results.photo_hashes(args)
    site = base["site_id"] if base else args["site_id"]
    # Here and usable by this submitter: see photo_access (knowing a hash is not having it).
    complete = {h for h in (services.complete_photos(hashes) if hashes else ())
                if photo_access.may_use(ws.get, h, ctx.actor.user_id, (site,))}
    missing = [h for h in hashes if h not in complete]
    doc = results.new_result(args, score, missing, ctx, base=base,
                             refused=_refusals(ws, complete))
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
    outcome = _store_result(ws, args, ctx, services, args["checklist"], None)
    outcome.touched += plan_link.close_fulfilled(ws, args, ctx, named)
    return outcome


def amend_result(ws, args, ctx, services) -> Outcome:
    base = ws.get(RESULTS, args["supersedes"])
    if base is None:
        raise Rejected("not_found", f"result {args['supersedes']} does not exist")
    _require_site(ctx, base["site_id"])
    existing = ws.get(RESULTS, args["result_id"])
    if results.check_insert_once(existing, args):
        return Outcome("duplicate", [(RESULTS, existing["id"])], existing["missing_photos"])
    outcome = _store_result(ws, args, ctx, services, base["checklist"], base)
    ws.put(RESULTS, base["id"], results.link_superseded(base, args["result_id"]))
    return outcome


def _ticket(ws: WorkingSet, ctx: MutationContext, ticket_id: str) -> dict:
    ticket = ws.get(TICKETS, ticket_id)
    if ticket is None:
        raise Rejected("not_found", f"ticket {ticket_id} does not exist")
    _require_site(ctx, ticket["site_id"])
    return ticket


def _check_result_ref(ws: WorkingSet, result_id: str | None, site_id: str) -> None:
    """A ticket may cite only a result of its own site (which its author works at)."""
    if result_id is None:
        return
    result = ws.get(RESULTS, result_id)
    if result is None or result["site_id"] != site_id:  # one answer: existence is not leaked
        raise Rejected("invalid_reference", f"result {result_id} is no result at this site",
                       errors={"result_id": ["No result with this id at the ticket's site."]})


def _check_photo_refs(ws: WorkingSet, hashes: list[str], ctx: MutationContext,
                      services: PushServices, site_id: str) -> None:
    """Photos the server has must be ones the author may use at the site.

    A photo not here yet is fine: its bytes follow the push (and prove
    possession); knowing another site's hash is not having its photo.
    """
    if not hashes:
        return
    foreign = [h for h in sorted(services.complete_photos(list(hashes)))
               if not photo_access.may_use(ws.get, h, ctx.actor.user_id, (site_id,))]
    if foreign:
        raise Rejected("invalid_reference", "these photos belong to records you cannot see",
                       errors={"photos": [f"Not a photo of this site: {h}." for h in foreign]})


def create_ticket(ws, args, ctx, services) -> Outcome:
    _require_site(ctx, args["site_id"])
    existing = ws.get(TICKETS, args["ticket_id"])
    if existing is not None:
        if tickets.same_creation(existing, args):
            return Outcome("duplicate", [(TICKETS, existing["id"])])
        raise Rejected("id_conflict", f"ticket {args['ticket_id']} exists with other content")
    _check_result_ref(ws, args.get("result_id"), args["site_id"])
    _check_photo_refs(ws, args.get("photos") or [], ctx, services, args["site_id"])
    doc = tickets.new_ticket(args, ctx)
    ws.put(TICKETS, doc["id"], doc)
    return Outcome("applied", [(TICKETS, doc["id"])])


def edit_ticket(ws, args, ctx, services) -> Outcome:
    ticket = _ticket(ws, ctx, args["ticket_id"])
    changed = tickets.edit(ticket, args["set"], args["base_fv"], ctx)
    new_conflicts = changed["conflicts"][len(ticket["conflicts"]):]
    if changed != ticket:
        ws.put(TICKETS, ticket["id"], tickets.bump(changed))
    return Outcome("applied", [(TICKETS, ticket["id"])], conflicts=new_conflicts)


def comment_ticket(ws, args, ctx, services) -> Outcome:
    ticket = _ticket(ws, ctx, args["ticket_id"])
    _check_photo_refs(ws, args.get("photos") or [], ctx, services, ticket["site_id"])
    changed = tickets.add_comment(ticket, args, ctx)
    if changed is None:
        return Outcome("duplicate", [(TICKETS, ticket["id"])])
    ws.put(TICKETS, ticket["id"], tickets.bump(changed))
    return Outcome("applied", [(TICKETS, ticket["id"])])


def move_ticket(ws, args, ctx, services) -> Outcome:
    ticket = _ticket(ws, ctx, args["ticket_id"])
    changed = tickets.move(ticket, args["from_state"], args["to"], ctx)
    if changed is None:
        return Outcome("duplicate", [(TICKETS, ticket["id"])])
    ws.put(TICKETS, ticket["id"], tickets.bump(changed))
    return Outcome("applied", [(TICKETS, ticket["id"])])


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
}
