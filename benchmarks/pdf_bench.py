"""Time render_pdf on the stress plan (60 routes, 120 checklist items); prints the median.

Run from the repository root: .venv/bin/python benchmarks/pdf_bench.py [runs]
The target is under 0.5 s per full plan. The first run also loads the fonts and is reported
separately.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from plans import stress_plan  # noqa: E402

from planner.export.pdf import render_pdf  # noqa: E402


def main(runs: int = 9) -> None:
    plan = stress_plan()
    start = time.perf_counter()
    pdf = render_pdf(plan)
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render_pdf(plan)
        times.append(time.perf_counter() - start)
    print(
        f"stress plan: {len(plan.routes)} routes, {len(plan.checklist)} items, {len(pdf):,} bytes"
    )
    print(f"first run (loads fonts): {first:.3f} s")
    print(f"median of {runs} runs: {statistics.median(times):.3f} s (min {min(times):.3f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
