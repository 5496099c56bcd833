"""SEQUENCE, UNIQUE, FILTER, SORT, SORTBY (roi_xl/engine/functions/dynamic.py), spilled from
their cells as Excel 365 does. LibreOffice 7.4 lacks these functions: expected values worked by
hand from Excel's documentation (blanks spill as 0, no result is #CALC!)."""
from __future__ import annotations

import openpyxl
import pytest

import roi_xl
from roi_xl import XlError

# A1:A7 = 3, 1, "b", 1, "B", blank, 2 and B1:B7 = 10..70
COLUMN_A = [3, 1, "b", 1, "B", None, 2]
CASES = {  # anchor cell: (formula, the values it spills, row by row)
    "D1": ("=_xlfn.SEQUENCE(3,,5)", [[5.0], [6.0], [7.0]]),
    "E1": ("=_xlfn.SEQUENCE(2,3,0,2)", [[0.0, 2.0, 4.0], [6.0, 8.0, 10.0]]),
    "I1": ("=SUM(_xlfn.UNIQUE({1,1,2}))", [[4.0]]),         # one row: nothing repeats
    "I3": ("=SUM(_xlfn.UNIQUE({1,1,2},TRUE))", [[3.0]]),    # by column: 1 and 2
    "J1": ("=_xlfn.UNIQUE(A1:A7)", [[3.0], [1.0], ["b"], [0.0], [2.0]]),
    "K1": ("=_xlfn._xlws.FILTER(B1:B7,A1:A7=1)", [[20.0], [40.0]]),
    "L1": ('=_xlfn._xlws.FILTER(B1:B7,A1:A7=99,"none")', [["none"]]),
    "M1": ("=_xlfn._xlws.FILTER(B1:B7,A1:A7=99)", [[XlError.CALC]]),
    "N1": ("=_xlfn._xlws.SORT(B1:B7,,-1)", [[v] for v in (70.0, 60.0, 50.0, 40.0, 30.0, 20.0, 10.0)]),
    "O1": ("=_xlfn._xlws.SORT(A1:A5)", [[1.0], [1.0], [3.0], ["b"], ["B"]]),
    "P1": ("=_xlfn.SORTBY(B1:B3,{3;1;2})", [[20.0], [30.0], [10.0]]),
    "Q1": ("=_xlfn.SEQUENCE(0)", [[XlError.CALC]]),
    "R1": ("=_xlfn.UNIQUE({1;2;2;3},FALSE,TRUE)", [[1.0], [3.0]]),
    "S1": ("=SUM(_xlfn._xlws.FILTER(B1:B7,B1:B7>30))", [[220.0]]),
    "T1": ("=_xlfn.SEQUENCE(2)", [[XlError.SPILL]]),           # T2 is taken
    "U1": ("=_xlfn._xlws.SORT({3,1,2},1,1,TRUE)", [[1.0, 2.0, 3.0]]),
    "U3": ('=_xlfn._xlws.FILTER({1,2,3},{TRUE,FALSE,TRUE})', [[1.0, 3.0]]),
    "U5": ('=_xlfn._xlws.FILTER(B1:B2,{"x";1})', [[XlError.VALUE]]),
    "D20": ("=_xlfn.SEQUENCE(,3,,2)", [[1.0, 3.0, 5.0]]),    # rows left empty: one (as Excel saved)
}


@pytest.fixture(scope="module")
def values(tmp_path_factory):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row, a in enumerate(COLUMN_A, start=1):
        ws[f"A{row}"], ws[f"B{row}"] = a, row * 10
    ws["T2"] = "x"
    for anchor, (formula, _) in CASES.items():
        ws[anchor] = formula
    path = tmp_path_factory.mktemp("dynamic") / "dynamic.xlsx"
    wb.save(path)
    return roi_xl.recalc(path).cells


@pytest.mark.parametrize("anchor", list(CASES), ids=[f for f, _ in CASES.values()])
def test_spilled_values(values, anchor):
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

    formula, expected = CASES[anchor]
    col, row = coordinate_from_string(anchor)
    c0 = column_index_from_string(col)
    for dr, line in enumerate(expected):
        for dc, want in enumerate(line):
            cell = f"{get_column_letter(c0 + dc)}{row + dr}"
            got = values.get(("S", cell))
            assert got == want and type(got) is type(want), f"{formula} at {cell}: {got!r}"
    below = f"{col}{row + len(expected)}"
    if anchor not in ("T1", "U1", "U3"):
        assert ("S", below) not in values, f"{formula} spilled too far: {below}"


def test_spilled_values_are_written_back(tmp_path, values):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=_xlfn.SEQUENCE(3)"
    src, out = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    wb.save(src)
    roi_xl.recalc(src, out)
    back = openpyxl.load_workbook(out, data_only=True).active
    assert [back[f"A{r}"].value for r in (1, 2, 3)] == [1, 2, 3]
