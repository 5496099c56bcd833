"""Excel's complex-number functions: COMPLEX and the IM* family, on Excel's text form of a complex
number ("3+4i", "-i", "1.5j", "2E-20-3i").

Excel's rules, from its documentation and the values Excel saved in conformance workbooks:
- an argument is a number (its real part), a blank (0) or text in the forms `a`, `bi`, `a+bi`,
  `a-bi`, with `i` or `j` (lower case) and `1` left out of a unit imaginary part (`i`, `-j`,
  `3+i`); any other text is #NUM!, TRUE/FALSE is #VALUE!;
- a result keeps its arguments' suffix (i when none has one); `i` and `j` mixed are #VALUE!;
- parts are written as any number made text (numfmt.number_text): 15 significant digits, plain
  decimals (1E-16 as 0.0000000000000001) except tiny or huge ones (1E-20), a zero part left out;
- IMSQRT and IMPOWER work in polar form, so IMSQRT("-1") has a real part of 6.1E-17 as in Excel.
"""
from __future__ import annotations

import cmath
import math
import re

import numpy as np
import schedula as sh
from formulas.functions import XlError as FormulasError
from formulas.functions import wrap_func

from ..numfmt import number_text
from ._args import DIV0, NUM, VALUE, Fail, elementwise, flat_values, to_number

_NUMBER = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_FORMS = (  # (real, imaginary, suffix) groups for each written form
    re.compile(rf"(?P<re>[+-]?{_NUMBER})(?P<im>[+-]{_NUMBER}|[+-])(?P<sfx>[ij])"),
    re.compile(rf"(?P<im>[+-]?{_NUMBER}|[+-]?)(?P<sfx>[ij])"),
    re.compile(rf"(?P<re>[+-]?{_NUMBER})"),
)


def parse(value) -> tuple[complex, str | None]:
    """One argument as (number, suffix); the suffix is None for a real number."""
    if isinstance(value, FormulasError):
        raise Fail(value)
    if value is sh.EMPTY or value is None:
        return complex(0.0), None
    if isinstance(value, (bool, np.bool_)):
        raise Fail(VALUE)
    if not isinstance(value, str):
        return complex(float(value)), None
    if value == "":
        return complex(0.0), None
    for form in _FORMS:
        m = form.fullmatch(value)
        if m:
            parts = m.groupdict()
            im = parts.get("im")
            if im is not None and im in ("", "+", "-"):
                im += "1"
            return complex(float(parts.get("re") or 0.0), float(im or 0.0)), parts.get("sfx")
    raise Fail(NUM)


def _suffix(suffixes) -> str:
    found = {s for s in suffixes if s}
    if len(found) > 1:
        raise Fail(VALUE)
    return found.pop() if found else "i"


def _part(x: float) -> str:
    """A part as Excel writes a number made text (numfmt.number_text: 15 significant digits, plain
    decimals unless tiny or huge)."""
    return number_text(x + 0.0)


def format_complex(z: complex, suffix: str = "i") -> str:
    x, y = z.real, z.imag
    if not (math.isfinite(x) and math.isfinite(y)):
        raise Fail(NUM)
    x, y = float(f"{x:.15g}"), float(f"{y:.15g}")
    if y == 0:
        return _part(x)
    imag = {1.0: "", -1.0: "-"}.get(y, None)
    imag = _part(y) if imag is None else imag
    if x == 0:
        return f"{imag}{suffix}"
    sign = "+" if y > 0 else ""
    return f"{_part(x)}{sign}{imag}{suffix}"


def complex_(real_num, i_num, suffix="i"):
    x, y = to_number(real_num), to_number(i_num)
    if isinstance(suffix, FormulasError):
        raise Fail(suffix)
    if suffix is sh.EMPTY or suffix == "":
        suffix = "i"
    if suffix not in ("i", "j"):
        raise Fail(VALUE)
    return format_complex(complex(x, y), suffix)


def _unary(func):
    """An IM function of one complex number returning a complex number in the same suffix."""
    def call(inumber):
        z, sfx = parse(inumber)
        try:
            out = func(z)
        except (ValueError, OverflowError, ZeroDivisionError):
            raise Fail(NUM) from None
        return format_complex(out, sfx or "i")
    return call


def _real(func):
    def call(inumber):
        return func(parse(inumber)[0])
    return call


def _argument(z: complex) -> float:
    if z == 0:
        raise Fail(DIV0)
    return math.atan2(z.imag, z.real)


def _ln(z: complex) -> complex:
    if z == 0:
        raise Fail(NUM)
    return complex(math.log(abs(z)), math.atan2(z.imag, z.real))


def _polar_power(z: complex, n: float) -> complex:
    """z**n as r**n (cos nθ + i sin nθ), as Excel computes it."""
    if z == 0:
        if n <= 0:
            raise Fail(NUM)
        return complex(0.0)
    r, theta = abs(z), math.atan2(z.imag, z.real)
    rn = r ** n
    return complex(rn * math.cos(n * theta), rn * math.sin(n * theta))


def _sin(z: complex) -> complex:
    x, y = z.real, z.imag
    return complex(math.sin(x) * math.cosh(y), math.cos(x) * math.sinh(y))


def _cos(z: complex) -> complex:
    x, y = z.real, z.imag
    return complex(math.cos(x) * math.cosh(y), -math.sin(x) * math.sinh(y))


