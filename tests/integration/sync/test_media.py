"""Results accepted before their photos; completing a photo bumps the results citing it."""
from __future__ import annotations

import io
import os
import random

import pytest

from server.services import photos, sync_service
from server.store.base import StoreUnavailable

from .helpers import ENGINEER, GUARD, SITE_A, Replica, push, sha, submit
from .locked_database import held_write_lock

P1 = random.Random(11).randbytes(5000)
P2 = random.Random(12).randbytes(7000)
H1, H2 = sha(P1), sha(P2)


def upload(store, uploads, variants, data, who=GUARD):
    """What PATCH /photos/<sha256> does with one chunk holding the whole photo."""
    state, _ = photos.receive_chunk(store, uploads, variants, who, sha(data), 0,
                                    io.BytesIO(data), len(data), upload_length=len(data),
                                    chunk_checksum=None)
    return state


def test_result_waits_for_its_photos_then_shows_media_complete(store, uploads, variants):
    resp = push(store, uploads, GUARD, "c1", [submit(1, "r1", photos=[H1, H2, H1])])
    assert resp["results"][0]["missing_photos"] == [H1, H2]
    replica = Replica()
    replica.pull(store, GUARD, "c1", limit=2)
    assert replica.records()[("results", "r1")]["media"] == "pending"
    seq_before = store.get("results", "r1").seq

    upload(store, uploads, variants, P1)
    after_one = store.get("results", "r1")
    assert after_one.doc["missing_photos"] == [H2] and after_one.doc["media"] == "pending"
    assert upload(store, uploads, variants, P2).completed_now
    done = store.get("results", "r1")
    assert done.doc["media"] == "complete" and done.doc["missing_photos"] == []
    assert done.seq > after_one.seq > seq_before
    replica.pull(store, GUARD, "c1", limit=2)
    assert replica.records()[("results", "r1")]["media"] == "complete"
    assert done.doc["answers"] == {"q1": "pass"}  # the evidence itself is untouched


def test_photo_already_uploaded_is_not_missing(store, uploads, variants):
    upload(store, uploads, variants, P1)
    resp = push(store, uploads, GUARD, "c1", [submit(1, "r1", photos=[H1])])
    assert "missing_photos" not in resp["results"][0]
    assert store.get("results", "r1").doc["media"] == "complete"


def test_one_photo_cited_by_two_devices_completes_both(store, uploads, variants):
    push(store, uploads, GUARD, "c1", [submit(1, "r1", photos=[H1])])
    push(store, uploads, ENGINEER, "e1", [submit(1, "r2", site=SITE_A, photos=[H1])])
    upload(store, uploads, variants, P1)
    assert {store.get("results", r).doc["media"] for r in ("r1", "r2")} == {"complete"}
    # a second delivery of the same bytes changes nothing
    before = store.high_water()
    assert not upload(store, uploads, variants, P1).completed_now
    assert store.high_water() == before


def test_annotations_are_kept_with_the_photo(store, uploads):
    mark = {"type": "arrow", "points": [[0.1, 0.2], [0.5, 0.5]], "color": "#ff0000"}
    m = submit(1, "r1")
    m["args"]["photos"] = [{"sha256": H1, "item": "q1", "annotations": {"shapes": [mark]}}]
    push(store, uploads, GUARD, "c1", [m])
    [kept] = store.get("results", "r1").doc["photos"][0]["annotations"]["shapes"]
    assert kept["type"] == "arrow" and kept["points"] == mark["points"]


def finisher(store, uploads, variants):
    return lambda sha256: photos.finish_upload(store, uploads, variants, sha256)


def test_reconcile_finishes_what_a_crash_interrupted(store, uploads, variants):
    push(store, uploads, GUARD, "c1", [submit(1, "r1", photos=[H1])])
    # killed right after publishing: the uploader was recorded, the photo not yet checked
    uploads.append(H1, 0, io.BytesIO(P1), len(P1), upload_length=len(P1),
                   on_verified=lambda: sync_service.photo_verified(store, H1, GUARD.user_id))
    assert store.get("results", "r1").doc["media"] == "pending"
    finish = finisher(store, uploads, variants)
    assert sync_service.reconcile_media(store, uploads, finish) == 1
    assert store.get("results", "r1").doc["media"] == "complete"
    assert store.get("photos", H1).doc["status"] == "refused"  # checked at startup too
    assert sync_service.reconcile_media(store, uploads, finish) == 0
    assert list(store.scan(sync_service.MEDIA_PENDING)) == []  # nothing left to finish


