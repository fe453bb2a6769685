"""Photos as evidence: receive resumable uploads, check them once, serve their variants.

The bytes live in the content-addressed ``UploadStore`` (never altered); the
facts the server learnt from them -- accepted with EXIF capture time and GPS,
or refused with a reason -- are a ``photos`` record beside them. A refused
photo keeps its bytes (they are what the device sent) and the results that
cite it keep their data: the refusal is reported, not a deletion.
"""
from __future__ import annotations

from typing import BinaryIO

from checklists.timezones import DEFAULT_TIMEZONE
from checklists.actors import ADMIN, Actor
from server.photos import CachedVariant, PhotoRefused, VariantCache
from server.store import Store
from server.uploads import UploadState, UploadStore
from sync import photo_access
from checklists.actors import Actor
from sync.placement import PHOTOS

from . import sync_service
from .errors import Invalid, NotFound
from .stamps import stamp_for


def photo_record(uploads: UploadStore, variants: VariantCache, sha256: str) -> dict:
    """Check a published photo (one decode, within the decode budget, makes display
    and thumb) and return the record of what was found; stores nothing."""
    try:
        info = variants.intake(sha256, uploads.path(sha256))
        return {"sha256": sha256, "status": "accepted", **info.to_record()}
    except PhotoRefused as refused:
        return {"sha256": sha256, "status": "refused", "reason": refused.reason,
                "code": refused.code}


def finish_upload(store: Store, uploads: UploadStore, variants: VariantCache,
                  sha256: str) -> dict:
    """After a photo is published: check it, then store its record and move its
    results on in one commit. Returns the photo record.

    Safe to repeat (a retry after ``DecodeBusy``'s 503, or startup finishing a
    crash): a photo already checked is not decoded again.
    """
    found = store.get(PHOTOS, sha256)
    record = found.doc if found else photo_record(uploads, variants, sha256)
    sync_service.photo_completed(store, sha256, refused=record.get("reason"),
                                 photo_record=None if found else record)
    return record


def create_upload(store: Store, uploads: UploadStore, actor: Actor, sha256: str,
                  upload_length: int) -> UploadState:
    """Start the caller's upload of ``sha256`` (tus creation), or find the one under way.

    Creating the same photo twice is the same upload at its current offset
    (resume, never a duplicate); a photo the caller may already use reads
    as complete. Raises the ``server.uploads`` errors.
    """
    state = uploads.create(sha256, upload_length, dedup=may_use(store, actor, sha256))
    if state.state == "complete":
        return upload_status(store, uploads, actor, sha256)
    return state


def receive_chunk(store: Store, uploads: UploadStore, variants: VariantCache,
                  actor: Actor, sha256: str, offset: int, stream: BinaryIO,
                  length: int, *, upload_length: int | None,
                  chunk_checksum: str | None) -> tuple[UploadState, dict | None]:
    """Append a chunk; on completion check the photo and move its results' seqs on.

    ``upload_length`` None: the length the upload was created with.

    A caller who may not use the photo yet (``sync.photo_access``) sends its
    bytes even when the server has them; completing that upload makes them a
    holder. Returns the upload state and, once the photo is complete, its
    record. A retry of the last chunk (say after a 503) redoes whatever
    bookkeeping a failure interrupted; when there is nothing left to do it
    writes nothing. Raises the ``server.uploads`` errors (each carries its
    HTTP status) and ``DecodeBusy`` when the decode budget stayed spent (the
    photo is then published and its check waits for that retry).
    """
    state = uploads.append(
        sha256, offset, stream, length, upload_length=upload_length,
        chunk_checksum=chunk_checksum, dedup=may_use(store, actor, sha256),
        on_verified=lambda: sync_service.photo_verified(store, sha256, actor.user_id))
    if state.state != "complete":
        return state, None
    return state, finish_upload(store, uploads, variants, sha256)


def may_use(store: Store, caller: Actor, sha256: str) -> bool:
    """Whether the caller may treat the photo as present without sending its bytes."""
    return caller.role == ADMIN or photo_access.may_use(store.get_doc, sha256, caller.user_id,
                                                        caller.site_ids)


def upload_status(store: Store, uploads: UploadStore, actor: Actor, sha256: str, *,
                  finish_with: VariantCache | None = None) -> UploadState:
    """Where the caller's upload stands; another site's photo looks absent to them.

    A photo published but not yet checked (its check got a 503) reads as
    partial at its full length, so a device sends the empty last chunk again
    and that request finishes it (``finish_upload``). With ``finish_with``
    the check is done here instead (raising ``DecodeBusy`` while there is no
    room): a tus client resuming with ``HEAD`` sends nothing when the offset
    equals the length, so its ``HEAD`` must finish the photo.
    """
    state = uploads.status(sha256, dedup=may_use(store, actor, sha256))
    if state.state == "complete" and store.get(sync_service.MEDIA_PENDING, sha256) is not None:
        if finish_with is None:
            return UploadState(sha256, "partial", state.offset, state.length)
        finish_upload(store, uploads, finish_with, sha256)
    return state


def refusal(store: Store, sha256: str) -> str | None:
    """Why a complete photo was refused as an image, or None (accepted or unchecked)."""
    rec = store.get(PHOTOS, sha256)
    return rec.doc["reason"] if rec is not None and rec.doc["status"] == "refused" else None


def query(store: Store, uploads: UploadStore, actor: Actor, hashes: list[str]) -> dict:
    """Upload state per hash as the caller may know it, with refusal reasons."""
    states = {h: upload_status(store, uploads, actor, h).to_dict() for h in hashes}
    for sha256, state in states.items():
        if state["state"] == "complete" and (reason := refusal(store, sha256)) is not None:
            state["refused"] = reason
    return states


#: the variants a photo cited only by a ticket has (markup and stamps belong to results)
TICKET_VARIANTS = ("original", "display", "thumb")


def variant(store: Store, uploads: UploadStore, variants: VariantCache, actor: Actor,
            sha256: str, name: str, result_id: str | None = None, *,
            default_timezone: str = DEFAULT_TIMEZONE) -> CachedVariant:
    """The file of one variant, for a caller allowed to see a result citing the photo.

    ``annotated``/``stamped`` draw the markup and facts of that result (the
    first visible one citing the photo when ``result_id`` is not given); the
    stamp shows local time of the result's site (``default_timezone`` for a
    site that names none).
    """
    scope = None if actor.is_admin else actor.site_ids
    results = sync_service.results_citing(store, sha256, scope)
    if result_id is not None:
        results = [r for r in results if r["id"] == result_id]
    if not results or sha256 not in uploads.complete_among([sha256]):
        if result_id is None and name in TICKET_VARIANTS and sync_service.tickets_citing(
                store, sha256, scope) and sha256 in uploads.complete_among([sha256]):
            # a ticket's evidence (a fix): the photo itself, no result's markup or stamp
            return variants.get(sha256, uploads.path(sha256), name, None, None)
        raise NotFound("no such photo, or not one of a result you may see")
    result = results[0]
    photo = next((p for p in result.get("photos", []) if p["sha256"] == sha256),
                 {"sha256": sha256})
    annotations = photo.get("annotations") or None
    if name == "annotated" and annotations is None:
        raise Invalid({"variant": ["This photo has no markup in that result."]}, "query")
    stamp = stamp_for(store, result, photo, default_timezone) if name == "stamped" else None
    return variants.get(sha256, uploads.path(sha256), name, annotations, stamp)

