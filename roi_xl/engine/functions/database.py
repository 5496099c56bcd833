"""Excel's database functions (DSUM, DAVERAGE, DCOUNT, DCOUNTA, DGET, DMAX, DMIN, DPRODUCT,
DSTDEV, DSTDEVP, DVAR, DVARP), which `formulas` 1.3.4 lacks.

`=DSUM(database, field, criteria)`: the database's first row holds the column labels, the rest
are records. `field` is a label (matched case-insensitively; a number or TRUE/FALSE label matches
its text) or a 1-based column number (truncated; TRUE is 1). The criteria range's first row names
columns, each row below is one alternative (rows are OR-ed, the cells of a row AND-ed); an empty
cell sets no condition, so an empty row admits every record. A condition is:
- a number or TRUE/FALSE: equal values of the same type;
- text with an operator (`>100`, `<=2024-07-01`, `<>a`, `=Apple`): numbers (also typed as dates)
  compare with numbers only, text compares with text case-insensitively; `=text` is an exact match
  and `<>text` its negation (an error value is "not equal" to anything);
- text without operator (`East`, `G*`): records whose text begins with it; `*`, `?` are wildcards
  and `~` escapes them (Excel's advanced-filter rule, unlike COUNTIF's whole-text match).
A criteria label that names no database column makes a non-empty condition under it unsatisfiable;
a criteria range whose labels are all non-text admits nothing.
"""
from __future__ import annotations

import math

import numpy as np
import schedula as sh
from formulas.functions import XlError as FormulasError
from formulas.functions import wrap_func

from ..criteria import Wildcard
from ..text_number import text_to_number
from ._args import DIV0, NUM, VALUE
from ._args import Fail as _Fail
from ._args import grid as _grid
from ._args import is_number as _is_number


def _is_text(v) -> bool:
    return isinstance(v, str) and not isinstance(v, FormulasError)


def _label(v) -> str | None:
    """A header cell's text as matched against a field name or a criteria label."""
    if isinstance(v, FormulasError) or v is sh.EMPTY:
        return None
    if isinstance(v, (bool, np.bool_)):
        return "TRUE" if v else "FALSE"
    if _is_number(v):
        f = float(v)
        return str(int(f)) if f.is_integer() else repr(f)
    return str(v)


def _field_column(header: np.ndarray, field) -> int:
    f = _grid(field)
    if f.size != 1:
        raise _Fail(VALUE)  # a range of several cells is no field
    f = f[0, 0]
    if isinstance(f, FormulasError):
        raise _Fail(f)
    if isinstance(f, (bool, np.bool_)) or _is_number(f):
        index = math.floor(float(f))
        if not 1 <= index <= len(header):
            raise _Fail(VALUE)
        return index - 1
    wanted = "" if f is sh.EMPTY else str(f).lower()
    for i, h in enumerate(header):
        text = _label(h)
        if text is not None and text.lower() == wanted:
            return i
    raise _Fail(VALUE)


_OPERATORS = ("<>", ">=", "<=", ">", "<", "=")


def _condition(crit):
    """A one-argument test for the database values under one criteria cell (None: no test)."""
    if crit is sh.EMPTY:
        return None
    if isinstance(crit, FormulasError):
        return lambda v: False
    if isinstance(crit, (bool, np.bool_)):
        return lambda v: isinstance(v, (bool, np.bool_)) and bool(v) == bool(crit)
    if _is_number(crit):
        return lambda v: _is_number(v) and float(v) == float(crit)
    text = str(crit)
    op = next((o for o in _OPERATORS if text.startswith(o)), "")
    operand = text[len(op):]
    n = text_to_number(operand)
    if n is not None:
        test = {"": lambda v: v == n, "=": lambda v: v == n, "<>": lambda v: v != n,
                ">": lambda v: v > n, ">=": lambda v: v >= n, "<": lambda v: v < n,
                "<=": lambda v: v <= n}[op]
        if op == "<>":
            return lambda v: not (_is_number(v) and float(v) == n)
        return lambda v: _is_number(v) and test(float(v))
    if op in ("", "=", "<>"):
        if op == "" and operand == "":
            return None
        if op in ("=", "<>") and operand == "":  # "=" is a blank record, "<>" a non-blank one
            blank = lambda v: v is sh.EMPTY or v == ""  # noqa: E731
            return blank if op == "=" else (lambda v: not blank(v))
        match = Wildcard(operand, prefix=op == "").fullmatch
        hit = lambda v: _is_text(v) and match(v)  # noqa: E731
        return hit if op != "<>" else (lambda v: not hit(v))
    low = operand.lower()
    cmp = {">": lambda a: a > low, ">=": lambda a: a >= low, "<": lambda a: a < low,
           "<=": lambda a: a <= low}[op]
    return lambda v: _is_text(v) and cmp(v.lower())