def test_reconcile_forgets_a_verified_upload_whose_part_expired(store, uploads, variants):
    push(store, uploads, GUARD, "c1", [submit(1, "r1", photos=[H2])])
    sync_service.photo_verified(store, H2, GUARD.user_id)  # then died before publishing
    assert sync_service.reconcile_media(store, uploads, finisher(store, uploads, variants)) == 0
    assert list(store.scan(sync_service.MEDIA_PENDING)) == []
    assert store.get("results", "r1").doc["media"] == "pending"  # the device re-sends


def test_photos_cited_inside_answers_count_as_evidence(store, uploads):
    m = submit(1, "r1")
    m["args"]["answers"] = {"q1": {"value": "fail", "photos": [H2],
                                   "defects": [{"photos": [H1, "not-a-hash"]}]}}
    m["args"]["photos"] = [{"sha256": H1}]
    resp = push(store, uploads, GUARD, "c1", [m], evaluate=lambda d, a: {"total": 0})
    assert resp["results"][0]["missing_photos"] == [H1, H2]


def test_photos_are_visible_only_through_results_at_the_actors_sites(store, uploads, variants):
    from .helpers import SITE_B
    push(store, uploads, GUARD, "c1", [submit(1, "r1", site=SITE_B, photos=[H1])])
    assert not sync_service.photo_visible(store, GUARD, H1)  # cited, not here yet
    upload(store, uploads, variants, P1)
    assert sync_service.photo_visible(store, GUARD, H1)
    assert not sync_service.photo_visible(store, ENGINEER, H1)  # works at site A only
    assert not sync_service.photo_visible(store, GUARD, H2)  # cited by nothing


def test_retried_final_chunk_heals_a_failed_media_commit(impatient, uploads, variants):
    store = impatient
    push(store, uploads, GUARD, "c1", [submit(1, "r1", photos=[H1])])
    with held_write_lock(store.engines.path), pytest.raises(StoreUnavailable):
        upload(store, uploads, variants, P1)
    # who sent it could not be recorded: nothing published, the verified part waits
    assert uploads.query([H1]) == {H1: {"state": "partial", "offset": len(P1)}}
    assert store.get("results", "r1").doc["media"] == "pending"
    # the device asks HEAD for the offset and sends the (empty) rest: no bytes again
    state, _ = photos.receive_chunk(store, uploads, variants, GUARD, H1, len(P1),
                                    io.BytesIO(b""), 0, upload_length=len(P1),
                                    chunk_checksum=None)
    assert state.completed_now
    assert store.get("results", "r1").doc["media"] == "complete"


def test_citing_a_hash_without_its_bytes_neither_completes_nor_opens_the_photo(
        store, uploads, variants):
    from .helpers import SITE_B, SUPERVISOR
    outsider = SUPERVISOR.__class__("u-out", "guard", {SITE_B}, "dev-out")
    upload(store, uploads, variants, P1, who=ENGINEER)            # site A's photo
    push(store, uploads, ENGINEER, "e1", [submit(1, "r1", site=SITE_A, photos=[H1])])
    assert store.get("results", "r1").doc["media"] == "complete"
    # someone at site B learnt the hash and cites it
    resp = push(store, uploads, outsider, "o1", [submit(1, "r2", site=SITE_B, photos=[H1])])
    assert resp["results"][0]["missing_photos"] == [H1]
    assert not sync_service.photo_visible(store, outsider, H1)
    assert photos.query(store, uploads, outsider, [H1])[H1]["state"] == "absent"
    assert photos.query(store, uploads, ENGINEER, [H1])[H1]["state"] == "complete"
    # sending the bytes proves possession: now it is theirs too
    assert upload(store, uploads, variants, P1, who=outsider).completed_now
    assert store.get("results", "r2").doc["media"] == "complete"
    assert sync_service.photo_visible(store, outsider, H1)


def test_a_failed_holder_record_publishes_nothing(store, uploads):
    def broken():
        raise StoreUnavailable("disk full")
    with pytest.raises(StoreUnavailable):
        uploads.append(H1, 0, io.BytesIO(P1), len(P1), upload_length=len(P1),
                       on_verified=broken)
    assert H1 not in uploads.complete_among([H1])
    assert uploads.status(H1).offset == len(P1)  # the verified part waits for the retry
