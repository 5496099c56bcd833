"""The memory one worker process may use: a budget enforced by the kernel, failing cleanly.

A workbook that needs more memory than the machine has (an array formula over a whole sheet,
a text doubled down a column) would otherwise grow a worker until the system kills it, or
something else on the machine. Each worker process sets its own limit with setrlimit: past it, an
allocation fails with MemoryError, which the engine reports as a plain one-line failure of that
workbook (roi_xl.errors.OutOfMemory) while the batch goes on.

RLIMIT_DATA (Linux 4.7 and later) counts the private writable memory a process maps: its heap
and numpy's arrays, not shared libraries or the address space reserved for threads, so the
budget is the memory a workbook really takes. Elsewhere RLIMIT_AS, the whole address space.
"""
from __future__ import annotations

import os
import sys

MIN_BUDGET = 1 << 30   # below a gigabyte the engine's own start-up would not fit


def default_budget(jobs: int) -> int:
    """Three quarters of the machine's memory shared among `jobs` workers (at least 1 GB each)."""
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4 << 30
    return max(MIN_BUDGET, physical * 3 // 4 // max(1, jobs))


def _kind():
    import resource

    return resource.RLIMIT_DATA if sys.platform.startswith("linux") else resource.RLIMIT_AS


def this_process_budget() -> int | None:
    """The memory cap limit_this_process set (bytes), or None where there is none."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    soft, _hard = resource.getrlimit(_kind())
    return None if soft == resource.RLIM_INFINITY else soft


def limit_this_process(budget: int) -> bool:
    """Cap this process's memory at `budget` bytes (never above a hard limit already set);
    False where the platform has no such limit."""
    try:
        import resource
    except ImportError:  # Windows
        return False
    kind = _kind()
    _soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        budget = min(budget, hard)
    try:
        resource.setrlimit(kind, (budget, hard))
    except (ValueError, OSError):
        return False
    return True


def size_text(n: float) -> str:
    """1.5 GB, 512 MB: a budget as a person reads it."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n} bytes"
