"""Push planning: turn one batch of device mutations into one atomic write.

``plan_push`` is pure: it reads committed state through a loader, applies the
mutations in id order to a working set and returns a ``PushPlan`` -- the
documents to write (including the client record with its new
``last_mutation_id``) and how to answer each mutation once the write is
durable. The service commits the plan in the same store transaction it read
from, so the effects and ``last_mutation_id`` become visible together or
not at all, and only then builds the response (``PushPlan.response``).

Exactly-once rules (anchors-sync §4.4): ids below ``last_mutation_id + 1``
are duplicates answered from the client's ``recent`` log; a batch whose
first new id is not ``last + 1`` raises ``MutationGap`` and changes nothing;
a mutation that can never succeed is ``rejected``, consumes its id, and is
kept whole in ``rejections`` so the device's data is not lost.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

import orjson
from marshmallow import ValidationError

from checklists.actors import Actor
from .context import MutationContext
from .errors import ClientNotOwned, MutationGap, Rejected
from .fields import parse_timestamp, timestamp_error
from .json_values import json_text, storage_problem
from .mutations import MUTATIONS, Outcome, PushServices
from .placement import CLIENTS, REJECTIONS, Placement, place
from .working_set import Loader, WorkingSet

log = logging.getLogger(__name__)

RECENT_KEPT = 400  # answers kept for replays: two full batches


@dataclass(frozen=True, slots=True)
class Write:
    """One record to put, already placed; ``text``: its JSON, when already encoded."""

    collection: str
    id: str
    doc: dict
    placement: Placement
    text: str | None = None


@dataclass(slots=True)
class PushPlan:
    writes: list[Write]
    answers: list[dict]  # one per mutation in request order, seq filled in after commit
    last_mutation_id: int
    # mutation id -> the record whose commit seq answers it
    seq_keys: dict[int, tuple[str, str]] = field(default_factory=dict)

    def response(self, seqs: list[int] | None) -> dict:
        """The push response, given the seqs the commit returned (None: nothing written)."""
        by_key = {(w.collection, w.id): s for w, s in zip(self.writes, seqs or [])}
        answers = []
        for answer in self.answers:
            key = self.seq_keys.get(answer["id"])
            if key is not None and key in by_key:
                answer = {**answer, "seq": by_key[key]}
            answers.append(answer)
        return {"last_mutation_id": self.last_mutation_id,
                "write_checkpoint": max(seqs) if seqs else None,
                "results": answers}


def new_client(client_id: str, actor: Actor, now: str) -> dict:
    return {"client_id": client_id, "user_id": actor.user_id, "device_id": actor.device_id,
            "last_mutation_id": 0, "recent": [], "created_at": now,
            "clock_offset_ms": None, "last_seen": now}


def check_owner(client: dict | None, actor: Actor, client_id: str) -> None:
    """A client id belongs to the device (and user) that first used it."""
    if client is not None and (client["device_id"] != actor.device_id
                               or client["user_id"] != actor.user_id):
        raise ClientNotOwned(f"client {client_id} belongs to another device")


def clock_offset_ms(received_at: datetime, sent_at: str | None) -> int | None:
    """Server receive time minus the device's send time (positive: device clock behind)."""
    sent = parse_timestamp(sent_at)
    return None if sent is None else round((received_at - sent).total_seconds() * 1000)


def plan_push(load: Loader, actor: Actor, client_id: str, mutations: list[dict], *,
              services: PushServices, now: datetime, sent_at: str | None = None,
              next_seq: int) -> PushPlan:
    """Plan a push batch; ``next_seq`` is the seq the commit will start at.

    ``mutations`` are envelope-validated dicts ``{id, name, client_ts, args}``
    in ascending, consecutive id order.
    """
    received_at = now.isoformat()
    client = load(CLIENTS, client_id)
    check_owner(client, actor, client_id)
    client = dict(client or new_client(client_id, actor, received_at))
    expected = client["last_mutation_id"] + 1
    recent = {r["id"]: r for r in client["recent"]}
    fresh = [m for m in mutations if m["id"] >= expected]
    for n, m in enumerate(fresh):
        if m["id"] != expected + n:
            raise MutationGap(expected + n, m["id"])

    answers = {m["id"]: _duplicate_answer(m["id"], recent) for m in mutations
               if m["id"] < expected}
    if not fresh:
        return PushPlan([], [answers[m["id"]] for m in mutations], expected - 1)

    offset = clock_offset_ms(now, sent_at)
    ws = WorkingSet(load)
    touched: dict[int, tuple[str, str]] = {}
    encoded: dict[tuple[str, str], tuple[dict, str]] = {}  # key -> (doc, its JSON text)
    for m in fresh:
        ctx = MutationContext(actor, client_id, m["id"], m.get("client_ts"), received_at, offset)
        answers[m["id"]], touched[m["id"]] = _apply_or_reject(ws, m, ctx, services, encoded)

    changed = ws.changed()  # the client record is written last, after these
    seq_of_key = {(c, i): next_seq + n for n, (c, i, _) in enumerate(changed)}
    log_entries = [{"id": m["id"], "status": answers[m["id"]]["status"],
                    "seq": seq_of_key.get(touched[m["id"]])} for m in fresh]
    client.update(last_mutation_id=fresh[-1]["id"], last_seen=received_at,
                  clock_offset_ms=offset if offset is not None else client["clock_offset_ms"],
                  recent=(client["recent"] + log_entries)[-RECENT_KEPT:])
    writes = [Write(c, i, d, place(c, d), _text_of(encoded.get((c, i)), d))
              for c, i, d in changed]
    writes.append(Write(CLIENTS, client_id, client, place(CLIENTS, client)))
    return PushPlan(writes, [answers[m["id"]] for m in mutations], fresh[-1]["id"], touched)


