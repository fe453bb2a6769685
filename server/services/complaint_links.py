"""What a complaint leads to and what it caused: the rectification tickets it opens, and
the failed inspection items it caused (issue 15).

A complaint's ticket is an ordinary ticket (``server.services.tickets``, the
rules every ticket meets: site scope, supervisor-only fields, photos of the
site) whose ``source`` is ``{kind: complaint, id}``; the complaint keeps the
ids (``ticket_ids``) and its views show each ticket as it is now, so a
ticket's closure is visible on the complaint. Ticket and complaint are
written in one transaction: a refusal on either side stores neither.

A failed item is linked to its complaint by the inspector in the submission
(``sync.complaint_links``) or by a supervisor here, through the same rules;
the link shows on the complaint (``findings``) and on the result.
"""
from __future__ import annotations

from datetime import datetime

from checklists import complaints as rules
from checklists.actors import Actor
from checklists.complaints import ComplaintInvalid
from checklists.workflow import Acting
from server.store import Store
from sync import complaint_links
from sync.errors import Rejected
from sync.working_set import WorkingSet

from . import complaints, tickets
from .errors import Forbidden, Invalid
from .sync_service import placed_put

COMPLAINT = "complaint"


def _ticket_args(doc: dict, args: dict) -> dict:
    """The ticket's fields, defaulting from the complaint (never the resident's data)."""
    defaults = {"title": f"投诉整改 {doc['unit']}: {doc['category']}",
                "description": doc["description"], "location": doc["unit"],
                "assignee": doc.get("assignee_user_id"), "due_at": doc.get("deadline_at")}
    chosen = {k: v for k, v in args.items() if v is not None}
    return {k: v for k, v in {**defaults, **chosen}.items() if v is not None} | {
        "site_id": doc["site_id"]}


def open_ticket(store: Store, actor: Actor, complaint_id: str, args: dict,
                complete_photos: tickets.CompletePhotos, now: datetime) -> dict:
    """Open a rectification ticket for a valid complaint not yet closed (its handlers: the
    site's supervisors and admins, and the assignee); returns the complaint with it."""
    before = complaints.get_complaint(store, actor, complaint_id, now)
    complaints.require_handler(actor, before)
    try:
        rules.may_open_ticket(before)
    except ComplaintInvalid as err:
        raise Invalid(err.errors) from None

    def note_on_complaint(tx, ticket: dict) -> list:
        doc = complaints.load(tx, actor, complaint_id)  # as it is inside the transaction
        try:
            new = rules.note_ticket(doc, ticket["id"], actor, now)
        except ComplaintInvalid as err:
            raise Invalid(err.errors) from None
        return complaints.writes(tx, doc, new)

    tickets.create(store, actor, _ticket_args(before, args), complete_photos, now,
                   source={"kind": COMPLAINT, "id": complaint_id}, also=note_on_complaint)
    return complaints.get_complaint(store, actor, complaint_id, now)


def link_finding(store: Store, actor: Actor, complaint_id: str, result_id: str, item: str,
                 now: datetime) -> dict:
    """A supervisor links ``result_id``'s failed ``item`` to the complaint that caused it;
    returns the complaint with its findings. Linking twice is one link."""
    if not actor.supervises:
        raise Forbidden("only a supervisor or admin links a result's finding to a complaint")
    with store.transaction() as tx:
        complaints.load(tx, actor, complaint_id)  # 404 for a complaint of another site
        records = WorkingSet(tx.get_doc)
        try:
            complaint_links.link(records, Acting.web(actor, now), result_id, item,
                                 complaint_id, "review")
        except Rejected as refusal:
            raise Invalid(refusal.details["errors"]) from None
        writes = [placed_put(c, doc, id_) for c, id_, doc in records.changed()]
        if writes:
            tx.commit(writes)
    return complaints.get_complaint(store, actor, complaint_id, now)

