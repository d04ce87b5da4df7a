"""benchmarks/run.py still works: its quick mode runs every section once and prints the table.

Timings are the benchmark's business, not CI's (shared machines are noisy): no assertion here
looks at a number.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    "1. First page",
    "2a. Interaction",
    "2b. Interaction",
    "3. CLI plan",
    "4. PDF",
    "5. Scale",
    "6. Network down (refused)",
    "6. Network down (silent)",
    "7. Memory",
    "8. What changed",
    "8b. What changed",
]


def test_quick_benchmark_prints_its_table(tmp_path):
    report = tmp_path / "BENCHMARKS.md"
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--output", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| measurement | result | target | met | detail |" in done.stdout
    table = done.stdout.split("| measurement |", 1)[1]
    assert [s for s in SECTIONS if f"| {s}" not in table] == []
    assert "<!-- bench:start -->" in report.read_text(encoding="utf-8")
