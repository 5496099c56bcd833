"""Small workbooks for the batch and fast-path tests, built with openpyxl: a client plan with the
template's defined names, a plain two-formula book, books that each need their own plan, and a
book of given formulas and inputs."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.workbook.defined_name import DefinedName


def define_name(wb, name, ref):
    """A workbook-level defined name."""
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def client_book(path: Path, client="Acme", revenue=48_500.0, costs=(7_500.0, 3_800.0, 1_000.0),
                soft=2_000.0, currency="EUR", names_on_formulas=False, scale=1) -> Path:
    """A small client plan: inputs and the template's defined names on a Summary sheet.

    Client, Currency, PeriodStart/End and HardValue always name input cells. With
    `names_on_formulas`, TotalCost, TotalValue, ROI, ROITotal, RONI, KPIScore and Payback name
    formula cells, as in the template.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws["A1"], ws["B1"] = "Client", client
    ws["B1"].data_type = "s"              # text even when it looks like a formula
    ws["B2"] = currency
    ws["B3"], ws["B4"] = dt.date(2024, 1, 1), dt.date(2024, 3, 31)
    ws["B3"].number_format = ws["B4"].number_format = "yyyy-mm-dd"
    ws["B5"] = revenue                   # hard value
    ws["B6"] = soft
    for row, cost in enumerate(costs, start=10):
        ws[f"C{row}"] = cost
    last = 9 + len(costs)
    ws["B7"] = f"=SUM(C10:C{last})*{scale}"                       # total cost
    ws["B8"] = "=B5+B6"                                           # total value
    ws["B20"] = "=SOCIAL_ROI(B5,B7)"                              # ROI on hard value
    ws["B21"] = "=SOCIAL_ROI(B8,B7)"                              # ROI on total value
    ws["B22"], ws["B23"] = 0.8, 1.0                               # KPI attainment, weight
    ws["B24"] = "=KPI_SCORE(B22,B23)"
    ws["B25"] = "=B7/B5*12"                                       # payback, months
    ws["B26"] = "=B20"                                            # a second copy (not named)
    for name, ref in (("Client", "B1"), ("Currency", "B2"), ("PeriodStart", "B3"),
                      ("PeriodEnd", "B4"), ("HardValue", "B5")):
        define_name(wb, name, f"Summary!${ref[0]}${ref[1:]}")
    if names_on_formulas:
        for name, ref in (("TotalCost", "$B$7"), ("TotalValue", "$B$8"), ("ROI", "$B$20"),
                          ("ROITotal", "$B$21"), ("KPIScore", "$B$24"), ("Payback", "$B$25")):
            define_name(wb, name, f"Summary!{ref}")
    wb.save(path)
    return path


def plain_book(path: Path, a=1_000, b=400) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = a, b
    ws["B1"] = "=SOCIAL_ROI(A1,A2)"
    ws["B2"] = '=IF(B1>1,"good","weak")'
    wb.save(path)
    return path


def distinct_books(folder: Path, count: int) -> list[Path]:
    """Workbooks that each need their own compile (distinct formulas), so a run takes a while."""
    folder.mkdir()
    paths = []
    for i in range(count):
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in range(1, 6):
            ws[f"A{r}"], ws[f"B{r}"] = r * 10 + i, r + 1
            ws[f"C{r}"] = f"=SOCIAL_ROI(A{r},B{r})*{i + 1}"
            ws[f"D{r}"] = f"=SUM(C$1:C{r})+{i}"
        paths.append(folder / f"w{i:02d}.xlsx")
        wb.save(paths[-1])
    return paths


def formula_book(path: Path, formulas: dict, inputs: dict) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for ref, value in {**inputs, **formulas}.items():
        ws[ref] = value
    wb.save(path)
    return path
