"""The results page's CPU against the same SQL in stdlib sqlite3, without the server around it.

    python bench/page_cpu.py [--results 20000] [--runs 300]

WHY: ``bench/scale.py`` times the page as part of a long run on a 1M store
(~24 min to build); this builds (or reuses) a smaller store with the same
generator (``syncbench.scale_store``) and runs only its page and monthly
comparison (``scale.bench_queries``), for iterating on the query path.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT), str(ROOT / "bench" / "peer")]
sys.path.append(str(ROOT / "bench"))

from scale import OUT, bench_queries  # noqa: E402
from syncbench.report import Report  # noqa: E402
from syncbench.scale_store import build, data_dir  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=300)
    opts = parser.parse_args()
    info = build(OUT, opts.results)
    bench_queries(data_dir(OUT, opts.results), info, opts.runs, Report())


if __name__ == "__main__":
    main()
