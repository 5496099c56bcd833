"""Iterative calculation: circular references computed as Excel computes them when a workbook
enables it (File > Options > Formulas > Enable iterative calculation, saved in workbook.xml as
`<calcPr iterate="1" iterateCount="N" iterateDelta="D"/>`).

Excel's rule (Microsoft KB 214344, "Iteration and maximum change in Excel"): it repeats the
calculation of the circular cells until it has done Maximum Iterations passes or until no cell
changed by as much as Maximum Change between two passes, whichever comes first; defaults 100 and
0.001 (ECMA-376 Part 1, 18.2.2 calcPr: iterateCount 100, iterateDelta 0.001). Each pass starts from
the cells' current values (the values the file holds: a cell without one is 0) and computes the
cells in order, each pass using the values the cells before it got in that same pass: A1 = 1+A2,
A2 = 1+A1 from blanks with 10 iterations ends with A1 19 and A2 20.

Without iterate="1" a circular reference stays what it was: the workbook is refused
(errors.CircularReferenceError).
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Iteration:
    count: int = 100         # at most this many passes
    delta: float = 0.001     # stop once no value changes by this much


def settings(iterate, count=None, delta=None) -> Iteration | None:
    """The workbook's iteration settings from calcPr's attributes (text, as in the XML, or as
    openpyxl reads them); None when iteration is off."""
    if str(iterate).strip().lower() not in ("1", "true"):
        return None
    default = Iteration()
    try:
        n = int(float(count)) if count not in (None, "") else default.count
    except (TypeError, ValueError):
        n = default.count
    try:
        d = float(delta) if delta not in (None, "") else default.delta
    except (TypeError, ValueError):
        d = default.delta
    # Excel's dialog takes 1 to 32,767 passes; a hostile file may say anything.
    return Iteration(min(max(n, 1), 32_767), d if math.isfinite(d) and d >= 0 else default.delta)


def start(value):
    """A circular cell's value before the first pass: the one the file holds, 0 without one."""
    return 0.0 if value is None else value


def settled(before: tuple, after: tuple, delta: float) -> bool:
    """Whether no value changed by `delta` or more in the last pass (a value that is not a number
    has settled only when it is the same as before)."""
    for old, new in zip(before, after):
        if type(old) in (int, float) and type(new) in (int, float):
            if not abs(new - old) < delta:
                return False
        elif old != new or type(old) is not type(new):
            return False
    return True


def components(nodes, deps_of) -> list[list]:
    """The strongly connected groups of a dependency graph (Tarjan's algorithm, without recursion),
    each after every group it depends on: the order to compute them in."""
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    out: list[list] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(deps_of(root)))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(deps_of(child))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    out.append(group)
    return out
