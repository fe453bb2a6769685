"""The decode budget: room in arrival order, never more than the total, busy after the wait."""
from __future__ import annotations

import threading

import pytest
from PIL import ImageChops

from server.photos import DecodeBudget, DecodeBusy
from server.photos.shrink import fit

from .samples import noisy_picture


def test_reservations_never_exceed_the_total_and_are_granted_in_arrival_order():
    budget = DecodeBudget(100, wait_seconds=60)
    order: list[str] = []
    release = {name: threading.Event() for name in ("big", "small")}

    def hold(name: str, nbytes: int) -> None:
        with budget.reserve(nbytes):
            order.append(name)
            release[name].wait()

    with budget.reserve(60):
        big = threading.Thread(target=hold, args=("big", 80))
        big.start()
        assert budget.wait_for_waiters(1)
        small = threading.Thread(target=hold, args=("small", 30))  # would fit now,
        small.start()                                              # but arrived later
        assert budget.wait_for_waiters(2)
        assert order == []
    release["big"].set()  # first in line: it gets in first, whatever small needs
    big.join()
    release["small"].set()
    small.join()
    assert order == ["big", "small"]
    assert budget.peak <= budget.total_bytes and budget.reserved == 0


def test_more_than_the_whole_budget_waits_for_an_empty_budget_and_takes_it_all():
    budget = DecodeBudget(100, wait_seconds=0)
    with budget.reserve(10):
        with pytest.raises(DecodeBusy):
            with budget.reserve(10_000):
                pass
    with budget.reserve(10_000) as granted:
        assert granted == 100 and budget.reserved == 100
    assert budget.reserved == 0


def test_a_spent_budget_says_when_to_come_back_and_holds_nothing():
    budget = DecodeBudget(100, wait_seconds=0)
    with budget.reserve(100):
        with pytest.raises(DecodeBusy) as caught:
            with budget.reserve(1):
                pass
    assert caught.value.retry_after >= 1 and budget.reserved == 0


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P", "I;16"])
@pytest.mark.parametrize("size", [(3000, 1000), (700, 2900), (300, 200)])
def test_fit_matches_pillows_thumbnail_without_its_full_size_copies(mode, size):
    picture = noisy_picture(*size)
    picture = picture.convert(mode) if mode != "I;16" else picture.convert("I").point(
        lambda v: v * 256).convert("I;16")
    ours = fit(picture, 512)
    assert max(ours.size) == min(512, max(size))
    reference = picture.convert("RGBA" if mode == "RGBA" else "RGB")
    if mode == "I;16":
        reference = picture.convert("I").point(lambda v: v / 256).convert("L")
    reference.thumbnail((512, 512))
    assert ours.size == reference.size
    diff = ImageChops.difference(ours.convert("RGB"), reference.convert("RGB"))
    assert max(high for _, high in diff.getextrema()) <= 1  # the same picture
