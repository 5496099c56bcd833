"""XLOOKUP as Excel does it (formulas' version returned 0 for an omitted if_not_found, searched
binary modes linearly and took lookup and return arrays of different sizes).

Rules, from Microsoft's XLOOKUP page and the values Excel cached in the ironcalc conformance workbook
LOOKUP_AND_REFERENCE/XLOOKUP.xlsx:
- XMATCH(lookup_value, lookup_array, [match_mode], [search_mode]) is the position XLOOKUP takes.
- lookup_array is one row or one column; return_array has as many rows (columns) as it, else #VALUE!.
- match_mode 0 exact, -1 exact or next smaller, 1 exact or next larger, 2 wildcards, 3 a regular
  expression found in the text (case-sensitive, as Excel's REGEX functions); search_mode 1 first
  to last, -1 last to first, 2 binary ascending, -2 binary descending; other values #VALUE!.
- Exact matches are within a kind (numbers, text case-insensitively, booleans); next smaller/larger
  order all values as numbers < text < booleans; a blank lookup value finds a blank cell; wildcards
  with a binary search are #VALUE!. Not found gives if_not_found, #N/A when it is left out (rewrite.py fills it).
"""
from __future__ import annotations

import collections
import functools
import re

import numpy as np
import schedula as sh
from formulas.cell import CELL
from formulas.functions import Array, Error, get_error, wrap_func, wrap_ufunc
from formulas.functions import XlError as FormulasError
from formulas.functions import look as _look
from formulas.ranges import Ranges

from ..criteria import Wildcard
from ._args import NA, VALUE, Fail, grid, is_number, scalar, to_number

_KIND_ORDER = {"number": 0, "text": 1, "bool": 2}


def _blank(v) -> bool:
    return v is sh.EMPTY or v is None


def _key(v):
    """(kind order, comparable value), or None for blanks and errors (never ordered)."""
    if _blank(v) or isinstance(v, FormulasError):
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
        full = Wildcard(x).fullmatch
        return [isinstance(v, str) and not isinstance(v, FormulasError) and full(v) for v in values]
    if match_mode == 3:
        try:
            found = re.compile(x if isinstance(x, str) else str(x)).search
        except re.error:
            raise Fail(VALUE) from None
        return [isinstance(v, str) and not isinstance(v, FormulasError) and bool(found(v)) for v in values]
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


def _lookup_arguments(match_mode, search_mode, lookup_array):
    match_mode = _mode(match_mode, (0, -1, 1, 2, 3))
    search_mode = _mode(search_mode, (1, -1, 2, -2))
    if match_mode in (2, 3) and abs(search_mode) == 2:  # wildcards and regexes: a linear search
        raise Fail(VALUE)
    look = grid(lookup_array)
    if look.shape[0] != 1 and look.shape[1] != 1:
        raise Fail(VALUE)
    return match_mode, search_mode, look


def xmatch(lookup_value, lookup_array, match_mode=0, search_mode=1):
    """XMATCH: the 1-based position XLOOKUP would take its result from, #N/A when none."""
    try:
        match_mode, search_mode, look = _lookup_arguments(match_mode, search_mode, lookup_array)
        i = _find(list(look.ravel()), scalar(lookup_value), match_mode, search_mode)
        return np.asarray([[NA if i is None else float(i + 1)]], object).view(Array)
    except Fail as fail:
        return np.asarray([[fail.err]], object).view(Array)


def xlookup(lookup_value, lookup_array, return_array, if_not_found=NA, match_mode=0, search_mode=1):
    try:
        match_mode, search_mode, look = _lookup_arguments(match_mode, search_mode, lookup_array)
        ret = grid(return_array)
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


REPLACEMENTS = {"XLOOKUP": wrap_func(xlookup), "_XLFN.XLOOKUP": wrap_func(xlookup),
                "XMATCH": wrap_func(xmatch), "_XLFN.XMATCH": wrap_func(xmatch)}


# --- ROW, COLUMN -----------------------------------------------------------------------------------
# formulas' own, except that an argument that is no reference gives its error (ROW(#REF!) is #REF!,
# as for INDIRECT of text that names nothing) or #VALUE! (formulas gave #VALUE! for both).

def _place(func):
    def place(cell=None, ref=None):
        if ref is not None and not isinstance(ref, Ranges):
            first = grid(ref)[0, 0]
            return np.asarray([[first if isinstance(first, FormulasError) else VALUE]], object)
        return func(cell, ref)
    return place


for _name, _func in (("ROW", _look.xrow), ("COLUMN", _look.xcolumn)):
    REPLACEMENTS[_name] = {"extra_inputs": collections.OrderedDict([(CELL, None)]),
                           "function": wrap_func(_place(_func), ranges=True)}


