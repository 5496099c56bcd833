"""SUM, AVERAGE, MIN, MAX, COUNT, PRODUCT and the statistical aggregates, with Excel's rule for
what counts as a number (formulas 1.3.4 counted numeric text in ranges, SUM of "3" in a cell gave
3, and failed with #VALUE! on a range holding text or booleans):

- a reference or an array (a range, {1,"a"}, A1:A3>1): only its numbers count; text, TRUE/FALSE and
  blanks are skipped, an error is the result;
- a value typed or computed as an argument (5, "3", TRUE, A1&B1): TRUE/FALSE are 1/0, text is read
  as a number or is #VALUE!, an error is the result.
COUNT counts instead of converting: a direct argument counts when it is a number, TRUE/FALSE or
numeric text, and errors are never counted nor returned. COUNTA counts every value but a blank cell.
AVERAGEA takes TRUE/FALSE in a range as 1/0 and its text as 0. SMALL and LARGE convert a direct
first argument (=SMALL("3.4",1) is 3.4, =SMALL("a",1) #VALUE!).

`formulas` hands a referenced range to a function as a plain numpy array and a computed value as
its `Array` subclass (a literal as a Python scalar); that is how the two cases are told apart.
"""
from __future__ import annotations

import math
import statistics

import numpy as np
import schedula as sh
from formulas.functions import Array, wrap_func
from formulas.functions import XlError as FormulasError

from ..function_table import deferred
from ._args import DIV0, NUM, Fail, is_number, to_number, whole


def _is_collection(arg) -> bool:
    """A range or an array (skip non-numbers) rather than one value (convert it)."""
    if isinstance(arg, Array):
        return arg.size != 1
    return isinstance(arg, np.ndarray)


def numbers(args) -> list[float]:
    """The numbers of the arguments by Excel's rule; raises Fail with the first error."""
    out: list[float] = []
    for arg in args:
        if _is_collection(arg):
            for v in np.asarray(arg, object).ravel():
                if isinstance(v, FormulasError):
                    raise Fail(v)
                if is_number(v):
                    out.append(float(v))
        else:
            v = np.asarray(arg, object).ravel()[0] if isinstance(arg, np.ndarray) else arg
            if v is sh.EMPTY:
                continue  # an empty argument, =SUM(A1,)
            out.append(to_number(v))
    return out


def count(*args) -> float:
    n = 0
    for arg in args:
        if _is_collection(arg):
            n += sum(is_number(v) for v in np.asarray(arg, object).ravel())
            continue
        v = np.asarray(arg, object).ravel()[0] if isinstance(arg, np.ndarray) else arg
        if isinstance(arg, np.ndarray) and not isinstance(arg, Array):
            n += is_number(v)  # one referenced cell: only a number counts
            continue
        if isinstance(v, FormulasError) or v is sh.EMPTY:
            continue
        try:
            to_number(v)
            n += 1
        except Fail:
            pass
    return float(n)


def counta(*args) -> float:
    n = 0
    for arg in args:
        if _is_collection(arg):
            n += sum(v is not sh.EMPTY for v in np.asarray(arg, object).ravel())
        else:
            v = np.asarray(arg, object).ravel()[0] if isinstance(arg, np.ndarray) else arg
            n += v is not sh.EMPTY
    return float(n)


def _numbers_a(args) -> list[float]:
    """AVERAGEA's values: in a range TRUE/FALSE are 1/0 and text 0; direct arguments as numbers()."""
    out: list[float] = []
    for arg in args:
        if not _is_collection(arg):
            out.extend(numbers([arg]))
            continue
        for v in np.asarray(arg, object).ravel():
            if isinstance(v, FormulasError):
                raise Fail(v)
            if v is not sh.EMPTY:
                out.append(float(v) if is_number(v) or isinstance(v, (bool, np.bool_)) else 0.0)
    return out


def _typed_values(values):
    """SMALL/LARGE's first argument: a direct value converted to a number, a range as it is."""
    if _is_collection(values) or (isinstance(values, np.ndarray) and not isinstance(values, Array)):
        return values
    v = np.asarray(values, object).ravel()[0] if isinstance(values, np.ndarray) else values
    try:
        return np.asarray([[to_number(v)]], object)
    except Fail as fail:
        return fail.err


def _mean(xs):
    if not xs:
        raise Fail(DIV0)
    return math.fsum(xs) / len(xs)


def _ss(xs):
    m = math.fsum(xs) / len(xs)
    return math.fsum((x - m) ** 2 for x in xs)


