"""The invariants under a hostile link (DESIGN §3; anchors-sync §5.2, §5.6, §5.10).

Responses are lost after the server processed the request, requests arrive
twice, PATCH bodies are cut at random bytes -- and still every acknowledged
mutation is applied exactly once, the outbox drains, photos arrive whole,
and a device killed mid-pull converges to the server.
"""
from __future__ import annotations

import pytest

from sync.client import DeviceClient, ServerUnreachable
from sync.client import storage as client_storage

from .conftest import PASS, noisy_jpeg, sha
from .transports import CountingTransport, FaultyTransport


def until_done(step, done, tries=200):
    """Run ``step`` until ``done()``, retrying through injected link failures."""
    for _ in range(tries):
        try:
            step()
        except ServerUnreachable:
            continue
        if done():
            return
    raise AssertionError("did not converge")


def server_view(app_store, buckets):
    """Every live record of ``buckets``, read from the server's own change feed."""
    out = {}
    for bucket in buckets:
        for row in app_store.changes(bucket, 0, 1_000_000):
            if row.op == "put":
                out[(row.collection, row.id)] = dict(row.doc)
            else:
                out.pop((row.collection, row.id), None)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_replays_apply_every_mutation_exactly_once(seed, make_device, transport, app_store):
    faulty = FaultyTransport(transport, seed, drop=0.35, duplicate=0.3)
    device = make_device("flaky", faulty, push_batch=4)
    faulty.enabled = False
    device.pull()
    faulty.enabled = True
    ids = [device.fill("daily-round", 1, PASS, site_id="A").result_id for _ in range(15)]

    until_done(device.push, lambda: device.outbox.size() == 0)
    faulty.enabled = False
    device.pull()

    assert faulty.counts["drop"] and faulty.counts["duplicate"]  # the faults really happened
    client = app_store.get("clients", device.outbox.client_id).doc
    assert client["last_mutation_id"] == 15
    assert [e["id"] for e in client["recent"]] == list(range(1, 16))  # each applied once
    assert {e["status"] for e in client["recent"]} == {"applied"}
    stored = {rec.id for rec in app_store.scan("results")}
    assert stored == set(ids)
    assert device.status()["rejected"] == []


@pytest.mark.parametrize("checksum", [True, False])
@pytest.mark.parametrize("seed", [4, 5])
def test_upload_cut_at_random_bytes_resumes_and_completes(seed, checksum, make_device,
                                                          transport, app, tmp_path):
    data = noisy_jpeg(seed=seed)
    photo = tmp_path / "evidence.jpg"
    photo.write_bytes(data)
    faulty = FaultyTransport(transport, seed, drop=0.2, duplicate=0.2, cut=0.4)
    device = make_device("cut", faulty, chunk_size=8 * 1024, checksum=checksum)
    faulty.enabled = False
    device.pull()
    device.fill("daily-round", 1, PASS, photos=[str(photo)], site_id="A")
    device.push()
    faulty.enabled = True

    until_done(device.upload_photos, lambda: device.status()["photos"] == [])

    assert faulty.counts["cut"] >= 1
    stored = app.extensions["fieldsync.uploads"].path(sha(data))
    with open(stored, "rb") as fh:
        assert fh.read() == data


def test_resume_sends_only_the_missing_bytes(make_device, transport, app, tmp_path):
    data = noisy_jpeg(seed=7)
    photo = tmp_path / "big.jpg"
    photo.write_bytes(data)
    device = make_device("resume", transport, chunk_size=16 * 1024)
    device.pull()
    device.fill("daily-round", 1, PASS, photos=[str(photo)], site_id="A")
    half = len(data) // 2
    # the server already holds the first half (an earlier run was cut off)
    status = transport.request("PATCH", f"/api/v1/photos/{sha(data)}", data=data[:half],
                               headers={**_auth(device), "Upload-Offset": "0",
                                        "Upload-Length": str(len(data)),
                                        "Content-Type": "application/offset+octet-stream"})[0]
    assert status == 204
    counting = CountingTransport(transport)
    device.close()  # the process ends: its lock goes with it
    resumed = DeviceClient(device.data_dir, counting, chunk_size=16 * 1024)
    seen = []
    resumed.upload_photos(progress=lambda h, sent, total: seen.append(sent))
    assert counting.bytes_sent == len(data) - half
    assert seen[0] == half and seen[-1] == len(data)
    assert resumed.status()["photos"] == []


