"""A photo whose check the server put off (decode budget spent) is finished by the device."""
from __future__ import annotations

import pytest

from server.extensions import close_store
from server.media import get_variants
from sync.client import ServerUnreachable
from tests.conftest import make_app

from .conftest import PASS, noisy_jpeg, sha


@pytest.fixture
def app(tmp_path):
    """A server that answers 503 at once while its decode budget is spent."""
    app = make_app(tmp_path / "data", PHOTO_DECODE_WAIT_SECONDS=0)
    yield app
    close_store(app)


def test_the_device_comes_back_for_a_check_the_server_put_off(make_device, transport, app,
                                                                app_store, tmp_path):
    data = noisy_jpeg(seed=5)
    photo = tmp_path / "wall.jpg"
    photo.write_bytes(data)
    device = make_device("phone", transport)
    device.pull()
    result_id = device.fill("daily-round", 1, PASS, photos=[str(photo)], site_id="A").result_id
    device.push()
    with app.app_context():
        budget = get_variants().budget
    with budget.reserve(budget.total_bytes):
        with pytest.raises(ServerUnreachable):
            device.upload_photos()
    # the bytes are stored, but unchecked: the result still waits for its photo
    assert app_store.get("results", result_id).doc["media"] == "pending"
    assert device.status()["photos"] != []
    report = device.upload_photos()
    assert report.completed == [sha(data)] and device.status()["photos"] == []
    assert app_store.get("results", result_id).doc["media"] == "complete"
    assert app_store.get("photos", sha(data)).doc["status"] == "accepted"
