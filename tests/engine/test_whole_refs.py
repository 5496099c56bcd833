"""Whole columns and rows (`B:B`, `2:2`) evaluated over the used range, with Excel's results,
and the implicit intersection of plain formulas.

Values are worked out by hand from the data below; the counts of blank cells use Excel's sheet
size (1048576 rows, 16384 columns).
"""
from __future__ import annotations

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.worksheet.formula import ArrayFormula

from roi_xl import XlError, recalc

ROWS, COLS = 1048576, 16384

FORMULAS = {
    "B1": ("=SUM(Data!B:B)", 210),
    "B2": ('=SUMIFS(Data!B:B,Data!A:A,"x")', 10 + 30 + 50),
    "B3": ('=XLOOKUP("z",Data!A:A,Data!B:B)', 40),
    "B4": ('=XLOOKUP("q",Data!A:A,Data!B:B)', XlError.NA),
    "B5": ('=MATCH("q",Data!A:A,0)', XlError.NA),
    "B6": ("=ROWS(Data!C:C)", ROWS),
    "B7": ("=COLUMNS(Data!5:5)", COLS),
    "B8": ("=COUNTBLANK(Data!C:C)", ROWS - 2),
    "B9": ('=COUNTIF(Data!A:A,"<>x")', ROWS - 3),         # blanks are not "x" either
    "B10": ("=INDEX(Data!B:B,100)", 0),                     # a blank cell below the data
    "B11": ("=INDEX(Data!B:B,3)", 30),
    "B12": ("=SUM(Other!A:A)", 50 * 51 // 2),                # Other is longer than Data
    "B13": ("=SUM(Data!2:2)", 20 + 2),
    "B14": ("=SUM(Data!$A:$C)", 210 + 3),
    "B15": ('=COUNTIFS(Data!A:A,"x",Data!B:B,">20")', 2),
    "B16": ("=COUNTA(Data!A:A)", 6),
    # D runs to row 8, A and B to row 6: the ranges must stay the same size.
    "B17": ('=SUMIFS(Data!B:B,Data!A:A,"x",Data!D:D,"")', 90),
    "B18": ("=ROWS(Data!1:3)+COLUMNS(Data!A:C)", 3 + 3),
    "B21": ("=ROW(Data!C:C)+COLUMN(Data!2:2)", 1 + 1),
    "B22": ("=ROW(Data!3:5)*100+COLUMN(Data!C:E)", 300 + 3),
    "B19": ('=COUNTIFS(Data!1:1,"x")+COUNTIF(Data!1:1,"")', 1 + COLS - 3),  # A1, B1, C1 filled
    # Implicit intersection in a plain formula: the cell of the column in this row.
    "C3": ("=Data!B:B*2", 60),
    "C4": ("=ABS(Data!B:B)", 40),
    "C5": ("=Data!A:B", XlError.VALUE),                       # column C meets neither A nor B
    # The same for ranges of cells.
    "C6": ("=Data!B1:B6", 60),
    "C7": ("=SUM(Data!B1:B6)", 210),                          # SUM takes the whole range
    "C9": ("=Data!B1:B6", XlError.VALUE),                     # row 9 is outside rows 1-6
    # Inside an aggregate a range stays an array (as an Excel 365 user means it):
    # 10/7, 20/7 ... 60/7 rounded are 1, 3, 4, 6, 7, 9.
    "C8": ("=SUM(ROUND(Data!B1:B6/7,0))", 1 + 3 + 4 + 6 + 7 + 9),
    "B20": ("=Data!A1:D1*3", 30),                             # column B of row 1
    "D2": ("=ROUND(Data!$B$1:$B$6/7,1)", 2.9),                # row 2: 20 / 7
    # Text functions of single values intersect too (CONCATENATE.xlsx: =CONCATENATE(A1:A3,"!")).
    "C2": ('=CONCATENATE(Data!A1:A6,"!")', "y!"),              # row 2: A2
    "D3": ('=SUBSTITUTE(Data!A1:A6,"x","w")', "w"),            # row 3: A3 is x
    "D4": ('=FIND("z",Data!$A$1:$A$6)', 1),                   # row 4: A4 is z
    "D5": ('=TEXT(Data!B1:B6,"0.0")', "50.0"),                # row 5: B5
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    path = tmp_path_factory.mktemp("whole") / "whole.xlsx"
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Data"
    for row, (key, amount) in enumerate(zip("xyxzxy", [10, 20, 30, 40, 50, 60]), start=1):
        data.cell(row, 1, key)
        data.cell(row, 2, amount)
    data["C1"], data["C2"], data["D8"] = 1, 2, 7
    other = wb.create_sheet("Other")
    for row in range(1, 51):
        other.cell(row, 1, row)
    report = wb.create_sheet("Report")
    for ref, (formula, _) in FORMULAS.items():
        report[ref] = formula
    report["E1"] = ArrayFormula("E1:E3", "=Data!B1:B3*2")     # an array formula: no intersection
    wb.save(path)
    return recalc(path)


@pytest.mark.parametrize("ref", sorted(FORMULAS))
def test_whole_column_and_row_references(results, ref):
    formula, expected = FORMULAS[ref]
    got = results[f"Report!{ref}"]
    if isinstance(expected, XlError):
        assert got == expected, formula
    else:
        assert got == pytest.approx(expected), formula


def test_array_formulas_keep_their_ranges_whole(results):
    assert [results[f"Report!E{r}"] for r in (1, 2, 3)] == [20, 40, 60]


@given(st.text(alphabet="AZaz_.09 (,)$!\x00é²\t", max_size=14))
def test_name_before_reads_what_the_call_regex_found(text):
    # _name_before replaced a regex searched over the whole prefix at every parenthesis (quadratic
    # on long formulas); it must find the same name at the same place.
    import re

    from roi_xl.engine.whole_refs import _name_before

    m = re.search(r"([A-Za-z_][\w.]*)\s*$", text)
    assert _name_before(text, len(text)) == ((m.group(1), m.start()) if m else (None, len(text)))
