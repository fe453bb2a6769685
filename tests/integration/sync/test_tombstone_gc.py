"""Tombstone GC on both backends: which deletes may go, and devices after it (§4.7, §5.8)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from server.services import sync_service
from server.services.tombstones import collect_tombstones
from server.store.base import Delete, Put

from .helpers import GUARD, NOW, SITE_A, Replica, server_view

BUCKET = f"site:{SITE_A}"
DAY, HOUR = timedelta(days=1), timedelta(hours=1)


def notes(store, *ids):
    store.commit([Put("notes", i, {"v": 1, "id": i}, BUCKET) for i in ids])


def segment(page):
    return next(s for s in page["buckets"] if s["name"] == BUCKET)


def test_a_tombstone_goes_only_once_a_run_a_retention_ago_saw_it(store):
    notes(store, "n1", "n2")
    store.commit([Delete("notes", "n1")])
    first = collect_tombstones(store, NOW)
    assert first.purged == 0 and first.horizon == 0 and first.age_bound == 0
    assert collect_tombstones(store, NOW + 89 * DAY).purged == 0  # not old enough yet
    later = collect_tombstones(store, NOW + 91 * DAY)
    assert later.purged == 1 and later.horizon == 3 == store.tombstone_horizon()
    assert [c.op for c in store.changes(BUCKET, 0, 10)] == ["put"]


def test_a_dry_run_reports_and_changes_nothing(store):
    notes(store, "n1")
    store.commit([Delete("notes", "n1")])
    collect_tombstones(store, NOW)
    before = store.high_water()
    report = collect_tombstones(store, NOW + 91 * DAY, dry_run=True)
    assert report.dry_run and report.purged == 1 and report.horizon == 2
    assert store.tombstone_horizon() == 0 and store.high_water() == before


def test_an_active_device_keeps_the_tombstones_it_has_not_pulled(store):
    notes(store, "n1", "n2")
    guard = Replica()
    guard.pull(store, GUARD, "c1", now=NOW)
    store.commit([Delete("notes", "n1")])
    collect_tombstones(store, NOW)
    guard.pull(store, GUARD, "c1", now=NOW + 60 * DAY)  # notes the cursors it sent (pre-delete)
    report = collect_tombstones(store, NOW + 91 * DAY)
    assert report.active_clients == 1 and report.purged == 0
    guard.pull(store, GUARD, "c1", now=NOW + 92 * DAY)  # now it holds the delete
    report = collect_tombstones(store, NOW + 93 * DAY)
    assert report.purged == 1 and report.clients_to_reset == 0
    page = guard.pull(store, GUARD, "c1", now=NOW + 94 * DAY)
    assert not segment(page)["reset"]  # its cursor is above the horizon
    assert guard.records() == server_view(store, [BUCKET])


def test_an_idle_device_is_reset_and_converges(store):
    notes(store, "n1", "n2", "n3")
    idle = Replica()
    idle.pull(store, GUARD, "c-idle", now=NOW)
    idle.pull(store, GUARD, "c-idle", now=NOW + 2 * HOUR)  # its record now shows its cursors
    stale_cursor = idle.cursors[BUCKET]
    store.commit([Delete("notes", "n1"), Put("notes", "n2", {"v": 2, "id": "n2"}, BUCKET)])
    collect_tombstones(store, NOW)
    report = collect_tombstones(store, NOW + 91 * DAY)
    assert report.purged == 1 and report.clients_to_reset == 1
    assert stale_cursor <= store.tombstone_horizon()
    page = idle.pull(store, GUARD, "c-idle", now=NOW + 100 * DAY)
    first = sync_service.build_pull(store, GUARD, "c-other", {BUCKET: stale_cursor}, 100)
    assert segment(first)["reset"] and all(c["op"] == "put" for c in segment(first)["changes"])
    assert idle.records() == server_view(store, [BUCKET])
    assert ("notes", "n1") not in idle.records() and not page["has_more"]
    fresh = Replica()  # a cursor-0 pull carries no tombstones, before or after GC
    fresh.pull(store, GUARD, "c-fresh", now=NOW + 100 * DAY)
    assert fresh.records() == idle.records()


def test_a_poll_writes_the_client_record_at_most_hourly(store):
    notes(store, "n1")
    guard = Replica()
    guard.pull(store, GUARD, "c1", now=NOW)
    client = store.get("clients", "c1").doc
    assert client["cursors_seen"] == {} and client["last_seen"] == NOW.isoformat()
    written = store.high_water()
    guard.pull(store, GUARD, "c1", now=NOW + timedelta(minutes=59))
    assert store.high_water() == written  # a no-op poll commits nothing
    sent = dict(guard.cursors)
    guard.pull(store, GUARD, "c1", now=NOW + timedelta(minutes=61))
    assert store.high_water() == written + 1
    assert store.get("clients", "c1").doc["cursors_seen"] == sent  # what the device held
    assert set(guard.cursors.values()) == {store.high_water()}  # the page covers the write


def test_gc_refuses_a_retention_under_a_day(store):
    with pytest.raises(ValueError, match="retention_days"):
        collect_tombstones(store, NOW, 0)
