"""The server is restored from an older copy (anchors-sync §4.9.5, §5.8): the device's
cursors are ahead of the server, its pull resets, and the results (and photos) the
server lost are sent again -- acknowledged field data survives a restore."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from server.extensions import STORE_KEY, close_store
from server.services import definitions
from sync.client import DeviceClient
from tests.conftest import PASSWORD, AccountMaker, make_app

from .conftest import DEFINITION, PASS, jpeg_bytes
from .transports import FlaskTransport


class SwitchableTransport:
    """The device's link; the test re-points it at the restored server."""

    def __init__(self, app):
        self.point_at(app)

    def point_at(self, app):
        self.inner = FlaskTransport(app.test_client())

    def request(self, *args, **kw):
        return self.inner.request(*args, **kw)


@dataclass
class BackedUp:
    """A guard's device that has pulled, and the nightly backup of the server taken then."""

    live: Path
    backup: Path
    site: dict
    link: SwitchableTransport
    device: DeviceClient


def backed_up_device(tmp_path: Path, **device_kw) -> BackedUp:
    live, backup = tmp_path / "live", tmp_path / "backup"
    app = make_app(live)
    store = app.extensions[STORE_KEY]
    accounts = AccountMaker(store)
    site = accounts.site("A")
    accounts.user("guard", username="guard-a", site_ids=[site["id"]])
    definitions.install(store, DEFINITION, by="test")
    link = SwitchableTransport(app)
    device = DeviceClient(str(tmp_path / "device"), link, **device_kw)
    device.login("guard-a", PASSWORD, "phone")
    device.pull()
    close_store(app)
    shutil.copytree(live, backup)  # the nightly backup
    return BackedUp(live, backup, site, link, device)


def test_results_lost_by_a_restore_are_pushed_again(tmp_path):
    setup = backed_up_device(tmp_path)
    live, backup, link, device = setup.live, setup.backup, setup.link, setup.device

    app = make_app(live)
    link.point_at(app)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(jpeg_bytes(4))
    kept = device.fill("daily-round", 1, PASS, photos=[str(photo)], site_id="A")
    device.sync()
    assert device.status()["outbox"] == 0 and device.status()["photos"] == []
    close_store(app)

    restored = make_app(backup)  # the live data dir was lost; the backup is older
    link.point_at(restored)
    try:
        assert restored.extensions[STORE_KEY].get("results", kept.result_id) is None
        report = device.sync()
        assert report["requeued"] == 1
        doc = restored.extensions[STORE_KEY].get("results", kept.result_id).doc
        assert doc["media"] == "complete"  # the photo was uploaded again too
        assert device.pulled.record("results", kept.result_id)["media"] == "complete"
        assert device.status()["outbox"] == 0 and device.status()["rejected"] == []
    finally:
        close_store(restored)