def _duplicate_answer(mutation_id: int, recent: dict[int, dict]) -> dict:
    answer = {"id": mutation_id, "status": "duplicate"}
    earlier = recent.get(mutation_id)
    if earlier:  # what the first delivery was answered, while the log still holds it
        answer.update(seq=earlier["seq"], original_status=earlier["status"])
    return answer


def _apply_or_reject(ws: WorkingSet, m: dict, ctx: MutationContext, services: PushServices,
                     encoded: dict) -> tuple[dict, tuple[str, str] | None]:
    """Apply one mutation; on rejection undo its changes and keep it in ``rejections``.

    Whatever stops a mutation from yielding storable documents rejects it
    (DESIGN §3): answering 500 instead would fail the whole batch on every
    resend and block the device's queue for good. Only the store's transient
    failures (``services.transient_errors``) stop the batch, unacknowledged.

    Returns the answer and the record whose seq answers it.
    """
    savepoint = ws.savepoint()
    try:
        outcome = _apply_one(ws, m, ctx, services)
        _check_storable(ws, savepoint, encoded)
    except Rejected as rejection:
        return _reject(ws, savepoint, m, ctx, rejection)
    except services.transient_errors:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in one mutation must not block the queue
        log.exception("mutation %s (%s) failed", ctx.ref, m.get("name"))
        return _reject(ws, savepoint, m, ctx, Rejected(
            "unprocessable", f"the server could not apply this mutation ({type(exc).__name__})"))
    answer = {"id": m["id"], "status": outcome.status}
    if outcome.missing_photos:
        answer["missing_photos"] = outcome.missing_photos
    if outcome.conflicts:
        answer["conflicts"] = outcome.conflicts
    return answer, (outcome.touched[0] if outcome.touched else None)


def _check_storable(ws: WorkingSet, savepoint: int, encoded: dict) -> None:
    """Encode what the mutation changed, as the store will (``storage_problem``).

    The text is kept in ``encoded`` so the commit stores it without encoding
    each document a second time.
    """
    for collection, id_, doc in ws.changed_since(savepoint):
        try:
            encoded[(collection, id_)] = (doc, orjson.dumps(doc).decode())
        except orjson.JSONEncodeError as exc:
            raise Rejected("unstorable", f"the {collection} record {id_} it makes cannot be "
                                         f"stored: {exc}") from None


def _text_of(encoded: tuple[dict, str] | None, doc: dict) -> str | None:
    """The JSON text kept for ``doc``, if it was encoded in this very state."""
    return encoded[1] if encoded is not None and encoded[0] is doc else None


def _reject(ws: WorkingSet, savepoint: int, m: dict, ctx: MutationContext,
            rejection: Rejected) -> tuple[dict, tuple[str, str]]:
    """Undo the mutation's changes and keep it whole in ``rejections``."""
    ws.rollback(savepoint)
    rejection_id = f"{ctx.client_id}#{m['id']}"
    doc = {"type": "rejection", "id": rejection_id, "v": 1, "user_id": ctx.actor.user_id,
           "client_id": ctx.client_id, "mutation": m, **rejection.to_dict(),
           "at": ctx.received_at}
    if storage_problem(doc) is not None:  # the args themselves: kept as JSON text instead
        doc["mutation"] = {**{k: v for k, v in m.items() if k != "args"},
                           "args_json": json_text(m.get("args"))}
    ws.put(REJECTIONS, rejection_id, doc)
    return ({"id": m["id"], "status": "rejected", "error": rejection.to_dict()},
            (REJECTIONS, rejection_id))


def _apply_one(ws: WorkingSet, m: dict, ctx: MutationContext,
               services: PushServices) -> Outcome:
    entry = MUTATIONS.get(m["name"])
    if entry is None:
        raise Rejected("unknown_mutation", f"no mutation is named {m['name']!r}",
                       known=sorted(MUTATIONS))
    schema, handler = entry
    if m.get("client_ts") is not None and timestamp_error(m["client_ts"]):
        # stamped onto what the mutation writes: a bad one must not be stored
        raise Rejected("invalid_args", "the mutation's client_ts is not a usable timestamp",
                       errors={"client_ts": [timestamp_error(m["client_ts"])]})
    try:
        args = schema.load(m["args"])
    except ValidationError as exc:
        raise Rejected("invalid_args", "the arguments are not valid",
                       errors=exc.messages) from None
    return handler(ws, args, ctx, services)
