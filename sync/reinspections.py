"""A re-inspection pushed by a device: the protocol side of ``checklists.workflow.reinspection``.

The device sends only the re-checked answers (``args.answers``, kept as sent
under ``reinspection.rechecked``). The stored result's ``answers`` are the
answers in force after this round -- the original's, overlaid by every
round so far and then by this one -- so its score, its explanation, the
listing and a later rescore all read one complete set of answers. The
original gets its ``rectification`` block (bookkeeping beside the evidence,
like ``superseded_by``); its own answers and score stay as inspected.
"""
from __future__ import annotations

from typing import Callable

from checklists.workflow import reinspection as rules
from checklists.workflow import rectification
from checklists.workflow.acting import Acting
from checklists.workflow.ticket_rules import ticket_id_for

from . import ticket_ops
from .context import MutationContext
from .errors import Rejected
from .placement import RESULTS, TICKETS

Get = Callable[[str, str], "dict | None"]


def target(get: Get, args: dict) -> tuple[dict, dict]:
    """``(original, answers after this round)``; ``Rejected`` if it cannot be re-inspected."""
    original = get(RESULTS, args["reinspects"])
    try:
        rules.check_target(original, original_id=args["reinspects"], site_id=args["site_id"],
                           checklist=args["checklist"])
        if not args["answers"]:
            raise rules.ReinspectionInvalid("invalid_answers", "answers",
                                            "a re-inspection answers the items it re-checked")
        latest = (original.get("rectification") or {}).get("latest")
        before = (get(RESULTS, latest) or original) if latest else original
        return original, rules.overlay(before["answers"], args["answers"])
    except rules.ReinspectionInvalid as bad:
        raise Rejected(bad.code, bad.message, errors={bad.field: [bad.message]}) from None


def as_round(doc: dict, args: dict, original: dict) -> dict:
    """The stored re-inspection: which original, which round, what was re-checked."""
    return {**doc, "reinspection": {"of": original["id"], "round": rules.round_number(original),
                                    "rechecked": args["answers"]}}


def with_round(original: dict, doc: dict, ctx: MutationContext) -> dict:
    """The original once ``doc`` (a stored re-inspection) re-checked it."""
    return {**original, "v": original["v"] + 1, "rectification": rules.record_round(
        original, result_id=doc["id"], score=doc["score"], at=ctx.received_at,
        by=ctx.actor.user_id, role=ctx.actor.role)}


def follow_tickets(records: ticket_ops.Records, original: dict, doc: dict, acting: Acting,
                   complete_photos: ticket_ops.CompletePhotos) -> list[tuple[str, str]]:
    """Move or annotate the tickets ``original`` opened about the items ``doc`` re-checked.

    Runs in the re-inspection's own batch, so the result and what it did to
    the tickets commit together (``checklists.workflow.rectification``).
    """
    touched = []
    verdicts = rectification.rechecked_items(doc["reinspection"]["rechecked"],
                                             rules.open_items(doc.get("score")))
    for item, passes in sorted(verdicts.items()):
        ticket = records.get(TICKETS, ticket_id_for(original["id"], item))
        step = ticket and rectification.follow_up(ticket, passes, doc["id"], acting)
        if not step:
            continue
        if step.to:
            ticket_ops.move(records, {"ticket_id": step.ticket_id, "from_state": step.from_state,
                                      "to": step.to, "note": step.note},
                            acting, complete_photos)
        else:
            ticket_ops.comment(records, {"ticket_id": step.ticket_id, "text": step.note,
                                         "comment_id": f"{doc['id']}:{item}"},
                               acting, complete_photos)
        touched.append((TICKETS, step.ticket_id))
    return touched
