"""The device's local files on their own: atomic writes, outbox numbering, bucket rules,
and the push loop's answers to gaps (a scripted fake of our Transport interface)."""
from __future__ import annotations

import os

import orjson
import pytest

from sync.client import storage as client_storage
from sync.client.api import ServerApi
from sync.client.outbox import Outbox
from sync.client.pulled import PulledStore
from sync.client.pusher import Pusher
from sync.client.storage import LocalDB


def test_a_failed_replace_leaves_the_old_file(tmp_path, monkeypatch):
    db = LocalDB(str(tmp_path / "x.json"))
    db.table("t").insert({"n": 1})

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(client_storage.os, "replace", broken_replace)
    with pytest.raises(OSError):
        db.table("t").insert({"n": 2})
    monkeypatch.undo()
    assert [d["n"] for d in db.table("t").all()] == [1]  # memory did not run ahead of disk
    assert [d["n"] for d in LocalDB(str(tmp_path / "x.json")).table("t").all()] == [1]


def test_batch_is_one_write_or_none(tmp_path, monkeypatch):
    path = str(tmp_path / "x.json")
    db = LocalDB(path)
    writes = []
    real = client_storage.write_atomic
    monkeypatch.setattr(client_storage, "write_atomic",
                        lambda p, data, **kw: (writes.append(p), real(p, data, **kw)))
    with db.batch():
        for n in range(5):
            db.table("t").insert({"n": n})
    assert len(writes) == 1
    with pytest.raises(RuntimeError):
        with db.batch():
            db.table("t").insert({"n": 99})
            raise RuntimeError("crash mid-batch")
    assert len(writes) == 1 and 99 not in [d["n"] for d in db.table("t").all()]
    assert len(orjson.loads(open(path, "rb").read())["t"]) == 5


def test_outbox_ids_are_sequential_and_survive_reopen(tmp_path):
    path = str(tmp_path / "outbox.json")
    box = Outbox(path)
    assert [box.append("comment_ticket", {"n": n}) for n in range(3)] == [1, 2, 3]
    box.acknowledge(2, [{"id": 2, "status": "rejected", "error": {"code": "x", "message": "m"}}])
    reopened = Outbox(path)
    assert reopened.client_id == box.client_id and len(box.client_id) == 32
    assert [m["id"] for m in reopened.pending()] == [3]
    assert reopened.append("comment_ticket", {}) == 4  # ids are never reused
    [rejected] = reopened.rejected()
    assert rejected["id"] == 2 and rejected["args"] == {"n": 1} and rejected["error"]["code"] == "x"
    assert reopened.archived(1, 1)[0]["args"] == {"n": 0}


def test_pending_batches_respect_count_and_bytes(tmp_path):
    box = Outbox(str(tmp_path / "o.json"))
    for n in range(10):
        box.append("comment_ticket", {"text": "x" * 1000})
    assert len(box.pending(limit=4)) == 4
    assert len(box.pending(max_bytes=3500)) == 3
    assert len(box.pending(max_bytes=10)) == 1  # always progress


def test_rotation_renumbers_pending_under_a_new_client_id(tmp_path):
    box = Outbox(str(tmp_path / "o.json"))
    assert box.bind(device_id="d1", user_id="u") is False  # first login: keep the fresh id
    for n in range(4):
        box.append("comment_ticket", {"n": n})
    box.acknowledge(2)
    old = box.client_id
    assert box.bind(device_id="d2", user_id="u") is True
    assert box.client_id != old
    assert [(m["id"], m["args"]["n"]) for m in box.pending()] == [(1, 2), (2, 3)]
    assert box.append("comment_ticket", {"n": 4}) == 3


def page(buckets, removed=(), last=0):
    return {"last_mutation_id": last, "high_water": 100, "has_more": False,
            "removed_buckets": list(removed), "buckets": buckets}


def seg(name, cursor, changes, reset=False):
    return {"name": name, "cursor": cursor, "reset": reset, "complete": True,
            "changes": changes}


def put(seq, id_, v, **data):
    return {"seq": seq, "type": "tickets", "id": id_, "v": v, "op": "put",
            "data": {"id": id_, "v": v, **data}}


def test_puts_apply_only_when_newer(tmp_path):
    store = PulledStore(str(tmp_path / "p.json"))
    store.apply_page(page([seg("site:a", 5, [put(5, "t1", 2, title="new")])]))
    counts = store.apply_page(page([seg("site:a", 6, [put(4, "t1", 1, title="old")])]))
    assert counts["skipped"] == 1 and store.record("tickets", "t1")["title"] == "new"
    store.apply_page(page([seg("site:a", 7, [{"seq": 7, "type": "tickets", "id": "t1",
                                              "v": None, "op": "del", "data": None}])]))
    assert store.record("tickets", "t1") is None and store.cursors() == {"site:a": 7}


