"""XLOOKUP as Excel does it (formulas' version returned 0 for an omitted if_not_found, searched
binary modes linearly and took lookup and return arrays of different sizes).

Rules, from Microsoft's XLOOKUP page and the values Excel cached in the ironcalc conformance workbook
LOOKUP_AND_REFERENCE/XLOOKUP.xlsx:
- lookup_array is one row or one column; return_array has as many rows (columns) as it, else #VALUE!.
- match_mode 0 exact, -1 exact or next smaller, 1 exact or next larger, 2 wildcards; search_mode 1 first
  to last, -1 last to first, 2 binary ascending, -2 binary descending; other values #VALUE!.
- Exact matches are within a kind (numbers, text case-insensitively, booleans); next smaller/larger
  order all values as numbers < text < booleans; a blank lookup value finds a blank cell; wildcards
  with a binary search are #VALUE!. Not found gives if_not_found, #N/A when it is left out (rewrite.py fills it).
"""
from __future__ import annotations

import collections

import numpy as np
import schedula as sh
from formulas.functions import Array, XlError, wrap_func
from formulas.functions import look as _look
from formulas.ranges import Ranges
from formulas.cell import CELL

from ..criteria import wildcard_regex
from ._args import NA, VALUE, Fail, grid, is_number, scalar

_KIND_ORDER = {"number": 0, "text": 1, "bool": 2}


def _blank(v) -> bool:
    return v is sh.EMPTY or v is None


def _key(v):
    """(kind order, comparable value), or None for blanks and errors (never ordered)."""
    if _blank(v) or isinstance(v, XlError):
        return None
    if isinstance(v, (bool, np.bool_)):
        return _KIND_ORDER["bool"], bool(v)
    if is_number(v):
        return _KIND_ORDER["number"], float(v)
    return _KIND_ORDER["text"], str(v).casefold()


def _mode(value, allowed) -> int:
    v = scalar(value)
    if _blank(v):
        v = 0
    try:
        n = int(float(v))
    except (TypeError, ValueError):
        raise Fail(VALUE) from None
    if n not in allowed:
        raise Fail(VALUE)
    return n


def _matches(values: list, x, match_mode: int) -> list[bool]:
    if _blank(x):
        return [_blank(v) for v in values]
    if match_mode == 2 and isinstance(x, str):
        full = wildcard_regex(x).fullmatch
        return [isinstance(v, str) and not isinstance(v, XlError) and bool(full(v)) for v in values]
    kx = _key(x)
    return [_key(v) == kx for v in values]


def _linear(values: list, x, match_mode: int, reverse: bool) -> int | None:
    order = range(len(values) - 1, -1, -1) if reverse else range(len(values))
    hits = _matches(values, x, match_mode)
    for i in order:
        if hits[i]:
            return i
    kx = _key(x)
    if match_mode not in (-1, 1) or kx is None:
        return None
    best = None
    for i in order:  # next smaller/larger across kinds: numbers < text < booleans
        k = _key(values[i])
        if k is None or (k < kx if match_mode == 1 else k > kx):
            continue
        if best is None or (k < _key(values[best]) if match_mode == 1 else k > _key(values[best])):
            best = i
    return best


def _binary(values: list, x, match_mode: int) -> int | None:
    """Binary search over values sorted ascending (Excel assumes they are)."""
    kx = _key(x)
    if kx is None:
        return next((i for i, v in enumerate(values) if _blank(v)), None) if _blank(x) else None
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        k = _key(values[mid])
        if k is not None and k < kx:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(values) and _key(values[lo]) == kx:
        return lo
    candidate = lo - 1 if match_mode == -1 else lo if match_mode == 1 else None
    if candidate is not None and 0 <= candidate < len(values) and _key(values[candidate]) is not None:
        return candidate
    return None


def _find(values: list, x, match_mode: int, search_mode: int) -> int | None:
    if abs(search_mode) == 1:
        return _linear(values, x, match_mode, reverse=search_mode == -1)
    if search_mode == 2:
        return _binary(values, x, match_mode)
    i = _binary(values[::-1], x, match_mode)  # descending data is ascending read backwards
    return None if i is None else len(values) - 1 - i


def _cell(v):
    return 0 if _blank(v) else v


def xlookup(lookup_value, lookup_array, return_array, if_not_found=NA, match_mode=0, search_mode=1):
    try:
        match_mode = _mode(match_mode, (0, -1, 1, 2))
        search_mode = _mode(search_mode, (1, -1, 2, -2))
        if match_mode == 2 and abs(search_mode) == 2:  # wildcards need a linear search
            raise Fail(VALUE)
        look, ret = grid(lookup_array), grid(return_array)
        if look.shape[0] != 1 and look.shape[1] != 1:
            raise Fail(VALUE)
        by_row = look.shape[1] == 1 and look.shape[0] > 1  # a column: return rows
        n = look.size
        if (ret.shape[0] if by_row else ret.shape[1]) != n:
            raise Fail(VALUE)
        i = _find(list(look.ravel()), scalar(lookup_value), match_mode, search_mode)
        if i is None:
            out = grid(if_not_found)
            return out.view(Array) if out.size > 1 else np.asarray([[_cell(out[0, 0])]], object).view(Array)
        part = ret[i:i + 1, :] if by_row else ret[:, i:i + 1]
        if part.size == 1:
            return np.asarray([[_cell(part[0, 0])]], object).view(Array)
        return np.vectorize(_cell, otypes=[object])(part).view(Array)
    except Fail as fail:
        return np.asarray([[fail.err]], object).view(Array)


REPLACEMENTS = {"XLOOKUP": wrap_func(xlookup), "_XLFN.XLOOKUP": wrap_func(xlookup)}


# --- ROW, COLUMN -----------------------------------------------------------------------------------
# formulas' own, except that an argument that is no reference gives its error (ROW(#REF!) is #REF!,
# as for INDIRECT of text that names nothing) or #VALUE! (formulas gave #VALUE! for both).

def _place(func):
    def place(cell=None, ref=None):
        if ref is not None and not isinstance(ref, Ranges):
            first = grid(ref)[0, 0]
            return np.asarray([[first if isinstance(first, XlError) else VALUE]], object)
        return func(cell, ref)
    return place


for _name, _func in (("ROW", _look.xrow), ("COLUMN", _look.xcolumn)):
    REPLACEMENTS[_name] = {"extra_inputs": collections.OrderedDict([(CELL, None)]),
                           "function": wrap_func(_place(_func), ranges=True)}
