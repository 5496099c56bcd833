"""QUOTIENT, COMBIN, COMBINA, BASE, DECIMAL, GCD, LCM, SERIESSUM, MMULT, SUMSQ, ROMAN, ARABIC
(roi_xl/engine/functions/math.py) through the real engine; expected values worked by hand from
Excel's documented definitions."""
from __future__ import annotations

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

CELLS = {"A1": 10, "A2": 3, "A4": "12", "A5": 7.9, "A6": 4.9,   # A3 blank
         "A7": True, "A8": " 2024-01-10 ", "A9": "2024-01-10",
         # B1:C2 = [[1, 2], [3, 4]], B3:C3 = [[TRUE, 1]], D1:D2 = [[5], [6]], D3 = "8"
         "B1": 1, "C1": 2, "B2": 3, "C2": 4, "B3": True, "C3": 1, "D1": 5, "D2": 6, "D3": "8",
         "D4": "=1/0"}
CASES = {
    "=QUOTIENT(5,2)": 2.0,
    "=QUOTIENT(-5,2)": -2.0,               # truncated toward zero
    "=QUOTIENT(7.4,2.33)": 3.0,
    "=QUOTIENT(1,0)": XlError.DIV0,
    '=QUOTIENT("a",2)': XlError.VALUE,
    "=COMBIN(5,2)": 10.0,
    "=COMBIN(3,10)": XlError.NUM,
    "=COMBIN(10.9,3.9)": 120.0,            # C(10,3)
    "=COMBIN(-1,2)": XlError.NUM,
    "=COMBIN(A4,2)": 66.0,                 # numeric text
    "=COMBIN(1000,200)/1E+215": 6.617155560659313,
    "=_xlfn.COMBINA(5,2)": 15.0,           # C(6,2)
    "=_xlfn.COMBINA(0,0)": 1.0,
    "=_xlfn.COMBINA(0,5)": XlError.NUM,
    "=_xlfn.COMBINA(3,10)": 66.0,          # C(12,10)
    "=_xlfn.BASE(16,2)": "10000",
    "=_xlfn.BASE(255,16,4)": "00FF",
    "=_xlfn.BASE(0,2)": "0",
    "=_xlfn.BASE(-1,2)": XlError.NUM,
    "=_xlfn.BASE(5,1)": XlError.NUM,
    '=_xlfn.DECIMAL("FF",16)': 255.0,
    '=_xlfn.DECIMAL("zap",36)': 45745.0,   # 35*36^2 + 10*36 + 25
    '=_xlfn.DECIMAL("12",2)': XlError.NUM,
    "=GCD(24,36)": 12.0,
    "=GCD(A1,A2,A3)": 1.0,                 # the blank is skipped
    "=LCM(A1,A2,A3)": 30.0,
    "=LCM(4,6)": 12.0,
    "=LCM(0,5)": 0.0,
    "=GCD(0,5)": 5.0,
    "=GCD(-1,2)": XlError.NUM,
    "=GCD(A5,A6)": 1.0,                    # 7 and 4
    "=LCM(A5:A6)": 28.0,
    "=GCD(A3)": XlError.VALUE,             # nothing but a blank
    '=GCD("8",2)': 2.0,
    '=GCD("eight",2)': XlError.VALUE,
    # Analysis ToolPak rules Excel follows (seen in Excel-saved workbooks, GCD_LCM.xlsx)
    "=LCM(A2:A3)": 0.0,                    # a blank inside a range is 0 ...
    "=GCD(A2:A3)": 3.0,                    # ... so GCD(3, 0)
    "=GCD(A7,2)": XlError.VALUE,           # no TRUE/FALSE, from a cell ...
    "=LCM({4,TRUE,12})": XlError.VALUE,    # ... or an array
    "=LCM(,5)": XlError.NA,                # an argument left empty
    "=GCD(5,)": XlError.NA,
    "=LCM(2147483647,1073741823)": XlError.NUM,  # coprime: the product 2.3e18 passes 2^53
    "=LCM(A9,7)": 317107.0,                # 2024-01-10 is serial 45301 = 7*6471 + 4
    "=LCM(A8,7)": XlError.VALUE,           # a date with spaces around it is no number
    '=GCD(" 10 ",4)': 2.0,                 # a number with spaces around it is
    "=QUOTIENT(A7,1)": XlError.VALUE,      # a ToolPak function: no TRUE/FALSE
    # SERIESSUM(x, n, m, a) = sum of a_i * x^(n + i*m)
    "=SERIESSUM(2,0,1,{1,2,3})": 17.0,     # 1 + 2*2 + 3*4
    "=SERIESSUM(0.5,1,2,{2,2,2})": 1.3125,  # 2*(0.5 + 0.125 + 0.03125)
    "=SERIESSUM(-1,0,2,{1,2,3})": 6.0,     # even powers of -1
    "=SERIESSUM(0,0,2,{1,2,3})": XlError.NUM,  # 0^0
    "=SERIESSUM(0,1,1,{1,2,3})": 0.0,
    "=SERIESSUM(A7,0,1,{1,2})": XlError.VALUE,
    "=SERIESSUM(2,0,1,D1:D2)": 17.0,       # 5 + 6*2
    # MMULT: [[1,2],[3,4]] x [[5],[6]] = [[17],[39]]
    "=INDEX(MMULT(B1:C2,D1:D2),2,1)": 39.0,
    "=MMULT(B1:C1,D1:D2)": 17.0,
    "=MMULT(B1:C2,B1:C1)": XlError.VALUE,  # 2 columns against 1 row
    "=MMULT(B3:C3,D1:D2)": XlError.VALUE,  # TRUE is no number here
    "=MMULT(B1:C1,D2:D3)": XlError.VALUE,  # nor is text
    "=MMULT(B1:C1,D3:D4)": XlError.DIV0,   # an error is the result
    "=MMULT(,D1:D2)": XlError.VALUE,       # an omitted matrix
    "=MMULT(2,3)": 6.0,
    # SUMSQ: numbers in references only; typed arguments are converted
    "=SUMSQ(B1:C2)": 30.0,                 # 1 + 4 + 9 + 16
    "=SUMSQ(B3:D3)": 1.0,                  # TRUE and "8" in cells are skipped
    "=SUMSQ(D3)": 0.0,
    '=SUMSQ("8",TRUE,2)': 69.0,            # 64 + 1 + 4
    "=SUMSQ(D4,1)": XlError.DIV0,
    # ROMAN: form TRUE is 0 (classic), FALSE is 4 (simplified)
    "=ROMAN(499,TRUE)": "CDXCIX",
    "=ROMAN(499,FALSE)": "ID",
    "=ROMAN(499,4)": "ID",
    "=ROMAN(99,FALSE)": "IC",
    "=ROMAN(1999,0)": "MCMXCIX",           # M + CM + XC + IX
    "=ROMAN(1999,1)": "MLMVLIV",           # M + LM + VL + IV
    "=ROMAN(1999,2)": "MXMIX",             # M + XM + IX
    "=ROMAN(1999,3)": "MVMIV",             # M + VM + IV
    "=ROMAN(1999,4)": "MIM",               # M + IM
    "=ROMAN(3999)": "MMMCMXCIX",
    "=ROMAN(3999.99)": "MMMCMXCIX",        # decimals truncated
    "=ROMAN(5.99,1.9)": "V",               # both truncated: form 1
    "=ROMAN(0)": "",
    "=ROMAN(A3)": "",                      # a blank is 0
    "=ROMAN(A1,A3)": "X",                  # a blank form is 0
    "=ROMAN(A7)": "I",                     # TRUE is 1
    "=ROMAN(A4)": "XII",                   # numeric text
    '=ROMAN("12.5")': "XII",
    "=ROMAN(4000)": XlError.VALUE,         # 0 to 3999 only
    "=ROMAN(-1)": XlError.VALUE,
    "=ROMAN(10,5)": XlError.VALUE,         # forms 0 to 4 only
    "=ROMAN(10,-1)": XlError.VALUE,
    '=ROMAN("ten")': XlError.VALUE,
    '=ROMAN(10,"x")': XlError.VALUE,
    "=ROMAN(D4)": XlError.DIV0,            # the argument's error
    "=ROMAN(4000,D4)": XlError.DIV0,       # the form's error before the number's range
    # ARABIC: case and leading/trailing spaces ignored, a leading minus negates, "" is 0
    '=_xlfn.ARABIC("MCMXCIX")': 1999.0,
    '=_xlfn.ARABIC("mlmvliv")': 1999.0,   # 1000 + (1000-50) + (50-5) + (5-1)
    '=_xlfn.ARABIC("MIM")': 1999.0,
    '=_xlfn.ARABIC(" XIV ")': 14.0,
    '=_xlfn.ARABIC("-MMXI")': -2011.0,
    '=_xlfn.ARABIC("")': 0.0,
    "=_xlfn.ARABIC(A3)": 0.0,              # a blank
    '=_xlfn.ARABIC("IIII")': 4.0,         # not canonical, still summed
    '=_xlfn.ARABIC("XIXI")': 20.0,        # read right to left: I, X, -I, +X... 1 + 10 - 1 + 10
    '=_xlfn.ARABIC("X I")': XlError.VALUE,  # a space inside
    '=_xlfn.ARABIC("-")': XlError.VALUE,
    '=_xlfn.ARABIC("ABC")': XlError.VALUE,
    "=_xlfn.ARABIC(5)": XlError.VALUE,     # a number
    "=_xlfn.ARABIC(A7)": XlError.VALUE,    # TRUE
    "=_xlfn.ARABIC(D4)": XlError.DIV0,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("math") / "math.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_math_function(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)
