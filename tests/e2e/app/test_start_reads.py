"""The first screen's IndexedDB reads without Dexie (js/idb_reads.js), in the browser: they
count what waits from the outbox's state index, never the acked archive; on a database of
the previous schema (no index, the first start after an update) they read the same counts;
and their open connection never blocks Dexie's upgrade of that database."""
from __future__ import annotations

import pytest

from .conftest import phone

pytestmark = pytest.mark.slow

V1_SCHEMA = {"meta": "&key", "records": "&[bucket+type+id], type, bucket",
             "outbox": "&mutation_id", "drafts": "&id, kind, updated_at",
             "photos": "&sha256, state"}

COUNT_THEN_UPGRADE = """async (schema) => {
    const { default: Dexie } = await import('/app/static/vendor/dexie.min.mjs');
    const v1 = new Dexie('fieldsync');
    v1.version(1).stores(schema);
    await v1.open();
    const row = (id, state) => ({ mutation_id: id, name: 'submit_result', state,
                                  args: { result_id: `r${id}` }, error: null });
    // an archive of acked rows, one refusal, two waiting (ids above acked_through)
    await v1.outbox.bulkPut([...Array.from({ length: 40 }, (_, i) => row(i + 1, 'acked')),
                             row(41, 'rejected'), row(42, 'pending'), row(43, 'pending')]);
    await v1.meta.bulkPut([{ key: 'acked_through', value: 41 },
                           { key: 'rejected_before', value: [{ mutation_id: 7 }] }]);
    v1.close();
    const bar = await import('/app/static/js/status_bar.js');
    const before = await bar.syncState();            // schema v1: no state index yet
    const { db } = await import('/app/static/js/db.js');
    // Dexie upgrades it under our open connection; were that one not to let go, IndexedDB
    // would say so with a blocked event (and the open would wait for ever)
    const blocked = new Promise((resolve, reject) => db.on('blocked', () => reject(new Error('upgrade blocked'))));
    await Promise.race([db.open(), blocked]);
    const after = await bar.syncState();             // read again, on the index
    return { before, after, version: db.verno,
             indexes: db.outbox.schema.indexes.map((i) => i.name) };
}"""


@pytest.fixture
def page(live_server, chromium):
    context = phone(chromium)
    page = context.new_page()
    # a page of the app's origin that runs none of the app (no worker, no database yet)
    page.goto(live_server + "/app/static/icons/icon-192.png")
    yield page
    context.close()


def test_counts_read_the_previous_schema_and_never_block_its_upgrade(page):
    got = page.evaluate(COUNT_THEN_UPGRADE, V1_SCHEMA)
    for state in (got["before"], got["after"]):
        assert (state["waiting"], state["refused"], state["photos"]) == (2, 2, 0), state
    assert got["version"] == 2 and got["indexes"] == ["state"]


def test_without_a_database_the_reads_find_nothing_and_create_none(page):
    got = page.evaluate("""async () => {
        const bar = await import('/app/static/js/status_bar.js');
        const { readMeta } = await import('/app/static/js/idb_reads.js');
        const state = await bar.syncState();
        const meta = await readMeta(['token', 'me']);
        return { state, meta, names: (await indexedDB.databases()).map((d) => d.name) };
    }""")
    assert got["meta"] == {"token": None, "me": None}
    assert (got["state"]["waiting"], got["state"]["refused"]) == (0, 0)
    assert "fieldsync" not in got["names"]  # Dexie creates it at login, with its schema
