"""FLOOR, CEILING and their .MATH, .PRECISE and ISO. forms, as Excel computes them (Microsoft's
documented sign rules; results checked against Excel-saved workbooks)."""
from __future__ import annotations

import math

import schedula as sh
from formulas.functions import XlError, wrap_func

from ._args import DIV0, NUM, VALUE, Fail, elementwise
from ._args import to_number as _to_number


def to_number(v) -> float:
    """As _args.to_number, but text Excel refuses here stays #VALUE! (seen in Excel-saved
    workbooks): a date with spaces around it (" 2024-01-10 ") and "--8", which the shared
    text reading takes for dates."""
    if isinstance(v, str) and not isinstance(v, (XlError, sh.Token)):  # errors, blanks are str
        text = v.strip()
        try:
            return float(text)
        except ValueError:
            if text != v or text.startswith("--"):
                raise Fail(VALUE) from None
    return _to_number(v)


def _multiple(number: float, significance: float, up: bool) -> float:
    """number rounded to a multiple of significance, down (toward -inf) or up. Excel takes the
    quotient to 15 significant digits first: FLOOR(7.1, 0.1) is 71*0.1 = 7.1000000000000005."""
    q = number / significance
    if not math.isfinite(q):
        raise Fail(NUM)
    q = float(f"{q:.15g}")
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


REPLACEMENTS = {
    "FLOOR": wrap_func(elementwise(floor)),
    "CEILING": wrap_func(elementwise(ceiling)),
}
for _name, _func in (("FLOOR.PRECISE", floor_precise), ("CEILING.PRECISE", ceiling_precise),
                     ("FLOOR.MATH", floor_math), ("CEILING.MATH", ceiling_math),
                     ("ISO.CEILING", ceiling_precise)):
    REPLACEMENTS[_name] = REPLACEMENTS["_XLFN." + _name] = wrap_func(elementwise(_func))
