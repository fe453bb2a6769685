"""Reviewing a result: the one door for the API (session or token) and for devices (sync).

``reviewed`` reads the result through whatever reader the caller has (a
store transaction, or a push's working set), applies the pure rule
(``checklists.workflow.review``) and returns the document to store: the
review state and its append-only log live on the result, in its site's
bucket, so the inspector's device pulls every verdict with the result.
``review_result`` is the API's use case; ``review_in_push`` is injected into
the push (``sync.mutations.PushServices.review``) and answers refusals as a
rejected mutation instead of an HTTP error.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from checklists.actors import Actor
from checklists.workflow import review as rules
from server.store import Store
from sync.context import MutationContext
from sync.errors import Rejected
from sync.placement import RESULTS

from . import sync_service  # module import: sync_service also imports this module
from .errors import Conflict, Forbidden, Invalid, NotFound, ServiceError

Get = Callable[[str, str], "dict | None"]


def reviewed(get: Get, actor: Actor, result_id: str, *, from_state: str, to_state: str,
             reason: str | None, at: str, door: rules.Door) -> dict[str, Any]:
    """The result document after the move, or a ``ServiceError`` saying why not."""
    doc = get(RESULTS, result_id)
    if doc is None or not actor.works_at(doc["site_id"]):  # other sites' ids are not confirmed
        raise NotFound(f"result {result_id!r} does not exist")
    try:
        review = rules.move(doc.get("review"), actor=actor, site_id=doc["site_id"],
                            inspector_id=doc["submitted"]["by"], from_state=from_state,
                            to_state=to_state, reason=reason, at=at, door=door,
                            superseded_by=tuple(doc.get("superseded_by") or ()))
    except rules.NotAllowed as refused:
        raise Forbidden(str(refused)) from None
    except rules.BadReview as bad:
        raise Invalid({bad.field: [str(bad)]}) from None
    except rules.IllegalMove as illegal:
        raise Conflict(str(illegal), details={"current": illegal.current,
                                              "allowed": illegal.allowed}) from None
    return {**doc, "review": review, "v": doc["v"] + 1}


def review_result(store: Store, actor: Actor, result_id: str, move: dict[str, Any], *,
                  now: datetime | None = None) -> dict[str, Any]:
    """Move a result's review from a web request; returns ``{id, review}``."""
    at = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    with store.transaction() as tx:
        doc = reviewed(tx.get_doc, actor, result_id, from_state=move["from"],
                       to_state=move["to"], reason=move.get("reason"), at=at,
                       door=rules.Door.of_request(actor))
        tx.commit([sync_service.placed_put(RESULTS, doc)])
    return {"id": doc["id"], "review": review_of(doc)}


_REJECTION_CODES = ((NotFound, "not_found"), (Forbidden, "forbidden"),
                    (Invalid, "invalid_args"), (Conflict, "illegal_move"))


def review_in_push(get: Get, ctx: MutationContext, args: dict[str, Any]) -> dict[str, Any]:
    """``review_result`` pushed by a device: the same checks, refusals ``Rejected``."""
    door = rules.Door("sync", ctx.actor.device_id, ctx.ref)
    try:
        return reviewed(get, ctx.actor, args["result_id"], from_state=args["from_state"],
                        to_state=args["to"], reason=args.get("reason"), at=ctx.received_at,
                        door=door)
    except ServiceError as refused:
        code = next(c for cls, c in _REJECTION_CODES if isinstance(refused, cls))
        details = getattr(refused, "details", None) or {}
        if isinstance(refused, Invalid):
            details = {"errors": refused.messages}
        raise Rejected(code, str(refused), **details) from None


def review_of(doc: dict[str, Any]) -> dict[str, Any]:
    """A result's review as readers see it (never reviewed: ``submitted``, empty log)."""
    review = doc.get("review") or {}
    return {"state": rules.current_state(review), "log": list(review.get("log", ())),
            "allowed": list(rules.allowed_moves(review))}
