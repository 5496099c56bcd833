"""XLOOKUP (roi_xl/engine/functions/lookup.py) against the values Excel cached in the ironcalc
conformance workbook calc_tests/LOOKUP_AND_REFERENCE/XLOOKUP.xlsx; each data block is rebuilt here
cell for cell, the comment names the sheet and cell the expected value comes from."""
from __future__ import annotations

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

CELLS = {
    # ReturnSmaller!A4:B10
    **{f"A{r}": v for r, v in zip(range(4, 11), [2, 5, 4, 5, 3, True, "ala"])},
    **{f"B{r}": v for r, v in zip(range(4, 11), "abcdefg")},
    # ReturnSmaller!A19:B23 (ascending, for the binary searches)
    **{f"C{r}": v for r, v in zip(range(19, 24), [2, 3, 4, 5, 6])},
    **{f"D{r}": v for r, v in zip(range(19, 24), "abcde")},
    # Errors!A9:C12: lookup and return arrays of different sizes
    **{f"E{r}": v for r, v in zip(range(9, 13), [1, 2, 3, 4])},
    **{f"F{r}": v for r, v in zip(range(9, 12), "abc")},
    "G9": "x", "G10": "y",
    # ExactMatch!R1:S6 with R7 blank, for the blank lookup value
    **{f"H{r}": v for r, v in zip(range(1, 7), [2, 3, 4, 5, 6, 7])},
    **{f"I{r}": v for r, v in zip(range(1, 7), ["a", "b", "c", "d", "f", "gh"])},
    "H8": 45, "I8": "qq",
}

CASES = {
    # linear, exact or next smaller: ReturnSmaller!E4..E13 (next smaller orders numbers < text < booleans)
    "=_xlfn.XLOOKUP(2.1234,$A$4:$A$10,$B$4:$B$10,,-1)": "a",
    "=_xlfn.XLOOKUP(1.8,$A$4:$A$10,$B$4:$B$10,,-1)": XlError.NA,
    "=_xlfn.XLOOKUP(4.8,$A$4:$A$10,$B$4:$B$10,,-1)": "c",
    "=_xlfn.XLOOKUP(5,$A$4:$A$10,$B$4:$B$10,,-1)": "b",
    "=_xlfn.XLOOKUP(10,$A$4:$A$10,$B$4:$B$10,,-1)": "b",
    "=_xlfn.XLOOKUP(1,$A$4:$A$10,$B$4:$B$10,,-1)": XlError.NA,
    "=_xlfn.XLOOKUP(1/0,$A$4:$A$10,$B$4:$B$10,,-1)": XlError.DIV0,
    '=_xlfn.XLOOKUP("qwerty",$A$4:$A$10,$B$4:$B$10,,-1)': "g",
    "=_xlfn.XLOOKUP(TRUE,$A$4:$A$10,$B$4:$B$10,,-1)": "f",
    "=_xlfn.XLOOKUP(FALSE,$A$4:$A$10,$B$4:$B$10,,-1)": "g",
    '=_xlfn.XLOOKUP(FALSE,$A$4:$A$10,$B$4:$B$10,"Not found",-1)': "g",
    # exact, from the first or the last: ExactMatch!E7, F7, F8 (data A4:A8 there)
    "=_xlfn.XLOOKUP(5,$A$4:$A$8,$B$4:$B$8)": "b",
    "=_xlfn.XLOOKUP(5,$A$4:$A$8,$B$4:$B$8,,,-1)": "d",
    "=_xlfn.XLOOKUP(10,$A$4:$A$8,$B$4:$B$8,,,-1)": XlError.NA,
    # binary ascending, next smaller: ReturnSmaller!E19..E28, I19..I27
    "=_xlfn.XLOOKUP(2,$C$19:$C$23,$D$19:$D$23,,-1,2)": "a",
    "=_xlfn.XLOOKUP(1.8,$C$19:$C$23,$D$19:$D$23,,-1,2)": XlError.NA,
    "=_xlfn.XLOOKUP(4.5,$C$19:$C$23,$D$19:$D$23,,-1,2)": "c",
    "=_xlfn.XLOOKUP(5.99,$C$19:$C$23,$D$19:$D$23,,-1,2)": "d",
    "=_xlfn.XLOOKUP(7,$C$19:$C$23,$D$19:$D$23,,-1,2)": "e",
    '=_xlfn.XLOOKUP("a",$C$19:$C$23,$D$19:$D$23,,-1,2)': "e",
    '=_xlfn.XLOOKUP("bor",$D$19:$D$23,$C$19:$C$23,,-1,2)': 3,
    '=_xlfn.XLOOKUP("A",$D$19:$D$23,$C$19:$C$23,,-1,2)': 2,
    '=_xlfn.XLOOKUP("Donde",$D$19:$D$23,$C$19:$C$23,,-1,2)': 5,
    "=_xlfn.XLOOKUP(12,$D$19:$D$23,$C$19:$C$23,,-1,2)": XlError.NA,
    "=_xlfn.XLOOKUP(TRUE,$D$19:$D$23,$C$19:$C$23,,-1,2)": 6,
    # arrays of different sizes, a scalar return array, bad modes: Errors!D9, D11, H3, H5; I6 (TRUE is 1)
    "=_xlfn.XLOOKUP(1,E9:E12,F9:F11)": XlError.VALUE,
    "=_xlfn.XLOOKUP(1,E9:F9,E10:G10)": XlError.VALUE,
    "=_xlfn.XLOOKUP(2,E9:E12,TRUE)": XlError.VALUE,
    "=_xlfn.XLOOKUP(2,E9:E12,F9:F12,,12)": XlError.VALUE,
    "=_xlfn.XLOOKUP(2,E9:E12,F9:F12,,,TRUE)": "b",
    # a blank lookup value finds the first (last) blank cell; its blank return cell reads 0: ExactMatch!U12, V12
    '=_xlfn.XLOOKUP(Z99,H1:H8,I1:I8,"Not found :/")': 0,
    '=_xlfn.XLOOKUP(Z99,H1:H8,I1:I8,"Not found :/",,-1)': 0,
    # wildcards cannot be searched binary: Wildcards!E13
    '=_xlfn.XLOOKUP("a*",$D$19:$D$23,$C$19:$C$23,,2,2)': XlError.VALUE,
    '=_xlfn.XLOOKUP("?or",$D$19:$D$23,$C$19:$C$23,"-",2)': "-",  # by hand: no 3-letter text ending in or
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("xlookup") / "xlookup.xlsx", CELLS, CASES, column="AA")


@pytest.mark.parametrize("formula,expected", CASES.items())
def test_xlookup_matches_excel(results, formula, expected):
    want = expected if isinstance(expected, (XlError, str)) else float(expected)
    assert_excel_value(results[formula], want, formula)
