"""The schema window and the pull reset rules, without a server."""
import pytest

from sync import protocol
from sync.client.pusher import SCHEMA_VERSION
from sync.errors import UpgradeRequired
from sync.pull import needs_reset


def test_the_shipped_client_is_inside_the_window():
    assert protocol.SCHEMA_MIN <= SCHEMA_VERSION <= protocol.SCHEMA_MAX


def test_an_app_below_the_window_must_upgrade(monkeypatch):
    protocol.check_pull_schema(protocol.SCHEMA_MIN)
    monkeypatch.setattr(protocol, "SCHEMA_MIN", 5)
    with pytest.raises(UpgradeRequired) as raised:
        protocol.check_pull_schema(4)
    assert raised.value.status == 426
    assert raised.value.to_dict() == {"error": "upgrade_required", "min": 5,
                                      "message": str(raised.value)}
    assert "upgrade the app" in str(raised.value)


@pytest.mark.parametrize("cursor, other_epoch, expected", [
    (0, True, False),     # nothing held: a plain first fetch, never a reset
    (5, True, True),      # seqs of another history
    (5, False, False),
    (11, False, True),    # beyond high_water (10)
    (3, False, True),     # at the horizon (3): purged deletes may be missing
    (4, False, False),
])
def test_reset_rules(cursor, other_epoch, expected):
    assert needs_reset(cursor, 10, 3, other_epoch=other_epoch) is expected
