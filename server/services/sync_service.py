"""Sync use cases: the pure protocol core (``sync``) run against a store.

Each function opens the store's single write transaction, so what it reads
and what it commits form one consistent step:

* ``apply_push`` plans a batch against committed state and commits its
  effects together with the client's ``last_mutation_id`` in ONE commit. The
  response is built only after the commit returned; a ``StoreUnavailable``
  propagates (503) with nothing acknowledged.
* ``build_pull`` reads the change feed and ``last_mutation_id`` through one
  store snapshot, so no pull shows an effect without its mutation id, and
  no pull waits for a push. It also notes the client's cursors for
  tombstone GC (``sync.cursors_seen``: at most one write per client per
  hour, none on most polls).
* ``photo_verified`` records who sent a photo's bytes before it is published;
  ``photo_completed`` then gives every result the photo resolves a new seq
  (``media: complete`` once all its photos are in), so devices and
  supervisors see the change through the normal pull. Which results a photo
  resolves is ``sync.photo_access``: knowing a hash is not having the photo.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Callable

import checklists
from server.store.base import Delete, Put, Store, StoreUnavailable
from server.uploads import UploadStore
from sync import photo_access
from checklists.actors import Actor
from sync.actor import buckets_for, site_bucket
from sync.cursors_seen import note_pull
from sync.errors import ClientNotOwned
from sync.mutations import PushServices
from sync.plan_link import PLAN_SITES
from sync.placement import CLIENTS, PHOTO_REFS, PHOTOS, RESULTS, TICKETS, place
from sync.protocol import check_pull_schema
from sync.pull import DEFAULT_MAX_BYTES, build_pull_page
from sync.push import Write, check_owner, plan_push
from sync.results import mark_photo_complete, photo_hashes

from . import definitions
from . import review  # module import: review also imports this module

log = logging.getLogger(__name__)

Evaluate = Callable[[dict, dict], dict]
FindDefinition = Callable[[str, int], "dict | None"]


def evaluate_with_checklists(definition_doc: dict, answers: dict) -> dict:
    """The default ``evaluate``: the checklist engine's validate + score.

    Returns the score *record* (numbers, no wording: ``explain_record`` renders
    it). Raises ``checklists.AnswersInvalid`` (it has ``.errors``) for bad answers.
    """
    return checklists.evaluate(definitions.parsed(definition_doc), answers).to_record()


def _put(write: Write) -> Put:
    p = write.placement
    return Put(write.collection, write.id, write.doc, p.bucket, p.index, write.text)


def placed_put(collection: str, doc: dict, id_: str | None = None) -> Put:
    """A put of a record rewritten by the server, back where the sync core keeps it.

    ``id_``: for records whose document does not carry it (``photo_refs``).
    """
    return _put(Write(collection, id_ or doc["id"], doc, place(collection, doc)))


def _once_per_batch(find_definition: FindDefinition) -> FindDefinition:
    """``find_definition`` asked once per (id, version) in a batch.

    A batch usually scores many results against one checklist, and a
    published version never changes, so reading the store for every result
    only repeated work (~5 % of a push).
    """
    found: dict[tuple[str, int], dict | None] = {}

    def find(checklist_id: str, version: int) -> dict | None:
        key = (checklist_id, version)
        if key not in found:
            found[key] = find_definition(checklist_id, version)
        return found[key]
    return find


def apply_push(store: Store, actor: Actor, client_id: str, mutations: list[dict], *,
               find_definition: FindDefinition, uploads: UploadStore,
               evaluate: Evaluate = evaluate_with_checklists,
               sent_at: str | None = None, now: datetime | None = None) -> dict:
    """Apply a push batch exactly once; return the response body.

    Raises ``sync.errors.MutationGap`` (409), ``sync.errors.ClientNotOwned``
    (403) and lets ``StoreUnavailable`` (503) through.
    """
    now = now or datetime.now(timezone.utc)
    find = _once_per_batch(find_definition)
    client = store.get_doc(CLIENTS, client_id)  # its resends are not scored ahead
    fresh = [m for m in mutations
             if m["id"] > (client["last_mutation_id"] if client else 0)]
    services = PushServices(evaluate=_scored_ahead(fresh, find, evaluate),
                            find_definition=find, complete_photos=uploads.complete_among,
                            transient_errors=(StoreUnavailable,),
                            review=review.review_in_push, parse_definition=definitions.parsed)
    with store.transaction() as tx:
        load = _prefetching_loader(tx, mutations)
        next_seq = tx.high_water() + 1
        plan = plan_push(load, actor, client_id, mutations, services=services, now=now,
                         sent_at=sent_at, next_seq=next_seq)
        seqs = tx.commit([_put(w) for w in plan.writes]) if plan.writes else None
        epoch = tx.epoch()  # read in the transaction: no second read of the store
    if seqs and seqs[0] != next_seq:  # the recent-log seqs were predicted from next_seq
        log.error("push of %s committed at seq %s, planned for %s", client_id, seqs[0], next_seq)
    # Any epoch the device sent is not checked: its push is applied whatever it
    # says (field data must never be stranded); the client record decides duplicates.
    return {"epoch": epoch, **plan.response(seqs)}


def _scored_ahead(mutations: list[dict], find: FindDefinition, evaluate: Evaluate) -> Evaluate:
    """Score the batch's submissions before the push takes the writer; return the lookup.

    Scoring is a third of a push's CPU and needs nothing the transaction
    guards (a published checklist never changes), so holding the writer
    through it only made concurrent devices queue. Each submission whose
    arguments name a published checklist is scored here; the plan, inside the
    transaction, takes the score computed for the same definition and the same
    answers, each once, and scores anything else itself (an amendment's
    inherited checklist, answers the validation changed, answers that do not
    fit: their rejection is decided there, as before).
    """
    # each score kept with its answers: alive while their values' ids are keys
    ahead: dict[tuple, list[tuple[dict, dict]]] = {}
    for m in mutations:
        args = m.get("args")
        if m.get("name") not in ("submit_result", "amend_result") or not isinstance(args, dict):
            continue
        try:
            checklist, answers = args["checklist"], args["answers"]
            definition = find(checklist["id"], checklist["version"])
            key = _answers_key(definition, answers) if definition is not None else None
            if key is not None:
                ahead.setdefault(key, []).append((answers, evaluate(definition, answers)))
        except StoreUnavailable:
            raise
        except Exception:  # noqa: BLE001 - the plan meets it again and answers it
            continue

    def scored(definition: dict, answers: dict) -> dict:
        waiting = ahead.get(_answers_key(definition, answers))
        return waiting.pop()[1] if waiting else evaluate(definition, answers)
    return scored


def _answers_key(definition: dict, answers) -> tuple | None:
    """Same definition object (``_once_per_batch`` hands out one per version), same answers.

    Same answers means the same item ids holding the very same value objects:
    the plan's arguments are loaded from the ones scored ahead, and loading a
    dict of answers copies it without copying its values. Identity, unlike
    encoding both (~5 % of a push), cannot call two different answers equal
    (``1`` and ``1.0``); answers copied some other way are scored again.
    """
    if type(answers) is not dict:
        return None  # nothing to look up: the plan scores (or rejects) it
    return id(definition), tuple(answers), tuple(map(id, answers.values()))


_NAMED_RECORDS = (("result_id", RESULTS), ("supersedes", RESULTS), ("ticket_id", TICKETS))
# Read by every submission (which plan occurrence it closes) and never written by a
# push: a prefetched summary is handed out on every read, not once.
_READ_ONLY = frozenset({PLAN_SITES})
_MISSING = object()


def _prefetching_loader(tx, mutations: list[dict]):
    """The batch's loader: the records its mutations name, read with one query per collection.

    A push of 100 results otherwise read each result id (and each cited
    photo's records) with a query of its own -- a fifth of a push's time on
    SQLite, a round trip each on PostgreSQL. Each prefetched document is
    handed out once (the working set keeps what a mutation changes), except
    the sites' plan summaries (``_READ_ONLY``); any other read goes to the
    transaction as before.
    """
    wanted: dict[str, set[str]] = {}
    for m in mutations:
        args = m.get("args")
        if not isinstance(args, dict):
            continue
        for field, collection in _NAMED_RECORDS:
            if isinstance(args.get(field), str):
                wanted.setdefault(collection, set()).add(args[field])
        if m.get("name") == "submit_result" and isinstance(args.get("site_id"), str):
            wanted.setdefault(PLAN_SITES, set()).add(args["site_id"])
        if m.get("name") in ("submit_result", "amend_result"):
            try:  # arguments are validated later, per mutation: garbage just fetches nothing
                hashes = set(photo_hashes(args))
            except (TypeError, KeyError, AttributeError):
                continue
            wanted.setdefault(PHOTO_REFS, set()).update(hashes)
            wanted.setdefault(PHOTOS, set()).update(hashes)
    cache = {}
    for collection, ids in wanted.items():
        if ids:
            found = tx.get_many(collection, ids)
            cache.update({(collection, i): found[i].doc if i in found else None for i in ids})

    def load(collection: str, id_: str) -> dict | None:
        key = (collection, id_)
        doc = cache.get(key, _MISSING) if collection in _READ_ONLY else cache.pop(key, _MISSING)
        return tx.get_doc(collection, id_) if doc is _MISSING else doc
    return load


def build_pull(store: Store, actor: Actor, client_id: str, cursors: dict[str, int],
               limit: int, *, max_bytes: int = DEFAULT_MAX_BYTES,
               schema_version: int | None = None, epoch: str | None = None,
               now: datetime | None = None, stored_json: bool = False) -> dict:
    """One pull page for the actor's buckets.

    Raises ``ClientNotOwned`` (403) and, for an app older than the server
    serves, ``UpgradeRequired`` (426). ``epoch`` is the one the device's
    cursors belong to: another one resets every bucket. ``stored_json``: the
    changes' data as stored JSON text (``sync.pull.build_pull_page``), for
    an answer encoded by orjson.
    """
    if schema_version is not None:
        check_pull_schema(schema_version)
    now = now or datetime.now(timezone.utc)

    def page(snap, client: dict | None) -> dict:
        return build_pull_page(snap, buckets_for(actor), cursors, limit,
                               client["last_mutation_id"] if client else 0,
                               max_bytes=max_bytes, epoch=epoch, stored_json=stored_json)

    with store.snapshot() as snap:  # one state: no commit can slip between the reads below
        client = _owned_client(snap, actor, client_id)
        if note_pull(client, actor, client_id, cursors, now) is None:  # most pulls
            return page(snap, client)
    _note_cursors(store, actor, client_id, cursors, now)  # first: the page then covers it
    with store.snapshot() as snap:
        return page(snap, _owned_client(snap, actor, client_id))


def _owned_client(reader, actor: Actor, client_id: str) -> dict | None:
    client = reader.get_doc(CLIENTS, client_id)
    check_owner(client, actor, client_id)
    return client


def _note_cursors(store: Store, actor: Actor, client_id: str, cursors: dict[str, int],
                  now: datetime) -> None:
    """Remember the cursors this device sent (for tombstone GC), at most hourly.

    Written before the page is read, so the page's ``high_water`` covers it;
    a pull takes the writer only when it has something to note. Best effort:
    a pull is a read, and a failed write only leaves GC with older (lower,
    hence safe) cursors.
    """
    try:
        with store.transaction() as tx:
            current = tx.get_doc(CLIENTS, client_id)
            check_owner(current, actor, client_id)  # another device may have taken the id since
            client = note_pull(current, actor, client_id, cursors, now)
            if client is not None:  # re-decided on the current record: once per interval
                tx.commit([_put(Write(CLIENTS, client_id, client, place(CLIENTS, client)))])
    except (StoreUnavailable, ClientNotOwned):
        log.warning("could not note the cursors of client %s", client_id)


# Photos verified and about to be published whose results are not yet bumped:
# what a restart must finish (``reconcile_media``), kept apart so it is small.
MEDIA_PENDING = "media_pending"


def photo_verified(store: Store, sha256: str, user_id: str) -> None:
    """Before publishing: record that ``user_id`` sent the photo's (verified) bytes.

    The same commit marks the photo's bookkeeping pending, cleared by
    ``photo_completed``; a crash between the two is finished at startup.
    """
    with store.transaction() as tx:
        ref = tx.get_doc(PHOTO_REFS, sha256)
        ops = [Put(MEDIA_PENDING, sha256, {"sha256": sha256})]
        if user_id not in photo_access.holders(ref):
            ref = photo_access.with_holder(ref, sha256, user_id)
            ops.append(_put(Write(PHOTO_REFS, sha256, ref, place(PHOTO_REFS, ref))))
        tx.commit(ops)


def photo_completed(store: Store, sha256: str, *, refused: str | None = None,
                    photo_record: dict | None = None) -> list[int]:
    """Re-put the results the now-complete photo resolves; return their new seqs.

    Call it after the photo was published (its uploader already recorded by
    ``photo_verified``). A push checks photo completeness inside its transaction,
    so either it saw the photo complete or its result is already in
    ``photo_refs`` when this runs. Results of submitters who never sent the
    bytes, at sites where nobody did, stay waiting (``sync.photo_access``).
    ``refused`` is why the photo pipeline refused the image, recorded on each
    resolved result so the inspector and the supervisor see it (the result stays).
    ``photo_record`` (what intake found) is stored in the same commit.
    """
    with store.transaction() as tx:
        ref, ops = tx.get_doc(PHOTO_REFS, sha256), []
        if ref is not None:
            citing = _citing_docs(tx, ref)
            for result in photo_access.resolvable(ref, sha256, citing):
                updated = mark_photo_complete(result, sha256, refused=refused)
                if updated is not None:
                    ops.append(placed_put(photo_access.COLLECTION_OF_TYPE[updated["type"]],
                                          updated))
        bumped = len(ops)
        if photo_record is not None:
            ops.append(Put(PHOTOS, sha256, photo_record))
        if tx.get(MEDIA_PENDING, sha256) is not None:
            ops.append(Delete(MEDIA_PENDING, sha256))
        return tx.commit(ops)[:bumped] if ops else []


def reconcile_media(store: Store, uploads: UploadStore,
                    finish: Callable[[str], object]) -> int:
    """At startup: finish media bookkeeping a crash interrupted; return photos finished.

    Only photos marked pending by ``photo_verified`` are looked at, so a
    restart costs O(uploads in flight), not O(photos). A marked photo that
    was published is handed to ``finish`` (check it, store its record, bump
    its results: ``services.photos.finish_upload``); one whose part has since
    gone (expired) will not come and loses its mark; a part still waiting keeps it.
    """
    bumped = 0
    for rec in list(store.scan(MEDIA_PENDING)):
        state = uploads.status(rec.id).state
        if state == "complete":
            finish(rec.id)
            bumped += 1
        elif state == "absent":
            store.commit([Delete(MEDIA_PENDING, rec.id)])
    return bumped


def results_citing(store: Store, sha256: str, site_ids: frozenset[str] | None) -> list[dict]:
    """The results at ``site_ids`` (``None``: every site) that cite the photo and have it.

    A result whose submitter only *cited* a hash, without the bytes, does not
    open the photo to its site (``sync.photo_access``).

    Hash probes must not reveal other sites' photos: an unknown or foreign
    hash gives nothing (the endpoint then says 404, not 403).
    """
    ref = store.get(PHOTO_REFS, sha256)
    if ref is None:
        return []
    allowed = None if site_ids is None else {site_bucket(s) for s in site_ids}
    return [doc for doc in _citing_docs(store, ref.doc)
            if (allowed is None or site_bucket(doc["site_id"]) in allowed)
            and sha256 not in doc.get("missing_photos", ())]  # cited is not resolved


def _citing_docs(reader, ref: dict) -> list[dict]:
    """The results and patrol rounds citing a photo (``sync.photo_access.CITING``)."""
    return [rec.doc for collection, key in photo_access.CITING
            for rec in reader.get_many(collection, ref.get(key, ())).values()]


def tickets_citing(store: Store, sha256: str, site_ids: frozenset[str] | None) -> list[dict]:
    """The tickets at ``site_ids`` (``None``: every site) citing the photo, cited by a holder.

    A fix's evidence photo is shown to the ticket's site once the fixer's
    device sent its bytes (``sync.photo_access.ticket_citations``).
    """
    ref = store.get(PHOTO_REFS, sha256)
    if ref is None:
        return []
    found = store.get_many(TICKETS, photo_access.ticket_citations(ref.doc)).values()
    return [rec.doc for rec in found if site_ids is None or rec.doc["site_id"] in site_ids]


def photo_visible(store: Store, actor: Actor, sha256: str) -> bool:
    """Whether ``actor`` may download a photo: a result or ticket at one of their sites cites it."""
    return bool(results_citing(store, sha256, actor.site_ids)
                or tickets_citing(store, sha256, actor.site_ids))
