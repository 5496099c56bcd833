"""What the plan works out about a range once per evaluation: a thousand SUMIFS over one column and
category test it once, a thousand lookups share one index, a range handed to formulas is converted
once. Keyed by the identity of the range's rows (kept beside the answer, so the id cannot be reused
meanwhile) and what was worked out; fastcalc.Plan.evaluate forgets everything before and after a run.
"""
from __future__ import annotations

_MEMO: dict[tuple, tuple[list, object]] = {}


def once(rows: list, what, build):
    """build(rows), worked out once per evaluation for these rows and this `what`."""
    key = (id(rows), what)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is rows:
        return hit[1]
    answer = build(rows)
    _MEMO[key] = (rows, answer)
    return answer


def forget() -> None:
    """Drop every answer: an evaluation's ranges are its own."""
    _MEMO.clear()
