"""Excel tables' structured references, SUBTOTAL and SHEET, on workbooks written here.

Expected values are worked out by hand from the data below (and, for Excel's stored forms,
cross-checked by LibreOffice, which reads structured references in xlsx).
"""
from __future__ import annotations

import zipfile

import openpyxl
import pytest
from openpyxl.worksheet.table import Table, TableStyleInfo

from roi_xl import XlError, recalc
from roi_xl.engine.tables import TableDef, rewrite_structured
from roi_xl.engine.workbook import load

# Costs: A1:F6 on sheet Plan, header row 1, data rows 2-5, totals row 6.
HEADERS = ["Item", "Amount", "Hours", "Rate #1", "Owner's [team]", "Total"]
ROWS = [("a", 100, 2, 50, "ann"), ("b", 250, 4, 40, "bob"), ("c", 75, 1, 60, "cy"),
        ("d", 40, 3, 55, "dee")]
# Hand-worked: totals per row = hours x rate.
ROW_TOTALS = [100, 160, 60, 165]
AMOUNT = 465
HOURS = 10
RATES = 205
TOTAL = 485

COSTS = TableDef("Costs", "Plan", 1, 1, 6, 6, 1, 1, tuple(HEADERS))


@pytest.mark.parametrize("formula, row, expected", [
    ("=SUM(Costs[Amount])", 9, "=SUM('Plan'!B2:B5)"),
    ("=SUM(costs[AMOUNT])", 9, "=SUM('Plan'!B2:B5)"),
    ("=Costs[[#Headers],[Hours]]", 9, "='Plan'!C1"),
    ("=Costs[[#Totals],[Amount]]", 9, "='Plan'!B6"),
    ("=SUM(Costs[[#Totals], [Amount]:[Hours]])", 9, "=SUM('Plan'!B6:C6)"),
    ("=SUM(Costs[#Data])", 9, "=SUM('Plan'!A2:F5)"),
    ("=SUM(Costs[#All])", 9, "=SUM('Plan'!A1:F6)"),
    ("=SUM(Costs[#Headers])", 9, "=SUM('Plan'!A1:F1)"),
    ("=SUM(Costs[#Totals])", 9, "=SUM('Plan'!A6:F6)"),
    ("=SUM(Costs[[#This Row],[Amount]:[Hours]])", 3, "=SUM('Plan'!B3:C3)"),
    ("=Costs[@Amount]", 4, "='Plan'!B4"),
    ("=Costs[@[Rate '#1]]", 4, "='Plan'!D4"),
    ("=Costs[#This Row]", 2, "='Plan'!A2:F2"),
    ("=Costs[[#Headers],[#Data],[Hours]]", 9, "='Plan'!C1:C5"),
    ("=Costs[[#Data],[#Totals],[Hours]]", 9, "='Plan'!C2:C6"),
    ("=SUM(Costs[[Amount]:[Hours]])", 9, "=SUM('Plan'!B2:C5)"),
    ("=SUM(Costs[[Hours]:[Amount]])", 9, "=SUM('Plan'!B2:C5)"),
    ("=SUM(Costs)", 9, "=SUM('Plan'!A2:F5)"),
    ("=SUM(Costs[])", 9, "=SUM('Plan'!A2:F5)"),
    ("=COUNTA(Costs[Owner''s '[team']])", 9, "=COUNTA('Plan'!E2:E5)"),
    ("=SUM(Costs[Rate '#1])", 9, "=SUM('Plan'!D2:D5)"),
    # Errors Excel shows: unknown column, #This Row outside the data rows.
    ("=SUM(Costs[Nope])", 9, "=SUM(#REF!)"),
    ("=Costs[[#This Row],[Amount]]", 9, "=#VALUE!"),
    ("=Costs[[#This Row],[Amount]]", 6, "=#VALUE!"),
    # Text and sheet names are not references; another workbook's [1] is left alone.
    ('="Costs[Amount]"&\'Costs\'!A1', 9, '="Costs[Amount]"&\'Costs\'!A1'),
    ("=[1]!SOCIAL_ROI(Costs[Amount],Costs[Hours])", 9,
     "=[1]!SOCIAL_ROI('Plan'!B2:B5,'Plan'!C2:C5)"),
])
def test_structured_reference_forms(formula, row, expected):
    assert rewrite_structured(formula, "Report", row, 2, {"COSTS": COSTS}) == expected


def test_references_inside_the_table_need_no_table_name_and_no_sheet():
    tables = {"COSTS": COSTS}
    assert rewrite_structured("=[@Hours]*[@[Rate '#1]]", "Plan", 3, 6, tables) == "=C3*D3"
    assert rewrite_structured("=[[#This Row],[Hours]]", "Plan", 5, 6, tables) == "=C5"
    assert rewrite_structured("=SUM([Amount])", "Plan", 6, 2, tables) == "=SUM(B2:B5)"
    # Outside every table a bare bracket stays as written.
    assert rewrite_structured("=[@Hours]", "Plan", 3, 9, tables) == "=[@Hours]"


