"""Many users at once (issue 13, item 7): time to a plan and the server's memory while N people
plan at the same time on one server, each checked to see only their own plan.

    .venv/bin/python benchmarks/load.py --sessions 20    # ~1.5-3 min on 2 cores
    .venv/bin/python benchmarks/load.py --sessions 40

One Streamlit server (`benchmarks/server.py`), one headless Chromium. One person plans alone
first and stays connected (the baseline); then N more open the page at once and type their
own inputs, each in a tab of its own (`benchmarks/sessions.py`, people in
`benchmarks/people.py`). Printed, for BENCHMARKS.md:

- time to a plan: from the last input (the plan date going in, when its picker closes) to the
  page showing the summary and the caption that names that date, timed in each browser
  (polled every 50 ms); p50 and p95 by nearest rank over the N, and the baseline's alone;
- server memory (VmRSS): idle, with the baseline open, with 1 + N open; per extra session
  (RSS[1+N] - RSS[1]) / N;
- the server's CPU time while the N planned, and the browsers' (same two cores).

Exits 1 if any page is not its own person's plan or the server logged an error. Screenshots
of a few pages go to test-output/ (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.sessions import LoadResult

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of values at or below
    (NaN for no values: no page showed its plan)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)), 1) - 1] if ordered else math.nan


def report(result: LoadResult, server_errors: list[str]) -> tuple[str, bool]:
    """The figures as text, and whether every session was isolated and the log clean."""
    n = len(result.sessions)
    times = [s.seconds_to_plan for s in result.sessions if s.seconds_to_plan is not None]
    rss = {k: v / 1024 for k, v in result.rss_kib.items()}
    per_session = (rss["all"] - rss["one"]) / n
    bad = [s for s in result.everyone if s.problems]
    assert result.baseline is not None, "main() always plans one person alone first"
    alone = result.baseline.seconds_to_plan or float("nan")
    slowest = max(result.sessions, key=lambda s: s.slowest_step()[1])
    step, took = slowest.slowest_step()
    lines = [
        f"sessions at once: {n} (+1 baseline, open throughout)",
        f"time to a plan: p50 {percentile(times, 50):.2f} s, p95 {percentile(times, 95):.2f} s, "
        f"max {max(times, default=math.nan):.2f} s (n={len(times)}); baseline alone "
        f"{alone:.2f} s",
        f"server RSS: idle {rss['idle']:.0f} MiB, 1 session {rss['one']:.0f} MiB, "
        f"{1 + n} sessions {rss['all']:.0f} MiB (peak {rss['peak']:.0f}): {per_session:.2f} "
        "MiB per extra session",
        f"CPU while the {n} planned ({result.wall_seconds:.0f} s): server "
        f"{result.cpu_seconds:.1f} s ({result.cpu_seconds / n:.2f} s a session), browsers "
        f"{result.browser_cpu_seconds:.0f} s",
        f"slowest step: {step!r} of {slowest.person.place}, {took:.1f} s; websockets "
        f"reconnected: {sum(s.sockets - 1 for s in result.everyone)}",
        f"isolation: {len(result.everyone) - len(bad)} of {len(result.everyone)} pages show "
        f"only their own plan; server log errors: {len(server_errors)}",
    ]
    for s in bad:
        lines.append(f"  {s.person.place}: " + "; ".join(s.problems))
        lines.append(f"    sent: {s.sent}")
    lines += [f"  log: {line}" for line in server_errors]
    if result.screenshots:
        lines.append("screenshots: " + ", ".join(str(p) for p in result.screenshots))
    return "\n".join(lines), not bad and not server_errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="people at once (1-40)")
    parser.add_argument("--shots", type=Path, default=ROOT / "test-output", help="PNG dir")
    parser.add_argument(
        "--step-timeout", type=float, default=120, help="seconds one step of one session may take"
    )
    args = parser.parse_args(argv)
    # The expected plans are worked out here too: offline, never the user's caches.
    os.environ.setdefault("DEPARTURE_PLANNER_FEED_BASE", "http://127.0.0.1:9")
    precomputed = tempfile.TemporaryDirectory(prefix="dp-load-precomputed-")
    os.environ.setdefault("DEPARTURE_PLANNER_PRECOMPUTED", precomputed.name)
    sys.path.insert(0, str(ROOT))
    from benchmarks import sessions
    from benchmarks.people import BASELINE, PEOPLE
    from benchmarks.run import machine
    from benchmarks.server import Server
    from benchmarks.sessions import run_load

    if not 1 <= args.sessions <= len(PEOPLE):
        parser.error(f"--sessions must be 1 to {len(PEOPLE)}")
    sessions.STEP_MS = int(args.step_timeout * 1000)
    print(f"# {machine()}", flush=True)
    start = time.perf_counter()
    with Server() as server:
        people = list(PEOPLE[: args.sessions])
        result = asyncio.run(run_load(server, people, BASELINE, args.shots))
        errors = server.errors()
    text, ok = report(result, errors)
    print(text)
    print(f"[took {time.perf_counter() - start:.0f} s]")
    precomputed.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