def _var(xs, sample=True):
    if len(xs) < (2 if sample else 1):
        raise Fail(DIV0)
    return _ss(xs) / (len(xs) - 1 if sample else len(xs))


def _positive(xs):
    if not xs or any(x <= 0 for x in xs):
        raise Fail(NUM)
    return xs


def _geomean(xs):
    xs = _positive(xs)
    return math.exp(math.fsum(math.log(x) for x in xs) / len(xs))


def _harmean(xs):
    xs = _positive(xs)
    return len(xs) / math.fsum(1 / x for x in xs)


def _median(xs):
    if not xs:
        raise Fail(NUM)
    return float(statistics.median(xs))


def _standardized(xs, min_n: int, sample: bool = True) -> list[float]:
    """(x - mean) / standard deviation of each x; #DIV/0! below min_n values or with no spread."""
    if len(xs) < min_n:
        raise Fail(DIV0)
    s = math.sqrt(_var(xs, sample))
    if s == 0:
        raise Fail(DIV0)
    m = math.fsum(xs) / len(xs)
    return [(x - m) / s for x in xs]


def _skew(xs):
    n = len(xs)
    return n / ((n - 1) * (n - 2)) * math.fsum(z ** 3 for z in _standardized(xs, 3))


def _skew_p(xs):
    return math.fsum(z ** 3 for z in _standardized(xs, 1, sample=False)) / len(xs)


def _kurt(xs):
    n = len(xs)
    q = math.fsum(z ** 4 for z in _standardized(xs, 4))
    return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * q - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))


def _avedev(xs):
    m = _mean(xs) if xs else _fail(NUM)
    return math.fsum(abs(x - m) for x in xs) / len(xs)


def _fail(err):
    raise Fail(err)


def _sum(xs):
    total = 0.0
    for x in xs:  # left to right, as Excel adds
        total += x
    return total


# The aggregates that read their arguments' numbers by numbers(): each one's reduction of them. The
# plan calls these same reductions on the numbers its own values hold (fastcalc._aggregate).
AGGREGATES = {
    "SUM": _sum,
    "AVERAGE": _mean,
    "MIN": lambda xs: min(xs, default=0.0),
    "MAX": lambda xs: max(xs, default=0.0),
    "PRODUCT": lambda xs: math.prod(xs) if xs else 0.0,
    "GEOMEAN": _geomean,
    "HARMEAN": _harmean,
    "MEDIAN": _median,
    "STDEV": lambda xs: math.sqrt(_var(xs)),
    "STDEVP": lambda xs: math.sqrt(_var(xs, False)),
    "VAR": _var,
    "VARP": lambda xs: _var(xs, False),
    "DEVSQ": lambda xs: _ss(xs) if xs else _fail(NUM),
    "AVEDEV": _avedev,
    "KURT": _kurt,
    "SKEW": _skew,
    "_XLFN.SKEW.P": _skew_p,
}
ALIASES = {"_XLFN.STDEV.S": "STDEV", "_XLFN.STDEV.P": "STDEVP", "_XLFN.VAR.S": "VAR",
            "_XLFN.VAR.P": "VARP", "STDEV.S": "STDEV", "STDEV.P": "STDEVP", "VAR.S": "VAR",
            "VAR.P": "VARP", "SKEW.P": "_XLFN.SKEW.P"}


def aggregate(name: str, func=None, values=numbers):
    """The function `name`: func (default AGGREGATES[name]) of the arguments' values."""
    func = func or AGGREGATES[name]
    call = whole(lambda *args: func(values(args)))
    call.__name__ = name.lower()
    return call


REPLACEMENTS = {name: wrap_func(aggregate(name)) for name in AGGREGATES}
REPLACEMENTS.update({alias: REPLACEMENTS[name] for alias, name in ALIASES.items()})
REPLACEMENTS["COUNT"] = wrap_func(whole(count))
REPLACEMENTS["COUNTA"] = wrap_func(whole(counta))
REPLACEMENTS["AVERAGEA"] = wrap_func(aggregate("AVERAGEA", _mean, _numbers_a))

# formulas' own SMALL and LARGE, looked up when called: its stat module imports scipy, which SUM,
# COUNT and the rest of this module (on most workbooks' path) do not need.
_SMALL_LARGE = {name: deferred("formulas.functions.stat", "FUNCTIONS", name) for name in ("SMALL", "LARGE")}
REPLACEMENTS.update({name: wrap_func(lambda values, k, _f=f: _f(_typed_values(values), k))
                     for name, f in _SMALL_LARGE.items()})
