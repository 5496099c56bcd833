"""IF over arrays of different sizes (roi_xl/engine/functions/logical.py), by Excel 365's rule:
the result takes the most rows and columns among the arguments, a one-row (one-column) argument is
repeated along it, and a position beyond an argument's own size is #N/A. Expected values worked by hand."""
from __future__ import annotations

import openpyxl

import roi_xl
from roi_xl import XlError


def test_if_broadcasts_as_excel(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["B1"] = True, False                # a 1x2 condition
    ws["A2"], ws["B2"] = False, True                # with row 2: a 2x2 condition
    for r, v in enumerate((10, 20, 30), start=1):   # a 3x1 value
        ws[f"D{r}"] = v
    ws["F1"] = '=IF(A1:B1,D1:D3,"no")'              # 1x2 with 3x1: 3x2, nothing missing
    ws["F5"] = '=IF(A1:B2,D1:D3,"no")'              # 2x2 with 3x1: row 3 has no condition
    ws["J1"] = '=SUM(IF(A1:B1,D1:D3,0))'            # 10+20+30 in column 1, 0 in column 2
    wb.save(tmp_path / "if.xlsx")
    v = roi_xl.recalc(tmp_path / "if.xlsx")
    assert [[v[f"S!{c}{r}"] for c in "FG"] for r in (1, 2, 3)] == [[10.0, "no"], [20.0, "no"], [30.0, "no"]]
    assert [[v[f"S!{c}{r}"] for c in "FG"] for r in (5, 6, 7)] == \
        [[10.0, "no"], ["no", 20.0], [XlError.NA, XlError.NA]]
    assert v["S!J1"] == 60.0
