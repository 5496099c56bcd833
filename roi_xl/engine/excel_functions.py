"""Excel behaviour `formulas` 1.3.4 gets wrong, fixed by replacing entries in its function table.

Each replacement keeps formulas' own wrapper (`wrap_ufunc` / `wrap_func` with the same parsers), so text,
blanks, booleans, arrays and errors in the arguments behave exactly as before; only the part that differed
from Excel changes. Found by the LibreOffice comparison (tests/conformance/test_second_engine.py).

- ROUND / ROUNDUP / ROUNDDOWN: Excel rounds the number as displayed to 15 significant digits, half away
  from zero (formulas scales in binary: ROUND(1.005,2) gave 1, ROUNDDOWN(0.29,2) 0.28); text read as a
  number by the engine's rule (formulas' float() refused "1,000" and "50%").
- TRIM: Excel also collapses runs of inner spaces (only the ASCII space) to one.
- TEXTJOIN: ignore_empty TRUE skips "" as well as blank cells.
- N: N(TRUE) is 1 and N(FALSE) 0.
- DATEDIF: the unit is case-insensitive ("d" is "D").
- COUNTIF(S), SUMIF(S), AVERAGEIF(S), MAXIFS, MINIFS: Excel's criteria test (criteria.py): wildcards over
  the whole text, "<>x" counting blanks, comparisons meeting only values of the criterion's kind, a blank
  criterion cell as 0 (formulas matched a case-sensitive prefix and compared across types); the summed,
  averaged or min/max range keeps numbers and errors only (formulas summed numeric text, failed on TRUE).

Whole families found by the conformance suite (bench/conformance.py) live in roi_xl/engine/functions/
(database, dynamic arrays, OFFSET, math, statistical aggregates, text, financial checks). The engine's
function table (function_table.py) loads this module's entries and theirs when a name is first used.
"""
from __future__ import annotations

import decimal
import functools
import math
import re

import numpy as np
from formulas import functions as _functions
from formulas.functions import (
    Array,
    Error,
    flatten,
    is_not_empty,
    raise_errors,
    replace_empty,
    text2num,
    wrap_func,
    wrap_ufunc,
)
from formulas.functions import date as _date
from formulas.functions import math as _math
from formulas.functions import text as _text

from .criteria import criterion_test
from .function_table import deferred, get_functions
from .functions._args import elementwise, read_numbers
from .text_coercion import joined

# --- ROUND, ROUNDUP, ROUNDDOWN ---------------------------------------------------------------------

# Wide enough for any float (|x| < 1e309, 15 significant digits, digits clamped below) to be quantized
# exactly; nothing in it traps except what we catch.
_ROUND_CONTEXT = decimal.Context(prec=1000, Emax=10_000, Emin=-10_000)
_MIN_DIGITS = -400  # 10**400 exceeds every float: ROUND/ROUNDDOWN give 0 below it, ROUNDUP overflows


def _excel_round(x: float, digits: float, rounding: str):
    """Excel's ROUND family on floats: the 15-significant-digit decimal of x rounded at `digits`."""
    if not math.isfinite(x):
        return x  # the wrapper turns inf/nan into #NUM! (_args.as_result)
    d = int(digits)  # Excel truncates the digits toward zero: ROUND(1.25, 1.9) rounds at 1
    value = decimal.Decimal(f"{x:.15g}")
    exponent = value.as_tuple().exponent  # a number (not 'n', 'N' or 'F'): x is finite
    if isinstance(exponent, int) and exponent >= -d:  # already has no digit beyond the rounding position
        return float(value) + 0.0
    d = max(d, _MIN_DIGITS)
    try:
        result = value.quantize(decimal.Decimal(1).scaleb(-d), rounding=rounding, context=_ROUND_CONTEXT)
    except decimal.DecimalException:
        return Error.errors["#NUM!"]
    out = float(result)
    if not math.isfinite(out):
        return Error.errors["#NUM!"]
    return out + 0.0  # no negative zero: ROUND(-0.001,2) is 0


def xround(number, num_digits):
    return _excel_round(number, num_digits, decimal.ROUND_HALF_UP)


def xroundup(number, num_digits):
    return _excel_round(number, num_digits, decimal.ROUND_UP)


def xrounddown(number, num_digits):
    return _excel_round(number, num_digits, decimal.ROUND_DOWN)


# --- TRIM ------------------------------------------------------------------------------------------

_SPACES = re.compile(" {2,}")


def xtrim(text: str) -> str:
    """Excel TRIM: strip and collapse the ASCII space (char 32) only; tabs, newlines, NBSP stay."""
    return _SPACES.sub(" ", text).strip(" ")


# --- TEXTJOIN --------------------------------------------------------------------------------------

def _not_empty_text(value) -> bool:
    return is_not_empty(value) and not (isinstance(value, str) and value == "")


def xtextjoin(delimiter, ignore_empty, text, *args):
    raise_errors(delimiter, ignore_empty, text, *args)
    if ignore_empty:
        it = flatten((text,) + args, _not_empty_text)
    else:
        it = (replace_empty(v, "") for v in flatten((text,) + args, None))
    result = joined(map(_text._str, it), _text._str(replace_empty(next(flatten(delimiter, None)), "")))
    return Error.errors["#VALUE!"] if result is None else result  # longer than a cell holds


# --- N ---------------------------------------------------------------------------------------------

def xn(val):
    val = np.asarray(val, object).ravel()[0]
    raise_errors(val)
    if isinstance(val, (bool, np.bool_)):
        val = int(val)
    elif not isinstance(val, (int, float, np.number)):
        val = 0
    return np.asarray([[val]], object).view(Array)


