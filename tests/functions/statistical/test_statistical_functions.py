"""SUM, AVERAGE, MIN, MAX, COUNT and the statistical aggregates (roi_xl/engine/functions/
statistical.py): in a range only numbers count, a typed argument is converted. Expected values
worked by hand from Excel's documentation ("arguments that are error values or text that cannot
be translated into numbers cause errors"; "if a range contains text, logical values or empty
cells, those values are ignored")."""
from __future__ import annotations

import math

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

# B2:B10 = 1, FALSE, 0, TRUE, "txt", blank, =1+2, "3" (text), 12: the numbers are 1, 0, 3, 12
CELLS = {f"B{row}": v for row, v in
         enumerate([1, False, 0, True, "txt", None, "=1+2", "3", 12], start=2) if v is not None}
CASES = {
    "=SUM(B2:B10)": 16.0,
    "=AVERAGE(B2:B10)": 4.0,
    "=MIN(B2:B10)": 0.0,
    "=MAX(B2:B10)": 12.0,
    "=COUNT(B2:B10)": 4.0,
    "=AVERAGE(B2,B3,B4,B5,B6,B7,B8,B9,B10)": 4.0,   # references to single cells skip too
    "=COUNT(B2,B3,B4,B5,B6,B7,B8,B9,B10)": 4.0,
    "=COUNTA(B2:B10)": 8.0,                          # every value but the blank
    '=COUNTA("Hola")': 1.0,
    '=COUNTA("Hola",1/0,B7)': 2.0,                   # an error counts, a blank cell does not
    # AVERAGEA: TRUE/FALSE in a range are 1/0, its text 0: (1+0+0+1+0+3+0+12) / 8
    "=AVERAGEA(B2:B10)": 17 / 8,
    '=AVERAGEA(B9&"2")': 32.0,                       # a computed "32" is converted
    '=AVERAGEA("abc")': XlError.VALUE,
    '=SMALL("3.4",1)': 3.4,                          # a typed value is converted
    "=SMALL(TRUE,1)": 1.0,
    '=SMALL("Hello",1)': XlError.VALUE,
    "=SMALL(B9,1)": XlError.NUM,                     # text in a referenced cell is skipped
    "=LARGE(B2:B10,2)": 3.0,
    "=PRODUCT(B2:B10)": 0.0,
    "=PRODUCT(B8:B10)": 36.0,
    '=SUM("3",TRUE)': 4.0,                           # typed: converted
    '=SUM("abc",1)': XlError.VALUE,
    '=COUNT("Hola")': 0.0,
    '=COUNT("3",TRUE,1/0)': 2.0,                     # errors are not counted
    '=AVERAGE(B9&"")': 3.0,                          # a computed value is converted
    '=SUM({1,"2",TRUE})': 1.0,                       # an array skips text and booleans
    "=SUM(B2:B10,1/0)": XlError.DIV0,
    "=MIN(B5:B7)": 0.0,                              # no number at all
    "=AVERAGE(B5:B7)": XlError.DIV0,
    "=GEOMEAN(1,4,16)": 4.0,
    "=GEOMEAN(B2:B4)": XlError.NUM,                  # a zero
    "=HARMEAN(1,2,4)": 3 / (1 + 0.5 + 0.25),
    "=MEDIAN(B2:B10)": 2.0,                          # 0 1 3 12
    "=STDEV(2,4,4,4,5,5,7,9)": math.sqrt(32 / 7),
    "=_xlfn.STDEV.P(2,4,4,4,5,5,7,9)": 2.0,
    "=VAR(1,2,3,4)": 5 / 3,
    "=VARP(1,2,3,4)": 1.25,
    "=DEVSQ(1,2,3,4)": 5.0,
    "=AVEDEV(1,2,3,4)": 1.0,
    "=STDEV(5)": XlError.DIV0,
    # 1, 2, 3, 10: mean 4, squared deviations 9 + 4 + 1 + 36 = 50
    "=SKEW(1,2,3,10)": 4 / (3 * 2) * sum(((x - 4) / math.sqrt(50 / 3)) ** 3 for x in (1, 2, 3, 10)),
    "=_xlfn.SKEW.P(1,2,3,10)": sum(((x - 4) / math.sqrt(12.5)) ** 3 for x in (1, 2, 3, 10)) / 4,
    "=KURT(1,2,3,10)": (4 * 5 / (3 * 2 * 1)) * sum(((x - 4) / math.sqrt(50 / 3)) ** 4 for x in (1, 2, 3, 10))
                       - 3 * 9 / (2 * 1),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("stat") / "stat.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_aggregate(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)
