"""Formula cases evaluated through the real engine: a workbook written with openpyxl, recalculated
by roi_xl.recalc, each case's value read back. Expected values come from Excel's documentation,
worked by hand, or LibreOffice, never from the engine's own output."""
from __future__ import annotations

import math
from pathlib import Path

import openpyxl

import roi_xl
from roi_xl import XlError


def evaluate_cases(path: Path, cells: dict[str, object], cases, column: str = "Z",
                   sheet: str = "S") -> dict[str, object]:
    """Write `cells` (A1 -> value or formula) and one case formula per row of `column`, recalc,
    and return each case formula's computed value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for ref, value in cells.items():
        ws[ref] = value
    for row, formula in enumerate(cases, start=1):
        ws[f"{column}{row}"] = formula
    wb.save(path)
    values = roi_xl.recalc(path)
    return {formula: values[f"{sheet}!{column}{row}"] for row, formula in enumerate(cases, start=1)}


def assert_excel_value(got, expected, formula: str, rel: float = 1e-12) -> None:
    """Errors, text and booleans exactly; numbers within `rel` (and as numbers, not text)."""
    if isinstance(expected, XlError) or isinstance(expected, (str, bool)):
        assert got == expected and type(got) is type(expected), f"{formula}: {got!r}"
    else:
        assert isinstance(got, (int, float)) and not isinstance(got, bool), f"{formula}: {got!r}"
        assert math.isclose(got, expected, rel_tol=rel, abs_tol=1e-300), f"{formula}: {got!r}"


def evaluate_array_formulas(path: Path, cells: dict[str, object], arrays: dict[str, str],
                            sheet: str = "S") -> dict[str, object]:
    """Write `cells` and one legacy array formula (Ctrl+Shift+Enter) per range of `arrays`
    ("C1:C4" -> formula), recalc, and return every computed cell keyed by its address ("C2")."""
    from openpyxl.worksheet.formula import ArrayFormula

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for ref, value in cells.items():
        ws[ref] = value
    for ref, formula in arrays.items():
        ws[ref.split(":")[0]] = ArrayFormula(ref, formula)
    wb.save(path)
    return {cell: value for (s, cell), value in roi_xl.recalc(path).cells.items() if s == sheet}
