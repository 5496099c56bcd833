"""Excel 365's dynamic-array functions SEQUENCE, UNIQUE, FILTER, SORT and SORTBY; MAKEARRAY's size.

`formulas` 1.3.4 lacks SEQUENCE and gets the others wrong (SUM(UNIQUE({1,1,2})) gave 1, FILTER
gave #VALUE!). Each returns a 2-D array that the engine spills from the formula's cell
(roi_xl/engine/model.py). Rules, from Excel's documentation:
- SEQUENCE(rows, [columns], [start], [step]): rows*columns numbers, row by row; sizes truncated,
  a size below 1 is #CALC! (0) or #VALUE! (negative), above 1,048,576 #VALUE! (Excel 365:
  SUM(SEQUENCE(,2^20)) is a number, SUM(SEQUENCE(,2^20+1)) #VALUE!, r/excel "Dynamic Array Column
  Limit is 1048576", 2025); more values than one array may hold (references.MAX_ARRAY_VALUES) #NUM!.
- UNIQUE(array, [by_col], [exactly_once]): rows (or columns) in first-seen order; text compares
  case-insensitively; a blank is its own value (shown as 0 when it spills); no result is #CALC!.
- FILTER(array, include, [if_empty]): include is one row or column matching the array's height
  (or width); a non-zero number or TRUE keeps the row, text is #VALUE!, an error is returned;
  nothing kept gives if_empty, or #CALC! without one.
- SORT(array, [sort_index], [sort_order], [by_col]) and SORTBY(array, by1, [order1], ...):
  stable; ascending puts numbers, then text (case-insensitive), then FALSE, TRUE, then errors
  (in ERROR.TYPE's order), with blanks last in either order; sort_order 1 or -1, else #VALUE!.
- TRIMRANGE(range, [trim_rows], [trim_cols]): the range without its outer blank rows and columns.
- DROP(array, rows, [columns]): dropping every row or column is #VALUE!.
- MAKEARRAY(rows, columns, lambda): formulas' own, but more values than one array may hold
  (references.MAX_ARRAY_VALUES) is #NUM! before the LAMBDA is called once.
Omitted optional arguments arrive as their Excel defaults (roi_xl/engine/rewrite.py fills them).
"""
from __future__ import annotations

import math

import numpy as np
import schedula as sh
from formulas.functions import Error, wrap_func
from formulas.functions import XlError as FormulasError
from formulas.functions import logic as _logic

from ...excel import ERROR_TYPE_NUMBERS
from ...references import MAX_ROW
from ._args import OMITTED_MARKER, VALUE, array_result, check_array_size, to_number
from ._args import Fail as _Fail
from ._args import grid as _grid
from ._args import scalar as _scalar

CALC = Error.errors.get("#CALC!") or FormulasError("#CALC!")


def _number(value, default=None) -> float:
    """A one-cell argument as a number by Excel's rule (_args.to_number); a blank is `default` if given."""
    v = _scalar(value)
    if v is sh.EMPTY and default is not None:
        return default
    return to_number(v)


# --- SEQUENCE --------------------------------------------------------------------------------------

@array_result
def xsequence(rows, columns=1, start=1, step=1):
    n_rows, n_cols = math.trunc(_number(rows)), math.trunc(_number(columns, 1.0))
    first, inc = _number(start, 1.0), _number(step, 1.0)
    if n_rows < 0 or n_cols < 0 or max(n_rows, n_cols) > MAX_ROW:
        return VALUE
    if n_rows == 0 or n_cols == 0:
        return CALC
    check_array_size(n_rows, n_cols)
    values = first + inc * np.arange(n_rows * n_cols, dtype=float)
    return values.astype(object).reshape(n_rows, n_cols)


# --- UNIQUE ----------------------------------------------------------------------------------------

def _identity(v):
    """A value as UNIQUE and SORT compare it: type first, text case-folded."""
    if v is sh.EMPTY:
        return (4, 0)
    if isinstance(v, FormulasError):
        return (3, ERROR_TYPE_NUMBERS.get(str(v), 99))
    if isinstance(v, (bool, np.bool_)):
        return (2, bool(v))
    if isinstance(v, str):
        return (1, v.lower())
    return (0, float(v))


def _flag(value) -> bool:
    return bool(_number(value, 0.0))


@array_result
def xunique(array, by_col=False, exactly_once=False):
    grid = _grid(array)
    by_col, once = _flag(by_col), _flag(exactly_once)
    lines = grid.T if by_col else grid
    keys = [tuple(_identity(v) for v in line) for line in lines]
    counts: dict = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    seen, keep = set(), []
    for i, k in enumerate(keys):
        if once:
            if counts[k] == 1:
                keep.append(i)
        elif k not in seen:
            seen.add(k)
            keep.append(i)
    if not keep:
        return CALC
    out = lines[keep]
    return out.T if by_col else out


# --- FILTER ----------------------------------------------------------------------------------------

def _include_flag(v) -> bool:
    if isinstance(v, FormulasError):
        raise _Fail(v)
    if v is sh.EMPTY:
        return False
    if isinstance(v, str):
        raise _Fail(VALUE)
    return bool(v)


