"""OFFSET (roi_xl/engine/functions/offset.py): typed offsets become the range they mean, computed
offsets read the workbook's cells when it runs. Expected values worked by hand from Excel's
definition (A1:A5 = 1..5, B1:B5 = 10..50, C1 = 2)."""
from __future__ import annotations

import pytest

from roi_xl import XlError
from roi_xl.engine.functions.offset import rewrite_offsets

from tests.support.formula_cases import assert_excel_value, evaluate_cases

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
    "=SUM(OFFSET(A1,1,1):OFFSET(A1,4,1))": 140.0,     # B2:B5, one range from two offsets
    "=SUM(OFFSET(A1,4,1):OFFSET(A1,1,0))": 154.0,     # A2:B5 (ends in any order)
    '=SUM(INDIRECT("B2"):INDIRECT("B4"))': 90.0,      # B2:B4
    "=SUM(A1:OFFSET(A1,4,0))": 15.0,                  # A1:A5, a cell of this sheet as one end
    "=SUM(A1:OFFSET(A1,4,1))": 165.0,                 # A1:B5
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


def test_two_ends_make_one_range():
    assert rewrite_offsets("=SUM(OFFSET(A1,1,1):OFFSET(A1,5,1))", "S") == "=SUM(S!B2:B6)"
    assert rewrite_offsets('=SUBTOTAL(109,INDIRECT("B6"):INDIRECT("b2"))', "My S") == \
        "=SUBTOTAL(109,'My S'!B2:B6)"
    assert rewrite_offsets("=SUM('My S'!B6:'my s'!A2)", "S") == "=SUM('My S'!A2:B6)"
    assert rewrite_offsets("=SUM(B1:OFFSET(B1,3,0))", "My S") == "=SUM('My S'!B1:B4)"
    assert rewrite_offsets("=SUM(A1:X!B3)", "S") == "=SUM(A1:X!B3)"           # two sheets
    assert rewrite_offsets("=SUM(X!A1:B3)", "S") == "=SUM(X!A1:B3)"           # a plain range
    # other sheets, strings and computed INDIRECTs are left to formulas
    assert rewrite_offsets('=SUM(INDIRECT("B2"):INDIRECT("X!B4"))', "S") == \
        '=SUM(INDIRECT("B2"):INDIRECT("X!B4"))'
    assert rewrite_offsets('="S!A1:S!B2"', "S") == '="S!A1:S!B2"'
    assert rewrite_offsets('=SUM(INDIRECT(A1):INDIRECT("B4"))', "S") == '=SUM(INDIRECT(A1):INDIRECT("B4"))'


def test_subtotal_over_joined_ends_skips_hidden_rows(tmp_path):
    # SUBTOTAL 109 sums the visible rows only: with rows 3 and 4 hidden, B2:B5 gives 20 + 50.
    import openpyxl

    import roi_xl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for ref, value in CELLS.items():
        ws[ref] = value
    ws.row_dimensions[3].hidden = ws.row_dimensions[4].hidden = True
    ws["E1"] = "=SUBTOTAL(109,OFFSET(A1,1,1):OFFSET(A1,4,1))"
    ws["E2"] = '=SUBTOTAL(109,INDIRECT("B2"):INDIRECT("B5"))'
    ws["E3"] = '=SUBTOTAL(9,INDIRECT("B2"):INDIRECT("B5"))'   # 9 counts hidden rows
    wb.save(tmp_path / "hidden.xlsx")
    values = roi_xl.recalc(tmp_path / "hidden.xlsx")
    assert (values["S!E1"], values["S!E2"], values["S!E3"]) == (70.0, 70.0, 140.0)


def test_offsets_that_need_no_cell_are_not_shared_between_workbooks(tmp_path):
    """One batch, two clients with the same formulas: an OFFSET whose offsets need no cell is
    computed while the model compiles, from the first client's cells; the second client must not
    get those values (it did: 3 and 6 instead of 30 and 60)."""
    import subprocess
    import sys

    import openpyxl

    src = tmp_path / "in"
    src.mkdir()
    for name, values in (("a", (1, 2, 3, 4)), ("b", (10, 20, 30, 40))):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "S"
        for row, value in enumerate(values, start=2):
            ws.cell(row, 2, value)
        ws["D1"] = "=SUM(OFFSET(B2,0,0,ROWS(A1:A3),1))"        # B2:B4 (A1:A3 are blank)
        ws["D2"] = "=SUM(OFFSET(B2,0,0,INT(NOW()/NOW()*2),1))"  # B2:B3
        wb.save(src / f"{name}.xlsx")
    proc = subprocess.run([sys.executable, "-m", "roi_xl.cli", "recalc", str(src), "--out",
                           str(tmp_path / "out"), "--jobs", "1"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    got = {}
    for name in ("a", "b"):
        ws = openpyxl.load_workbook(tmp_path / "out" / f"{name}.xlsx", data_only=True)["S"]
        got[name] = (ws["D1"].value, ws["D2"].value)
    assert got == {"a": (6, 3), "b": (60, 30)}
