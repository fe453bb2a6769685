"""``DeviceClient.fill`` with a caller's ``result_id``: a retry records nothing twice."""
from __future__ import annotations

import pytest

from sync.client import InvalidInput

from .conftest import PASS


def test_a_result_known_only_from_the_pull_is_not_queued_again(make_device, transport,
                                                                 app_store):
    phone = make_device("phone", transport)
    phone.pull()
    phone.fill("daily-round", 1, PASS, site_id="A", result_id="round-7")
    phone.sync()
    # a reinstall: a new data dir whose outbox never held round-7, only the pull shows it
    spare = make_device("spare", transport)
    spare.pull()
    again = spare.fill("daily-round", 1, PASS, site_id="A", result_id="round-7")
    assert again.already_recorded and again.mutation_id is None
    assert spare.status()["outbox"] == 0
    with pytest.raises(InvalidInput, match="round-7 was already recorded with other content"):
        spare.fill("daily-round", 1, {"env.clean": {"value": "pass"}}, site_id="A",
                   result_id="round-7")
    assert [r.doc["id"] for r in app_store.scan("results")] == ["round-7"]
