"""Lookup, reference and information functions `formulas` gets wrong (roi_xl/engine/functions/
lookup.py, dynamic.py, information.py, layout.py): INDEX with a row or column number 0,
HLOOKUP/VLOOKUP's errors, XMATCH (regular expressions, 2-D arrays), TRIMRANGE, DROP, SORT's order
of errors, the approximate match of MATCH/LOOKUP/VLOOKUP, LOOKUP's array form, SHEETS, ADDRESS's sheet
quoting, ISNUMBER of numeric text. Expected values worked by hand from Excel's documented rules:
A1:A5 = 1..5, B1:B5 = 10..50, D1:D4 = country names, F3:G5 a block with blank edges."""
from __future__ import annotations

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

CELLS = {**{f"A{i}": i for i in range(1, 6)}, **{f"B{i}": i * 10 for i in range(1, 6)},
         "D1": "Albania", "D2": "Germany", "D3": "Spain", "D4": "Italy",
         "F3": 1, "G4": 2, "F5": "x", "D6": "12",
         "D7": "=NA()", "D8": "=1/0", "D9": "=NOSUCH()"}
CASES = {
    "=SUM(INDEX(A1:B5,0,2))": 150.0,             # the whole column B1:B5
    "=SUM(INDEX(A1:B5,3,0))": 33.0,              # the whole row A3:B3
    "=SUM(INDEX(A1:B5,0,0))": 165.0,             # everything
    "=ROWS(INDEX(A1:B5,0,2))": 5.0,              # still a reference
    "=COLUMNS(INDEX(A1:B5,2,0))": 2.0,
    "=SUM(INDEX(A1:A5,0))": 15.0,                # a column's row 0: all of it
    "=SUM(INDEX({1,2;3,4},0,2))": 6.0,
    "=SUM(INDEX({1,2,3},1,0))": 6.0,
    "=INDEX(A1:B5,6,0)": XlError.REF,            # beyond the range
    "=INDEX(A1:B5,0,-1)": XlError.VALUE,
    "=INDEX({1,2,3},1,0,2)": XlError.REF,        # no second area
    "=SUM(INDEX((A1:A5,B1:B5),0,1,2))": 150.0,   # area 2's column 1
    "=INDEX(A1:B5,2,2)": 20.0,                   # the ordinary case is untouched
    "=VLOOKUP(3,A1:B5,1/0)": XlError.DIV0,       # an error in the index is the result
    "=VLOOKUP(3,A1:B5,2,1/0)": XlError.DIV0,     # and in range_lookup
    '=VLOOKUP(3,"Nothing",1)': XlError.VALUE,    # a typed text is no table
    '=HLOOKUP(3,"Nothing",1)': XlError.VALUE,
    "=VLOOKUP(3,A1:B5,2,FALSE)": 30.0,
    '=_xlfn.XMATCH("[A-Z][a-z]+y",D1:D4,3)': 2.0,       # regex: Germany
    '=_xlfn.XMATCH("[A-Z][a-z]+y",D1:D4,3,-1)': 4.0,    # from the end: Italy
    '=_xlfn.XMATCH("^s",D1:D4,3)': XlError.NA,           # case-sensitive
    '=_xlfn.XMATCH("[",D1:D4,3)': XlError.VALUE,         # no regular expression
    '=_xlfn.XMATCH("Sp*",D1:D4,2)': 3.0,
    "=_xlfn.XMATCH(2,{1,2;3,4})": XlError.VALUE,         # not one row or column
    "=_xlfn.XMATCH(30,B1:B5)": 3.0,
    '=_xlfn.XLOOKUP("[A-Z][a-z]+y",D1:D4,A1:A4,,3)': 2.0,
    "=SUM(_xlfn.TRIMRANGE(F1:H8))": 3.0,               # F3:G5
    "=ROWS(_xlfn.TRIMRANGE(F1:H8))": 3.0,
    "=COLUMNS(_xlfn.TRIMRANGE(F1:H8))": 2.0,
    "=ROWS(_xlfn.TRIMRANGE(F1:H8,1))": 6.0,             # leading rows only: F3:G8
    "=ROWS(_xlfn.TRIMRANGE(F1:H8,2,0))": 5.0,           # trailing rows: F1:H5
    "=COLUMNS(_xlfn.TRIMRANGE(F1:H8,0,2))": 2.0,        # trailing columns: F1:G8
    "=_xlfn.TRIMRANGE(F1:H8,4)": XlError.VALUE,
    "=_xlfn.TRIMRANGE(J1:K2)": XlError.REF,             # nothing left
    "=SUM(CHOOSE(2,A1:A2,A1:A3,A1:A4))": 6.0,           # CHOOSE picks a reference
    "=SUM(A1:CHOOSE(2,A2,A3,A4))": 6.0,                 # and its end is a range's end
    "=CHOOSE(4,1,2,3)": XlError.VALUE,
    "=_xlfn.DROP(A1:A5,5)": XlError.CALC,                # every row dropped (an empty array)
    "=_xlfn.DROP(A1:A5,-5)": XlError.CALC,
    "=_xlfn.DROP(A1:A5,1,1)": XlError.CALC,              # its only column dropped
    "=_xlfn.TAKE(A1:A5,0)": XlError.CALC,                # nothing taken
    "=SUM(_xlfn.TAKE(A1:B5,2.9))": 33.0,                 # A1:B2 (counts truncated)
    "=SUM(_xlfn.TAKE(A1:B5,-1,-1))": 50.0,               # B5
    "=SUM(_xlfn.TAKE(A1:B5,,1))": 15.0,                  # A1:A5: an empty rows argument keeps all
    "=SUM(_xlfn.TAKE(A1:B5,99))": 165.0,                 # more rows than there are: all
    "=SUM(_xlfn.DROP(A1:B5,3.7,1))": 90.0,              # B4:B5 (counts truncated)
    "=_xlfn.DROP(A1:B5,-4,-1)": 1.0,                    # A1
    # errors sort in ERROR.TYPE's order: #DIV/0! (2) < #NAME? (5) < #N/A (7)
    "=INDEX(_xlfn._xlws.SORT(D7:D9),1)": XlError.DIV0,
    "=INDEX(_xlfn._xlws.SORT(D7:D9),2)": XlError.NAME,
    "=INDEX(_xlfn._xlws.SORT(D7:D9),3)": XlError.NA,
    "=_xlfn.SHEETS()": 1.0,
    "=_xlfn.SHEET(1/0)": XlError.DIV0,
    '=ADDRESS(2,3,1,1,"Sheet2")': "Sheet2!$C$2",       # quoted only when it must be
    '=ADDRESS(1,1,1,1,"A Wird One$")': "'A Wird One$'!$A$1",
    '=ADDRESS(1,1,4,TRUE,"A1")': "'A1'!A1",            # a name like a cell is quoted
    "=ISNUMBER(D6)": False,                            # "12" typed as text
    "=ISNUMBER(A1)": True,
    # approximate matches bisect: on sorted data the last of equal values
    '=MATCH("delta",{"Alpha";"Beta";"Delta";"Delta";"Gamma"})': 4.0,
    "=MATCH(3,{1,2,3,3,3,4})": 5.0,
    "=MATCH(2.5,{1,2,3,3,3,4})": 2.0,
    "=MATCH(0,{1,2,3})": XlError.NA,
    '=VLOOKUP(2,{1,"a";2,"b";2,"c";3,"d"},2)': "c",
    # LOOKUP's array form: first row and last row when wider than tall, else columns
    '=LOOKUP("b",{"a","b","c";1,2,3})': 2.0,
    '=LOOKUP(2,{1,"x";2,"y";3,"z"})': "y",
    "=LOOKUP(35,B1:B5)": 30.0,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("lookup") / "lookup.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_case(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)


@pytest.fixture(scope="module")
def sizes(tmp_path_factory):
    cases = {"=ROWS({1,2;3,4})": 2.0, "=COLUMNS(SEQUENCE(2,3))": 3.0, "=ROWS(A1:A3*2)": 3.0,
             "=ROWS(1/0)": XlError.DIV0, "=ROWS(A1:B7)": 7.0, "=COLUMNS(A1:B7)": 2.0}
    got = evaluate_cases(tmp_path_factory.mktemp("sizes") / "sizes.xlsx", {"A1": 1}, cases)
    return cases, got


def test_rows_and_columns_of_arrays(sizes):
    """ROWS and COLUMNS count an array's rows and columns as a range's (Excel's documentation:
    'array: an array, an array formula, or a reference')."""
    cases, got = sizes
    for formula, expected in cases.items():
        assert_excel_value(got[formula], expected, formula)
