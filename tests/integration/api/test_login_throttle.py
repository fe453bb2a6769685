"""LoginThrottle on its own: the backoff schedule and the memory bound."""
import pytest

from server.services.accounts.throttle import LoginThrottle
from server.services.errors import Throttled


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_backoff_doubles_after_the_free_failures_up_to_the_cap():
    clock = Clock()
    throttle = LoginThrottle(free_failures=3, base_seconds=2, max_seconds=10, clock=clock)
    waits = []
    for _ in range(7):
        throttle.failed("u", "ip")
        waits.append(throttle.retry_after("u", "ip"))
    assert waits == [0, 0, 2, 4, 8, 10, 10]
    with pytest.raises(Throttled) as caught:
        throttle.check("U", "ip")  # usernames compare without case
    assert caught.value.retry_after == 10
    clock.now += 10
    throttle.check("u", "ip")
    throttle.succeeded("u", "ip")
    throttle.failed("u", "ip")
    assert throttle.retry_after("u", "ip") == 0  # a success started the count afresh


def test_idle_records_are_forgotten_and_the_table_is_bounded():
    clock = Clock()
    throttle = LoginThrottle(free_failures=1, forget_after=100, max_entries=3, clock=clock)
    throttle.failed("old", "ip")
    clock.now += 101
    throttle.failed("new", "ip")
    assert ("old", "ip") not in throttle._failures
    assert throttle.retry_after("new", "ip") > 0
    for n in range(10):
        throttle.failed(f"user{n}", "ip")
    assert len(throttle._failures) == 3
    assert throttle.retry_after("user9", "ip") > 0
