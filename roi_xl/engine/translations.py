"""What fastcalc.Plan works out from a formula's text alone, kept for the process's next plans.

A batch worker recalculates many workbooks, and workbooks from one generator or template family
share most of their formulas' shapes even when their formula keys differ (one more row, another
constant in a formula). Their layouts (where a shape's parameters stand in its text), their
translations into Python and the compiled functions do not depend on the workbook once keyed by
everything the translation reads (fastcalc.Plan._translation_key), so each is made once per process.
Nothing kept here holds a workbook's slots, sheets or cells: a plan maps them to its own.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A dict bounded to `size` entries, the least recently used dropped first."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> V:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def clear(self) -> None:
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
