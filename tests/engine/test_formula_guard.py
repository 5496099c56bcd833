"""A formula that `formulas` cannot evaluate (it raises: here IFS broadcasting 4 rows against 2, which
formulas 1.3.4 refuses) gives an error in its own cells; the rest of the workbook is still
recalculated."""
from __future__ import annotations

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

import roi_xl
import roi_xl.engine
from roi_xl import XlError


def test_one_failing_formula_does_not_sink_the_workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row in range(1, 5):
        ws[f"A{row}"], ws[f"B{row}"] = row * 10, row
    ws["D1"], ws["D2"] = 1, 2
    ws["C1"] = ArrayFormula("C1:C4", "=_xlfn.IFS(A1:A4>0,D1:D2)")
    ws["F1"] = "=SUM(A1:A4)"
    path = tmp_path / "guard.xlsx"
    wb.save(path)
    values = roi_xl.recalc(path)
    assert values["S!F1"] == 100.0
    assert isinstance(values["S!C1"], XlError)


def test_a_self_reference_excel_tolerates_does_not_fail_the_workbook(tmp_path):
    """=CHOOSE(2,B1,"x") in B1 never reads B1 in Excel (no circular reference warning); the other
    cells are computed. A real cycle is still reported."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["B1"], ws["C1"] = 5, '=CHOOSE(2,B1,"x")', "=A1*2"
    path = tmp_path / "lazy.xlsx"
    wb.save(path)
    assert roi_xl.recalc(path)["S!C1"] == 10.0

    ws["D1"], ws["E1"] = "=E1+1", "=D1+1"
    wb.save(path)
    with pytest.raises(roi_xl.engine.CircularReferenceError):
        roi_xl.recalc(path)
