"""Photo decodes share one memory budget: they wait for room, or get 503 + Retry-After."""
import io
import threading

import pytest
from PIL import Image

from server.extensions import STORE_KEY, close_store
from server.media import get_variants
from server.services import definitions
from tests.conftest import AccountMaker, make_app

from .conftest import DEFINITION, Device, photo_state, sha, submit

MIB = 1 << 20


def png_bytes(size, color=(10, 20, 30, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def budget_app(tmp_path):
    """An app with a 32 MiB budget that answers 503 at once when it is spent."""
    app = make_app(tmp_path / "data", PHOTO_DECODE_MEMORY=32 * MIB, PHOTO_DECODE_WAIT_SECONDS=0)
    yield app
    close_store(app)


@pytest.fixture
def budget_guard(budget_app):
    store = budget_app.extensions[STORE_KEY]
    definitions.install(store, DEFINITION, by="test")
    accounts = AccountMaker(store)
    site = accounts.site("A")
    guard = accounts.user("guard", site_ids=[site["id"]])
    device = Device(budget_app.test_client(), accounts.headers(guard))
    device.site_id = site["id"]
    return device


def budget_of(app):
    with app.app_context():
        return get_variants().budget


def test_a_spent_budget_answers_503_and_the_retry_finishes_the_photo(budget_app, budget_guard):
    photo = png_bytes((800, 600))
    budget_guard.push(submit(budget_guard.site_id, "r1", photos=[sha(photo)]))
    budget = budget_of(budget_app)
    with budget.reserve(budget.total_bytes):
        r = budget_guard.upload(photo)
        assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 1
        assert r.json["error"] == "decode_busy"
    client = budget_guard.client
    head = client.head(f"/api/v1/photos/{sha(photo)}", headers=budget_guard.headers)
    assert head.headers["Upload-Offset"] == str(len(photo))  # the bytes are kept
    r = budget_guard.upload(photo)  # the client's retry of the same request
    assert photo_state(r) == "accepted" and r.headers["Upload-Offset"] == str(len(photo))
    [result] = [c["data"] for b in budget_guard.pull().json["buckets"] for c in b["changes"]
                if c["id"] == "r1"]
    assert result["media"] == "complete"
    assert budget.reserved == 0


def test_a_tus_client_resuming_with_head_finishes_a_check_put_off(budget_app, budget_guard):
    """tus clients (tus-js-client) resume with HEAD and stop when the offset equals
    the length: that HEAD must finish the photo's check, not leave it pending."""
    photo = png_bytes((800, 600))
    budget_guard.push(submit(budget_guard.site_id, "r1", photos=[sha(photo)]))
    budget = budget_of(budget_app)
    url = f"/api/v1/photos/{sha(photo)}"
    client, headers = budget_guard.client, {**budget_guard.headers, "Tus-Resumable": "1.0.0"}
    with budget.reserve(budget.total_bytes):
        assert budget_guard.upload(photo).status_code == 503
        busy = client.head(url, headers=headers)             # still no room: come back
        assert busy.status_code == 503 and int(busy.headers["Retry-After"]) >= 1
    head = client.head(url, headers=headers)
    assert head.status_code == 200 and head.headers["Photo-State"] == "accepted"
    assert head.headers["Upload-Offset"] == head.headers["Upload-Length"] == str(len(photo))
    [result] = [c["data"] for b in budget_guard.pull().json["buckets"] for c in b["changes"]
                if c["id"] == "r1"]
    assert result["media"] == "complete"


def test_derived_variants_wait_for_the_same_budget(budget_app, budget_guard):
    photo = png_bytes((640, 480))
    budget_guard.push(submit(budget_guard.site_id, "r1", photos=[sha(photo)]))
    assert photo_state(budget_guard.upload(photo)) == "accepted"
    budget = budget_of(budget_app)
    url = f"/api/v1/photos/{sha(photo)}?variant=stamped"
    with budget.reserve(budget.total_bytes):
        r = budget_guard.client.get(url, headers=budget_guard.headers)
        assert r.status_code == 503 and "Retry-After" in r.headers
    assert budget_guard.client.get(url, headers=budget_guard.headers).status_code == 200


def test_an_image_larger_than_the_whole_budget_is_decoded_alone(budget_app, budget_guard):
    photo = png_bytes((4000, 3000))  # 48 MB of RGBA pixels, over the 32 MiB budget
    r = budget_guard.upload(photo)
    assert photo_state(r) == "accepted"
    budget = budget_of(budget_app)
    assert budget.peak == budget.total_bytes and budget.reserved == 0


def test_uploads_wait_in_turn_and_never_hold_more_than_the_budget(tmp_path):
    app = make_app(tmp_path / "data", PHOTO_DECODE_MEMORY=32 * MIB,
                   PHOTO_DECODE_WAIT_SECONDS=120)
    try:
        accounts = AccountMaker(app.extensions[STORE_KEY])
        guard = accounts.user("guard", site_ids=[accounts.site("A")["id"]])
        budget = budget_of(app)
        photos = [png_bytes((2000, 1500), (n, 0, 0, 255)) for n in range(3)]  # 12 MB each
        answers = {}

        def send(n):
            device = Device(app.test_client(), accounts.headers(guard))
            answers[n] = photo_state(device.upload(photos[n]))

        with budget.reserve(budget.total_bytes):  # hold everything: all three must queue
            threads = [threading.Thread(target=send, args=(n,)) for n in range(3)]
            for thread in threads:
                thread.start()
            assert budget.wait_for_waiters(3)
            assert answers == {}  # none could decode while the budget was spent
        for thread in threads:
            thread.join()
        assert answers == {0: "accepted", 1: "accepted", 2: "accepted"}
        assert budget.peak <= budget.total_bytes and budget.reserved == 0
    finally:
        close_store(app)