def test_a_table_without_header_or_totals_rows():
    bare = TableDef("Bare", "S", 2, 3, 3, 6, 0, 0, ("Column1", "Column2"))
    tables = {"BARE": bare}
    assert rewrite_structured("=SUM(Bare[Column2])", "S", 9, 1, tables) == "=SUM(C3:C6)"
    assert rewrite_structured("=Bare[#Headers]", "S", 9, 1, tables) == "=#REF!"
    assert rewrite_structured("=SUM(Bare[#Totals])", "S", 9, 1, tables) == "=SUM(#REF!)"
    assert rewrite_structured("=SUM(Bare[#All])", "S", 9, 1, tables) == "=SUM(B3:C6)"


def _costs_workbook(path, *, shorthand: bool):
    wb = openpyxl.Workbook()
    plan = wb.active
    plan.title = "Plan"
    plan.append(HEADERS)
    for row in ROWS:
        total = ("=[@Hours]*[@[Rate '#1]]" if shorthand
                 else "=Costs[[#This Row],[Hours]]*Costs[[#This Row],[Rate '#1]]")
        plan.append([*row, total])
    plan.append(["Total", "=SUBTOTAL(109,Costs[Amount])", None, None,
                 "=SUBTOTAL(103,Costs[Owner''s '[team']])", "=SUBTOTAL(109,Costs[Total])"])
    table = Table(displayName="Costs", ref="A1:F6", totalsRowCount=1)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    plan.add_table(table)
    plan["H3"] = ("=Costs[@Amount]*2" if shorthand else "=Costs[[#This Row],[Amount]]*2")
    report = wb.create_sheet("Report")
    cells = {
        "B1": "=SUM(Costs[Amount])",
        "B2": "=SUM(costs[amount])",
        "B3": "=Costs[[#Headers],[Hours]]",
        "B4": "=Costs[[#Totals],[Amount]]",
        "B5": "=COUNTA(Costs[#Headers])",
        "B6": "=COUNTA(Costs[#All])",
        "B7": "=SUM(Costs[#Data])",
        "B8": "=SUM(Costs[[Amount]:[Hours]])",
        "B9": "=SUM(Costs[Rate '#1])",
        "B10": "=SUMPRODUCT(Costs[Hours],Costs[Rate '#1])",
        "B11": "=SUM(Costs[[#Data],[#Totals],[Amount]])",
        "B12": "=ROWS(Costs[[#Headers],[#Data],[Amount]])",
        "B13": "=COUNTA(Costs[Owner''s '[team']])",
        "B14": "=SUM(Costs[#Totals])",
        "B15": "=SHEET(Costs[#All])",
        "B16": "=COST_TOTAL(Costs[Amount],Costs[Hours],Costs[Rate '#1])",
    }
    if shorthand:
        cells["B17"] = "=SUM(Costs)"
    for ref, formula in cells.items():
        report[ref] = formula
    wb.save(path)
    return cells


EXPECTED_REPORT = {
    "B1": AMOUNT, "B2": AMOUNT, "B3": "Hours", "B4": AMOUNT, "B5": 6,
    # 6 headers + 4 rows x 6 cells + the totals row's label and three subtotals.
    "B6": 6 + 24 + 4,
    "B7": AMOUNT + HOURS + RATES + TOTAL,
    "B8": AMOUNT + HOURS, "B9": RATES, "B10": TOTAL, "B11": 2 * AMOUNT, "B12": 5, "B13": 4,
    # The totals row: 465 + 485 (the COUNTA subtotal of 4 owners is a number too).
    "B14": AMOUNT + 4 + TOTAL,
    "B15": 1,
    # Full cost with every allocation 100%: amounts + hours x rates.
    "B16": AMOUNT + TOTAL,
}


@pytest.mark.parametrize("shorthand", [False, True], ids=["excel-stored", "shorthand"])
def test_a_costs_table_recalculates_to_hand_worked_values(tmp_path, shorthand):
    path = tmp_path / "costs.xlsx"
    cells = _costs_workbook(path, shorthand=shorthand)
    out = tmp_path / "out.xlsx"
    results = recalc(path, out)
    for row, expected in zip(range(2, 6), ROW_TOTALS):
        assert results[f"Plan!F{row}"] == expected
    assert results["Plan!B6"] == AMOUNT
    assert results["Plan!E6"] == 4
    assert results["Plan!F6"] == TOTAL
    assert results["Plan!H3"] == 500
    for ref, expected in EXPECTED_REPORT.items():
        assert results[f"Report!{ref}"] == pytest.approx(expected) if not isinstance(expected, str) \
            else results[f"Report!{ref}"] == expected, ref
    if shorthand:
        assert results["Report!B17"] == AMOUNT + HOURS + RATES + TOTAL
    # The file written back keeps the structured references as they were typed.
    back = openpyxl.load_workbook(out)
    for ref, formula in cells.items():
        assert back["Report"][ref].value == formula
    assert back["Plan"].tables["Costs"].ref == "A1:F6"


