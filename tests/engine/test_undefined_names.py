"""A name that is neither defined nor a reference gives #NAME? (Excel; the conformance workbook
FLOOR_CEILING.xlsx saves =HELLO as #NAME?, and FLOOR(10,HELLO) too), while a defined name whose
target is a deleted reference keeps #REF!."""
from __future__ import annotations

import openpyxl
from openpyxl.workbook.defined_name import DefinedName

import roi_xl
from roi_xl import XlError


def test_undefined_name_is_name_error_and_bad_defined_name_is_ref(tmp_path):
    path = tmp_path / "names.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["B1"] = 5
    ws["A1"] = "=HELLO"
    ws["A2"] = "=A1+1"
    ws["A3"] = "=FLOOR(10,HELLO)"
    ws["A4"] = "=BROKEN"
    ws["A5"] = "=GOOD*2"
    ws["A6"] = "=ISERROR(HELLO)"
    wb.defined_names["BROKEN"] = DefinedName("BROKEN", attr_text="#REF!")
    wb.defined_names["GOOD"] = DefinedName("GOOD", attr_text="S!$B$1")
    wb.save(path)
    values = roi_xl.recalc(path)
    assert values["S!A1"] == XlError.NAME
    assert values["S!A2"] == XlError.NAME
    assert values["S!A3"] == XlError.NAME
    assert values["S!A4"] == XlError.REF
    assert values["S!A5"] == 10
    assert values["S!A6"] is True
