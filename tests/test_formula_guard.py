"""A formula that `formulas` cannot evaluate (it raises: here an array formula broadcasting 4 rows
against 2) gives an error in its own cells; the rest of the workbook is still recalculated."""
from __future__ import annotations

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula

import roi_xl
from roi_xl import XlError


def test_one_failing_formula_does_not_sink_the_workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row in range(1, 5):
        ws[f"A{row}"], ws[f"B{row}"] = row * 10, row
    ws["D1"], ws["D2"] = 1, 2
    ws["C1"] = ArrayFormula("C1:C4", "=IFERROR(A1:A4/B1:B4,D1:D2)")
    ws["F1"] = "=SUM(A1:A4)"
    path = tmp_path / "guard.xlsx"
    wb.save(path)
    values = roi_xl.recalc(path)
    assert values["S!F1"] == 100.0
    assert isinstance(values["S!C1"], XlError)
