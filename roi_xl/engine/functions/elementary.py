"""The one-number functions of Excel's math family: trigonometric, hyperbolic, EXP, LN, LOG,
LOG10, SQRT, SIGN, ABS, INT, EVEN, ODD, DEGREES, RADIANS.

`formulas` 1.3.4 reads their text arguments with Python's float() (so "2024-01-10", "8%" and
"€100" were #VALUE!, while "inf" passed) and differs from Excel in places. Here every argument is
read as Excel reads it (_args.read_numbers), and:
- SIN, COS, TAN, COT, CSC, SEC reduce their argument by pi rounded to 64 bits (the x87 constant
  Excel uses): SIN(PI()) is 1.22514845490862E-16 and COS(PI()/2) 6.1257422745431E-17 in Excel,
  not 1.2246467991473532E-16; |number| >= 2^27 is #NUM! (Excel's documented limit).
- ACOT is atan(1/x) moved into (0, pi) without losing digits (formulas' "% pi" turned
  ACOT(9999999999999) into 9.99e-14); CSCH and SECH of a huge number are 0, not #NUM!.
- LOG with base 1 is #DIV/0! (a division by ln 1 = 0); EVEN and ODD keep numbers up to 1e308.
"""
from __future__ import annotations

import math
from fractions import Fraction

from formulas.functions import wrap_func

from ._args import DIV0, NUM, Fail, elementwise, read_numbers

# pi rounded to a 64-bit significand (0xC90FDAA22168C235 / 2^62), halved: the step of reduction.
_HALF_PI = Fraction(0xC90FDAA22168C235, 2 ** 63)
_TRIG_LIMIT = 2.0 ** 27


def _quadrant(x: float) -> tuple[int, float]:
    """x = k*(pi/2) + r with Excel's pi: (k mod 4, r), r exact to the last bit."""
    if abs(x) >= _TRIG_LIMIT:
        raise Fail(NUM)
    k = round(Fraction(x) / _HALF_PI)
    return k % 4, float(Fraction(x) - k * _HALF_PI)


def _sin(x: float) -> float:
    q, r = _quadrant(x)
    return (math.sin(r), math.cos(r), -math.sin(r), -math.cos(r))[q]


def _cos(x: float) -> float:
    q, r = _quadrant(x)
    return (math.cos(r), -math.sin(r), -math.cos(r), math.sin(r))[q]


def _tan(x: float) -> float:
    q, r = _quadrant(x)
    return math.tan(r) if q % 2 == 0 else -1.0 / math.tan(r)


def _inverse(value: float) -> float:
    if value == 0:
        raise Fail(DIV0)
    return 1.0 / value


def _vanishing(func):
    """1/func(x) for sinh/cosh: 0 once func(x) overflows."""
    def call(x: float) -> float:
        try:
            return _inverse(func(x))
        except OverflowError:
            return 0.0
    return call


def _acot(x: float) -> float:
    if x == 0:
        return math.pi / 2
    return math.atan(1 / x) + (math.pi if x < 0 else 0.0)


def _positive(func):
    def call(x: float) -> float:
        if x <= 0:
            raise Fail(NUM)
        return func(x)
    return call


def _sqrt(x: float) -> float:
    if x < 0:
        raise Fail(NUM)
    return math.sqrt(x)


def _acoth(x: float) -> float:
    if abs(x) <= 1:
        raise Fail(NUM)
    return math.atanh(1 / x)


def _log(number: float, base: float = 10.0) -> float:
    if number <= 0 or base <= 0:
        raise Fail(NUM)
    if base == 1:
        raise Fail(DIV0)
    return math.log(number) / math.log(base)


def _even(x: float) -> float:
    return math.copysign(math.ceil(abs(x) / 2) * 2.0, x) + 0.0


def _odd(x: float) -> float:
    v = math.ceil(abs(x))
    return math.copysign(float(v if v % 2 else v + 1), x)


FUNCTIONS = {
    "SIN": _sin, "COS": _cos, "TAN": _tan,
    "COT": lambda x: _inverse(_tan(x)),
    "CSC": lambda x: _inverse(_sin(x)), "SEC": lambda x: _inverse(_cos(x)),
    "ASIN": math.asin, "ACOS": math.acos, "ATAN": math.atan, "ACOT": _acot,
    "SINH": math.sinh, "COSH": math.cosh, "TANH": math.tanh,
    "COTH": lambda x: _inverse(math.tanh(x)),
    "CSCH": _vanishing(math.sinh), "SECH": _vanishing(math.cosh),
    "ASINH": math.asinh, "ACOSH": math.acosh, "ATANH": math.atanh,
    "ACOTH": _acoth,
    "EXP": math.exp, "LN": _positive(math.log), "LOG10": _positive(math.log10),
    "SQRT": _sqrt,
    "SIGN": lambda x: float((x > 0) - (x < 0)), "ABS": abs,
    "EVEN": _even, "ODD": _odd, "DEGREES": math.degrees, "RADIANS": math.radians,
}
_NEWER = {"COT", "CSC", "SEC", "ACOT", "COTH", "CSCH", "SECH", "ACOTH"}  # written _xlfn.NAME


REPLACEMENTS = {"LOG": wrap_func(elementwise(read_numbers(_log)))}
for _name, _func in FUNCTIONS.items():
    REPLACEMENTS[_name] = wrap_func(elementwise(read_numbers(_func)))
    if _name in _NEWER:
        REPLACEMENTS["_XLFN." + _name] = REPLACEMENTS[_name]
