"""Argument handling shared by the engine's function modules, following Excel's coercion rules:
a number is itself, TRUE/FALSE are 1/0, a blank is 0, text is read as a number (or a date) or is
#VALUE!, an error is returned as the result. Arrays broadcast element by element."""
from __future__ import annotations

import functools
import math

import numpy as np
import schedula as sh
from formulas.functions import Array, Error
from formulas.functions import XlError as FormulasError

from ...references import MAX_ARRAY_VALUES
from .. import text_number

VALUE = Error.errors["#VALUE!"]
NUM = Error.errors["#NUM!"]
DIV0 = Error.errors["#DIV/0!"]
NA = Error.errors["#N/A"]
# The text rewrite.py puts in place of an argument left empty where an empty argument is not the
# typed 0 `formulas` passes on (our catalogue functions, some built-ins via OMITTED_DEFAULTS).
OMITTED_MARKER = "__ROI_XL_OMITTED__"


def check_array_size(rows: float, columns: float) -> None:
    """Fail(#NUM!) when a rows x columns array would hold more than references.MAX_ARRAY_VALUES."""
    if rows * columns > MAX_ARRAY_VALUES:
        raise Fail(NUM)


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
    if isinstance(v, FormulasError):
        raise Fail(v)
    return v


def raise_first_error(args) -> None:
    """Excel's financial functions return the first error among their arguments, in order."""
    for value in args:
        if isinstance(value, FormulasError):
            raise Fail(value)


def is_number(v) -> bool:
    return isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))


def to_number(v) -> float:
    """One value as Excel turns an argument into a number."""
    if isinstance(v, FormulasError):
        raise Fail(v)
    if v is sh.EMPTY:
        return 0.0
    if isinstance(v, (bool, np.bool_)):
        return float(v)
    if isinstance(v, str):
        return text_to_number(v)
    return float(v)


def read_numbers(func):
    """func over floats, its arguments read as Excel reads numbers (to_number) once none of them is
    an error value (the first is the result, as formulas' wrap_ufunc checked before reading any:
    ROUND("abc", #N/A) is #N/A)."""
    def call(*args):
        raise_first_error(args)
        return func(*map(to_number, args))
    call.__name__ = getattr(func, "__name__", "call")
    return call


def text_to_number(text: str) -> float:
    """Text where Excel expects a number, read by the engine's one rule (text_number.text_to_number:
    numbers, times, dates; codes such as "M1" are not), else #VALUE!."""
    number = text_number.text_to_number(text)
    if number is None:
        raise Fail(VALUE)
    return number


def as_result(out):
    if isinstance(out, float) and not math.isfinite(out):  # np.float64 too; math's is the cheaper call
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
            return np.asarray([[call_guarded(func, [a[0, 0] for a in arrays])]], object).view(Array)
        try:
            b = np.broadcast(*arrays)
        except ValueError:
            return np.asarray([[VALUE]], object).view(Array)
        out = np.empty(b.shape, object)
        for idx, values in zip(np.ndindex(*b.shape), b):
            out[idx] = call_guarded(func, values)
        return out.view(Array)
    return call


def whole(func):
    """func(*arguments) -> one value, each argument passed whole (a range as its 2-D array); a
    Fail becomes its error, a non-finite number #NUM!."""
    @functools.wraps(func)
    def call(*args):
        return np.asarray([[call_guarded(func, args)]], object).view(Array)
    return call


def call_guarded(func, values):
    """func(*values) as a cell's result: its Fail's error, #NUM! for a math error."""
    try:
        return as_result(func(*values))
    except Fail as fail:
        return fail.err
    except (ValueError, OverflowError, ZeroDivisionError):
        return NUM


def flat_values(args):
    """Every value of every argument, ranges flattened row by row."""
    for a in args:
        yield from grid(a).ravel()
