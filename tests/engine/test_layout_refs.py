"""References and facts about references answered from the workbook before evaluation
(roi_xl/engine/layout.py): INDIRECT of known text, ANCHORARRAY, ISREF, ISFORMULA, FORMULATEXT,
CELL, ROW/COLUMN of a range in a plain cell, OFFSET's sizes; and MUNIT (functions/matrix.py).

Expected values worked by hand from Excel's documented rules: A1:A5 = 1..5, B1:B5 = 10..50,
C1:C9 the texts and numbers below.
"""
from __future__ import annotations

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from roi_xl import XlError
from roi_xl.engine import ModelCache
from roi_xl.engine.fastpath import compute
from roi_xl.engine.workbook import load

from tests.support.formula_cases import assert_excel_value, evaluate_cases

CELLS = {**{f"A{i}": i for i in range(1, 6)}, **{f"B{i}": i * 10 for i in range(1, 6)},
         "C1": "B3", "C2": "A2:A4", "C3": "D:D", "C4": "hola", "C5": "R2C2", "C6": 5,
         "C7": '="B"&4', "C8": "b02", "C9": 2, "C10": "row", "D1": "=1+1", "D2": "text"}
CASES = {
    "=INDIRECT(C1)": 30.0,                       # B3
    "=SUM(INDIRECT(C2))": 9.0,                   # A2:A4
    "=ROW(INDIRECT(C3))": 1.0,                   # D:D in a plain cell: its first row
    "=COLUMN(INDIRECT(C3))": 4.0,
    "=ROWS(INDIRECT(C3))": 1048576.0,
    "=INDIRECT(C4)": XlError.REF,                # no such reference
    "=ROW(INDIRECT(C4))": XlError.REF,
    "=INDIRECT(C5,FALSE)": 20.0,                 # R1C1: B2
    "=INDIRECT(C6)": XlError.REF,                # "5" is no reference
    "=INDIRECT(C7)": 40.0,                       # a formula over constants: "B4"
    "=INDIRECT(C8)": 20.0,                       # letter case and a leading zero: B2
    '=INDIRECT("A"&2+1)': 3.0,                   # "A3"
    '=SUM(INDIRECT("B:B"))': 150.0,
    "=ISREF(INDIRECT(C1))": True,
    "=ISREF(C1)": True,
    "=ISREF(5)": False,
    "=_xlfn.ISFORMULA(D1)": True,
    "=_xlfn.ISFORMULA(D2)": False,
    "=_xlfn.FORMULATEXT(D1)": "=1+1",
    "=_xlfn.FORMULATEXT(D2)": XlError.NA,
    "=_xlfn.FORMULATEXT(C7)": '="B"&4',
    '=CELL("address",B2:B4)': "$B$2",
    '=CELL("row",B2:B4)': 2.0,
    '=CELL("col",B2)': 2.0,
    '=CELL("contents",B2)': 20.0,
    '=CELL("TYPE",D2)': "l",
    '=CELL("type",E9)': "b",
    '=CELL("type",A1)': "v",
    '=CELL("hello",A1)': XlError.VALUE,
    "=CELL(2)": XlError.VALUE,
    "=CELL(C10,B3)": 3.0,                        # the info type from a cell: "row"
    "=CELL(C4,B3)": XlError.VALUE,               # "hola" is none
    "=ROW(B3:B5)": 3.0,                          # a plain cell shows the first
    "=COLUMN(B3:D3)": 2.0,
    "=SUM(OFFSET($A$1,ROW()-ROW()+1,0,2,1))": 5.0,   # offsets without cells: A2:A3
    "=SUM(OFFSET(A1,0,1,3,0.5))": 60.0,          # a width between 0 and 1 counts as 1: B1:B3
    "=OFFSET(A1,0,0,-1,1)": XlError.VALUE,       # a negative height
    "=SUM(OFFSET(A1,0,0,0,1))": XlError.REF,     # height 0
    "=ROW(OFFSET(A1,C9,1))": 3.0,                # computed offsets still give a reference: B3
    "=COLUMN(OFFSET(A1,C9,1))": 2.0,
    "=SUM(_xlfn.MUNIT(3))": 3.0,
    "=MDETERM(_xlfn.MUNIT(3)*4)": 64.0,
    "=INDEX(_xlfn.MUNIT(3),2,2)": 1.0,
    "=INDEX(_xlfn.MUNIT(3),1,2)": 0.0,
    "=_xlfn.MUNIT(1.7)": 1.0,                    # truncated
    "=_xlfn.MUNIT(0)": XlError.VALUE,
    '=_xlfn.MUNIT("x")': XlError.VALUE,
    "=_xlfn.MUNIT(1/0)": XlError.DIV0,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("layout") / "layout.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_case(results, formula, expected):
    assert_excel_value(results[formula], expected, formula, rel=1e-9)


def _book(path, target: str):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    other = wb.create_sheet("Other Sheet")
    other["B2"], other["B3"] = 7, 8
    ws["A1"] = target
    ws["A2"] = "=INDIRECT(A1)"
    ws["A3"] = "Nope!B2"
    ws["A4"] = "=INDIRECT(A3)"
    ws["A5"] = "=FORMULATEXT(A5)"          # its own text: no circular reference
    ws["XFD1"] = "=COLUMN()"                 # the sheet's last column
    ws["C1"] = ArrayFormula("C1:C3", "=B1:B3*2")
    ws["B1"], ws["B2"], ws["B3"] = 1, 2, 3
    ws["D1"] = "=SUM(_xlfn.ANCHORARRAY(C1))"   # C1# is C1:C3
    wb.save(path)
    return path


def test_other_sheets_the_sheet_edge_and_anchors(tmp_path):
    loaded = load(_book(tmp_path / "a.xlsx", "'Other Sheet'!B2"))
    values = ModelCache().get(loaded).evaluate(loaded)
    assert values[("S", "A2")] == 7.0
    assert values[("S", "A4")] == XlError.REF
    assert values[("S", "A5")] == "=FORMULATEXT(A5)"
    assert values[("S", "XFD1")] == 16384.0
    assert values[("S", "D1")] == 12.0


def _plain_book(path, target: str):
    """No array formula: the fast path may take it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    other = wb.create_sheet("Other Sheet")
    other["B2"], other["B3"] = 7, 8
    ws["A1"], ws["A2"] = target, "=INDIRECT(A1)*1"
    wb.save(path)
    return path


def test_other_indirect_text_gets_its_own_model(tmp_path):
    """Workbooks alike but for the text an INDIRECT reads: each gets its own answer, through the
    compiled-model cache and through the fast path."""
    first = _plain_book(tmp_path / "first.xlsx", "'Other Sheet'!B2")
    second = _plain_book(tmp_path / "second.xlsx", "'Other Sheet'!B3")
    cache = ModelCache()
    a, b = load(first), load(second)
    assert a.fingerprint != b.fingerprint
    assert cache.get(a).evaluate(a)[("S", "A2")] == 7.0
    assert cache.get(b).evaluate(b)[("S", "A2")] == 8.0
    fast_cache = ModelCache()
    assert compute(first, fast_cache).cells[("S", "A2")] == 7.0
    again = compute(second, fast_cache)
    assert again.cells[("S", "A2")] == 8.0


def test_volatile_arguments_stay_for_evaluation():
    """An argument holding NOW(), TODAY() or RAND() changes between recalculations: it is not
    worked out while loading (the model is compiled once and reused)."""
    from roi_xl.engine.facts import BookFacts
    from roi_xl.engine.layout import Layout

    layout = Layout(BookFacts(["Sheet"]))
    for formula in ("=CHOOSE(WEEKDAY(TODAY()),1,2,3,4,5,6,7)", "=OFFSET(A1,RAND()*3,0)",
                    '=INDIRECT("A"&YEAR(NOW()))'):
        assert layout.static_choices(layout.static_offsets(
            layout.resolve_indirect(formula, "Sheet", 1, 1), "Sheet", 1, 1), "Sheet", 1, 1) == formula
    assert layout.static_choices("=CHOOSE(1+1,A1,B1)", "Sheet", 1, 1) == "=B1"
