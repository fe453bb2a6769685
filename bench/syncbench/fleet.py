"""Many devices at once: each pushes a batch, then pulls its site, round after round.

This is a team's morning: phones coming back into coverage together, each
sending its outbox and then fetching what the others sent. Every device is
a thread with its own keep-alive ``http.client`` connection (the client
side releases the GIL while it waits on the socket); the batches are built
before the clock starts, so the figures are the server's.
"""
from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass

from anchor import cpu_seconds

from .ours import PUSH_BATCH, result_args


@dataclass
class FleetRun:
    devices: int
    results: int
    wall: float
    server_cpu: float
    push_seconds: list[float]
    pulled: int
    client_cpu: float = 0.0  # the bench process's own CPU: the devices share the 2 cores

    @property
    def rate(self) -> float:
        return self.results / self.wall

    def push_p(self, q: int) -> float:
        """The ``q``-th percentile push latency in ms (nearest rank)."""
        ordered = sorted(self.push_seconds)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))] * 1000


def run_fleet(server, devices: list, rounds: int, size: int = 1024) -> FleetRun:
    """``devices``: ``(device, site code)`` pairs; each pushes ``rounds`` batches."""
    work = [[[result_args(server.sites[code], size) for _ in range(PUSH_BATCH)]
             for _ in range(rounds)] for _, code in devices]
    latencies: list[list[float]] = [[] for _ in devices]
    pulled = [0] * len(devices)
    errors: list[BaseException] = []
    start = threading.Barrier(len(devices) + 1)

    def one(n: int) -> None:
        device = devices[n][0]
        start.wait()
        try:
            for batch in work[n]:
                began = time.perf_counter()
                device.push(batch)
                latencies[n].append(time.perf_counter() - began)
                pulled[n] += device.pull_all()
        except BaseException as exc:  # reported after the join, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(len(devices))]
    for thread in threads:
        thread.start()
    cpu0, client0 = cpu_seconds(server.pid), time.process_time()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    cpu, client = cpu_seconds(server.pid) - cpu0, time.process_time() - client0
    if errors:
        raise RuntimeError(f"{len(errors)} device(s) failed: {errors[0]!r}") from errors[0]
    return FleetRun(len(devices), len(devices) * rounds * PUSH_BATCH, wall, cpu,
                    [s for per in latencies for s in per], sum(pulled), client)


def merged(runs: list[FleetRun]) -> FleetRun:
    """Several turns of one side as one run: totals, and all push latencies."""
    return FleetRun(runs[0].devices, sum(r.results for r in runs), sum(r.wall for r in runs),
                    sum(r.server_cpu for r in runs),
                    [s for r in runs for s in r.push_seconds], sum(r.pulled for r in runs),
                    sum(r.client_cpu for r in runs))


def describe(label: str, run: FleetRun) -> str:
    return (f"{label:<28} {run.devices:>2} devices: {run.rate:8.1f} results/s  "
            f"push p50 {statistics.median(run.push_seconds) * 1000:6.1f} ms "
            f"p95 {run.push_p(95):6.1f} ms  server CPU {run.server_cpu:6.2f} s "
            f"({run.server_cpu / run.results * 1000:.2f} ms/result)  pulled {run.pulled}  "
            f"devices' CPU {run.client_cpu:.2f} s")
