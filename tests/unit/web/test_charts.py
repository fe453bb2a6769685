"""The dashboard's trend chart: 20 sites fit, and a chart is drawn again only when its
data changes (drawing one took ~0.6 s of CPU)."""
from __future__ import annotations

import warnings

from server.web.charts import trend_svg

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def series(sites: int, bump: float = 0.0) -> dict:
    return {f"小区 {k:02d}": [(m, 80.0 + k % 7 + n % 3 + bump) for n, m in enumerate(MONTHS)]
            for k in range(sites)}


def draw(data: dict) -> str:
    return trend_svg(data, months=MONTHS, y_label="平均分", font_path=None)


def test_twenty_sites_fit_without_the_layout_giving_up():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "constrained_layout not applied": legend cut off
        assert draw(series(20)).startswith("<svg")


def test_the_same_data_is_the_same_chart_and_a_changed_mean_a_new_one():
    first = draw(series(3))
    assert draw(series(3)) is first
    assert draw(series(3, bump=0.5)) != first
