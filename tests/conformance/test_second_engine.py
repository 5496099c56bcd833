"""Second-engine comparison: our engine against LibreOffice headless, cell by cell.

The workbooks of tests/conformance/standard_workbooks.py (a broad mix of standard Excel formulas over a realistic
campaign table, cross-sheet references, named ranges, dates, text, errors flowing on) are recalculated by
LibreOffice (one `soffice` batch per test session) and by `roi_xl.recalc`; every formula cell must agree:
numbers to a relative 1e-9, text, booleans and error values exactly.

LibreOffice is the oracle only where it follows Excel; formulas where it does not are left out of the
workbooks (standard_workbooks.LEFT_OUT and LIBREOFFICE_DIFFERS_FROM_EXCEL below). Where LibreOffice agrees
with Excel and the `formulas` library (underneath our engine) does not, the cell stays in, is listed in
GAP_CELLS under a KNOWN_FORMULAS_GAPS entry, and is marked xfail(strict=True): fixing the engine turns
the xfail into a failure that says "remove me from GAP_CELLS".
"""
from __future__ import annotations

import math
from enum import Enum

import pytest

from tests.conformance import standard_workbooks
from tests.support.libreoffice import formula_cells, qualified, recalc_with_libreoffice

pytestmark = pytest.mark.libreoffice

# Excel behaviour that `formulas` 1.3.4 lacks or gets wrong, found by this comparison (LibreOffice and
# Excel agree on every one of these). The engine should fix them; the cells below flip to XPASS when it does.
# None left: the last ones (&, AGGREGATE, --, snap to zero) are fixed in the engine.
KNOWN_FORMULAS_GAPS: dict[str, str] = {}

# (workbook, cell) -> (gap, the cell's formula, so a shifted layout cannot silently mark the wrong cell)
GAP_CELLS: dict[tuple[str, str], tuple[str, str]] = {}

# Formulas tried and left out because LibreOffice 7.4 itself differs from Excel, so it cannot be the oracle
# (in addition to standard_workbooks.LEFT_OUT).
LIBREOFFICE_DIFFERS_FROM_EXCEL = {
    "=SQRT(-1), =LN(0), =LOG10(-1)": "LibreOffice stores #VALUE! (its Err:502); Excel gives #NUM!.",
    "=INDEX(A1:B16,20,1)": "out-of-range index: LibreOffice #VALUE!, Excel #REF!.",
    '=SUM(1,TRUE,"3")': "LibreOffice #VALUE!; Excel counts typed logicals and numeric text arguments: 5.",
    "=--TRUE": "LibreOffice keeps the boolean type (TRUE); Excel gives the number 1.",
    '="x"&TRUE': 'LibreOffice "x1"; Excel "xTRUE".',
    "booleans inside ranges (SUM/MAX/COUNT/COUNTIF(range,TRUE))": "LibreOffice has no boolean type: a TRUE "
        "cell is the number 1 to SUM, MAX and COUNT, and COUNTIF(range,TRUE) also counts cells holding 1; "
        "Excel skips logicals in ranges and tells TRUE from 1.",
    'COUNTIF(range,"*a*") over error cells': "LibreOffice matches the error's text (#VALUE! contains an A); "
                                             "Excel does not match errors with text wildcards.",
    "=SUMPRODUCT(IFERROR(range,0))": "in a workbook without dynamic-array metadata Excel evaluates IFERROR "
                                     "with implicit intersection (legacy, non-CSE), LibreOffice as an array.",
    "=1*(0.5-0.4-0.1)": "Excel snaps to zero only when the last operation is the subtraction (-2.8e-17 here); "
                        "LibreOffice snaps every subtraction (0).",
    "MATCH/VLOOKUP approximate on unsorted data": "binary-search results are implementation-defined; the "
                                                  "workbook only uses approximate lookups on sorted tiers.",
    "Functions newer than Excel 2007 without the _xlfn. prefix": "Excel itself shows #NAME?; the workbooks "
        "write MINIFS, MAXIFS, IFS, SWITCH, XOR, IFNA, CONCAT, TEXTJOIN, DAYS, AGGREGATE as Excel saves them.",
}

ERROR_TEXTS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!",
               "#GETTING_DATA"}
REL_TOL = 1e-9


