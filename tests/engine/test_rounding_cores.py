"""ROUND, ROUNDUP, ROUNDDOWN, MOD and TEXT as element-wise cores (functions/_args.elementwise): the
plan calls them directly (scalar_calls.direct). By hand, and against the entries they replace (the
same cores under formulas' wrap_ufunc), over a grid of one-cell arguments."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from formulas.functions import wrap_ufunc

from roi_xl.engine import excel_functions, scalar_calls
from roi_xl.engine.bind import from_formulas
from roi_xl.engine.excel_functions import xround, xrounddown, xroundup
from roi_xl.engine.fastcalc import _bridge
from roi_xl.engine.formulas_args import REFERENCE, formulas_value
from roi_xl.engine.function_table import get_functions
from roi_xl.engine.functions.math import xmod
from roi_xl.engine.functions.text import xtext
from roi_xl.excel import XlError

excel_functions.install()


def _call(name, *args):
    return from_formulas(get_functions()[name](*[np.asarray([[formulas_value(a)]], object) for a in args]))


@pytest.mark.parametrize("name, args, expected", [
    ("ROUND", (1.005, 2.0), 1.01),  # the 15-digit decimal, half away from zero
    ("ROUND", (-2.5, 0.0), -3.0),
    ("ROUND", (1234.5678, -2.0), 1200.0),
    ("ROUND", ("1,000.55", 1.0), 1000.6),  # numeric text by the engine's rule
    ("ROUND", ("50%", 1.0), 0.5),
    ("ROUND", ("abc", 1.0), XlError.VALUE),
    ("ROUND", ("abc", XlError.NA), XlError.NA),  # an error value before any argument is read
    ("ROUND", (True, None), 1.0),
    ("ROUNDUP", (0.21, 1.0), 0.3),
    ("ROUNDDOWN", (0.29, 2.0), 0.29),
    ("MOD", (7.0, 3.0), 1.0),
    ("MOD", (-7.0, 3.0), 2.0),  # the divisor's sign
    ("MOD", (7.0, 0.0), XlError.DIV0),
    ("MOD", (7.0, None), XlError.DIV0),
    ("MOD", (1e308, 3.0), XlError.NUM),  # issue 19: Excel's quotient limit
    ("MOD", ("1,000", 7.0), 6.0),
    ("MOD", (XlError.REF, XlError.NA), XlError.REF),
    ("TEXT", (1234.5, "#,##0.00"), "1,234.50"),
    ("TEXT", (0.5, "0%"), "50%"),
    ("TEXT", (True, "0"), "TRUE"),
    ("TEXT", (None, "0.0"), "0.0"),
    ("TEXT", (XlError.NA, "0"), XlError.NA),
])
def test_by_hand(name, args, expected):
    got = _call(name, *args)
    assert got == expected and type(got) is type(expected), (name, args, got)
    assert scalar_calls.direct(name, (REFERENCE,) * len(args), _bridge)(*args) == expected


# The entries these replace: the same cores under formulas' wrap_ufunc.
BEFORE = {"ROUND": wrap_ufunc(xround), "ROUNDUP": wrap_ufunc(xroundup), "ROUNDDOWN": wrap_ufunc(xrounddown),
          "MOD": wrap_ufunc(xmod), "TEXT": wrap_ufunc(xtext, input_parser=lambda *a: a, args_parser=lambda *a: a)}
GRID = [0.0, 3.0, -1.0, 2.75, -2.5, 1e308, 1 / 3, 1e-7, 1e15, "", "12.5", " 7 ", "1,000", "50%", "abc", True,
        False, None, XlError.NA, XlError.DIV0]
FORMATS = ["0.00", "#,##0.0", "yyyy-mm-dd", "@"]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy's, inside the old wrapper
@pytest.mark.parametrize("name", sorted(BEFORE))
def test_against_the_entries_replaced(name):
    """The one difference: text that Excel reads as a number and Python's float() refused ("1,000" is
    1000, "50%" 0.5: Excel's text-to-number rule, engine/text_number.py) is now read."""
    differences = 0
    for args in itertools.product(GRID + (FORMATS if name == "TEXT" else []), repeat=2):
        one_cell = [np.asarray([[formulas_value(a)]], object) for a in args]
        ours, before = from_formulas(get_functions()[name](*one_cell)), from_formulas(BEFORE[name](*one_cell))
        if type(ours) is type(before) and (ours == before or ours != ours and before != before):
            continue
        differences += 1
        assert before is XlError.VALUE and any(a in ("1,000", "50%") for a in args), (name, args, ours, before)
    assert differences < len(GRID) ** 2
