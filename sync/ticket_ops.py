"""Ticket use cases over a set of records: the one door for pushes and web requests.

Each function reads and writes through ``Records`` (``get``/``put`` by
collection and id) and applies the pure rules of ``checklists.workflow``.
The push hands it the batch's ``WorkingSet``; the web services
(``server.services.tickets``) a ``WorkingSet`` over one store transaction
and commit what it changed. So a supervisor in a browser and an engineer
syncing a device pass the same checks in the same order: site scope, the
records a ticket cites, the state machine, the merge rules.

A refusal is ``Rejected`` (a push answers the mutation ``rejected``; the
services translate it to a 4xx).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from checklists.workflow import Acting, TicketRefused
from checklists.workflow import ticket_fields as fields_rules
from checklists.workflow import tickets as rules

from . import photo_access
from .errors import Rejected
from .placement import PHOTO_REFS, RESULTS, TICKETS

CompletePhotos = Callable[[list[str]], "set[str]"]


class Records(Protocol):
    def get(self, collection: str, id: str) -> dict | None: ...

    def put(self, collection: str, id: str, doc: dict) -> None: ...


@dataclass(slots=True)
class TicketChange:
    """What an operation did: ``applied`` or ``duplicate``, the ticket as it is now."""

    status: str
    ticket: dict
    conflicts: list[dict] = field(default_factory=list)


def refused(error: TicketRefused) -> Rejected:
    """The domain's refusal as the push answers it."""
    details = dict(error.details)
    if error.field is not None:
        details["errors"] = {error.field: [error.message]}
    return Rejected(error.code, error.message, **details)


def require_site(acting: Acting, site_id: str) -> None:
    if not acting.actor.works_at(site_id):
        raise Rejected("forbidden", f"you do not work at site {site_id}")


def load(records: Records, acting: Acting, ticket_id: str) -> dict:
    """The ticket (old state names mapped), if it exists and the actor works at its site."""
    ticket = records.get(TICKETS, ticket_id)
    if ticket is None or not acting.actor.works_at(ticket["site_id"]):
        raise Rejected("not_found", f"ticket {ticket_id} does not exist")
    return rules.read_ticket(ticket)


def check_result_ref(records: Records, result_id: str | None, site_id: str) -> None:
    """A ticket may cite only a result of its own site (which its author works at)."""
    if result_id is None:
        return
    result = records.get(RESULTS, result_id)
    if result is None or result["site_id"] != site_id:  # one answer: existence is not leaked
        raise Rejected("invalid_reference", f"result {result_id} is no result at this site",
                       errors={"result_id": ["No result with this id at the ticket's site."]})


def check_photo_refs(records: Records, hashes: list[str], acting: Acting,
                     complete_photos: CompletePhotos, site_id: str) -> None:
    """Photos the server has must be ones the author may use at the site.

    A photo not here yet is fine: its bytes follow the push (and prove
    possession); knowing another site's hash is not having its photo.
    """
    if not hashes:
        return
    foreign = [h for h in sorted(complete_photos(list(hashes)))
               if not photo_access.may_use(records.get, h, acting.actor.user_id, (site_id,))]
    if foreign:
        raise Rejected("invalid_reference", "these photos belong to records you cannot see",
                       errors={"photos": [f"Not a photo of this site: {h}." for h in foreign]})


def _store(records: Records, ticket: dict, acting: Acting, photos: list[str] = ()) -> dict:
    stored = fields_rules.bump(ticket)
    records.put(TICKETS, stored["id"], stored)
    cite_photos(records, stored["id"], photos, acting)
    return stored


def cite_photos(records: Records, ticket_id: str, hashes, acting: Acting) -> None:
    """Note who cites each photo on the ticket (``photo_access``: who may then see it)."""
    for sha in dict.fromkeys(hashes):
        ref = photo_access.with_ticket(records.get(PHOTO_REFS, sha), sha, ticket_id,
                                       acting.actor.user_id)
        if ref is not None:
            records.put(PHOTO_REFS, sha, ref)


