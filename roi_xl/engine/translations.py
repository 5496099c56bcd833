"""What fastcalc.Plan works out from a formula's text alone, kept for the process's next plans.

A batch worker recalculates many workbooks, and workbooks from one generator or template family
share most of their formulas' shapes even when their formula keys differ (one more row, another
constant in a formula). Their layouts (where a shape's parameters stand in its text), their
translations into Python and the compiled functions do not depend on the workbook once keyed by
everything the translation reads (fastcalc.Plan._translation_key), so each is made once per process.
Nothing kept here holds a workbook's slots, sheets or cells: a plan maps them to its own.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Generic, TypeVar

from ..references import column_letters

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A dict bounded to `size` entries, the least recently used dropped first. Locked: Dask runs
    workbooks in threads of one process, whose plans share it."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> V:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class Translation:
    """One shape's translation: the body of its Python function (`code`, over parameters p<token
    index> for the token indexes `positions`), whether it calls a function (then guarded), the
    constants its code names, and the function compiled from it with those constants."""

    __slots__ = ("code", "positions", "calls", "consts", "function")

    def __init__(self, code: str, positions: list[int], calls: bool, consts: dict[str, object], function):
        self.code, self.positions, self.calls = code, positions, calls
        self.consts, self.function = consts, function


class Blocks:
    """Ranges' coordinates row by row (("A2", "B2"), ("A3", "B3")...), as a plan reads a range of
    constants, kept for the process's next plans: workbooks of one family read the same lookup
    tables, 500 rows that cost a plan 2 ms to spell out. Rows are shared between overlapping
    ranges; all are dropped once `cells` coordinates are kept (a bound on the memory they hold)."""

    def __init__(self, cells: int):
        self.cells = cells
        self._blocks: dict[tuple[int, int, int, int], tuple[tuple[str, ...], ...]] = {}
        self._rows: dict[tuple[int, int, int], tuple[str, ...]] = {}
        self._strings: dict[str, str] = {}  # one string for each coordinate kept
        self._letters: dict[tuple[int, int], tuple[str, ...]] = {}  # columns' letters, first to last
        self._count = 0

    def of(self, r1: int, c1: int, r2: int, c2: int) -> tuple[tuple[str, ...], ...]:
        key = (r1, c1, r2, c2)
        found = self._blocks.get(key)
        if found is not None:
            return found
        size = (r2 - r1 + 1) * (c2 - c1 + 1)
        self._room(size)
        rows = self._rows
        made = []
        for r in range(r1, r2 + 1):
            row = rows.get((r, c1, c2))
            made.append(self._new_row(r, c1, c2) if row is None else row)
        self._count += size
        found = self._blocks[key] = tuple(made)
        return found

    def row(self, r: int, c1: int, c2: int) -> tuple[str, ...]:
        """One row's coordinates: a range one row high (most of a sheet's ranges, where each row
        reads its own), without a block of one row of its own."""
        found = self._rows.get((r, c1, c2))
        if found is None:
            self._room(c2 - c1 + 1)
            found = self._new_row(r, c1, c2)
            self._count += c2 - c1 + 1
        return found

    def _room(self, size: int) -> None:
        """Everything dropped when `size` more coordinates would pass the bound."""
        if self._count + size > self.cells:
            self._blocks.clear()
            self._rows.clear()
            self._strings.clear()
            self._letters.clear()
            self._count = 0

    def _new_row(self, r: int, c1: int, c2: int) -> tuple[str, ...]:
        letters = self._letters.get((c1, c2))
        if letters is None:
            letters = self._letters[(c1, c2)] = tuple([column_letters(c) for c in range(c1, c2 + 1)])
        number = str(r)
        keys = [letter + number for letter in letters]
        row = self._rows[(r, c1, c2)] = tuple(map(self._strings.setdefault, keys, keys))
        return row

    def shared_all(self, coords: Iterable[str]) -> tuple[str, ...]:
        """The kept string equal to each coordinate if a block holds one (an input cell's
        coordinate then costs the program no second string), else the coordinate."""
        coords = list(coords)
        return tuple(map(self._strings.get, coords, coords))
