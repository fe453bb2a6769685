"""Monthly complaint statistics (seed 001 第一篇 3: 每月的投訴統計、分析、匯報).

Over the complaints received in the month: counts by category, the valid
rate (valid among classified), the on-time rate (resolved by the deadline
among valid ones resolved) and satisfaction from each complaint's latest
callback (mean of 1-5, and the share at 4 or 5). Rates are None when there
is nothing to divide by, never a made-up 0 or 100 %.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Iterable

from .model import CATEGORIES


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def monthly_stats(complaints: Iterable[dict], month: str) -> dict:
    docs = list(complaints)
    by_category = Counter(d["category"] for d in docs)
    valid = [d for d in docs if d["validity"] == "valid"]
    classified = sum(1 for d in docs if d["validity"] is not None)
    resolved = [d for d in valid if d["on_time"] is not None]
    latest = [d["callbacks"][-1]["satisfaction"] for d in docs if d["callbacks"]]
    return {
        "month": month, "total": len(docs),
        "by_category": {c: by_category.get(c, 0) for c in CATEGORIES},
        "valid": len(valid), "invalid": classified - len(valid),
        "valid_rate": _rate(len(valid), classified),
        "resolved": len(resolved), "on_time": sum(1 for d in resolved if d["on_time"]),
        "on_time_rate": _rate(sum(1 for d in resolved if d["on_time"]), len(resolved)),
        "called_back": len(latest),
        "satisfaction_mean": None if not latest else round(sum(latest) / len(latest), 2),
        "satisfied_rate": _rate(sum(1 for s in latest if s >= 4), len(latest)),
    }


def stats_csv(stats: dict) -> bytes:
    """The statistics as ``metric,value`` rows, UTF-8 with a BOM so Excel reads 中文 right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["metric", "value"])
    for key, value in stats.items():
        if key == "by_category":
            for category, count in value.items():
                writer.writerow([f"category.{category}", count])
        else:
            writer.writerow([key, "" if value is None else value])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