# --- DATEDIF ---------------------------------------------------------------------------------------

def xdatedif(start_date, end_date, unit):
    if isinstance(unit, str):
        unit = unit.upper()
    return _date.xdatedif(start_date, end_date, unit)


# --- criteria (COUNTIF family): Excel's test from criteria.py ----------------------------------------

def _criterion(test_range, condition):
    """The cells of test_range meeting one criterion, as a boolean array."""
    return np.vectorize(criterion_test(condition), otypes=[bool])(test_range["orig"])


def _filter_all(accumulator, operating_range, test_ranges, *conditions):
    operating_range = np.asarray(operating_range)
    try:
        b = None
        for test_range, condition in zip(test_ranges, conditions):
            mask = _criterion(test_range, condition)
            b = mask if b is None else b & mask
        return accumulate(accumulator, operating_range[b])
    except _functions.FoundError as ex:
        return ex.err


def accumulate(accumulator, picked: np.ndarray):
    """SUMIF & co.'s result from the cells their criteria picked (the fast plan picks its own)."""
    if accumulator is not len:  # SUM/AVERAGE/MIN/MAX of the picked cells: numbers (and errors) only
        picked = np.asarray([v for v in picked.ravel() if _is_number_or_error(v)], object)
    return accumulator(picked)


def _is_number_or_error(v) -> bool:
    """Excel's SUMIF & co. skip text (numeric text too), booleans and blanks in the summed range."""
    if isinstance(v, _functions.XlError):
        return True
    return isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))


_filter_all = np.vectorize(_filter_all, otypes=[object], excluded={0, 1, 2})


def _test_range(v):
    return {"raw": replace_empty(v, ""), "orig": np.asarray(v, object)}


def xfilter(accumulator, test_range, condition, operating_range=None):
    operating_range = test_range if operating_range is None else operating_range
    return _filter_all(accumulator, operating_range, [_test_range(test_range)], condition).view(Array)


def xfilters(accumulator, operating_range, test_range, condition, *args):
    if len(args) % 2:
        raise ValueError("Additional arguments must be supplied in (test_range, condition) pairs.")
    test_ranges = [test_range, *args[0::2]]
    operating_range = test_range if operating_range is None else operating_range
    return _filter_all(accumulator, operating_range, [_test_range(v) for v in test_ranges],
                       condition, *args[1::2]).view(Array)


# --- the table -------------------------------------------------------------------------------------

# formulas.functions.stat's accumulators, imported when first called: that module imports scipy,
# which COUNTIF and SUMIF (in this table too, on most workbooks' path) do not need.
_stat = functools.partial(deferred, "formulas.functions.stat")


# The engine's own entries of the function table (function_table.entries), by formulas' name.
REPLACEMENTS = {
    # The engine's element-wise cores (the plan calls them directly), numbers read by its rule.
    "ROUND": wrap_func(elementwise(read_numbers(xround))),
    "ROUNDUP": wrap_func(elementwise(read_numbers(xroundup))),
    "ROUNDDOWN": wrap_func(elementwise(read_numbers(xrounddown))),
    "TRIM": wrap_ufunc(xtrim, **_text._kw1),
    "TEXTJOIN": wrap_func(xtextjoin),
    "_XLFN.TEXTJOIN": None,  # same function as TEXTJOIN, filled below
    "N": wrap_func(xn),
    "DATEDIF": wrap_ufunc(xdatedif, input_parser=lambda *a: text2num(a)),
}
REPLACEMENTS["_XLFN.TEXTJOIN"] = REPLACEMENTS["TEXTJOIN"]
# The criteria functions: the accumulators formulas uses (math.py, stat.py), only the criteria test
# changes. COUNTIF, SUMIF and AVERAGEIF take (range, criterion[, operating range]) (xfilter), the others
# (operating range, then range/criterion pairs) (xfilters); COUNTIFS has no operating range.
ACCUMULATORS = {
    "COUNTIF": len, "COUNTIFS": len,
    "SUMIF": _math.xsum, "SUMIFS": _math.xsum,
    "AVERAGEIF": _stat("xaverage"), "AVERAGEIFS": _stat("xaverage"),
    "MAXIFS": _stat("xfunc"), "MINIFS": functools.partial(_stat("xfunc"), func=min),
}
for _name, _accumulator in ACCUMULATORS.items():
    if _name == "COUNTIF":
        _function = functools.partial(xfilter, len, operating_range=None)
    elif _name in ("SUMIF", "AVERAGEIF"):
        _function = functools.partial(xfilter, _accumulator)
    elif _name == "COUNTIFS":
        _function = functools.partial(xfilters, len, None)
    else:
        _function = functools.partial(xfilters, _accumulator)
    REPLACEMENTS[_name] = wrap_func(_function)
REPLACEMENTS["_XLFN.MAXIFS"] = REPLACEMENTS["MAXIFS"]
REPLACEMENTS["_XLFN.MINIFS"] = REPLACEMENTS["MINIFS"]


def install() -> None:
    """Put the engine's table in formulas' place (idempotent). Its entries, these replacements and
    functions/*'s, load per family when first looked up (function_table.py)."""
    from . import text_coercion

    text_coercion.install()
    get_functions()


__all__ = ["ACCUMULATORS", "REPLACEMENTS", "install", "xround",
           "xroundup", "xrounddown", "xtrim", "xtextjoin", "xn", "xdatedif"]
