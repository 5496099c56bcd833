"""AGGREGATE(function_num, options, refs...) through the real engine, values worked by hand from
Microsoft's definition: functions 1-19 (AVERAGE ... QUARTILE.EXC), options 0-7 leaving out nested
SUBTOTAL/AGGREGATE cells (0-3), hidden rows (1, 3, 5, 7, by hand or by a filter) and error values
(2, 3, 6, 7)."""
from __future__ import annotations

import math

import openpyxl
import pytest
from openpyxl.worksheet.filters import FilterColumn, Filters

import roi_xl
from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value

# A1:A8: 10, #DIV/0!, 4, 7 (row hidden by hand), text, 1, a SUBTOTAL giving 10, an AGGREGATE giving 4.
DATA = [10, "=1/0", 4, 7, "n/a", 1, "=SUBTOTAL(9,A1)", "=AGGREGATE(9,4,A3)"]
HIDDEN_ROW = 4
# Numbers counted: option 3 -> 10, 4, 1; option 2 -> 10, 4, 7, 1; option 7 -> 10, 4, 1, 10, 4;
# option 6 -> 10, 4, 7, 1, 10, 4.
CASES = {
    # SUM under each option
    "=_xlfn.AGGREGATE(9,6,A1:A8)": 36.0,
    "=_xlfn.AGGREGATE(9,2,A1:A8)": 22.0,
    "=_xlfn.AGGREGATE(9,3,A1:A8)": 15.0,
    "=_xlfn.AGGREGATE(9,7,A1:A8)": 29.0,
    "=_xlfn.AGGREGATE(9,0,A1:A8)": XlError.DIV0,    # errors not ignored: the error is the result
    "=_xlfn.AGGREGATE(9,1,A1:A8)": XlError.DIV0,
    "=_xlfn.AGGREGATE(9,4,A1:A8)": XlError.DIV0,
    "=_xlfn.AGGREGATE(9,5,A1:A8)": XlError.DIV0,
    "=_xlfn.AGGREGATE(9,0,A3:A8)": 12.0,            # 4, 7, 1
    "=_xlfn.AGGREGATE(9,1,A3:A8)": 5.0,             # 4, 1
    "=_xlfn.AGGREGATE(9,4,A3:A8)": 26.0,            # 4, 7, 1, 10, 4
    "=_xlfn.AGGREGATE(9,5,A3:A8)": 19.0,            # 4, 1, 10, 4
    "=_xlfn.AGGREGATE(9,,A3:A8)": 12.0,             # options left empty: 0
    "=_xlfn.AGGREGATE(9,3,A1:A3,A6)": 15.0,         # several references
    "=_xlfn.AGGREGATE(9,3,A4)": 0.0,                # nothing left: SUM of no values
    "=_xlfn.AGGREGATE(1,3,A4)": XlError.DIV0,       # AVERAGE of no values
    "=_xlfn.AGGREGATE(14,3,A4,1)": XlError.NUM,     # LARGE of no values
    # every function over 10, 4, 1 (option 3)
    "=_xlfn.AGGREGATE(1,3,A1:A8)": 5.0,
    "=_xlfn.AGGREGATE(2,3,A1:A8)": 3.0,
    "=_xlfn.AGGREGATE(3,3,A1:A8)": 4.0,             # COUNTA: 10, 4, "n/a", 1
    "=_xlfn.AGGREGATE(4,3,A1:A8)": 10.0,
    "=_xlfn.AGGREGATE(5,3,A1:A8)": 1.0,
    "=_xlfn.AGGREGATE(6,3,A1:A8)": 40.0,
    "=_xlfn.AGGREGATE(7,3,A1:A8)": math.sqrt(21),   # squares about the mean 5: 25 + 1 + 16 = 42
    "=_xlfn.AGGREGATE(8,3,A1:A8)": math.sqrt(14),
    "=_xlfn.AGGREGATE(10,3,A1:A8)": 21.0,
    "=_xlfn.AGGREGATE(11,3,A1:A8)": 14.0,
    "=_xlfn.AGGREGATE(12,3,A1:A8)": 4.0,
    "=_xlfn.AGGREGATE(13,3,A1:A8)": XlError.NA,     # MODE.SNGL: no value repeats
    "=_xlfn.AGGREGATE(13,6,A1:A8)": 10.0,           # 10 and 4 twice each: the first
    "=_xlfn.AGGREGATE(14,3,A1:A8,2)": 4.0,
    "=_xlfn.AGGREGATE(15,3,A1:A8,1)": 1.0,
    "=_xlfn.AGGREGATE(16,3,A1:A8,0.25)": 2.5,       # rank 0.5 between 1 and 4
    "=_xlfn.AGGREGATE(17,3,A1:A8,3)": 7.0,          # rank 1.5 between 4 and 10
    "=_xlfn.AGGREGATE(18,3,A1:A8,0.25)": 1.0,       # rank (3 + 1) * 0.25 = 1
    "=_xlfn.AGGREGATE(19,3,A1:A8,3)": 10.0,         # rank 3
    "=_xlfn.AGGREGATE(14,7,A1:A8,1)": 10.0,
    "=_xlfn.AGGREGATE(15,6,A1:A8,3)": 4.0,          # 1, 4, 4, 7, 10, 10
    # the array form over a computed array: 4/TRUE, 7/TRUE, "n/a"/TRUE, 1/FALSE
    "=_xlfn.AGGREGATE(15,6,A3:A6/(A3:A6>3),1)": 4.0,
    "=_xlfn.AGGREGATE(14,6,A3:A6/(A3:A6>3),1)": 7.0,
    # errors
    "=_xlfn.AGGREGATE(0,6,A1:A8)": XlError.VALUE,
    "=_xlfn.AGGREGATE(20,6,A1:A8)": XlError.VALUE,
    "=_xlfn.AGGREGATE(9,8,A1:A8)": XlError.VALUE,
    "=_xlfn.AGGREGATE(9,-1,A1:A8)": XlError.VALUE,
    '=_xlfn.AGGREGATE("x",6,A1:A8)': XlError.VALUE,
    "=_xlfn.AGGREGATE(B1,6,A1:A8)": 36.0,           # function_num from a cell (9)
    "=_xlfn.AGGREGATE(9,B2,A1:A8)": XlError.VALUE,  # options from a cell (8)
    "=_xlfn.AGGREGATE(14,3,A1:A8,4)": XlError.NUM,  # k beyond the 3 values
    "=_xlfn.AGGREGATE(15,3,A1:A8,0)": XlError.NUM,
    "=_xlfn.AGGREGATE(16,3,A1:A8,1.5)": XlError.NUM,
    "=_xlfn.AGGREGATE(14,3,A1:A8)": XlError.VALUE,  # the array form needs k
}


