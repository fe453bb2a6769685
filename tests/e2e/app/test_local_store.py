"""The app's IndexedDB logic in the browser, on the real Dexie: pulled pages applied with
their cursors atomically (sync/client/pulled.py's rules), and the outbox's numbering,
acknowledgement, rotation and re-queueing (sync/client/outbox.py's)."""
from __future__ import annotations

import pytest

from .conftest import phone

pytestmark = pytest.mark.slow


@pytest.fixture
def page(live_server, chromium):
    context = phone(chromium)
    page = context.new_page()
    page.goto(live_server + "/app/")
    page.wait_for_selector("#login")  # the shell is up (logged out: nothing syncs)
    yield page
    context.close()


def change(type_, id_, v, seq, op="put", **data):
    return {"type": type_, "id": id_, "v": v, "seq": seq, "op": op,
            "data": {"id": id_, **data} if op == "put" else None}


def page_of(*segments, removed=(), epoch="e1", high_water=100):
    return {"epoch": epoch, "high_water": high_water, "last_mutation_id": 0, "has_more": False,
            "removed_buckets": list(removed),
            "buckets": [{"name": n, "cursor": c, "reset": r, "complete": True, "changes": ch}
                        for n, c, r, ch in segments]}


APPLY = """async (pages) => {
    const pulled = await import('/app/static/js/pulled.js');
    const { getMeta } = await import('/app/static/js/db.js');
    const out = [];
    for (const p of pages) {
        let error = null;
        try { await pulled.applyPage(p); } catch (err) { error = err.name; }
        out.push({error, cursors: await getMeta('cursors', {}),
                  tickets: (await pulled.records('tickets')).map(r => [r.bucket, r.id, r.v, r.doc.title])});
    }
    return out;
}"""


def test_pages_apply_by_version_reset_and_remove_buckets_and_are_atomic(page):
    steps = page.evaluate(APPLY, [
        page_of(("site:A", 10, False, [change("tickets", "t1", 1, 5, title="one"),
                                       change("tickets", "t2", 1, 6, title="two")]),
                ("user:u", 11, False, [change("tickets", "t1", 3, 7, title="one v3")])),
        page_of(("site:A", 20, False, [change("tickets", "t1", 2, 12, title="one v2"),
                                       change("tickets", "t2", None, 13, op="del")])),
        # a row IndexedDB cannot key (no id) fails the page: nothing of it is kept
        page_of(("site:A", 30, False, [change("tickets", "t3", 1, 21, title="three"),
                                       {"type": "tickets", "id": None, "v": 1, "seq": 22,
                                        "op": "put", "data": {}}])),
        page_of(("site:A", 40, True, [change("tickets", "t4", 1, 31, title="four")]),
                removed=["user:u"]),
    ])
    first, second, failed, reset = steps
    assert first["cursors"] == {"site:A": 10, "user:u": 11}
    assert first["tickets"] == [["user:u", "t1", 3, "one v3"], ["site:A", "t2", 1, "two"]]
    assert second["cursors"] == {"site:A": 20, "user:u": 11}
    assert second["tickets"] == [["user:u", "t1", 3, "one v3"]]  # newest v across buckets
    assert failed["error"] and failed["cursors"] == second["cursors"]
    assert failed["tickets"] == second["tickets"]
    assert reset["cursors"] == {"site:A": 40}
    assert reset["tickets"] == [["site:A", "t4", 1, "four"]]


OUTBOX = """async () => {
    const ob = await import('/app/static/js/outbox.js');
    const { db, getMeta } = await import('/app/static/js/db.js');
    const rows = async () => (await db.outbox.orderBy('mutation_id').toArray())
        .map(m => [m.mutation_id, m.name, m.state, m.args.result_id || m.args.ticket_id]);
    const out = {};
    const ids = [await ob.enqueue('submit_result', {result_id: 'r1'}),
                 ...(await ob.enqueueWith([{name: 'move_ticket', args: {ticket_id: 't1'}},
                                           {name: 'submit_result', args: {result_id: 'r2'}}]))];
    out.ids = ids;
    const client = await ob.clientId();
    await ob.acknowledge(2, [{id: 2, status: 'rejected', error: {code: 'illegal_move', message: 'no'}}]);
    out.acked = await rows();
    out.firstEpoch = await ob.noteEpoch('e1');
    out.sameEpoch = await ob.noteEpoch('e1');
    out.newEpoch = await ob.noteEpoch('e2');   // r1 (acked) again; r2 is still pending
    out.requeued = await rows();
    await ob.rotate();
    out.rotated = await rows();
    out.newClient = (await ob.clientId()) !== client;
    out.next = await getMeta('next_mutation_id');
    out.refused = (await ob.rejected()).map(m => [m.client_id === client, m.error.code]);
    out.pending = (await ob.pending()).map(m => m.id);
    return out;
}"""


def test_the_outbox_numbers_acknowledges_requeues_and_rotates(page):
    out = page.evaluate(OUTBOX)
    assert out["ids"] == [1, 2, 3]
    assert out["acked"] == [[1, "submit_result", "acked", "r1"], [2, "move_ticket", "rejected", "t1"],
                            [3, "submit_result", "pending", "r2"]]
    assert (out["firstEpoch"], out["sameEpoch"], out["newEpoch"]) == (0, 0, 1)
    assert out["requeued"][-1] == [4, "submit_result", "pending", "r1"]
    # a new client id: pending ones renumbered from 1 in order, the refusal kept aside
    assert out["rotated"] == [[1, "submit_result", "pending", "r2"],
                              [2, "submit_result", "pending", "r1"]]
    assert out["newClient"] and out["next"] == 3 and out["pending"] == [1, 2]
    assert out["refused"] == [[True, "illegal_move"]]