def _collect() -> list:
    """One parameter per formula cell of every standard workbook, gap cells marked xfail(strict)."""
    params = []
    for name, build in standard_workbooks.WORKBOOKS.items():
        wb = build()
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type != "f":
                        continue
                    address = qualified(ws.title, cell.coordinate)
                    marks = []
                    gap = GAP_CELLS.get((name, address))
                    if gap is not None:
                        # raises=AssertionError: only a wrong value is the expected failure; an engine
                        # crash or a missing LibreOffice still shows as an error.
                        marks.append(pytest.mark.xfail(
                            strict=True, raises=AssertionError,
                            reason=f"KNOWN_FORMULAS_GAPS[{gap[0]!r}] (fixed? drop it from GAP_CELLS)"))
                    params.append(pytest.param(name, address, str(cell.value), marks=marks,
                                               id=f"{name}:{address}"))
    return params


CELLS = _collect()


class _Values(dict):
    """Results by workbook name, with a short repr for failure reports."""

    def __repr__(self) -> str:
        return f"<{sum(len(v) for v in self.values())} cells of {', '.join(self)}>"


@pytest.fixture(scope="session")
def standard_paths(tmp_path_factory):
    return standard_workbooks.write_all(tmp_path_factory.mktemp("standard_workbooks"))


@pytest.fixture(scope="session")
def libreoffice_values(soffice, standard_paths, tmp_path_factory):
    """Every workbook recalculated by LibreOffice in one soffice call, by file name."""
    results = recalc_with_libreoffice(standard_paths, tmp_path_factory.mktemp("libreoffice"), soffice=soffice)
    return _Values((path.name, values) for path, values in results.items())


@pytest.fixture(scope="session")
def engine_values(standard_paths):
    """Every workbook recalculated by our engine, by file name."""
    import roi_xl

    return _Values((path.name, dict(roi_xl.recalc(path))) for path in standard_paths)


def _kind(value, *, errors_as_text: bool):
    """A value as (kind, payload): numbers as floats, error values as their text."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, Enum) or (isinstance(value, str) and type(value) is not str):
        return ("error", str(value))  # roi_xl.XlError (an Enum) or formulas' XlError (a str subclass)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    if value is None:
        return ("blank", None)
    if isinstance(value, str):
        return ("error" if errors_as_text and value in ERROR_TEXTS else "text", value)
    return ("other", repr(value))


def same(libreoffice, ours) -> bool:
    """Numbers to a relative 1e-9; text, booleans, blanks and errors exactly.

    The harness gives LibreOffice's error values as their text; the engine must return real error values.
    """
    lo_kind, lo = _kind(libreoffice, errors_as_text=True)
    our_kind, our = _kind(ours, errors_as_text=False)
    if lo_kind != our_kind:
        return False
    if lo_kind == "number":
        return lo == our or math.isclose(lo, our, rel_tol=REL_TOL, abs_tol=0.0)
    return lo == our


def test_enough_cells_compared():
    assert len(CELLS) >= 150
    sheets = {(p.values[0], p.values[1].rsplit("!", 1)[0]) for p in CELLS}
    assert ("campaigns.xlsx", "'Campaign Data'") in sheets  # a sheet name that needs quotes


def test_gap_cells_point_at_their_formulas():
    formulas = {(p.values[0], p.values[1]): p.values[2] for p in CELLS}
    for key, (gap, formula) in GAP_CELLS.items():
        assert gap in KNOWN_FORMULAS_GAPS, key
        assert formulas.get(key) == formula, f"{key}: workbook layout moved; update GAP_CELLS"


def test_libreoffice_returned_every_formula_cell(libreoffice_values, standard_paths):
    for path in standard_paths:
        expected = {qualified(s, c) for s, c in formula_cells(path)}
        assert set(libreoffice_values[path.name]) == expected


@pytest.mark.parametrize(("workbook", "address", "formula"), CELLS)
def test_cell_matches_libreoffice(workbook, address, formula, libreoffice_values, engine_values):
    expected = libreoffice_values[workbook][address]
    assert address in engine_values[workbook], f"{formula}: the engine returned no value for {address}"
    got = engine_values[workbook][address]
    assert same(expected, got), f"{address} {formula}: LibreOffice {expected!r}, engine {got!r}"


def test_sheet_names_are_quoted_like_excel():
    assert qualified("Summary", "B2") == "Summary!B2"
    assert qualified("Campaign Data", "B2") == "'Campaign Data'!B2"
    assert qualified("Roll-up 2024", "A1") == "'Roll-up 2024'!A1"
    assert qualified("2024", "A1") == "'2024'!A1"
    assert qualified("Ana's", "A1") == "'Ana''s'!A1"
    assert qualified("_data1", "A1") == "_data1!A1"