# LibreOffice 7.4 reads a lone special item (`Costs[#Data]`, `[#All]`, `[#Totals]`) from xlsx as
# #NAME? and COUNTA(Costs[#Headers]) as 1; those cells are checked by hand above only. B16 is ours.
LIBREOFFICE_MISREADS = {"Report!B5", "Report!B6", "Report!B7", "Report!B14", "Report!B15",
                        "Report!B16"}


@pytest.mark.libreoffice
def test_excel_stored_forms_agree_with_libreoffice(tmp_path, soffice):
    from tests.support.libreoffice import recalc_with_libreoffice

    path = tmp_path / "costs.xlsx"
    _costs_workbook(path, shorthand=False)
    theirs = recalc_with_libreoffice([path], tmp_path / "lo", soffice=soffice)[path]
    ours = recalc(path)
    compared = 0
    for address, value in theirs.items():
        if address in LIBREOFFICE_MISREADS:
            continue
        mine = ours[address]
        if isinstance(value, float):
            assert mine == pytest.approx(value, rel=1e-9), address
        else:
            assert str(mine) == str(value), address
        compared += 1
    assert compared >= 18


def test_table_definitions_are_part_of_the_fingerprint(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _costs_workbook(first, shorthand=False)
    _costs_workbook(second, shorthand=False)
    assert load(first).fingerprint == load(second).fingerprint
    # Same cells, the table one row shorter (no totals row): another model.
    with zipfile.ZipFile(second) as z:
        members = {n: z.read(n) for n in z.namelist()}
    table_xml = next(n for n in members if n.startswith("xl/tables/"))
    members[table_xml] = members[table_xml].replace(b'totalsRowCount="1"', b'totalsRowCount="0"')
    third = tmp_path / "c.xlsx"
    with zipfile.ZipFile(third, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    assert load(third).fingerprint != load(first).fingerprint


def test_subtotal_skips_hidden_rows_for_1xx_codes_and_other_subtotals(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, value in enumerate([1, 2, 4, 8, 16], start=1):
        ws.cell(row, 1, value)
    ws.row_dimensions[2].hidden = True       # hidden by hand, no filter
    ws["A6"] = "=SUBTOTAL(9,A1:A5)"           # 31: hidden by hand still counts for 9
    ws["A7"] = "=SUBTOTAL(109,A1:A5)"         # 29: 109 skips the hidden 2
    ws["A8"] = "=SUBTOTAL(9,A1:A7)"           # 31: the subtotals in A6:A7 are not counted
    ws["A9"] = "=SUBTOTAL(101,A1:A5)"         # (1+4+8+16)/4
    ws["A10"] = "=SUBTOTAL(4,A1:A5)+SUBTOTAL(105,A1:A5)"  # 16 + 1
    ws["A11"] = "=SUBTOTAL(2,A3)"             # 1
    ws["A12"] = "=SUBTOTAL(12,A1:A5)"         # no such function: #VALUE!
    path = tmp_path / "sub.xlsx"
    wb.save(path)
    results = recalc(path)
    assert results["Sheet!A6"] == 31
    assert results["Sheet!A7"] == 29
    assert results["Sheet!A8"] == 31
    assert results["Sheet!A9"] == pytest.approx(29 / 4)
    assert results["Sheet!A10"] == 17
    assert results["Sheet!A11"] == 1
    assert results["Sheet!A12"] == XlError.VALUE


@pytest.mark.parametrize("formula", ["=SUBTOTAL(109,A1:A3)", "=_xlfn.AGGREGATE(9,5,A1:A3)"])
def test_hidden_rows_are_part_of_the_fingerprint(tmp_path, formula):
    from roi_xl.engine.cache import ModelCache

    paths = []
    for hidden in (None, 2):
        wb = openpyxl.Workbook()
        ws = wb.active
        for row, value in enumerate([1, 2, 4], start=1):
            ws.cell(row, 1, value)
        if hidden:
            ws.row_dimensions[hidden].hidden = True
        ws["B1"] = formula
        paths.append(tmp_path / f"hidden{hidden}.xlsx")
        wb.save(paths[-1])
    assert load(paths[0]).fingerprint != load(paths[1]).fingerprint
    cache = ModelCache()
    assert recalc(paths[0], cache=cache)["Sheet!B1"] == 7
    assert recalc(paths[1], cache=cache)["Sheet!B1"] == 5


def test_a_rollup_over_table_columns_spills(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Category", "Cost"])
    for row in [("Staff", 10), ("Ads", 5), ("staff", 1)]:
        ws.append(row)
    ws.add_table(Table(displayName="Lines", ref="A1:B4"))
    ws["D1"] = "=COST_ROLLUP(Lines[Category],Lines[Cost])"
    path = tmp_path / "rollup.xlsx"
    wb.save(path)
    r = recalc(path)
    assert [r["Sheet!D1"], r["Sheet!E1"], r["Sheet!D2"], r["Sheet!E2"]] == ["Staff", 11, "Ads", 5]