@array_result
def xfilter(array, include, if_empty=None):
    grid, inc = _grid(array), _grid(include)
    if inc.shape[1] == 1 and inc.shape[0] == grid.shape[0]:
        keep = [_include_flag(v) for v in inc[:, 0]]
        out = grid[np.array(keep, bool)]
    elif inc.shape[0] == 1 and inc.shape[1] == grid.shape[1]:
        keep = [_include_flag(v) for v in inc[0]]
        out = grid[:, np.array(keep, bool)]
    else:
        return VALUE
    if out.size == 0:
        if if_empty is None:
            return CALC
        return _grid(if_empty)
    return out


# --- SORT, SORTBY ----------------------------------------------------------------------------------

class _Key:
    """Sort key of one value in one direction: blanks last whichever the direction."""
    __slots__ = ("blank", "ident", "descending")

    def __init__(self, v, descending: bool):
        self.ident = _identity(v)
        self.blank = v is sh.EMPTY
        self.descending = descending

    def __lt__(self, other: "_Key") -> bool:
        if self.blank or other.blank:
            return other.blank and not self.blank
        if self.descending:
            return other.ident < self.ident
        return self.ident < other.ident

    def __eq__(self, other) -> bool:
        return self.ident == other.ident


def _order(value) -> bool:
    """True for descending; 1 or -1 only."""
    o = _number(value, 1.0)
    if o == 1:
        return False
    if o == -1:
        return True
    raise _Fail(VALUE)


def _sorted(lines: np.ndarray, keys: list[tuple[np.ndarray, bool]]) -> np.ndarray:
    index = sorted(range(len(lines)), key=lambda i: tuple(_Key(k[i], d) for k, d in keys))
    return lines[index]


def _as_list(value) -> list:
    return list(_grid(value).ravel())


@array_result
def xsort(array, sort_index=1, sort_order=1, by_col=False):
    grid = _grid(array)
    lines = grid.T if _flag(by_col) else grid
    indexes = _as_list(sort_index)
    orders = _as_list(sort_order)
    if len(orders) == 1:
        orders = orders * len(indexes)
    if len(orders) != len(indexes):
        return VALUE
    keys = []
    for idx, order in zip(indexes, orders):
        i = math.trunc(_number(idx, 1.0))
        if not 1 <= i <= lines.shape[1]:
            return VALUE
        keys.append((lines[:, i - 1], _order(order)))
    out = _sorted(lines, keys)
    return out.T if _flag(by_col) else out


@array_result
def xsortby(array, *by_and_orders):
    grid = _grid(array)
    if not by_and_orders:
        return VALUE
    pairs = [(by_and_orders[i], by_and_orders[i + 1] if i + 1 < len(by_and_orders) else 1)
             for i in range(0, len(by_and_orders), 2)]
    keys, by_col = [], None
    for by, order in pairs:
        b = _grid(by)
        if b.shape[1] == 1 and b.shape[0] == grid.shape[0] and by_col is not True:
            keys.append((b[:, 0], _order(order)))
            by_col = False
        elif b.shape[0] == 1 and b.shape[1] == grid.shape[1] and by_col is not False:
            keys.append((b[0], _order(order)))
            by_col = True
        else:
            return VALUE
    if by_col:
        return _sorted(grid.T, keys).T
    return _sorted(grid, keys)


# --- TRIMRANGE -------------------------------------------------------------------------------------

def _trim_bounds(blank_lines: list[bool], mode: int) -> tuple[int, int]:
    """First and one-past-last line kept: mode 1 trims leading blank lines, 2 trailing, 3 both."""
    start, end = 0, len(blank_lines)
    if mode in (1, 3):
        while start < end and blank_lines[start]:
            start += 1
    if mode in (2, 3):
        while end > start and blank_lines[end - 1]:
            end -= 1
    return start, end


@array_result
def xtrimrange(array, trim_rows=3, trim_cols=3):
    """TRIMRANGE(range, [trim_rows], [trim_cols]): the range without its outer blank rows and
    columns (0 none, 1 leading, 2 trailing, 3 both, the default); other modes #VALUE!; nothing
    left #REF!."""
    grid = _grid(array)
    modes = [math.trunc(_number(m, 3.0)) for m in (trim_rows, trim_cols)]
    if any(m not in (0, 1, 2, 3) for m in modes):
        return VALUE
    blank = np.vectorize(lambda v: v is sh.EMPTY, otypes=[bool])(grid)
    top, bottom = _trim_bounds(list(blank.all(axis=1)), modes[0])
    left, right = _trim_bounds(list(blank.all(axis=0)), modes[1])
    if top >= bottom or left >= right:
        return Error.errors["#REF!"]
    return grid[top:bottom, left:right]


# --- DROP ------------------------------------------------------------------------------------------

