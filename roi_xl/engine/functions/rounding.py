"""FLOOR, CEILING and their .MATH, .PRECISE and ISO. forms, MROUND, TRUNC and INT, as Excel
computes them (Microsoft's documented sign rules; results checked against Excel-saved workbooks)."""
from __future__ import annotations

import math
from decimal import ROUND_DOWN, Decimal

from formulas.functions import wrap_func

from ._args import DIV0, NUM, VALUE, Fail, elementwise, to_number


def _quotient(number: float, significance: float) -> float:
    """Excel takes the quotient to 15 significant digits before rounding it to a whole number:
    FLOOR(7.1, 0.1) is 71*0.1 = 7.1000000000000005, MROUND(2.675, 0.01) is 2.68."""
    q = number / significance
    if not math.isfinite(q):
        raise Fail(NUM)
    return float(f"{q:.15g}")


def _multiple(number: float, significance: float, up: bool) -> float:
    """number rounded to a multiple of significance, down (toward -inf) or up."""
    q = _quotient(number, significance)
    return float(math.ceil(q) if up else math.floor(q)) * significance


def floor(number, significance):
    n, s = to_number(number), to_number(significance)
    if s == 0:
        if n == 0:
            return 0.0
        raise Fail(DIV0)
    if n > 0 > s:
        raise Fail(NUM)
    return _multiple(n, s, up=False)


def ceiling(number, significance):
    n, s = to_number(number), to_number(significance)
    if s == 0:
        return 0.0
    if n > 0 > s:
        raise Fail(NUM)
    return _multiple(n, s, up=True)


def floor_precise(number, significance=1.0):
    n, s = to_number(number), abs(to_number(significance))
    return 0.0 if s == 0 else _multiple(n, s, up=False)


def ceiling_precise(number, significance=1.0):
    n, s = to_number(number), abs(to_number(significance))
    return 0.0 if s == 0 else _multiple(n, s, up=True)


def floor_math(number, significance=1.0, mode=0.0):
    """A negative number goes toward zero when mode is not 0."""
    n, s, m = to_number(number), abs(to_number(significance)), to_number(mode)
    return 0.0 if s == 0 else _multiple(n, s, up=n < 0 and m != 0)


def ceiling_math(number, significance=1.0, mode=0.0):
    """A negative number goes away from zero when mode is not 0."""
    n, s, m = to_number(number), abs(to_number(significance)), to_number(mode)
    return 0.0 if s == 0 else _multiple(n, s, up=not (n < 0 and m != 0))


def mround(number, multiple):
    """Halves away from zero; signs that differ are #NUM!. Being an Analysis ToolPak function it
    takes no TRUE/FALSE (#VALUE!, as Excel saved it)."""
    if isinstance(number, bool) or isinstance(multiple, bool):
        raise Fail(VALUE)
    n, m = to_number(number), to_number(multiple)
    if m == 0 or n == 0:
        return 0.0
    if (n > 0) != (m > 0):
        raise Fail(NUM)
    q = abs(_quotient(n, m))
    return math.copysign(math.floor(q + 0.5), q) * m


def trunc(number, digits=0.0):
    """number cut toward zero after `digits` decimals (truncated to an integer; negative digits
    cut to the left of the point). Taken on the number's shortest decimal form, so TRUNC(0.29, 2)
    is 0.29; any number of digits is fine (formulas loops on a huge one)."""
    n, d = to_number(number), to_number(digits)
    if not math.isfinite(d):
        raise Fail(NUM)
    d = math.trunc(d)
    if d >= 400 or n == 0:  # past every double's last decimal
        return n
    if d <= -400:
        return 0.0
    exact = Decimal(repr(n))
    return float(exact.scaleb(d).to_integral_value(ROUND_DOWN).scaleb(-d))


def int_(number):
    return float(math.floor(to_number(number)))


REPLACEMENTS = {
    "MROUND": wrap_func(elementwise(mround)),
    "TRUNC": wrap_func(elementwise(trunc)),
    "INT": wrap_func(elementwise(int_)),
    "FLOOR": wrap_func(elementwise(floor)),
    "CEILING": wrap_func(elementwise(ceiling)),
}
for _name, _func in (("FLOOR.PRECISE", floor_precise), ("CEILING.PRECISE", ceiling_precise),
                     ("FLOOR.MATH", floor_math), ("CEILING.MATH", ceiling_math),
                     ("ISO.CEILING", ceiling_precise)):
    REPLACEMENTS[_name] = REPLACEMENTS["_XLFN." + _name] = wrap_func(elementwise(_func))
