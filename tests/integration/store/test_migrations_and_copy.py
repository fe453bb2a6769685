"""Schema migrations keep data; db copy moves a store between engines exactly; backups."""
import os

import pytest
from sqlalchemy import insert, select

from server.services import sync_service
from server.store import StoreCorrupt, open_store
from server.store import sql_tables as t
from server.store.sql_copy import backup_sqlite, collection_digests, copy_store, verify_copy
from server.store.sql_engines import sqlite_engines
from server.store.sql_migrate import describe, head_revision, migrate
from server.store.sql_store import SqlStore
from server.uploads import UploadStore
from tests.integration.sync.helpers import GUARD, push, submit


def populated(store, uploads):
    """Results, a deletion (tombstone) and a client with a last_mutation_id."""
    push(store, uploads, GUARD, "c1", [submit(n, f"r{n}") for n in range(1, 6)])
    push(store, uploads, GUARD, "c1", [submit(6, "r1", answers={"q1": "fail"})])  # id_conflict
    from server.store import Delete, Put
    store.commit([Put("notes", "gone", {"v": 1}, bucket="site:s-a")])
    store.commit([Delete("notes", "gone")])
    return store


def everything_pulled(store):
    page = sync_service.build_pull(store, GUARD, "c1", {}, 1000)
    return [(b["name"], b["cursor"], [(c["id"], c["seq"], c["data"]) for c in b["changes"]])
            for b in page["buckets"]], page["last_mutation_id"], page["epoch"]


def test_upgrading_an_older_schema_keeps_every_record_and_seq(tmp_path):
    path = str(tmp_path / "old.db")
    engines = sqlite_engines(path)
    migrate(engines, lambda: "e_old", target="0001")  # a server from before fs_results
    doc = {"id": "r1", "site_id": "s1", "checklist": {"id": "d", "version": 2},
           "submitted": {"at": "2026-10-02T03:04:05+00:00", "by": "u1"},
           "score": {"total": 91.5, "percent": 91.5, "band": "excellent", "flags": []}}
    import orjson
    with engines.writer.begin() as conn:
        conn.execute(insert(t.docs), [
            {"collection": "results", "id": "r1", "seq": 7, "bucket": "site:s1",
             "deleted": False, "body": orjson.dumps(doc).decode()},
            {"collection": "results", "id": "r0", "seq": 3, "bucket": "site:s1",
             "deleted": True, "body": None}])
        conn.execute(t.meta.update().values(last_seq=9, horizon=2))
    assert describe(engines)["current"] == "0001"
    engines.dispose()

    store = SqlStore.sqlite(path)  # opening migrates to head
    try:
        assert describe(store.engines)["current"] == head_revision()
        assert store.high_water() == 9 and store.epoch() == "e_old"
        assert store.get("results", "r1").seq == 7 and store.get("results", "r1").doc == doc
        assert [(c.id, c.seq, c.op) for c in store.changes("site:s1", 0, 10)] == [
            ("r0", 3, "del"), ("r1", 7, "put")]
        with store.snapshot() as r:  # the read model was built from the documents
            row = r.execute(select(t.results)).mappings().one()
        assert (row["site_id"], row["score"], row["band"], row["month"]) == (
            "s1", 91.5, "excellent", "2026-10")
    finally:
        store.close()


def test_db_copy_round_trips_through_postgres_with_identical_pulls(tmp_path, postgres_cluster):
    uploads = UploadStore(str(tmp_path / "photos"))
    source = populated(SqlStore.sqlite(str(tmp_path / "a.db")), uploads)
    dbname = postgres_cluster.create_database()
    pg = open_store(postgres_cluster.url(dbname))
    back = SqlStore.sqlite(str(tmp_path / "b.db"))
    try:
        copied = []
        copy_store(source, pg, progress=copied.append)
        copy_store(pg, back)
        assert verify_copy(source, pg) == [] and verify_copy(source, back) == []
        assert sum(copied) > 0
        expected = everything_pulled(source)
        assert everything_pulled(pg) == expected == everything_pulled(back)
        # the device's exactly-once state came along: a replay is a duplicate
        again = push(back, uploads, GUARD, "c1", [submit(5, "r5")])
        assert again["results"][0]["status"] == "duplicate"
        with pytest.raises(ValueError, match="not empty"):
            copy_store(source, back)
    finally:
        for store in (source, pg, back):
            store.close()
        postgres_cluster.drop_database(dbname)


def test_an_online_backup_is_a_consistent_store(tmp_path):
    uploads = UploadStore(str(tmp_path / "photos"))
    store = populated(SqlStore.sqlite(str(tmp_path / "live.db")), uploads)
    try:
        with store.snapshot():  # a reader holding a snapshot does not block the backup
            backup_sqlite(store, str(tmp_path / "copy.db"))
        with pytest.raises(FileExistsError):
            backup_sqlite(store, str(tmp_path / "copy.db"))
        copy = SqlStore.sqlite(str(tmp_path / "copy.db"))
        try:
            assert collection_digests(copy) == collection_digests(store)
        finally:
            copy.close()
    finally:
        store.close()


def test_a_damaged_database_file_stops_the_store_naming_it(tmp_path):
    path = tmp_path / "fieldsync.db"
    store = SqlStore.sqlite(str(path))
    store.close()
    with open(path, "r+b") as f:  # overwrite the header: no longer a SQLite file
        f.write(b"this is not a database" * 10)
    with pytest.raises(StoreCorrupt, match=str(path)):
        SqlStore.sqlite(str(path))
    assert os.path.getsize(path) > 0  # nothing was recreated over it


def test_the_head_constant_is_alembics_head():
    from server.store.sql_migrate import HEAD
    assert HEAD == head_revision()  # add a migration: move HEAD with it