def _sinh(z: complex) -> complex:
    x, y = z.real, z.imag
    return complex(math.sinh(x) * math.cos(y), math.cosh(x) * math.sin(y))


def _cosh(z: complex) -> complex:
    x, y = z.real, z.imag
    return complex(math.cosh(x) * math.cos(y), math.sinh(x) * math.sin(y))


def _over(numerator: complex, denominator: float) -> complex:
    if denominator == 0:
        raise Fail(NUM)
    return complex(numerator.real / denominator, numerator.imag / denominator)


def _tan(z: complex) -> complex:
    """(sin 2x + i sinh 2y) / (cos 2x + cosh 2y): keeps the tiny real part of a large y that
    sin(z)/cos(z) loses to cancellation."""
    x2, y2 = 2 * z.real, 2 * z.imag
    return _over(complex(math.sin(x2), math.sinh(y2)), math.cos(x2) + math.cosh(y2))


def _cot(z: complex) -> complex:
    """(sin 2x - i sinh 2y) / (cosh 2y - cos 2x), for the same reason; on an axis, the real
    cot x or -i coth y (the general form's denominator cancels to 0 for a tiny x)."""
    if z.imag == 0:
        return complex(1 / math.tan(z.real), 0.0)
    if z.real == 0:
        return complex(0.0, -1 / math.tanh(z.imag))
    x2, y2 = 2 * z.real, 2 * z.imag
    return _over(complex(math.sin(x2), -math.sinh(y2)), math.cosh(y2) - math.cos(x2))


def _sec(z: complex) -> complex:
    """2 (cos x cosh y + i sin x sinh y) / (cos 2x + cosh 2y), like tan and cot in double-angle
    form (1/cos(z) differs in the 15th digit: IMSEC("4+3i") is -0.0652940278579471-...)."""
    x, y = z.real, z.imag
    return _over(2 * complex(math.cos(x) * math.cosh(y), math.sin(x) * math.sinh(y)),
                 math.cos(2 * x) + math.cosh(2 * y))


def _sech(z: complex) -> complex:
    x, y = z.real, z.imag
    return _over(2 * complex(math.cosh(x) * math.cos(y), -math.sinh(x) * math.sin(y)),
                 math.cosh(2 * x) + math.cos(2 * y))


def _divide(a: complex, b: complex) -> complex:
    """a/b; csc and csch are 1/sin and 1/sinh so: their double-angle forms subtract
    (cosh 2y - cos 2x), which cancels to 0 for a tiny argument where IMCSC("1E-16") is 1E+16."""
    if b == 0:
        raise Fail(NUM)
    return a / b


def impower(inumber, number):
    z, sfx = parse(inumber)
    n = to_number(number)
    return format_complex(_polar_power(z, n), sfx or "i")


def imdiv(inumber1, inumber2):
    (a, s1), (b, s2) = parse(inumber1), parse(inumber2)
    return format_complex(_divide(a, b), _suffix((s1, s2)))


def imsub(inumber1, inumber2):
    (a, s1), (b, s2) = parse(inumber1), parse(inumber2)
    return format_complex(a - b, _suffix((s1, s2)))


def _fold(func, start: complex):
    """IMSUM, IMPRODUCT: every value of every argument (ranges included, a blank is 0)."""
    def call(*args):
        try:
            parsed = [parse(v) for v in flat_values(args)]
            total = start
            for z, _ in parsed:
                total = func(total, z)
            return format_complex(total, _suffix(s for _, s in parsed))
        except Fail as fail:
            return fail.err
    return call


_UNARY = {
    "IMCONJUGATE": lambda z: z.conjugate(),
    "IMSQRT": lambda z: _polar_power(z, 0.5),
    "IMEXP": cmath.exp,
    "IMLN": _ln,
    "IMLOG10": lambda z: _ln(z) / math.log(10),
    "IMLOG2": lambda z: _ln(z) / math.log(2),
    "IMSIN": _sin,
    "IMCOS": _cos,
    "IMTAN": _tan,
    "IMCOT": _cot,
    "IMSEC": _sec,
    "IMCSC": lambda z: _divide(1, _sin(z)),
    "IMSINH": _sinh,
    "IMCOSH": _cosh,
    "IMSECH": _sech,
    "IMCSCH": lambda z: _divide(1, _sinh(z)),
}
_REAL = {
    "IMREAL": lambda z: z.real,
    "IMAGINARY": lambda z: z.imag,
    "IMABS": abs,
    "IMARGUMENT": _argument,
}

REPLACEMENTS: dict = {
    "COMPLEX": wrap_func(elementwise(complex_)),
    "IMPOWER": wrap_func(elementwise(impower)),
    "IMDIV": wrap_func(elementwise(imdiv)),
    "IMSUB": wrap_func(elementwise(imsub)),
    "IMSUM": wrap_func(_fold(lambda a, b: a + b, complex(0.0))),
    "IMPRODUCT": wrap_func(_fold(lambda a, b: a * b, complex(1.0))),
}
REPLACEMENTS.update({name: wrap_func(elementwise(_unary(f))) for name, f in _UNARY.items()})
REPLACEMENTS.update({name: wrap_func(elementwise(_real(f))) for name, f in _REAL.items()})
REPLACEMENTS.update({"_XLFN." + name: func for name, func in list(REPLACEMENTS.items())})
