"""range_memo: answers kept per evaluation, and per thread (one thread's forget leaves another's)."""
from __future__ import annotations

import threading

from roi_xl.engine import range_memo


def test_once_builds_once_per_rows_and_what():
    calls: list[str] = []
    rows = [[1], [2]]

    def build(r):
        calls.append("built")
        return sum(x[0] for x in r)

    range_memo.forget()
    assert range_memo.once(rows, "sum", build) == 3
    assert range_memo.once(rows, "sum", build) == 3
    assert calls == ["built"]
    other = [[1], [2]]  # equal but not the same rows: worked out again
    assert range_memo.once(other, "sum", build) == 3
    assert calls == ["built", "built"]
    range_memo.forget()
    assert range_memo.once(rows, "sum", build) == 3
    assert len(calls) == 3


def test_forget_in_one_thread_keeps_another_threads_answers():
    rows = [[5]]
    built: list[str] = []
    first_done, other_forgot = threading.Event(), threading.Event()
    seen: list[int] = []

    def evaluation():
        range_memo.once(rows, "x", lambda r: built.append("a") or 1)
        first_done.set()
        other_forgot.wait(5)
        # after the other thread's forget, this evaluation still has its answer
        seen.append(range_memo.once(rows, "x", lambda r: built.append("again") or 2))

    def other():
        first_done.wait(5)
        range_memo.forget()
        other_forgot.set()

    threads = [threading.Thread(target=evaluation), threading.Thread(target=other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [1]
    assert built == ["a"]