@array_result
def xdrop(array, rows, columns=0):
    """DROP(array, rows, [columns]): without its first (negative: last) rows and columns, counts
    truncated; dropping every row or every column leaves nothing: #CALC! (as Excel gave for
    DROP(A2:A8,7) and DROP(A2:A8,1,1), a rich error files store as #VALUE!; formulas gave 0)."""
    grid = _grid(array)
    r, c = math.trunc(_number(rows)), math.trunc(_number(columns, 0.0))
    height, width = grid.shape
    if abs(r) >= height and r or abs(c) >= width and c:
        return CALC
    grid = grid[r:] if r >= 0 else grid[:r]
    return grid[:, c:] if c >= 0 else grid[:, :c]


@array_result
def xtake(array, rows, columns=None):
    """TAKE(array, [rows], [columns]): its first (negative: last) rows and columns, counts truncated,
    more than there are the whole; taking 0 rows or columns leaves nothing: #CALC! (formulas:
    #VALUE!). An empty rows argument (TAKE(A1:C3,,2)) keeps every row."""
    grid = _grid(array)
    r = None if _scalar(rows) == OMITTED_MARKER else math.trunc(_number(rows))
    c = None if columns is None else math.trunc(_number(columns))
    if r == 0 or c == 0:
        return CALC
    if r is not None:
        grid = grid[:r] if r > 0 else grid[r:]
    return grid if c is None else grid[:, :c] if c > 0 else grid[:, c:]


# --- MAKEARRAY -------------------------------------------------------------------------------------

def xmakearray(rows, cols, func):
    """formulas' MAKEARRAY, which calls the LAMBDA once a value: past the values one array may hold
    #NUM! before the first call (MAKEARRAY(1E5,1E5,...) ran past any time limit)."""
    try:
        check_array_size(rows, cols)
    except _Fail as fail:
        return [[fail.err]]
    return _logic.xmakearray(rows, cols, func)


_MAKEARRAY = _logic.wrap_ufunc(
    xmakearray, input_parser=lambda rows, columns, func: (
        float(_logic._convert2float(rows)), float(_logic._convert2float(columns)), func),
    check_error=lambda rows, columns, func: _logic.get_error(rows, columns, func),
    args_parser=lambda rows, columns, func: (_logic.replace_empty(rows), _logic.replace_empty(columns), func),
    return_func=_logic.return_2d_func, check_nan=False, excluded={2})


REPLACEMENTS = {"MAKEARRAY": _MAKEARRAY, "_XLFN.MAKEARRAY": _MAKEARRAY}
for _names, _fn in ((("SEQUENCE", "_XLFN.SEQUENCE"), xsequence),
                    (("UNIQUE", "_XLFN.UNIQUE"), xunique),
                    (("FILTER", "_XLFN._XLWS.FILTER", "_XLFN.FILTER"), xfilter),
                    (("SORT", "_XLFN._XLWS.SORT", "_XLFN.SORT"), xsort),
                    (("SORTBY", "_XLFN.SORTBY"), xsortby),
                    (("TRIMRANGE", "_XLFN.TRIMRANGE"), xtrimrange),
                    (("DROP", "_XLFN.DROP"), xdrop),
                    (("TAKE", "_XLFN.TAKE"), xtake)):
    for _name in _names:
        REPLACEMENTS[_name] = wrap_func(_fn)

# Excel's values for arguments left empty, e.g. SEQUENCE(3,,5): `formulas` passes an empty
# argument as 0, which for these is a different value (rewrite.py fills the value in).
# Analysis ToolPak functions give #N/A for an argument left empty (MROUND(,5), LCM(,5,3): seen
# in Excel-saved workbooks).
OMITTED_DEFAULTS = {
    "SEQUENCE": {0: "1", 1: "1", 2: "1", 3: "1"},  # SEQUENCE(,12) is one row: seen in Excel
    "GCD": dict.fromkeys(range(255), "NA()"),
    "LCM": dict.fromkeys(range(255), "NA()"),
    "MROUND": {0: "NA()", 1: "NA()"},
    "MMULT": {0: "#VALUE!", 1: "#VALUE!"},  # an omitted matrix is #VALUE! (seen in Excel)
    "SORT": {1: "1", 2: "1"},
    "TRIMRANGE": {1: "3", 2: "3"},
    "TAKE": {1: f'"{OMITTED_MARKER}"'},
    "XLOOKUP": {3: "NA()", 4: "0", 5: "1"},  # lookup.py
    # an empty text argument is "" (not "0"); TEXTSPLIT tells an omitted delimiter from "" (text_delimited.py)
    "CONCATENATE": dict.fromkeys(range(255), '""'),
    "CONCAT": dict.fromkeys(range(254), '""'),
    "TEXTSPLIT": {1: f'"{OMITTED_MARKER}"', 2: f'"{OMITTED_MARKER}"', 5: "NA()"},
    # regression.py: an empty known_x's or new_x's is left out; const defaults to TRUE
    **{name: {1: f'"{OMITTED_MARKER}"', 2: "TRUE"} for name in ("LINEST", "LOGEST")},
    **{name: {1: f'"{OMITTED_MARKER}"', 2: f'"{OMITTED_MARKER}"', 3: "TRUE"}
       for name in ("TREND", "GROWTH")},
    "XMATCH": {2: "0", 3: "1"},
}
