"""OFFSET (roi_xl/engine/functions/offset.py): typed offsets become the range they mean, computed
offsets read the workbook's cells when it runs. Expected values worked by hand from Excel's
definition (A1:A5 = 1..5, B1:B5 = 10..50, C1 = 2)."""
from __future__ import annotations

import pytest

from roi_xl import XlError
from roi_xl.engine.functions.offset import rewrite_offsets

from formula_cases import assert_excel_value, evaluate_cases

CELLS = {**{f"A{i}": i for i in range(1, 6)}, **{f"B{i}": i * 10 for i in range(1, 6)}, "C1": 2}
CASES = {
    "=OFFSET(A1,1,1)": 20.0,                          # B2
    "=SUM(OFFSET(A1,1,1,2,2))": 50.0,                 # B2:C3
    "=OFFSET(A1,-1,0)": XlError.REF,                  # above the sheet
    "=SUM(OFFSET(A1,1,1):B3)": 50.0,                  # B2:B3
    "=SUM(OFFSET($B$1,0,0,COUNT(B:B),1))": 150.0,     # B1:B5, a dynamic range
    "=SUM(OFFSET(A1,C1,0,3))": 12.0,                  # A3:A5
    "=OFFSET(B1,C1,-1)": 3.0,                         # A3
    "=OFFSET(A1,C1,0,0)": XlError.REF,                # height 0
    "=SUM(OFFSET(A1:A2,C1,1))": 70.0,                 # B3:B4, the reference's size
    "=OFFSET(A1,C1,3)": 0.0,                          # D3, blank
    "=OFFSET(A1,C1,0,1.9)": 3.0,                      # sizes truncated
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("offset") / "offset.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_offset(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)


def test_typed_offsets_become_plain_references():
    assert rewrite_offsets("=SUM(OFFSET(A1,1,1,2,2))", "S") == "=SUM(S!B2:C3)"
    assert rewrite_offsets("=OFFSET('My Sheet'!B2,0,-1)", "S") == "='My Sheet'!A2"
    assert rewrite_offsets('=IF(A1="x,y",OFFSET(A1,1,0),0)', "Q 1") == "=IF(A1=\"x,y\",'Q 1'!A2,0)"
    assert rewrite_offsets("=OFFSET(Name,1,1)", "S") == "=OFFSET(Name,1,1)"   # not an A1 reference
