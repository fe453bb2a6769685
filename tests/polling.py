"""Waiting for a state the code under test sets, without guessing its timing with sleeps."""
import time


def wait_until(condition, timeout=30.0):
    """Poll ``condition`` until it holds; fail the test if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.005)
