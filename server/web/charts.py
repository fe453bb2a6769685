"""Pictures for the dashboard, drawn by matplotlib as SVG on the server.

No pyplot: each chart is its own ``Figure``, drawn under one lock (matplotlib's
font and text caches are not made for waitress's threads), saved as SVG with text turned into paths, so Chinese
site names need the CJK font here and none in the browser or the office.
matplotlib is imported at the first chart, not with the app: every CLI
command builds the app and need not pay for it.
"""
from __future__ import annotations

import io
import os
import threading
from functools import lru_cache
from typing import Mapping, Sequence

FONT_FAMILY = ["WenQuanYi Micro Hei", "DejaVu Sans"]
_drawing = threading.Lock()


@lru_cache(maxsize=4)
def _matplotlib(font_path: str | None):
    """matplotlib on the Agg backend (never a GUI one on a server), with the CJK font
    known to it (Debian: fonts-wqy-microhei); done once."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import font_manager
    if font_path and os.path.exists(font_path):
        font_manager.fontManager.addfont(font_path)
    # Set once for the process (the server is matplotlib's only user), not per chart:
    # rc_context would swap global settings under another thread's chart.
    matplotlib.rcParams.update({"font.family": FONT_FAMILY, "font.size": 11,
                                "svg.fonttype": "path"})
    return matplotlib


#: charts kept, keyed by everything drawn: a new result changes a mean, hence the key
CACHED_CHARTS = 64
#: legend entries per column: more in one column overflow the figure's height
LEGEND_ROWS = 10


def trend_svg(series: Mapping[str, Sequence[tuple[str, float | None]]], *, months: Sequence[str],
              y_label: str, font_path: str | None) -> str:
    """A line per series (a site) over ``months`` (``YYYY-MM``); gaps where a month has
    no score. Returns an ``<svg>`` element to put inline in a page.

    WHY cached: drawing 20 sites' lines took ~0.6 s of CPU, twice the whole
    dashboard's goal (``bench/web.py``), while the figures behind it change
    only when results arrive. The key is the data drawn, so a changed mean
    is a new chart and nothing needs invalidating.
    """
    return _trend_svg(tuple((name, tuple(points)) for name, points in series.items()),
                      tuple(months), y_label, font_path)


@lru_cache(maxsize=CACHED_CHARTS)
def _trend_svg(series: tuple, months: tuple, y_label: str, font_path: str | None) -> str:
    _matplotlib(font_path)
    from matplotlib.figure import Figure
    with _drawing:
        fig = Figure(figsize=(8, 3.2), layout="constrained")
        ax = fig.add_subplot()
        position = {m: n for n, m in enumerate(months)}
        for name, points in series:
            xs = [position[m] for m, v in points if v is not None and m in position]
            ys = [v for m, v in points if v is not None and m in position]
            ax.plot(xs, ys, marker="o", linewidth=2, label=name)
        ax.set_xticks(range(len(months)), [m[2:] for m in months])
        ax.set_xlim(-0.5, max(len(months) - 0.5, 0.5))
        ax.set_ylim(bottom=0)  # a small dip must not look like a collapse
        ax.set_ylabel(y_label)
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if series:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                      ncols=-(-len(series) // LEGEND_ROWS))
        out = io.StringIO()
        fig.savefig(out, format="svg")
    text = out.getvalue()
    return text[text.index("<svg"):]


def heatmap_svg(values: Sequence[Sequence[float | None]], *, rows: Sequence[str],
                columns: Sequence[str], label: str, font_path: str | None) -> str:
    """A grid of percentages (``values[row][column]``, None: nothing to judge) from red (0)
    to green (100), each cell with its number, for a person to spot the bad corners."""
    _matplotlib(font_path)
    from matplotlib.figure import Figure
    import numpy
    grid = numpy.ma.masked_invalid(numpy.array(
        [[numpy.nan if v is None else v for v in row] for row in values], dtype=float))
    with _drawing:
        fig = Figure(figsize=(max(4.0, 0.55 * len(columns) + 2.5),
                              max(1.6, 0.42 * len(rows) + 1.2)), layout="constrained")
        ax = fig.add_subplot()
        image = ax.imshow(grid, cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
        for (r, c), value in numpy.ndenumerate(grid.filled(numpy.nan)):
            if not numpy.isnan(value):
                ax.text(c, r, f"{value:.0f}", ha="center", va="center", fontsize=8)
        ax.set_xticks(range(len(columns)), columns, rotation=45, ha="right")
        ax.set_yticks(range(len(rows)), rows)
        ax.tick_params(length=0)
        ax.spines[:].set_visible(False)
        fig.colorbar(image, ax=ax, label=label, shrink=0.8)
        out = io.StringIO()
        fig.savefig(out, format="svg")
    text = out.getvalue()
    return text[text.index("<svg"):]
