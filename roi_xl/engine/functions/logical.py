"""IF, IFERROR and IFNA over arrays of different sizes, as Excel 365 computes them; AND, OR and
XOR's typed text.

`formulas`' IF is element-wise through numpy broadcasting, which refuses shapes such as 1x2 against
3x1 against 2x2 (BroadcastError: the whole workbook failed to load). Excel's rule: the result has the
largest number of rows and of columns among the arguments; an argument with one row (or column) is
repeated along it; elsewhere, a position beyond an argument's own size is #N/A.

IF's condition, NOT, and AND, OR, XOR over their values are Excel's rules (rules.py), the ones the
plan calls; here they are applied to formulas' values.

AND, OR, XOR skip text wherever it comes from, except that a typed or computed argument "TRUE" or
"FALSE" is that logical value (Excel: =OR("TRUE") is TRUE, =OR("1") and =OR("") are #VALUE!, no
logical value at all; =OR("",TRUE) is TRUE). Text in a referenced cell is skipped like any text.
"""
from __future__ import annotations

import numpy as np
from formulas.functions import Array, Error, flatten, get_error, wrap_func, wrap_ufunc
from formulas.functions import XlError as FormulasError
from formulas.functions.logic import FUNCTIONS as _LOGIC

from .. import rules
from ..formulas_args import formulas_rule, formulas_value, plan_value
from ..rules import text_logical

NA = Error.errors["#N/A"]


def _grid(value):
    value = getattr(value, "value", value)  # a cell reference (formulas' Ranges) gives its values
    return value if isinstance(value, np.ndarray) and value.ndim == 2 else None


def excel_broadcast(args: tuple) -> tuple:
    """The arguments spread to one shape by Excel's rule, when numpy's own rule refuses them."""
    grids = [_grid(a) for a in args]
    shapes = [g.shape for g in grids if g is not None]
    try:
        np.broadcast_shapes(*shapes)
        return args
    except ValueError:
        pass
    rows, cols = max(s[0] for s in shapes), max(s[1] for s in shapes)
    out = []
    for arg, grid in zip(args, grids):
        if grid is None:
            out.append(arg)
            continue
        spread = np.empty((rows, cols), dtype=object)
        r_n, c_n = grid.shape
        for r in range(rows):
            for c in range(cols):
                rr, cc = (0 if r_n == 1 else r), (0 if c_n == 1 else c)
                spread[r, c] = grid[rr, cc] if rr < r_n and cc < c_n else NA
        out.append(spread.view(type(grid)) if isinstance(grid, np.ndarray) else spread)
    return tuple(out)


def _broadcasting(name, func=None):
    """formulas' `name` (or `func` in its place) with its arguments first spread by Excel's rule."""
    func = func or _LOGIC[name]["function"]
    return {**_LOGIC[name], "function": lambda *args: func(*excel_broadcast(args))}


def _if(condition, then, otherwise=False):
    """IF on one element: rules.condition picks the branch (or is the error); a blank branch is 0."""
    chosen = rules.condition(plan_value(condition))
    if chosen is True:
        chosen = plan_value(then)
    elif chosen is False:
        chosen = plan_value(otherwise)
    return formulas_value(rules.blank_as_zero(chosen))


# Element by element as formulas' own IF, the rule deciding errors and blanks (no conversion before).
_IF = wrap_ufunc(_if, input_parser=lambda *a: a, check_error=lambda *a: None, args_parser=lambda *a: a,
                 check_nan=False)


def _typed(arg):
    """A typed text (a Python str) or computed one (a one-value Array) read as a logical value."""
    if isinstance(arg, Array) and arg.size == 1:
        return np.asarray([[text_logical(arg.ravel()[0])]], object).view(Array)
    return text_logical(arg)


def _logical(rule):
    """AND, OR or XOR: `rule` over every value of the arguments (a typed "TRUE" read first)."""
    def function(*args):
        return formulas_value(rule(plan_value(v) for v in flatten(tuple(map(_typed, args)), None)))

    function.rule = rule
    return wrap_func(function)


def _same(a, b) -> bool:
    if isinstance(a, (bool, np.bool_)) or isinstance(b, (bool, np.bool_)):
        return isinstance(a, (bool, np.bool_)) and isinstance(b, (bool, np.bool_)) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a.casefold() == b.casefold()
    return a == b


def xswitch(value, *cases):
    """SWITCH(value, case1, result1, ..., [default]): the first matching case's result."""
    for case, result in zip(cases[::2], cases[1::2]):
        if isinstance(case, FormulasError):
            return case
        if _same(value, case):
            return result
    return cases[-1] if len(cases) % 2 else NA


_XOR = _logical(rules.xor)
_SWITCH = {"function": wrap_ufunc(xswitch, input_parser=lambda *a: a,  # formulas' own options
                                   check_error=lambda first, *a: get_error(first))}
REPLACEMENTS = {"IF": _broadcasting("IF", _IF), "NOT": {"function": formulas_rule(rules.not_)},
                "IFERROR": _broadcasting("IFERROR"),
                "IFNA": _broadcasting("IFNA"), "_XLFN.IFNA": _broadcasting("IFNA"),
                "AND": _logical(rules.and_), "OR": _logical(rules.or_),
                "XOR": _XOR, "_XLFN.XOR": _XOR, "SWITCH": _SWITCH, "_XLFN.SWITCH": _SWITCH}
