"""AGGREGATE(function_num, options, ref1, [ref2]...) and AGGREGATE(function_num, options, array, k).

function_num 1-19 names one of the engine's own functions (AGGREGATES; SUBTOTAL's codes 1-11 are
the same), which does the work; options 0-7 say what it leaves out. Hidden rows (options 1, 3,
5, 7) and cells holding SUBTOTAL or AGGREGATE (options 0-3) are known when the workbook is read, so
subtotal.py has already narrowed literal-option calls to the cells counted; error values (options
2, 3, 6, 7) are left out here, from the references or the array (not from k). A function_num or
options that is no such number is #VALUE!, as is the array form (14-19) without its k.
"""
from __future__ import annotations

import numpy as np
import schedula as sh
from formulas.functions import XlError as FormulasError
from formulas.functions import wrap_func

from ..function_table import get_functions
from ._args import VALUE, Fail, scalar, to_number

AGGREGATES = {1: "AVERAGE", 2: "COUNT", 3: "COUNTA", 4: "MAX", 5: "MIN", 6: "PRODUCT",
              7: "STDEV", 8: "STDEVP", 9: "SUM", 10: "VAR", 11: "VARP", 12: "MEDIAN",
              13: "MODE.SNGL", 14: "LARGE", 15: "SMALL", 16: "PERCENTILE.INC", 17: "QUARTILE.INC",
              18: "PERCENTILE.EXC", 19: "QUARTILE.EXC"}


def _number(arg, low: int, high: int) -> int:
    n = to_number(scalar(arg))
    if not low <= n < high + 1:
        raise Fail(VALUE)
    return int(n)


def _without_errors(arg):
    """The argument with its error values made blank cells, which every function skips."""
    if isinstance(arg, FormulasError):
        return sh.EMPTY
    if not isinstance(arg, np.ndarray):
        return arg
    out = arg.copy()
    for idx, v in np.ndenumerate(out):
        if isinstance(v, FormulasError):
            out[idx] = sh.EMPTY
    return out


def _one_array(pieces):
    """The array form's data: one argument as it is, the visible pieces subtotal.py split a range
    into as one row of their values."""
    if len(pieces) == 1:
        return pieces[0]
    return np.asarray([v for p in pieces for v in np.asarray(p, object).ravel()], object).reshape(1, -1)


def xaggregate(function_num, options=sh.EMPTY, *refs):
    try:
        function = _number(function_num, 1, 19)
        option = _number(options, 0, 7)
    except Fail as fail:
        return np.asarray([[fail.err]], object)
    array_form = function >= 14
    if not refs or (array_form and len(refs) < 2):
        return np.asarray([[VALUE]], object)
    data, k = (refs[:-1], refs[-1:]) if array_form else (refs, ())
    if option in (2, 3, 6, 7):
        data = [_without_errors(arg) for arg in data]
    if array_form:
        data = [_one_array(data)]
    return get_functions()[AGGREGATES[function]](*data, *k)


REPLACEMENTS = {"AGGREGATE": wrap_func(xaggregate)}
REPLACEMENTS["_XLFN.AGGREGATE"] = REPLACEMENTS["AGGREGATE"]