# --- ROWS, COLUMNS ---------------------------------------------------------------------------------
# formulas' own for references; an array counts too (ROWS({1,2;3,4}) is 2, COLUMNS(SEQUENCE(2,3))
# 3, ROWS(A1:A3*2) 3) where formulas gave #VALUE!, and an error is the result.

def _size_of(axis: int):
    def size(ref):
        if isinstance(ref, Ranges):
            return _look.xcolumns(ref, axis=axis)
        values = grid(ref)
        if values.size == 1 and isinstance(values[0, 0], FormulasError):
            return values[0, 0]
        return values.shape[axis]
    return size


REPLACEMENTS["ROWS"] = wrap_func(_size_of(0), ranges=True)
REPLACEMENTS["COLUMNS"] = wrap_func(_size_of(1), ranges=True)


# --- INDEX -----------------------------------------------------------------------------------------
# formulas' own, except for a row or column number 0 (or left out where Excel reads it as 0):
# Excel gives the whole column (row) there, formulas gave the first cell. INDEX(A1:C3,0,2) is
# B1:B3, INDEX({1,2;3,4},,1) is {1;3}, INDEX(range,0,0) the whole range; a reference stays one.

def _whole_lines(array, row_num, col_num=None, area_num=1):
    """The answer when row_num or col_num is 0, or None to leave it to formulas."""
    numbers = [row_num, col_num, area_num]
    for i, n in enumerate(numbers):
        if isinstance(n, Ranges):
            n = n.value
        if isinstance(n, np.ndarray):
            if n.size != 1:
                return None  # arrays of positions: formulas' element-wise answer
            n = n.ravel()[0]
        if isinstance(n, FormulasError):
            return n
        numbers[i] = None if (n is None or (i == 1 and n is sh.EMPTY and col_num is None)) \
            else int(to_number(n))
    row, col, area = numbers
    if row is None or (row != 0 and col != 0):
        return None
    if row < 0 or (col is not None and col < 0) or area < 1:
        return VALUE
    if isinstance(array, Ranges):
        if area > len(array.ranges):
            return Error.errors["#REF!"]
        base = array.ranges[area - 1]
        values = grid(Ranges((base,), array.values).value)
    else:
        if area != 1:
            return Error.errors["#REF!"]
        base, values = None, grid(array)
    height, width = values.shape
    if col is None and 1 in values.shape and row == 0:
        col = 0
    if row > height or (col or 0) > width:
        return Error.errors["#REF!"]
    rows = slice(0, height) if row == 0 else slice(row - 1, row)
    cols = slice(0, width) if not col else slice(col - 1, col)
    part = values[rows, cols]
    if base is None:
        return part.view(Array)
    top, left = int(base["r1"]) + rows.start, base["n1"] + cols.start
    from formulas.tokens.operand import _index2col
    ref = (f"{_index2col(left)}{top}:{_index2col(left + part.shape[1] - 1)}"
           f"{top + part.shape[0] - 1}")
    name = f"{base['sheet_id']}!{ref}" if base.get("sheet_id") else ref
    return Ranges().push(name, part)


def _index(formulas_index):
    def index(array, row_num, col_num=None, area_num=1):
        try:
            answer = _whole_lines(array, row_num, col_num, area_num)
        except Fail as fail:
            answer = fail.err
        if answer is None:
            return formulas_index(array, row_num, col_num, area_num)
        if isinstance(answer, FormulasError):
            return np.asarray([[answer]], object).view(Array)
        return answer
    return index


_FORMULAS_INDEX = _look.FUNCTIONS["INDEX"]
REPLACEMENTS["INDEX"] = {**_FORMULAS_INDEX,
                         "function": _look.wrap_impure_func(wrap_func(_index(_look.xindex), ranges=True))}


# --- HLOOKUP, VLOOKUP ------------------------------------------------------------------------------
# formulas' own, except that an error in the row/column index or in range_lookup is the result
# (formulas gave #VALUE! or ignored range_lookup's), and a table that is a typed text, not a range
# or an array, is #VALUE! (formulas looked in it and gave #N/A).

def _checked_lookup(formulas_lookup):
    def lookup(lookup_value, table_array, index, range_lookup=True):
        if isinstance(table_array, str):
            return np.asarray([[VALUE]], object).view(Array)
        for arg in (index, range_lookup):
            first = grid(arg.value if isinstance(arg, Ranges) else arg)[0, 0]
            if isinstance(first, FormulasError):
                return np.asarray([[first]], object).view(Array)
        return formulas_lookup(lookup_value, table_array, index, range_lookup)
    return lookup


# --- MATCH, LOOKUP, HLOOKUP, VLOOKUP: the approximate match ----------------------------------------
# formulas' own, except for the approximate match (match_type 1, range_lookup TRUE): Excel searches
# the values of the lookup value's kind by bisection, which on sorted data with duplicates lands on
# the last of the equal values (MATCH("delta",{"Alpha";"Beta";"Delta";"Delta";"Gamma"}) is 4;
# formulas stopped at the first, 3).

