"""The app's push is exactly once when answers are lost and the page reloads, and a new
server epoch (a restore) refetches everything without dropping what waits in the outbox."""
from __future__ import annotations

import pytest

from tests.e2e.device.conftest import jpeg_bytes

from .conftest import TICKET, mark_fixed, ticket_moves

pytestmark = pytest.mark.slow


def test_a_lost_push_answer_and_a_reload_store_the_fix_once(live_server, engineer_phone,
                                                            app_store, tmp_path):
    base, (_, page) = live_server, engineer_phone
    pushes = []

    def lose_the_first_answer(route):
        pushes.append(route.request.post_data_json["mutations"])
        if len(pushes) == 1:
            route.fetch()  # the server applies the batch ...
            route.abort("connectionreset")  # ... and the phone never hears back
        else:
            route.continue_()
    page.route("**/api/v1/sync/push", lose_the_first_answer)

    photo = tmp_path / "fixed.jpg"
    photo.write_bytes(jpeg_bytes(5, size=(320, 240)))
    mark_fixed(page, base, photo)
    page.wait_for_function("() => window.fieldsync.scheduler.failures > 0")  # the lost answer
    assert app_store.get("tickets", TICKET).doc["status"] == "fixed"
    assert page.get_attribute("#status-bar", "data-waiting") == "2"  # not acknowledged

    page.reload()  # the outbox lives in IndexedDB: the same ids are sent again
    page.wait_for_function("() => document.querySelector('#status-bar').dataset.waiting === '0'")
    assert [[m["id"] for m in batch] for batch in pushes][:2] == [[1, 2], [1, 2]]
    assert len(ticket_moves(app_store, "fixed")) == 1
    assert len(ticket_moves(app_store, "in_progress")) == 1


def test_a_new_server_epoch_refetches_and_keeps_the_outbox(live_server, engineer_phone,
                                                           app_store, tmp_path):
    base, (context, page) = live_server, engineer_phone
    context.set_offline(True)
    photo = tmp_path / "fixed.jpg"
    photo.write_bytes(jpeg_bytes(6, size=(320, 240)))
    mark_fixed(page, base, photo)
    epoch_before = page.evaluate("window.fieldsync.ctx.db.meta.get('epoch').then(r => r.value)")

    app_store.new_epoch()  # the server was restored from a backup
    context.set_offline(False)
    page.goto(base + "/app/#/status")
    page.click("#sync-now")
    # the whole sync, not just its push: the outbox empties before the pull writes the cursors
    page.wait_for_function("() => document.querySelector('#status-bar').dataset.waiting === '0'"
                           " && (b => b && !b.disabled)(document.querySelector('#sync-now'))")
    meta = page.evaluate("""async () => {
        const db = window.fieldsync.ctx.db;
        return {epoch: (await db.meta.get('epoch')).value,
                cursors_epoch: (await db.meta.get('cursors_epoch')).value,
                tickets: await db.records.where('type').equals('tickets').count()};
    }""")
    assert meta["epoch"] != epoch_before and meta["cursors_epoch"] == meta["epoch"]
    assert meta["tickets"] == 1  # refetched after the reset
    assert app_store.get("tickets", TICKET).doc["status"] == "fixed"
    assert len(ticket_moves(app_store, "fixed")) == 1
