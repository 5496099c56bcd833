"""FLOOR, CEILING, FLOOR.MATH, CEILING.MATH, FLOOR.PRECISE, CEILING.PRECISE, ISO.CEILING, MROUND,
TRUNC, INT (roi_xl/engine/functions/rounding.py) through the real engine. Expected values: the
examples of Microsoft's support pages for each function ("doc"), or values Excel saved in the
ironcalc conformance workbooks calc_tests/MATH_AND_TRIGONOMETRY/FLOOR_CEILING.xlsx and
MROUND_TRUNC_INT.xlsx (cell named; those must match to the bit)."""
from __future__ import annotations

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

CELLS = {"A1": 7.1, "A2": 0.1, "A3": -7.1, "A4": -0.1, "A5": "eight", "A6": "2024-01-10",
         "A7": " 2024-01-10 ", "A8": "--8", "A9": "7.0e0", "A10": True,
         "A11": 1e-307, "A12": -1e-307}
CASES = {
    # doc examples
    "=FLOOR(3.7,2)": 2.0,
    "=FLOOR(-2.5,-2)": -2.0,
    "=FLOOR(2.5,-2)": XlError.NUM,
    "=FLOOR(1.58,0.1)": 1.5,
    "=FLOOR(0.234,0.01)": 0.23,
    "=CEILING(2.5,1)": 3.0,
    "=CEILING(-2.5,2)": -2.0,
    "=CEILING(-2.5,-2)": -4.0,
    "=CEILING(1.5,0.1)": 1.5,
    "=CEILING(0.234,0.01)": 0.24,
    "=_xlfn.FLOOR.MATH(24.3,5)": 20.0,
    "=_xlfn.FLOOR.MATH(6.7)": 6.0,
    "=_xlfn.FLOOR.MATH(-8.1,2)": -10.0,
    "=_xlfn.FLOOR.MATH(-5.5,2,-1)": -4.0,      # mode: a negative number goes toward zero
    "=_xlfn.CEILING.MATH(24.3,5)": 25.0,
    "=_xlfn.CEILING.MATH(6.7)": 7.0,
    "=_xlfn.CEILING.MATH(-8.1,2)": -8.0,
    "=_xlfn.CEILING.MATH(-5.5,2,-1)": -6.0,    # mode: a negative number goes away from zero
    "=_xlfn.FLOOR.PRECISE(-3.2,-1)": -4.0,
    "=_xlfn.FLOOR.PRECISE(3.2,1)": 3.0,
    "=_xlfn.FLOOR.PRECISE(-3.2,1)": -4.0,
    "=_xlfn.FLOOR.PRECISE(3.2,-1)": 3.0,
    "=_xlfn.FLOOR.PRECISE(3.2)": 3.0,
    "=_xlfn.CEILING.PRECISE(4.3)": 5.0,
    "=_xlfn.CEILING.PRECISE(-4.3)": -4.0,
    "=_xlfn.CEILING.PRECISE(4.3,2)": 6.0,
    "=_xlfn.CEILING.PRECISE(4.3,-2)": 6.0,
    "=_xlfn.CEILING.PRECISE(-4.3,-2)": -4.0,
    "=ISO.CEILING(4.3)": 5.0,
    "=ISO.CEILING(-4.3,2)": -4.0,
    "=ISO.CEILING(4.3,-2)": 6.0,
    # Excel-saved values (sheet FLOOR / CEILING of the conformance workbook)
    "=FLOOR(A1,A2)": 7.1000000000000005,       # FLOOR!C5: 71*0.1, not 7.0
    "=FLOOR(A3,A4)": -7.1000000000000005,      # FLOOR!H7
    "=CEILING(A1,A2)": 7.1000000000000005,     # CEILING!C5
    "=CEILING(A3,-7)": -14.0,                  # CEILING!J7
    "=FLOOR(-10,A6)": -45301.0,                # FLOOR!AD4: date text is its serial
    "=FLOOR(10,-1)": XlError.NUM,              # FLOOR!G3
    "=FLOOR(10,0)": XlError.DIV0,              # FLOOR!F3
    "=FLOOR(0,0)": 0.0,                        # FLOOR!F9
    "=CEILING(7.1,0)": 0.0,                    # CEILING!F5
    "=CEILING(TRUE,1)": 1.0,                   # CEILING!B14
    "=FLOOR(A5,1/0)": XlError.VALUE,           # FLOOR!W22: the first argument's text first
    "=CEILING(A5,NA())": XlError.VALUE,        # CEILING!Z22
    "=FLOOR(A1,A7)": XlError.VALUE,            # FLOOR!AE5: date text with spaces
    "=FLOOR(A1,A8)": XlError.VALUE,            # FLOOR!U5
    "=FLOOR(A1,A9)": 7.0,                      # FLOOR!V5
    "=FLOOR(A1,1/0)": XlError.DIV0,            # FLOOR!W5
    # doc examples
    "=MROUND(10,3)": 9.0,
    "=MROUND(-10,-3)": -9.0,
    "=MROUND(1.3,0.2)": 1.4,
    "=MROUND(5,-2)": XlError.NUM,
    "=TRUNC(8.9)": 8.0,
    "=TRUNC(-8.9)": -8.0,
    "=TRUNC(0.45)": 0.0,
    "=INT(8.9)": 8.0,
    "=INT(-8.9)": -9.0,
    # Excel-saved values (MROUND_TRUNC_INT.xlsx)
    "=MROUND(2.675,0.01)": 2.68,               # MROUND!C15
    "=MROUND(1.23456789,0.0001)": 1.2346000000000001,  # MROUND!C16
    "=MROUND(-7.5,5)": XlError.NUM,            # MROUND!C7
    "=MROUND(-7.5,-5)": -10.0,                 # MROUND!C8
    "=MROUND(5,0)": 0.0,
    "=MROUND(,5)": XlError.NA,                 # MROUND!C34: an argument left empty
    "=MROUND(5, )": XlError.NA,                # MROUND!C36                       # MROUND!C12
    "=MROUND(A10,2)": XlError.VALUE,           # MROUND!C51: no TRUE/FALSE
    "=MROUND(A7,7)": XlError.VALUE,            # MROUND!C32
    "=TRUNC(1.75,1)": 1.7,                     # TRUNC!C60
    "=TRUNC(7.5,-5)": 0.0,                     # TRUNC!C9
    "=TRUNC(10.2,0.5)": 10.0,                  # TRUNC!C13
    "=TRUNC(5,9.99999E+307)": 5.0,             # TRUNC!C58 (formulas looped on it)
    "=TRUNC(A10,2)": 1.0,                      # TRUNC!C51
    "=INT(-8.00001)": -9.0,                    # INT!B10
    "=INT(A7)": XlError.VALUE,                 # INT!B28
    # tiny constants in cells stay as stored (formulas' loader rounded them to 0)
    "=_xlfn.CEILING.MATH(A11)": 1.0,           # CEILING!B107-like: the next whole number up
    "=_xlfn.FLOOR.MATH(A12)": -1.0,            # the next whole number down
    "=CEILING(A11,1)": 1.0,
    "=_xlfn.CEILING.MATH(10,A11)": 10.0,       # CEILING!N97: 10/1e-307 = 1e308 is whole
    "=A11*1E+300": 1e-7,
}
DOC_ROUNDED = {"=MROUND(1.3,0.2)"}  # the doc shows 1.4; the double is 7*0.2


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("rounding") / "rounding.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_rounding_function(results, formula, expected):
    assert_excel_value(results[formula], expected, formula,
                       rel=1e-15 if formula in DOC_ROUNDED else 0.0)