def _xmatch(value_type, value, value_raw, index, array_type, array, array_raw, match_type=1):
    if match_type == 0 and value_type == 1 and any(ch in value for ch in "*?~"):
        # formulas' own wildcard match is a backtracking regex (".*" for each star)
        same = array_type == value_type
        full = Wildcard(value_raw).fullmatch
        return next((i for i, v in zip(index[same], array_raw[same]) if full(str(v))), NA)
    if match_type <= 0:
        return _look.xmatch(value_type, value, value_raw, index, array_type, array, array_raw,
                            match_type)
    same = value_type == array_type
    index, array = index[same], array[same]
    lo, hi = 0, len(array) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if array[mid] <= value:
            lo = mid + 1
        else:
            hi = mid - 1
    return index[hi] if hi >= 0 else NA


def _xlookup(value_type, value, value_raw, index, array_type, array, array_raw, match_type=1,
             result_vec=None):
    r = _xmatch(value_type, value, value_raw, index, array_type, array, array_raw, match_type)
    if not isinstance(r, FormulasError):
        r = np.asarray(result_vec[r - 1], object).ravel()[0]
    return r


def _first_error(*args):
    return get_error(args[1])


REPLACEMENTS["MATCH"] = wrap_ufunc(_xmatch, check_error=_first_error, excluded={3, 4, 5, 6, 7},
                                   args_parser=_look.args_parser_match_array,
                                   input_parser=lambda *a: a)


def _array_form(vector_lookup):
    """LOOKUP(value, array) with a 2-D array: Excel looks in its first row and answers from its
    last row when it is wider than tall, else in its first column and from its last column."""
    def lookup(lookup_value, lookup_vector, result_vector=None):
        if result_vector is None:
            table = grid(lookup_vector.value if isinstance(lookup_vector, Ranges) else lookup_vector)
            if table.shape[0] > 1 and table.shape[1] > 1:
                if table.shape[1] > table.shape[0]:
                    lookup_vector, result_vector = table[:1, :], table[-1:, :]
                else:
                    lookup_vector, result_vector = table[:, :1], table[:, -1:]
                return vector_lookup(lookup_value, lookup_vector.view(Array),
                                     result_vector.view(Array))
            return vector_lookup(lookup_value, lookup_vector)
        return vector_lookup(lookup_value, lookup_vector, result_vector)
    return lookup


REPLACEMENTS["LOOKUP"] = _array_form(wrap_ufunc(
    _xlookup, check_error=_first_error, excluded={3, 4, 5, 6, 7, 8},
    args_parser=_look.args_parser_lookup_array, input_parser=lambda *a: a))
for _name, _transpose in (("HLOOKUP", False), ("VLOOKUP", True)):
    REPLACEMENTS[_name] = _checked_lookup(wrap_ufunc(
        _xlookup, input_parser=lambda *a: a, check_error=_first_error, excluded={3, 4, 5, 6, 7, 8},
        args_parser=functools.partial(_look.args_parser_hlookup, transpose=_transpose)))


# --- ADDRESS ---------------------------------------------------------------------------------------
# formulas' own, except that Excel quotes the sheet name only when it must: ADDRESS(2,3,1,1,"Sheet2")
# is Sheet2!$C$2, ADDRESS(1,1,1,1,"A Wird One$") 'A Wird One$'!$A$1 (formulas always quoted).

_PLAIN_SHEET = re.compile(r"[^\W\d]\w*(?:\.\w+)*")
_CELL_LIKE = re.compile(r"(?:[A-Za-z]{1,3}\d+|R\d*C?\d*|C\d*)", re.IGNORECASE)
_QUOTED_ADDRESS = re.compile(r"^'((?:[^']|'')+)'!(.*)$", re.DOTALL)


def _unquoted(address):
    if not isinstance(address, str) or isinstance(address, FormulasError):
        return address
    m = _QUOTED_ADDRESS.match(address)
    if m is None:
        return address
    name = m.group(1).replace("''", "'")
    if _PLAIN_SHEET.fullmatch(name) and not _CELL_LIKE.fullmatch(name):
        return f"{name}!{m.group(2)}"
    return address


def _address(formulas_address):
    def address(*args):
        result = formulas_address(*args)
        if isinstance(result, np.ndarray):
            return np.vectorize(_unquoted, otypes=[object])(result).view(Array)
        return _unquoted(result)
    return address


REPLACEMENTS["ADDRESS"] = _address(_look.FUNCTIONS["ADDRESS"])


# The exact-match key of XLOOKUP/XMATCH (kind, then value; text case-folded), for the fast plan.
exact_key = _key
