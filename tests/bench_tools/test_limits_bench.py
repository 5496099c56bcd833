"""bench/limits_bench.py's summary of repeated runs: the median run, not the luckiest one."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from limits_bench import median_run  # noqa: E402


def _run(seconds: float, peak: float) -> dict:
    return {"seconds": seconds, "cpu_seconds": seconds, "peak_mb": peak}


def test_the_median_run_is_shown_with_the_spread():
    shown = median_run([_run(3.0, 30), _run(1.0, 10), _run(2.0, 20)])
    assert (shown["seconds"], shown["peak_mb"]) == (2.0, 20)  # the run in the middle, whole
    assert (shown["fastest"], shown["slowest"], shown["runs"]) == (1.0, 3.0, 3)


def test_of_two_runs_the_slower_is_shown():
    assert median_run([_run(1.0, 10), _run(4.0, 40)])["seconds"] == 4.0


def test_a_failed_run_is_shown_as_it_failed():
    failed = {"failed": "ran over 60 s", "files": 1}
    assert median_run([_run(1.0, 10), failed]) == failed
