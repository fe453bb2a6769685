"""How the sync and scale benchmarks print a figure: ours, the other side, the ratio, the goal."""
from __future__ import annotations

import time

from anchor import cpu_seconds


def timed_on(pid: int, fn):
    """(wall seconds, server CPU seconds, fn's value) of ``fn()``."""
    cpu, start = cpu_seconds(pid), time.perf_counter()
    value = fn()
    return time.perf_counter() - start, cpu_seconds(pid) - cpu, value


class Report:
    """Rows of ``ours`` against one other figure (``other`` names it); misses collected."""

    def __init__(self):
        self.misses: list[str] = []

    def row(self, label: str, ours: float, peer: float | None, unit: str, *,
            goal: str = "", met: bool | None = None, other: str = "peer",
            mine: str = "ours") -> None:
        ratio = f"{ours / peer:7.2f}x" if peer else "      --"
        peer_text = f"{peer:12.3f}" if peer is not None else f"{'n/a':>12}"
        verdict = ("  [goal met]" if met else "  [goal MISSED]") if met is not None else \
            (f"  [not judged: no {other}]" if goal else "")
        if met is False:
            self.misses.append(label)
        print(f"{label:<44} {mine} {ours:12.3f}  {other} {peer_text}  {unit:<10} "
              f"{mine}/{other} {ratio}{('  goal ' + goal) if goal else ''}{verdict}", flush=True)

    def goal(self, label: str, value: float, unit: str, goal: str, met: bool) -> None:
        """A figure judged on its own (a latency bound, not a ratio)."""
        if not met:
            self.misses.append(label)
        print(f"{label:<44} {value:12.3f} {unit:<10} goal {goal}"
              f"  [goal {'met' if met else 'MISSED'}]", flush=True)
