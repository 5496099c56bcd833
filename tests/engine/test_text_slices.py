"""LEFT, RIGHT, MID, LEN, UPPER, LOWER (functions/text_slices.py) and INT (functions/rounding.py):
the engine's own cores, by hand and against formulas' original implementation."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from formulas.functions import math as formulas_math
from formulas.functions import text as formulas_text

from roi_xl.engine import excel_functions
from roi_xl.engine.bind import from_formulas
from roi_xl.engine.formulas_args import formulas_value
from roi_xl.engine.function_table import get_functions
from roi_xl.excel import XlError

excel_functions.install()


def _call(name, *args):
    """`name` from the engine's table on one-cell arguments, as the formulas model calls it."""
    return from_formulas(get_functions()[name](*[np.asarray([[formulas_value(a)]], object) for a in args]))


@pytest.mark.parametrize("name, args, expected", [
    ("LEFT", ("hello", 2.0), "he"),
    ("LEFT", ("hello",), "h"),  # num_chars omitted: 1
    ("LEFT", ("hello", 0.0), ""),
    ("LEFT", ("hello", 99.0), "hello"),
    ("LEFT", ("hello", 2.9), "he"),  # truncated
    ("LEFT", ("hello", -1.0), XlError.VALUE),
    ("LEFT", ("hello", "2"), "he"),  # numeric text read as a number
    ("LEFT", ("hello", "1,000"), "hello"),
    ("LEFT", ("hello", "abc"), XlError.VALUE),
    ("LEFT", ("hello", True), "h"),
    ("LEFT", ("hello", None), ""),  # a blank count is 0
    ("LEFT", (1 / 3, 4.0), "0.33"),  # General format: 0.333333333333333
    ("LEFT", (1234.5, 2.0), "12"),
    ("LEFT", (True, 2.0), "TR"),
    ("LEFT", (None, 2.0), ""),
    ("LEFT", (XlError.NA, XlError.DIV0), XlError.NA),  # the first error wins
    ("LEFT", ("x", XlError.DIV0), XlError.DIV0),
    ("RIGHT", ("hello", 3.0), "llo"),
    ("RIGHT", ("hello",), "o"),
    ("RIGHT", ("hello", 0.0), ""),
    ("RIGHT", ("hello", 10.0), "hello"),
    ("RIGHT", ("hello", -1.0), XlError.VALUE),
    ("RIGHT", (12345.0, 2.0), "45"),
    ("MID", ("hello", 2.0, 3.0), "ell"),
    ("MID", ("hello", 5.0, 3.0), "o"),
    ("MID", ("hello", 6.0, 3.0), ""),  # past the end: ""
    ("MID", ("hello", 1.0, 0.0), ""),
    ("MID", ("hello", 0.0, 3.0), XlError.VALUE),  # start_num below 1
    ("MID", ("hello", 1.0, -1.0), XlError.VALUE),
    ("MID", ("hello", 2.5, 2.5), "el"),
    ("MID", ("x", "abc", XlError.NA), XlError.NA),  # an error value before any argument is read
    ("LEN", ("hello",), 5),
    ("LEN", ("",), 0),
    ("LEN", (None,), 0),
    ("LEN", (0.1 + 0.2,), 3),  # "0.3": 15 significant digits
    ("LEN", (False,), 5),
    ("LEN", (XlError.REF,), XlError.REF),
    ("UPPER", ("Straße ab",), "STRASSE AB"),  # Python's and formulas' str.upper
    ("UPPER", (12.5,), "12.5"),
    ("UPPER", (True,), "TRUE"),
    ("LOWER", ("ABC dé",), "abc dé"),
    ("LOWER", (None,), ""),
    ("LOWER", (XlError.NAME,), XlError.NAME),
    ("INT", (2.7,), 2.0),
    ("INT", (-1.5,), -2.0),
    ("INT", ("12.5",), 12.0),
    ("INT", (True,), 1.0),
    ("INT", (None,), 0.0),
    ("INT", ("abc",), XlError.VALUE),
    ("INT", (1e308,), 1e308),
    ("INT", (XlError.NA,), XlError.NA),
])
def test_by_hand(name, args, expected):
    got = _call(name, *args)
    assert got == expected and type(got) is type(expected), (name, args, got)


# formulas 1.3.4's own entries, before the engine replaced them.
ORIGINAL = {"LEFT": formulas_text.FUNCTIONS["LEFT"], "RIGHT": formulas_text.FUNCTIONS["RIGHT"],
            "MID": formulas_text.FUNCTIONS["MID"], "LEN": formulas_text.FUNCTIONS["LEN"],
            "UPPER": formulas_text.FUNCTIONS["UPPER"], "LOWER": formulas_text.FUNCTIONS["LOWER"],
            "INT": formulas_math.FUNCTIONS["INT"]}
ARITY = {"LEFT": 2, "RIGHT": 2, "MID": 3, "LEN": 1, "UPPER": 1, "LOWER": 1, "INT": 1}
GRID = [0.0, 3.0, -1.0, 2.7, -2.7, 1e308, 1 / 3, 1e-7, "", "12.5", "1,000", "abc", "Ünïß", True, False,
        None, XlError.NA, XlError.DIV0]


def _documented_fix(name, args, ours, theirs) -> bool:
    """The differences from formulas that are Excel's rules (the module docstrings cite them)."""
    counts = args if name == "INT" else args[1:]
    if any(isinstance(a, XlError) for a in args):
        return False  # errors: always formulas' answer (the first error value)
    # A count read by Excel's text-to-number rule: "12.5" is 12.5, "1,000" 1000, "" not a number
    # (#VALUE!); formulas read them with int()/float(), which refuses "12.5" and "1,000" and took "" as 0.
    if any(isinstance(c, str) and c in ("", "12.5", "1,000") for c in counts):
        return True
    if name == "INT":  # Excel's INT is a number (a double): INT(1E308) is 1E308, formulas #VALUE!
        return (isinstance(theirs, int) and ours == float(theirs)) or (args == (1e308,) and ours == 1e308)
    return False


@pytest.mark.parametrize("name", sorted(ORIGINAL))
def test_against_formulas(name):
    differences = 0
    for args in itertools.product(GRID, repeat=ARITY[name]):
        ours = _call(name, *args)
        theirs = from_formulas(ORIGINAL[name](*[np.asarray([[formulas_value(a)]], object) for a in args]))
        if type(ours) is type(theirs) and ours == theirs:
            continue
        differences += 1
        assert _documented_fix(name, args, ours, theirs), (name, args, ours, theirs)
    assert differences < len(GRID) ** ARITY[name]  # not a test that cannot fail: most agree