def _auth(device):
    return {"Authorization": f"Bearer {device.session.token}"}


@pytest.fixture
def busy_site(make_device, transport):
    """Another device filled 9 results at site A: several pages for a limit-2 pull."""
    other = make_device("other", transport)
    other.pull()
    for _ in range(9):
        other.fill("daily-round", 1, PASS, site_id="A")
    other.push()
    return other


def test_kill_before_a_page_is_saved_converges(busy_site, make_device, transport, app_store,
                                               monkeypatch):
    device = make_device("killed", transport, pull_limit=2)
    real, calls = client_storage.write_atomic, []

    def crash_on_third_page(path, data, **kw):
        if path.endswith("pulled.json"):
            calls.append(path)
            if len(calls) == 3:
                raise KeyboardInterrupt("killed while writing the page")  # like kill -9
        return real(path, data, **kw)

    monkeypatch.setattr(client_storage, "write_atomic", crash_on_third_page)
    with pytest.raises(KeyboardInterrupt):
        device.pull()
    monkeypatch.setattr(client_storage, "write_atomic", real)
    device.close()  # the process ends: its lock goes with it
    before = DeviceClient(device.data_dir, transport, pull_limit=2)
    assert before.pulled.cursors() == device.pulled.cursors()  # memory == disk: 2 pages

    before.pull()
    assert before.pulled.snapshot() == server_view(app_store, set(before.pulled.cursors()))


def test_kill_right_after_a_page_is_saved_converges(busy_site, make_device, transport,
                                                    app_store):
    device = make_device("killed", transport, pull_limit=2)

    def die(page):
        raise KeyboardInterrupt("killed after saving the page")

    with pytest.raises(KeyboardInterrupt):
        device.pull(on_page=die)
    device.close()  # the process ends: its lock goes with it
    saved = DeviceClient(device.data_dir, transport, pull_limit=2)
    assert saved.pulled.cursors()  # the first page and its cursors are on disk
    saved.pull()
    assert saved.pulled.snapshot() == server_view(app_store, set(saved.pulled.cursors()))


def test_reapplying_a_page_is_a_no_op(busy_site, make_device, client, transport):
    device = make_device("again", transport)
    pages = []
    device.pull(on_page=pages.append)
    before = device.pulled.snapshot()
    counts = device.pulled.apply_page(pages[0])
    assert counts["put"] == sum(1 for s in pages[0]["buckets"] for c in s["changes"]
                                if c.get("v") is None)  # only unversioned rows re-put
    assert device.pulled.snapshot() == before


def test_default_chunks_fit_the_servers_request_limit(make_device, transport, app, tmp_path):
    """A 9 MB photo in 8 MiB chunks: the first chunk is exactly the server's body limit."""
    data = noisy_jpeg(size=(3000, 2600), seed=3)
    assert len(data) > 8 * 1024 * 1024
    photo = tmp_path / "large.jpg"
    photo.write_bytes(data)
    device = make_device("large", transport)
    device.pull()
    device.fill("daily-round", 1, PASS, photos=[str(photo)], site_id="A")
    report = device.sync()["photos"]
    assert report.completed == [sha(data)] and report.failed == {}


def test_a_request_limit_below_the_chunk_size_shrinks_the_chunks(make_device, transport, app,
                                                                  tmp_path):
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024  # e.g. a proxy in front of the server
    data = noisy_jpeg(seed=8)
    assert len(data) > 120 * 1024
    photo = tmp_path / "p.jpg"
    photo.write_bytes(data)
    counting = CountingTransport(transport)
    device = make_device("limited", counting)
    device.pull()
    device.fill("daily-round", 1, PASS, photos=[str(photo)], site_id="A")
    report = device.sync()["photos"]
    assert report.completed == [sha(data)]
    assert counting.requests[("PATCH", "/api/v1/photos")] > 3  # refused big ones, then small
