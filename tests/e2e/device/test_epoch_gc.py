"""A device across a new server epoch, tombstone GC and a retired schema (§4.7, §4.9, §5.8)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from server.cli import main
from server.extensions import STORE_KEY, close_store
from server.services.tombstones import collect_tombstones
from server.store.base import Delete, Put
from sync import protocol
from sync.client import UpgradeRequired
from tests.conftest import make_app

from .conftest import PASS
from .test_faults import server_view
from .test_server_restore import backed_up_device


def converged(device, store):
    return device.pulled.snapshot() == server_view(store, set(device.pulled.cursors()))


def test_a_new_epoch_resets_every_bucket_and_keeps_the_outbox(device, app_store, runner):
    device.pull()
    acked = device.fill("daily-round", 1, PASS, site_id="A")
    device.sync()
    waiting = device.fill("daily-round", 1, PASS, site_id="A")  # not sent yet
    out = runner.invoke(main, ["new-epoch"])
    assert out.exit_code == 0, out.output

    pages = []
    device.pull(on_page=pages.append)
    assert pages[0]["epoch"] == app_store.epoch() == device.pulled.epoch()
    assert all(s["reset"] for s in pages[0]["buckets"])
    pending = {m["args"]["result_id"] for m in device.outbox.pending()}
    assert pending == {waiting.result_id, acked.result_id}  # kept + re-queued once
    assert converged(device, app_store)

    report = device.sync()
    assert report["push"].applied == 1 and report["push"].duplicate == 1
    assert device.outbox.size() == 0 and converged(device, app_store)
    assert app_store.get("results", waiting.result_id) is not None


def test_a_restored_backup_with_a_new_epoch_is_refetched_even_when_it_moved_on(tmp_path):
    """Without the new epoch the device's cursors would fall inside the restored
    history, and it would silently miss what the restored server wrote there."""
    setup = backed_up_device(tmp_path, sleep=lambda s: None)
    live, backup, site, link, device = (setup.live, setup.backup, setup.site, setup.link,
                                        setup.device)

    app = make_app(live)
    link.point_at(app)
    kept = device.fill("daily-round", 1, PASS, site_id="A")
    device.sync()
    close_store(app)

    restored = make_app(backup)
    store = restored.extensions[STORE_KEY]
    try:
        store.new_epoch()  # the documented step after restoring
        store.commit([Put("notes", f"n{i}", {"v": 1, "id": f"n{i}"}, f"site:{site['id']}")
                      for i in range(40)])  # the restored server moves past the device
        assert store.high_water() > max(device.pulled.cursors().values())
        link.point_at(restored)
        report = device.sync()
        assert report["requeued"] == 1
        assert store.get("results", kept.result_id) is not None
        assert len(device.pulled.records("notes")) == 40
        assert device.outbox.size() == 0 and converged(device, store)
    finally:
        close_store(restored)


def test_an_idle_device_is_reset_after_gc_and_converges(device, app_store, team):
    bucket = f"site:{team.site_a['id']}"
    app_store.commit([Put("notes", i, {"v": 1, "id": i}, bucket) for i in ("n1", "n2")])
    device.pull()
    device.fill("daily-round", 1, PASS, site_id="A")
    device.sync()  # an acknowledged result sits in the device's archive
    assert {r["id"] for r in device.pulled.records("notes")} == {"n1", "n2"}
    requeued = device.requeued
    app_store.commit([Delete("notes", "n1")])  # the device is away and misses it
    now = datetime.now(timezone.utc)
    collect_tombstones(app_store, now)
    report = collect_tombstones(app_store, now + timedelta(days=91))
    assert report.purged == 1 and report.active_clients == 0  # idle for 91 days

    pages = []
    device.pull(on_page=pages.append)
    assert next(s for s in pages[0]["buckets"] if s["name"] == bucket)["reset"]
    assert [r["id"] for r in device.pulled.records("notes")] == ["n2"]
    assert converged(device, app_store) and device.outbox.size() == 0
    assert device.requeued == requeued  # a GC reset refetches; the data is intact, no re-send


def test_a_retired_schema_says_upgrade_and_keeps_the_outbox(device, monkeypatch):
    device.pull()
    waiting = device.fill("daily-round", 1, PASS, site_id="A")
    monkeypatch.setattr(protocol, "SCHEMA_MIN", protocol.SCHEMA_MAX + 1)
    with pytest.raises(UpgradeRequired, match="upgrade the app"):
        device.pull()
    assert [m["args"]["result_id"] for m in device.outbox.pending()] == [waiting.result_id]
    assert device.push().applied == 1  # an old app's work still reaches the server
