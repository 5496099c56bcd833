"""What the plan works out about a range once per evaluation: a thousand SUMIFS over one column and
category test it once, a thousand lookups share one index, a range handed to formulas is converted
once. Keyed by the identity of the range's rows (kept beside the answer, so the id cannot be reused
meanwhile) and what was worked out; fastcalc.Plan.evaluate forgets everything before and after a run.
Each thread has its own memo: Dask's threads (or an API caller's) evaluate workbooks side by side, and
one evaluation's `forget` must not drop another's answers halfway through its run.
"""
from __future__ import annotations

import threading


class _Memo(threading.local):
    def __init__(self) -> None:
        self.answers: dict[tuple, tuple[list, object]] = {}


_LOCAL = _Memo()


def once(rows: list, what, build):
    """build(rows), worked out once per evaluation for these rows and this `what`."""
    memo = _LOCAL.answers
    key = (id(rows), what)
    hit = memo.get(key)
    if hit is not None and hit[0] is rows:
        return hit[1]
    answer = build(rows)
    memo[key] = (rows, answer)
    return answer


def forget() -> None:
    """Drop every answer of this thread: an evaluation's ranges are its own."""
    _LOCAL.answers.clear()