def _matching_rows(database: np.ndarray, criteria: np.ndarray) -> list[int]:
    header, records = database[0], database[1:]
    labels = criteria[0]
    texts = [_label(h) if _is_text(h) or isinstance(h, (bool, np.bool_)) or _is_number(h) else None
             for h in labels]
    if all(t is None for t in texts):
        return []  # no usable label: nothing matches
    if criteria.shape[0] == 1:
        return list(range(len(records)))
    db_labels = [(_label(h) or "\x00").lower() for h in header]
    columns = [db_labels.index(t.lower()) if t is not None and t.lower() in db_labels else None
               for t in texts]
    alternatives = []
    for row in criteria[1:]:
        tests = []
        for col, text, crit in zip(columns, texts, row):
            test = _condition(crit)
            if test is None or text is None:
                continue
            tests.append((col, test))
        alternatives.append(tests)
    out = []
    for i, record in enumerate(records):
        for tests in alternatives:
            if all(col is not None and test(record[col]) for col, test in tests):
                out.append(i)
                break
    return out


def _field_values(database, field, criteria) -> list:
    database, criteria = _grid(database), _grid(criteria)
    if database.shape[0] < 2:
        raise _Fail(VALUE)  # a database needs a record below its labels
    col = _field_column(database[0], field)
    return [database[1 + r, col] for r in _matching_rows(database, criteria)]


def _numbers(values) -> list[float]:
    return [float(v) for v in values if _is_number(v)]


def _variance(values, sample: bool):
    xs = _numbers(values)
    n = len(xs)
    if n < (2 if sample else 1):
        raise _Fail(DIV0)
    mean = math.fsum(xs) / n
    return math.fsum((x - mean) ** 2 for x in xs) / (n - 1 if sample else n)


def _average(values):
    xs = _numbers(values)
    if not xs:
        raise _Fail(DIV0)
    return math.fsum(xs) / len(xs)


def _get(values):
    if not values:
        raise _Fail(VALUE)
    if len(values) > 1:
        raise _Fail(NUM)
    v = values[0]
    return 0 if v is sh.EMPTY else v


def _product(values):
    xs = _numbers(values)
    return math.prod(xs) if xs else 0.0


_AGGREGATES = {
    "DSUM": lambda vs: math.fsum(_numbers(vs)),
    "DAVERAGE": _average,
    "DCOUNT": lambda vs: len(_numbers(vs)),
    "DCOUNTA": lambda vs: sum(v is not sh.EMPTY for v in vs),
    "DGET": _get,
    "DMAX": lambda vs: max(_numbers(vs), default=0.0),
    "DMIN": lambda vs: min(_numbers(vs), default=0.0),
    "DPRODUCT": _product,
    "DSTDEV": lambda vs: math.sqrt(_variance(vs, True)),
    "DSTDEVP": lambda vs: math.sqrt(_variance(vs, False)),
    "DVAR": lambda vs: _variance(vs, True),
    "DVARP": lambda vs: _variance(vs, False),
}


def database_function(name: str):
    aggregate = _AGGREGATES[name]

    def call(database, field, criteria):
        try:
            result = aggregate(_field_values(database, field, criteria))
        except _Fail as fail:
            result = fail.err
        return np.asarray([[result]], object)

    call.__name__ = name.lower()
    return call


REPLACEMENTS = {name: wrap_func(database_function(name)) for name in _AGGREGATES}