def test_reset_and_removed_buckets_drop_only_their_rows(tmp_path):
    store = PulledStore(str(tmp_path / "p.json"))
    outbox = Outbox(str(tmp_path / "o.json"))
    outbox.append("comment_ticket", {"ticket_id": "t1"})
    store.apply_page(page([seg("site:a", 5, [put(1, "t1", 1), put(2, "t2", 1)]),
                           seg("site:b", 5, [put(3, "t3", 1), put(4, "t1", 1)])]))
    store.apply_page(page([seg("site:a", 9, [put(9, "t2", 2)], reset=True)]))
    assert {r["id"] for r in store.records()} == {"t1", "t2", "t3"}  # t1 still held by b
    store.apply_page(page([], removed=["site:b"]))
    assert {r["id"] for r in store.records()} == {"t2"}
    assert store.cursors() == {"site:a": 9}
    assert outbox.size() == 1  # never touched


class ScriptedTransport:
    """A fake server for the push loop: answers from a script, records what was sent."""

    def __init__(self, answers):
        self.answers, self.sent = list(answers), []

    def request(self, method, path, *, json=None, data=None, headers=None):
        self.sent.append([m["id"] for m in json["mutations"]])
        status, body = self.answers.pop(0)
        return status, {}, orjson.dumps(body)


def ok(last, ids):
    return 200, {"last_mutation_id": last,
                 "results": [{"id": i, "status": "applied"} for i in ids]}


def test_gap_ahead_drops_what_the_server_already_has(tmp_path):
    box = Outbox(str(tmp_path / "o.json"))
    for n in range(3):
        box.append("comment_ticket", {"n": n})
    fake = ScriptedTransport([(409, {"error": "mutation_gap", "expected": 3}), ok(3, [3])])
    Pusher(ServerApi(fake, "tok"), box).run()
    assert fake.sent == [[1, 2, 3], [3]] and box.size() == 0


def test_gap_behind_resends_from_the_archive(tmp_path):
    box = Outbox(str(tmp_path / "o.json"))
    for n in range(3):
        box.append("comment_ticket", {"n": n})
    box.acknowledge(2)  # acknowledged earlier; then the server was restored from a backup
    fake = ScriptedTransport([(409, {"error": "mutation_gap", "expected": 1}),
                              ok(2, [1, 2]), ok(3, [3])])
    Pusher(ServerApi(fake, "tok"), box).run()
    assert fake.sent == [[3], [1, 2], [3]] and box.size() == 0


def test_gap_behind_without_archive_starts_a_new_client_id(tmp_path):
    box = Outbox(str(tmp_path / "o.json"))
    box.append("comment_ticket", {"n": 0})
    box.append("comment_ticket", {"n": 1})
    box.db.table("acked").truncate()
    box.db.table("pending").remove(doc_ids=[1])  # as if 1 was acknowledged long ago
    old = box.client_id
    fake = ScriptedTransport([(409, {"error": "mutation_gap", "expected": 1}), ok(1, [1])])
    Pusher(ServerApi(fake, "tok"), box).run()
    assert box.client_id != old and fake.sent == [[2], [1]] and box.size() == 0


def test_data_files_are_private(tmp_path):
    from sync.client.session import Session
    session = Session(str(tmp_path / "session.json"))
    session.update(token="secret")
    assert os.stat(tmp_path / "session.json").st_mode & 0o077 == 0


def test_one_process_per_data_dir(tmp_path):
    from sync.client import DeviceClient, DeviceError
    first = DeviceClient(str(tmp_path / "d"))
    with pytest.raises(DeviceError, match="another fieldsync device process"):
        DeviceClient(str(tmp_path / "d"), lock_timeout=0.1)
    first.close()
    with DeviceClient(str(tmp_path / "d"), lock_timeout=0.1) as second:
        assert second.outbox.client_id == first.outbox.client_id


def test_a_damaged_file_is_reported_and_left_alone(tmp_path):
    from click.testing import CliRunner

    from sync.client.cli import device as device_cli
    data_dir = tmp_path / "d"
    data_dir.mkdir()
    (data_dir / "outbox.json").write_bytes(b'{"pending": {"1": {"id": 1, "na')
    result = CliRunner().invoke(device_cli, ["--data-dir", str(data_dir), "status"])
    assert result.exit_code == 1 and "outbox.json is damaged" in result.output
    assert (data_dir / "outbox.json").read_bytes() == b'{"pending": {"1": {"id": 1, "na'
    from sync.client import DeviceClient, DeviceError  # and the lock was let go
    with pytest.raises(DeviceError, match="damaged"):
        DeviceClient(str(data_dir), lock_timeout=0.1)
