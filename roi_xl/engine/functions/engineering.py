"""Engineering functions `formulas` 1.3.4 gets wrong: the number-system conversions (BIN2DEC ...
OCT2HEX), BITAND/BITOR/BITXOR/BITLSHIFT/BITRSHIFT, DELTA and GESTEP, and CONVERT's missing units.
The complex-number functions are in complex.py, the Bessel functions in bessel.py.

Number systems, as Excel documents them: a binary, octal or hexadecimal number has at most 10
digits, the leftmost bit of a 10-digit one being the sign (two's complement); a negative result is
written with 10 digits whatever `places` says. `places` is truncated, must be 1..10 (a blank is 0,
#NUM!) and at least the result's length; TRUE/FALSE as a number or places is #VALUE!.
"""
from __future__ import annotations

import math

import numpy as np
import schedula as sh
from formulas.functions import XlError as FormulasError
from formulas.functions import eng as _formulas_eng
from formulas.functions import wrap_func

from ._args import NUM, VALUE, Fail, elementwise, to_number

_DIGITS = "0123456789ABCDEF"
_BASES = {"BIN": 2, "OCT": 8, "DEC": 10, "HEX": 16}


def _no_bool(v):
    if isinstance(v, (bool, np.bool_)):
        raise Fail(VALUE)
    return v


def _read(value, base: int) -> int:
    """A binary/octal/hex argument (text or a number written in that base) as a signed integer."""
    if isinstance(value, FormulasError):
        raise Fail(value)
    _no_bool(value)
    if value is sh.EMPTY:
        return 0
    if not isinstance(value, str):
        number = float(value)
        if not number.is_integer() or number < 0:
            raise Fail(NUM)
        value = str(int(number))
    text = value.upper()
    if len(text) > 10 or any(ch not in _DIGITS[:base] for ch in text):
        raise Fail(NUM)
    n = int(text, base) if text else 0
    full = base ** 10
    return n - full if n >= full // 2 else n


def _places(places) -> int | None:
    if places is None:
        return None
    p = math.trunc(to_number(_no_bool(places)))
    if not 1 <= p <= 10:
        raise Fail(NUM)
    return p


def _write(n: int, base: int, places: int | None) -> str:
    full = base ** 10
    if not -full // 2 <= n < full // 2:
        raise Fail(NUM)
    if n < 0:
        n += full
    text = ""
    while n:
        n, d = divmod(n, base)
        text = _DIGITS[d] + text
    text = text or "0"
    if places is not None:
        if len(text) > places:
            raise Fail(NUM)
        text = text.rjust(places, "0")
    return text


def _converter(source: int, target: int):
    def convert(number, places=None):
        if source == 10:
            n = math.trunc(to_number(_no_bool(number)))
        else:
            n = _read(number, source)
        if target == 10:
            return float(n)
        width = _places(places)
        if n < 0:
            width = None  # a negative number is always its 10 digits
        return _write(n, target, width)
    return convert


_BIT_LIMIT = 2 ** 48


def _bits(value) -> int:
    """A BIT* argument: a whole number 0 <= n < 2^48 (TRUE is 1, as Excel saved it)."""
    n = to_number(value)
    if not n.is_integer() or not 0 <= n < _BIT_LIMIT:
        raise Fail(NUM)
    return int(n)


def _shift(number, shift_amount, direction: int) -> float:
    n = _bits(number)
    s = math.trunc(to_number(shift_amount)) * direction
    if abs(s) > 53:
        raise Fail(NUM)
    out = n << s if s >= 0 else n >> -s
    if out >= _BIT_LIMIT:
        raise Fail(NUM)
    return float(out)


def delta(number1, number2=0.0):
    """1 when the two numbers are exactly equal (3.000000000000001 is not 3)."""
    return float(to_number(_no_bool(number1)) == to_number(_no_bool(number2)))


def gestep(number, step=0.0):
    return float(to_number(_no_bool(number)) >= to_number(_no_bool(step)))


# Units Excel's CONVERT knows that formulas' table lacks, in that table's base units
# (volume in litres, force in newtons). The pond takes the metric prefixes; the ton does not.
_PREFIXES = {"Y": 1e24, "Z": 1e21, "E": 1e18, "P": 1e15, "T": 1e12, "G": 1e9, "M": 1e6, "k": 1e3,
             "h": 1e2, "da": 1e1, "e": 1e1, "d": 1e-1, "c": 1e-2, "m": 1e-3, "u": 1e-6, "n": 1e-9,
             "p": 1e-12, "f": 1e-15, "a": 1e-18, "z": 1e-21, "y": 1e-24}
_EXTRA_UNITS = {"GRT": {"volume": 2831.6846592}, "pond": {"force": 9.80665e-3}}
_EXTRA_UNITS.update({p + "pond": {"force": 9.80665e-3 * f} for p, f in _PREFIXES.items()})


def _extend_units() -> None:
    """formulas reads its unit table once (cached); add Excel's missing units to it."""
    table = _formulas_eng._units()
    for unit, systems in _EXTRA_UNITS.items():
        table.setdefault(unit, systems)


_extend_units()

REPLACEMENTS: dict = {
    f"{a}2{b}": wrap_func(elementwise(_converter(_BASES[a], _BASES[b])))
    for a in _BASES for b in _BASES if a != b
}
REPLACEMENTS.update({
    "BITAND": wrap_func(elementwise(lambda a, b: float(_bits(a) & _bits(b)))),
    "BITOR": wrap_func(elementwise(lambda a, b: float(_bits(a) | _bits(b)))),
    "BITXOR": wrap_func(elementwise(lambda a, b: float(_bits(a) ^ _bits(b)))),
    "BITLSHIFT": wrap_func(elementwise(lambda n, s: _shift(n, s, 1))),
    "BITRSHIFT": wrap_func(elementwise(lambda n, s: _shift(n, s, -1))),
    "DELTA": wrap_func(elementwise(delta)),
    "GESTEP": wrap_func(elementwise(gestep)),
})
REPLACEMENTS.update({"_XLFN." + name: REPLACEMENTS[name]
                     for name in ("BITAND", "BITOR", "BITXOR", "BITLSHIFT", "BITRSHIFT")})
# formulas' own CONVERT, supplied from here so that the function table (which loads a family when one
# of its names is first used) imports this module, and with it the units added above, with it.
REPLACEMENTS.update({name: _formulas_eng.FUNCTIONS[name] for name in ("CONVERT", "_XLFN.CONVERT")})
