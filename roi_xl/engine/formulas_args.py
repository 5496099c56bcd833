"""The plan's values as the `formulas` library holds them, for the calls the plan hands to formulas'
own functions (fastcalc._bridge, scalar_calls): a blank as its EMPTY, an omitted argument as the
rewrite's marker, an error as formulas' error token, a range as a 2-D object array; and the three
ways formulas hands an argument on (LITERAL, REFERENCE, COMPUTED). Back the other way, one of
formulas' values as the plan holds it (plan_value), and a rule of rules.py as a function of
formulas' (formulas_rule).
"""
from __future__ import annotations

import functools
import math

import numpy as np
import schedula as _sh
from formulas.functions import wrap_ufunc
from formulas.tokens.operand import Error
from formulas.tokens.operand import XlError as FormulasError

from ..excel import OMITTED, XlError
from ..references import MAX_ARRAY_VALUES
from .range_memo import once
from .rewrite import OMITTED_MARKER

_EMPTY, _FORMULAS_ERRORS = _sh.EMPTY, Error.errors  # a blank and the errors, as formulas has them

# How formulas hands an argument to a function: a literal as a plain value, a reference as a plain
# 2-D array, a computed value as formulas' `Array` (fastcalc._bridge).
LITERAL, REFERENCE, COMPUTED = 0, 1, 2


def formulas_value(value):
    """One plain value of the plan as formulas holds it in a cell: a blank is its EMPTY, an omitted
    argument the rewrite's marker, an error formulas' own error token."""
    if value is None:
        return _EMPTY
    if value is OMITTED:  # an argument left out of a call, as the rewrite marks it for formulas
        return OMITTED_MARKER
    if value.__class__ is XlError:
        return _FORMULAS_ERRORS.get(value.value, _FORMULAS_ERRORS["#VALUE!"])
    return value


def formulas_argument(kind: int, value):
    """One argument as formulas passes it to a function (see _bridge)."""
    if kind == LITERAL:
        return formulas_value(value)
    if value.__class__ is list:
        arg = as_formulas_array(value)
    else:
        arg = np.asarray([[formulas_value(value)]], object)
    if kind == COMPUTED:
        from formulas.functions import Array

        return arg.view(Array)
    return arg


def as_formulas_array(rows: list) -> np.ndarray:
    """A range's values as formulas holds them, converted once per evaluation however many functions
    read it (a SUMIFS column read by a thousand cells)."""
    arg = once(rows, "array", lambda rs: np.asarray([[formulas_value(v) for v in row] for row in rs], object))
    return arg.copy()  # formulas' functions may write into their arguments


def plan_value(value):
    """One value of formulas' (not an array) as the plan holds it: its EMPTY a blank (None), its error
    token our XlError, a numpy scalar the Python value."""
    if value is _EMPTY:
        return None
    if isinstance(value, FormulasError):
        return XlError.from_code(str(value)) or XlError.VALUE
    if isinstance(value, np.generic):
        return value.item()
    return value


def _too_large(args) -> bool:
    """Whether the operands broadcast (a column times a row) to more than MAX_ARRAY_VALUES values."""
    shapes = [np.shape(a) for a in args]
    if all(math.prod(shape) <= 1 for shape in shapes):
        return False
    try:
        return math.prod(np.broadcast_shapes(*shapes)) > MAX_ARRAY_VALUES
    except ValueError:  # shapes numpy cannot broadcast: formulas' own handling
        return False


def formulas_rule(rule):
    """`rule` (a function of rules.py over the plan's values) as a function of formulas' table:
    element by element over its arrays (numpy broadcasting, as formulas' own operators), each element
    converted to the plan's value, the rule applied, its result converted back. The rule decides
    everything, errors and blanks included; `.rule` names it."""
    def element(*values):
        return formulas_value(rule(*map(plan_value, values)))

    ufunc = wrap_ufunc(element, input_parser=lambda *a: a, check_error=lambda *a: None,
                       args_parser=lambda *a: a, check_nan=False)

    @functools.wraps(ufunc)
    def function(*args, **kwargs):
        if _too_large(args):
            return Error.errors["#NUM!"]
        with np.errstate(over="ignore"):  # an overflow is the rule's #NUM!, not numpy's warning
            return ufunc(*args, **kwargs)

    function.rule = rule
    return function
