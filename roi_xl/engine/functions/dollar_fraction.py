"""DOLLARFR as Excel does it: fraction is truncated to an integer, below 0 is #NUM!, 0 (or a
fraction under 1, like 0.5) is #DIV/0!, and a negative price keeps its sign on the fractional part
(formulas took Python's modulo: DOLLARFR(-0.5,2) gave 0.1, Excel -0.1); TRUE/FALSE are #VALUE!."""
from __future__ import annotations

import math

from formulas.functions import Error, wrap_ufunc

from ._args import Fail, to_number


def xdollarfr(decimal_dollar, fraction):
    if isinstance(decimal_dollar, bool) or isinstance(fraction, bool):
        return Error.errors["#VALUE!"]  # a logical is no price or fraction, even from a cell
    try:
        dollar, frac = to_number(decimal_dollar), math.trunc(to_number(fraction))
    except Fail as fail:
        return fail.err
    if frac < 0:
        return Error.errors["#NUM!"]
    if frac == 0:
        return Error.errors["#DIV/0!"]
    whole = math.trunc(dollar)
    return whole + (dollar - whole) * frac / 10 ** math.ceil(math.log10(frac))


REPLACEMENTS = {"DOLLARFR": wrap_ufunc(xdollarfr, input_parser=lambda *a: a, args_parser=lambda *a: a)}
