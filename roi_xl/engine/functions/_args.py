"""Argument handling shared by the engine's function modules, following Excel's coercion rules:
a number is itself, TRUE/FALSE are 1/0, a blank is 0, text is read as a number (or a date) or is
#VALUE!, an error is returned as the result. Arrays broadcast element by element."""
from __future__ import annotations

import functools
import re

import numpy as np
import schedula as sh
from formulas.functions import Array, Error, XlError, _text2num

VALUE = Error.errors["#VALUE!"]
NUM = Error.errors["#NUM!"]
DIV0 = Error.errors["#DIV/0!"]
NA = Error.errors["#N/A"]


class Fail(Exception):
    """An Excel error value as the result of a function."""

    def __init__(self, err):
        self.err = err


def grid(value) -> np.ndarray:
    a = np.asarray(value, object)
    return a.reshape(1, 1) if a.ndim == 0 else a.reshape(1, -1) if a.ndim == 1 else a


def scalar(value):
    """A one-cell argument's value; a range of more cells is #VALUE!, an error is the result."""
    g = grid(value)
    if g.size != 1:
        raise Fail(VALUE)
    v = g[0, 0]
    if isinstance(v, XlError):
        raise Fail(v)
    return v


def is_number(v) -> bool:
    return isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))


def to_number(v) -> float:
    """One value as Excel turns an argument into a number."""
    if isinstance(v, XlError):
        raise Fail(v)
    if v is sh.EMPTY:
        return 0.0
    if isinstance(v, (bool, np.bool_)):
        return float(v)
    if isinstance(v, str):
        return text_to_number(v)
    return float(v)


# A number as text: spaces around it, a sign, thousands separators, an exponent, a currency sign
# before or after, a percent sign. The Excel that saved the conformance workbooks took "€100",
# "100€" and "8%" (its currency is the euro; "$" is en-US Excel's).
_NUMBER_TEXT = re.compile(r"""\s*(?P<sign>[+-]?)\s*(?P<pre>[$€]?)\s*
    (?P<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?P<exp>[eE][+-]?\d+)?
    \s*(?P<post>[$€]?)\s*(?P<pct>%?)\s*""", re.VERBOSE)


def text_to_number(text: str) -> float:
    """Text where Excel expects a number (rules seen in Excel-saved workbooks): a number may have
    spaces around it (" 10 "), a date or time may not (" 2024-01-10 " is #VALUE!), and "--8" is no
    date."""
    m = _NUMBER_TEXT.fullmatch(text)
    if m and not (m["pre"] and m["post"]) and not (m["exp"] and (m["pre"] or m["post"])):
        exponent = int(m["exp"][1:]) if m["exp"] else 0
        exponent -= 2 if m["pct"] else 0  # "23.123%" is 23.123e-2, exactly as typed
        return float(f"{m['sign']}{m['digits'].replace(',', '')}e{exponent}")
    try:
        float(text)  # what Python reads but Excel does not: "inf", "nan", "1_000"
    except ValueError:
        n = _text2num(text) if text == text.strip() and not text.startswith("--") else text
        if not isinstance(n, str):
            return float(n)
    raise Fail(VALUE)


def as_result(out):
    if isinstance(out, float) and not np.isfinite(out):
        return NUM
    return out


def array_result(func):
    """func(*args) -> a value or a 2-D array, as formulas stores a result; a Fail becomes its
    error, an overflow or a non-finite number #NUM!."""
    @functools.wraps(func)
    def call(*args):
        try:
            out = as_result(func(*args))
        except Fail as fail:
            out = fail.err
        except OverflowError:
            out = NUM
        return grid(out).view(Array)
    return call


def elementwise(func):
    """func(*scalars) -> value, applied to scalars or broadcast over arrays; a Fail becomes its
    error in that element. Trailing arguments left out take func's own defaults."""
    @functools.wraps(func)
    def call(*args):
        arrays = [grid(a) for a in args]
        if all(a.size == 1 for a in arrays):
            return np.asarray([[_one(func, [a[0, 0] for a in arrays])]], object).view(Array)
        try:
            b = np.broadcast(*arrays)
        except ValueError:
            return np.asarray([[VALUE]], object).view(Array)
        out = np.empty(b.shape, object)
        for idx, values in zip(np.ndindex(*b.shape), b):
            out[idx] = _one(func, values)
        return out.view(Array)
    return call


def _one(func, values):
    try:
        return as_result(func(*values))
    except Fail as fail:
        return fail.err
    except (ValueError, OverflowError, ZeroDivisionError):
        return NUM
