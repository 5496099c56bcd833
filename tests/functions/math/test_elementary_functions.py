"""Trigonometric, hyperbolic, EXP/LN/LOG, SQRT, SIGN, EVEN, ODD (roi_xl/engine/functions/elementary.py)
through the real engine, and Excel's reading of text as a number (functions/_args.text_to_number).

Expected values: worked by hand from the definitions, or Excel's own well-known results (SIN(PI()) is
1.22514845490862E-16 in Excel, COS(PI()/2) 6.1257422745431E-17: pi - fl(pi) computed with pi rounded
to a 64-bit significand, as the x87 FPU holds it; also cached in the ironcalc conformance workbooks
TRIGONOMETRIC.xlsx and trigonometric_functions.xlsx)."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

# pi to 40 digits, rounded by hand to a 64-bit significand: the x87 constant.
_PI_X87 = Fraction(round(Fraction("3.141592653589793238462643383279502884197") * 2 ** 62), 2 ** 62)
_X87_GAP = float(_PI_X87 - Fraction(math.pi))   # what SIN(PI()) gives in Excel

CELLS = {"A1": "2024-01-10", "A2": " 2024-01-10 ", "A3": "8%", "A4": "€100", "A5": "1,024",
         "A6": " 10 ", "A7": "inf", "A8": True}
CASES = {
    "=SIN(PI())": 1.22514845490862e-16,
    "=COS(PI()/2)": 6.1257422745431e-17,
    "=TAN(PI())": -1.22514845490862e-16,
    "=SIN(PI()/6)": 0.49999999999999994,            # sin(fl(pi/6)), far from a multiple of pi/2
    "=COS(0)": 1.0,
    "=_xlfn.COT(0)": XlError.DIV0,
    "=_xlfn.CSC(0)": XlError.DIV0,
    "=_xlfn.SEC(0)": 1.0,
    "=COS(2^27)": XlError.NUM,                      # Excel's limit: |number| < 2^27
    "=SIN(-2^27)": XlError.NUM,
    "=_xlfn.ACOT(0)": math.pi / 2,
    "=_xlfn.ACOT(-1)": 3 * math.pi / 4,            # ACOT's range is (0, pi)
    "=_xlfn.ACOT(9999999999999)": 1.0000000000001e-13,
    "=_xlfn.ACOTH(10)": 0.5 * math.log(11 / 9),
    "=_xlfn.ACOTH(1)": XlError.NUM,
    "=_xlfn.CSCH(1000)": 0.0,                       # 1/sinh: sinh overflows, the inverse is 0
    "=_xlfn.SECH(-1000)": 0.0,
    "=SINH(1000)": XlError.NUM,
    "=_xlfn.COTH(0)": XlError.DIV0,
    "=ASIN(2)": XlError.NUM,
    "=ATANH(1)": XlError.NUM,
    "=LOG(8,2)": 3.0,
    "=LOG(100)": 2.0,
    "=LOG(10,1)": XlError.DIV0,                     # divided by ln 1 = 0
    "=LOG(10,TRUE)": XlError.DIV0,
    "=LOG(-1)": XlError.NUM,
    "=LOG10(0)": XlError.NUM,
    "=LN(EXP(2))": 2.0,
    "=SQRT(-4)": XlError.NUM,
    "=SQRT(0)": 0.0,
    "=EVEN(1E+307)": 1e307,
    "=EVEN(-1.5)": -2.0,
    "=ODD(-1.5)": -3.0,
    "=ODD(0)": 1.0,
    "=ODD(2)": 3.0,
    "=EVEN(0)": 0.0,
    "=SIGN(-0.001)": -1.0,
    # text read as Excel reads a number
    "=EXP(A1)": XlError.NUM,                        # the date's serial 45301: e^45301 overflows
    "=SIGN(A1)": 1.0,
    "=SIGN(A2)": XlError.VALUE,                     # no spaces around a date
    "=EXP(A3)": math.exp(0.08),
    "=LN(A4)": math.log(100),                       # the euro is the saving Excel's currency
    "=SQRT(A5)": 32.0,                              # thousands separator
    "=SQRT(A6)": math.sqrt(10),                     # spaces around a number are fine
    "=EXP(A7)": XlError.VALUE,                      # Python's float("inf") is no Excel number
    "=_xlfn.COT(A8)": 1 / math.tan(1),
    '=ABS("-5%")': 0.05,
    '=ABS("--8")': XlError.VALUE,
}


def test_the_x87_gap_is_excels_sin_pi():
    assert _X87_GAP == pytest.approx(1.22514845490862e-16, rel=1e-14)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("elementary") / "elementary.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_elementary_function(results, formula, expected):
    assert_excel_value(results[formula], expected, formula, rel=1e-15)