def _book(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row, value in enumerate(DATA, start=1):
        ws.cell(row, 1, value)
    ws.row_dimensions[HIDDEN_ROW].hidden = True
    ws["B1"], ws["B2"] = 9, 8
    for row, formula in enumerate(CASES, start=1):
        ws[f"Z{row}"] = formula
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    values = roi_xl.recalc(_book(tmp_path_factory.mktemp("aggregate") / "aggregate.xlsx"))
    return {formula: values[f"S!Z{row}"] for row, formula in enumerate(CASES, start=1)}


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_aggregate(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)


def test_rows_hidden_by_a_filter_count_only_for_options_without_hidden_rows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Spend"])
    for value in (1, 2, 4, 8):
        ws.append([value])
    ws.auto_filter.ref = "A1:A5"
    ws.auto_filter.filterColumn.append(FilterColumn(colId=0, filters=Filters(filter=["1", "2", "8"])))
    ws.row_dimensions[4].hidden = True         # the 4, filtered out
    ws["C1"] = "=_xlfn.AGGREGATE(9,5,A2:A5)"    # 11
    ws["C2"] = "=_xlfn.AGGREGATE(9,4,A2:A5)"    # 15
    ws["C3"] = "=SUBTOTAL(9,A2:A5,C1)"          # 11: the AGGREGATE cell C1 is left out too
    path = tmp_path / "filtered.xlsx"
    wb.save(path)
    values = roi_xl.recalc(path)
    assert (values["Sheet!C1"], values["Sheet!C2"], values["Sheet!C3"]) == (11, 15, 11)

