"""Today's snapshot (js/today_snapshot.js): the app opens by painting the last Today drawn
from IndexedDB, inert, then replaces it whole with the live screen; the snapshot is the
logged-in user's own and goes with their session. Synchronised on the DOM (a
MutationObserver records every painted snapshot), never on time."""
from __future__ import annotations

import json

import pytest

from tests.conftest import PASSWORD

from .conftest import TICKET, log_in, phone

pytestmark = pytest.mark.slow

SNAPSHOT, WHO = "fieldsync-today:v1", "fieldsync-who"
# every snapshot screen put on the page, as it was when it appeared
RECORD_PAINTS = """
window.__painted = [];
new MutationObserver((changes) => {
  for (const change of changes) for (const node of change.addedNodes) {
    if (node.nodeType === 1 && node.matches('[data-snapshot]')) {
      window.__painted.push({ text: node.textContent, inert: node.inert,
                              ids: node.querySelectorAll('[id]').length,
                              who: localStorage.getItem('fieldsync-who') });
    }
  }
}).observe(document, { childList: true, subtree: true });
"""
LIVE_TICKET = f"#today-tickets a[data-id='{TICKET}']"  # the snapshot has no ids


def stored(page, key):
    return page.evaluate("(key) => localStorage.getItem(key)", key)


def wait_for_snapshot(page, containing: str) -> dict:
    page.wait_for_function("([key, text]) => (localStorage.getItem(key) || '').includes(text)",
                           arg=[SNAPSHOT, containing])
    return json.loads(stored(page, SNAPSHOT))


def me(page) -> dict:
    return page.evaluate("""async () => {
        const { getMeta } = await import('/app/static/js/db.js');
        return getMeta('me');
    }""")


@pytest.fixture
def context(chromium):
    context = phone(chromium)
    context.add_init_script(RECORD_PAINTS)
    yield context
    context.close()


def test_today_opens_from_its_snapshot_then_the_live_screen_replaces_it(live_server, context,
                                                                        work):
    page = context.new_page()
    log_in(page, live_server, "engineer-a", PASSWORD)
    snap = wait_for_snapshot(page, TICKET)
    user = me(page)
    assert snap["who"] == f"{user['user_id']} {user['device_id']}" == stored(page, WHO)
    # something the database no longer holds: the live screen must drop it, not merge
    snap["screen"].append(["p", {"class": "stale"}, "STALE-CARD"])
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [SNAPSHOT, json.dumps(snap)])

    context.set_offline(True)
    page.reload()
    page.wait_for_selector(LIVE_TICKET)
    painted = page.evaluate("window.__painted")
    assert len(painted) == 1, painted
    assert "STALE-CARD" in painted[0]["text"] and "厨房漏水" in painted[0]["text"]
    assert painted[0]["inert"] is True and painted[0]["ids"] == 0
    assert painted[0]["who"] == snap["who"]
    # replaced whole: one screen, live, without what only the snapshot had
    assert page.locator("#view > .screen").count() == 1
    assert page.locator("#view [data-snapshot]").count() == 0
    assert "STALE-CARD" not in page.inner_text("#view")
    assert page.evaluate("document.querySelector('#view > .screen').inert") is False
    # the live screen saved the next start's snapshot (without the stale card)
    again = wait_for_snapshot(page, TICKET)
    assert "STALE-CARD" not in json.dumps(again)


def test_the_snapshot_goes_at_logout_and_another_user_never_sees_it(live_server, context,
                                                                     work):
    page = context.new_page()
    log_in(page, live_server, "engineer-a", PASSWORD)
    wait_for_snapshot(page, TICKET)
    page.goto(live_server + "/app/#/status")
    page.click("#logout")
    page.wait_for_selector("#login")
    assert stored(page, SNAPSHOT) is None and stored(page, WHO) is None
    page.reload()  # logged out: nothing is painted before the login screen
    page.wait_for_selector("#login")
    assert page.evaluate("window.__painted") == []

    log_in(page, live_server, "guard-a", PASSWORD)
    guard = me(page)
    snap = wait_for_snapshot(page, f"{guard['user_id']} {guard['device_id']}")  # the guard's own
    assert snap["who"] == f"{guard['user_id']} {guard['device_id']}"
    assert TICKET not in json.dumps(snap)
    page.reload()
    page.wait_for_selector("#today-start")
    painted = page.evaluate("window.__painted")
    assert [p["who"] for p in painted] == [snap["who"]]
    assert all("厨房漏水" not in p["text"] for p in painted)


def test_a_snapshot_of_someone_else_is_taken_down_when_the_database_opens(live_server, context,
                                                                          work):
    """Only a write that bypassed the app could leave one; the shell checks at every start."""
    page = context.new_page()
    log_in(page, live_server, "engineer-a", PASSWORD)
    snap = wait_for_snapshot(page, TICKET)
    other = "someone-else their-device"
    snap["who"] = other
    page.evaluate("([snap, who, text]) => { localStorage.setItem(snap, text); "
                  "localStorage.setItem(who, 'someone-else their-device'); }",
                  [SNAPSHOT, WHO, json.dumps(snap)])
    page.reload()
    page.wait_for_selector(LIVE_TICKET)
    # painted (localStorage alone cannot tell), gone as soon as the database said who it is
    assert [p["who"] for p in page.evaluate("window.__painted")] == [other]
    assert page.locator("#view [data-snapshot]").count() == 0
    user = me(page)
    assert stored(page, WHO) == f"{user['user_id']} {user['device_id']}"
    assert wait_for_snapshot(page, TICKET)["who"] == stored(page, WHO)


SNAPSHOT_AFTER = """async (write) => {
    const { db, setMeta } = await import('/app/static/js/db.js');
    localStorage.setItem('fieldsync-today:v1', '{"who": "u d"}');
    localStorage.setItem('fieldsync-who', 'u d');
    const writes = {
        last_sync: () => setMeta({ last_sync: new Date().toISOString() }),
        record_put: () => db.records.put({ bucket: 'site:x', type: 'tickets', id: 't', v: 1, doc: {} }),
        epoch: () => setMeta({ epoch: 'another-epoch' }),
        lang: () => setMeta({ lang: 'en' }),
        record_delete: () => db.records.where('bucket').equals('site:x').delete(),
        logout: () => setMeta({ token: null }),
        me: () => db.meta.put({ key: 'me', value: { user_id: 'v' } }),
        clear_meta: () => db.meta.clear(),
        draft_put: () => db.drafts.put({ id: 'd1', kind: 'inspect', updated_at: 'now' }),
        draft_delete: () => db.drafts.delete('d1'),
    };
    await writes[write]();
    return [localStorage.getItem('fieldsync-today:v1') !== null, localStorage.getItem('fieldsync-who')];
}"""


def test_writes_that_end_what_the_snapshot_shows_clear_it(live_server, context):
    page = context.new_page()
    page.goto(live_server + "/app/")
    page.wait_for_selector("#login")
    after = {write: page.evaluate(SNAPSHOT_AFTER, write) for write in (
        "last_sync", "record_put", "draft_put", "epoch", "lang", "record_delete", "draft_delete",
        "logout", "me", "clear_meta")}
    assert after == {
        "last_sync": [True, "u d"], "record_put": [True, "u d"],  # ordinary writes keep it
        "draft_put": [True, "u d"],
        # a draft discarded or submitted must not be painted on Today's next start
        "draft_delete": [False, "u d"],
        "epoch": [False, "u d"], "lang": [False, "u d"], "record_delete": [False, "u d"],
        "logout": [False, None], "me": [False, None], "clear_meta": [False, None]}