def create(records: Records, args: dict, acting: Acting,
           complete_photos: CompletePhotos, *, source: dict | None = None) -> TicketChange:
    """Open a ticket; ``source`` says what opened it (default: by hand), e.g. a complaint."""
    require_site(acting, args["site_id"])
    existing = records.get(TICKETS, args["ticket_id"])
    if existing is not None:
        if fields_rules.same_creation(existing, args):
            return TicketChange("duplicate", rules.read_ticket(existing))
        raise Rejected("id_conflict", f"ticket {args['ticket_id']} exists with other content")
    check_result_ref(records, args.get("result_id"), args["site_id"])
    check_photo_refs(records, args.get("photos") or [], acting, complete_photos,
                     args["site_id"])
    try:
        fields_rules.check_edit_rights({}, {k: v for k, v in args.items()
                                            if k in fields_rules.SUPERVISOR_FIELDS}, acting)
    except TicketRefused as error:
        raise refused(error) from None
    doc = fields_rules.new_ticket(args, acting, extra={"source": source or {"by_hand": True}})
    records.put(TICKETS, doc["id"], doc)
    cite_photos(records, doc["id"], doc["photos"], acting)
    return TicketChange("applied", doc)


def open_from_rule(records: Records, opened: dict, acting: Acting) -> dict | None:
    """Open a ticket a definition rule derived (``ticket_rules``); None if it exists."""
    args = opened["args"]
    if records.get(TICKETS, args["ticket_id"]) is not None:
        return None
    doc = fields_rules.new_ticket(args, acting, extra={"source": opened["source"]})
    records.put(TICKETS, doc["id"], doc)
    cite_photos(records, doc["id"], doc["photos"], acting)
    return doc


def edit(records: Records, ticket_id: str, values: dict, base_fv: dict,
         acting: Acting) -> TicketChange:
    ticket = load(records, acting, ticket_id)
    try:
        changed = fields_rules.edit(ticket, values, base_fv, acting)
    except TicketRefused as error:
        raise refused(error) from None
    new_conflicts = changed["conflicts"][len(ticket["conflicts"]):]
    if changed == ticket:
        return TicketChange("applied", ticket)
    return TicketChange("applied", _store(records, changed, acting), new_conflicts)


def comment(records: Records, args: dict, acting: Acting,
            complete_photos: CompletePhotos) -> TicketChange:
    ticket = load(records, acting, args["ticket_id"])
    check_photo_refs(records, args.get("photos") or [], acting, complete_photos,
                     ticket["site_id"])
    try:
        changed = fields_rules.add_comment(ticket, args, acting)
    except TicketRefused as error:
        raise refused(error) from None
    if changed is None:
        return TicketChange("duplicate", ticket)
    return TicketChange("applied", _store(records, changed, acting, args.get("photos") or []))


def attach_photos(records: Records, ticket_id: str, hashes: list[str], acting: Acting,
                  complete_photos: CompletePhotos) -> TicketChange:
    ticket = load(records, acting, ticket_id)
    check_photo_refs(records, hashes, acting, complete_photos, ticket["site_id"])
    changed = fields_rules.attach_photos(ticket, hashes)
    if changed is None:
        return TicketChange("duplicate", ticket)
    return TicketChange("applied", _store(records, changed, acting, hashes))


def move(records: Records, args: dict, acting: Acting,
         complete_photos: CompletePhotos) -> TicketChange:
    ticket = load(records, acting, args["ticket_id"])
    photos = args.get("photos") or []
    check_photo_refs(records, photos, acting, complete_photos, ticket["site_id"])
    try:
        changed = rules.move(ticket, args["from_state"], args["to"], acting,
                             note=args.get("note"), photos=photos)
    except TicketRefused as error:
        raise refused(error) from None
    if changed is None:
        return TicketChange("duplicate", ticket)
    return TicketChange("applied", _store(records, changed, acting, photos))
