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


# AND/OR/XOR: a typed or computed "TRUE"/"FALSE" is that logical value, other text is skipped (no
# logical value left: #VALUE!), text in a referenced cell is skipped. Excel's behaviour as shown by
# its own results: =OR("TRUE") TRUE, =AND("FALSE") FALSE, =OR("0") #VALUE!, =OR("",TRUE) TRUE.
TEXT_CASES = {  # and SWITCH's comparisons (below)
    '=OR("TRUE")': True,
    '=AND("false")': False,
    '=_xlfn.XOR("TRUE",TRUE)': False,
    '=AND("TR"&"UE")': True,
    '=OR("0")': XlError.VALUE,
    '=AND("")': XlError.VALUE,
    '=OR("",TRUE)': True,
    '=AND("abc",FALSE)': False,
    "=OR(A1)": XlError.VALUE,        # A1 holds the text TRUE: a reference's text is skipped
    "=AND(A1,TRUE)": True,
    # SWITCH matches as = does: text ignoring case, a number never its text, TRUE never 1
    '=_xlfn.SWITCH("Wednesday","Monday",1,"WEDNESDAY",3)': 3.0,
    '=_xlfn.SWITCH(1,"1","text",TRUE,"bool",1,"number")': "number",
    '=_xlfn.SWITCH(TRUE,1,"number","x")': "x",
    '=_xlfn.SWITCH("z","a",1)': XlError.NA,
}


def _text_book(path, a1="TRUE"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = a1
    for row, formula in enumerate(TEXT_CASES, start=1):
        ws[f"C{row}"] = formula
    wb.save(path)
    return path


def test_logical_functions_read_typed_true_and_false_text(tmp_path):
    v = roi_xl.recalc(_text_book(tmp_path / "text.xlsx"))
    for row, (formula, want) in enumerate(TEXT_CASES.items(), start=1):
        got = v[f"Sheet!C{row}"]
        assert got == want and type(got) is type(want), f"{formula}: {got!r}"


def test_fast_plan_reads_typed_text_as_formulas_does(tmp_path):
    from roi_xl.engine import ModelCache, fastpath

    from tests.support.two_paths import assert_plan_equals_formulas

    cache = ModelCache()
    first = fastpath.compute(first_path := _text_book(tmp_path / "a.xlsx"), cache)
    assert_plan_equals_formulas(first, first_path)   # the plan computes the first workbook too
    second = fastpath.compute(_text_book(tmp_path / "b.xlsx", a1="x"), cache)
    assert second.fast
    for row, (formula, want) in enumerate(TEXT_CASES.items(), start=1):
        got = second.cells[("Sheet", f"C{row}")]
        assert got == want and type(got) is type(want), f"{formula}: {got!r}"


def test_iferror_broadcasts_as_excel(tmp_path):
    """IFERROR(4x1, 2x1): the fallback's rows beyond its size are #N/A, as for IF."""
    from tests.support.formula_cases import evaluate_array_formulas

    cells = {**{f"G{r}": g for r, g in enumerate([100, 250, 80, 60], start=4)},
             **{f"H{r}": h for r, h in enumerate([5, 0, 8, 0], start=4)}, "G12": 10, "G13": 20}
    v = evaluate_array_formulas(tmp_path / "iferror.xlsx", cells, {
        "C1:C4": "=IFERROR(G4:G7/H4:H7,G12:G13)", "D1:D2": "=_xlfn.IFNA({1;2;3},{7;8})"})
    # 100/5 = 20; 250/0 fails: fallback row 2 = 20; 80/8 = 10; 60/0 fails: no fallback row 4
    assert [v[f"C{r}"] for r in range(1, 5)] == [20.0, 20.0, 10.0, XlError.NA]
    assert [v[f"D{r}"] for r in range(1, 3)] == [1, 2]


def test_lambda_called_where_it_is_written(tmp_path):
    """=LAMBDA(params, body)(args) applies the body to the arguments (Excel: LAMBDA(x,x+1)(5) = 6),
    and so does a LAMBDA that LET names, called by that name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = 7
    cases = {"B1": ("=_xlfn.LAMBDA(_xlpm.x, _xlpm.x+1)(5)", 6.0),
             "B2": ("=_xlfn.LAMBDA(_xlpm.x,_xlpm.y, SQRT(_xlpm.x*_xlpm.x+_xlpm.y*_xlpm.y))(3,4)", 5.0),
             "B3": ("=1+_xlfn.LAMBDA(_xlpm.x, _xlpm.x*2)(5)*3", 31.0),
             "B4": ("=_xlfn.LAMBDA(_xlpm.x, _xlpm.x+A1)(5)", 12.0),      # a cell inside the body
             "B5": ("=_xlfn.LAMBDA(_xlpm.x, _xlpm.x*2)(A1)", 14.0),     # a cell as the argument
             # bound by LET and called by its name
             "B6": ("=_xlfn.LET(_xlpm.area, _xlfn.LAMBDA(_xlpm.x,_xlpm.y,_xlpm.x*_xlpm.y), "
                    "_xlpm.area(A1,6))", 42.0),
             "B7": ("=_xlfn.LET(_xlpm.x, 3, _xlpm.f, _xlfn.LAMBDA(_xlpm.y, _xlpm.y*_xlpm.x), "
                    "_xlpm.f(5)+_xlpm.x)", 18.0),                        # 5*3 + 3
             "B8": ("=_xlfn.LET(_xlpm.x, 3, _xlpm.f, _xlfn.LAMBDA(_xlpm.x, _xlpm.x*2), "
                    "_xlpm.f(5)+_xlpm.x)", 13.0)}                        # the parameter shadows x
    for cell, (formula, _) in cases.items():
        ws[cell] = formula
    wb.save(tmp_path / "lambda.xlsx")
    v = roi_xl.recalc(tmp_path / "lambda.xlsx")
    for cell, (formula, want) in cases.items():
        assert v[f"Sheet!{cell}"] == want, formula
