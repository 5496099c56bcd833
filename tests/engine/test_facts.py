"""The facts the rewrite steps read (roi_xl/engine/facts.py), gathered by the fast reader from the
file's XML (fastbook.facts: the path every workbook the plan computes takes) and by workbook.load
from openpyxl (the formulas model's path): both readers must find the same facts in a workbook.

Checked on a workbook built to hold every kind of fact (a table filtered by a criterion, hidden
rows, names of every scope, print names, an array formula, a shared formula), with the values
worked out by hand, and compared reader against reader on the bundled examples and the
Excel-saved conformance workbooks (beside the repository, when present).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from roi_xl.engine import fastbook
from roi_xl.engine.facts import Name
from roi_xl.engine.tables import TableDef
from roi_xl.errors import FastReadError

from tests.support.workbook_fixtures import make_shared_formulas

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "workbook_templates" / "examples").glob("*.xlsx"))
SUITE = ROOT.parent / "shared" / "conformance" / "ironcalc"


def _openpyxl_facts(path: Path):
    from formulas.excel.xlreader import load_workbook

    from roi_xl.engine.workbook import openpyxl_facts

    with open(path, "rb") as fh:
        return openpyxl_facts(load_workbook(fh, data_only=False))


def _comparable(facts) -> dict:
    """Everything but the constants' error type (the fast reader gives roi-xl's errors, openpyxl's
    path formulas' tokens: both spell the same error)."""
    constants = {sheet: {coord: str(v) if type(v).__name__ in ("XlError", "Error") else v
                         for coord, v in cells.items()} for sheet, cells in facts.constants.items()}
    return {"sheets": facts.sheets, "formulas": facts.formulas, "arrays": facts.arrays,
            "constants": constants, "names": sorted(facts.names, key=repr), "tables": facts.tables,
            "hidden_rows": {s: r for s, r in facts.hidden_rows.items() if r},
            "filters": facts.filters}


@pytest.fixture(scope="module")
def every_fact(tmp_path_factory) -> Path:
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.filters import AutoFilter, FilterColumn, Filters
    from openpyxl.worksheet.formula import ArrayFormula
    from openpyxl.worksheet.table import Table

    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["x", "2x", "label"])
    for i in range(2, 6):
        ws.append([i, f"=A{i}*2", f'="row "&A{i}'])
    costs = wb.create_sheet("Costs")
    costs.append(["Item", "Amount"])
    for row in (["a", 10], ["b", 20], ["c", 30]):
        costs.append(row)
    table = Table(displayName="Spend", ref="A1:B4")
    table.autoFilter = AutoFilter(ref="A1:B4", filterColumn=[FilterColumn(colId=0, filters=Filters(filter=["a"]))])
    costs.add_table(table)
    costs.row_dimensions[3].hidden = True
    costs["D1"] = "=SUBTOTAL(109,Spend[Amount])"
    costs["E1"] = ArrayFormula("E1:E3", "=B2:B4*2")
    wb.defined_names["Rate"] = DefinedName("Rate", attr_text="Plan!$A$2")
    wb.defined_names["Secret"] = DefinedName("Secret", attr_text="Plan!$A$3", hidden=True)
    costs.defined_names["Local"] = DefinedName("Local", attr_text="Costs!$B$2:$B$4")
    costs.print_area = "A1:B4"
    path = tmp_path_factory.mktemp("facts") / "every_fact.xlsx"
    wb.save(path)
    make_shared_formulas(path)  # Plan!B2:B5 become one shared formula, as Excel writes a filled column
    return path


def test_the_fast_reader_finds_every_fact_as_worked_out_by_hand(every_fact):
    facts = fastbook.facts(fastbook.read(every_fact))
    assert facts.sheets == ["Plan", "Costs"]
    # the shared formula's dependents get the master's text moved to their row
    assert [facts.formulas[("Plan", f"B{i}")] for i in range(2, 6)] == ["=A2*2", "=A3*2", "=A4*2", "=A5*2"]
    assert facts.formulas[("Costs", "E1")] == "=B2:B4*2"
    assert facts.arrays == {("Costs", "E1"): "E1:E3"}
    assert facts.constants["Costs"]["B3"] == 20 and facts.constants["Plan"]["A1"] == "x"
    assert facts.tables == {"SPEND": TableDef("Spend", "Costs", 1, 1, 2, 4, 1, 0, ("Item", "Amount"))}
    assert facts.hidden_rows == {"Costs": {3}}
    assert facts.filters == {"Costs": ["A1:B4"]}  # the table's filter, which has a criterion
    # the print area is Excel's own name: left out; the hidden name kept, marked hidden
    assert sorted(facts.names, key=repr) == sorted([
        Name("Rate", None, "Plan!$A$2"), Name("Secret", None, "Plan!$A$3", True),
        Name("Local", "Costs", "Costs!$B$2:$B$4")], key=repr)


def test_both_readers_find_the_same_facts_in_the_built_workbook(every_fact):
    assert _comparable(fastbook.facts(fastbook.read(every_fact))) == _comparable(_openpyxl_facts(every_fact))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_both_readers_find_the_same_facts_in_the_examples(path):
    assert _comparable(fastbook.facts(fastbook.read(path))) == _comparable(_openpyxl_facts(path))


def test_both_readers_find_the_same_facts_in_excel_saved_workbooks():
    if not SUITE.is_dir():
        pytest.skip(f"{SUITE} not present")
    differ, compared = [], 0
    for path in sorted(SUITE.rglob("*.xlsx")):
        if path.stat().st_size > 2_000_000:
            continue
        try:
            book = fastbook.read(path)
        except FastReadError:
            continue  # the full load reads it: nothing to compare
        compared += 1
        mine, theirs = _comparable(fastbook.facts(book)), _comparable(_openpyxl_facts(path))
        differ += [f"{path.name}: {key}" for key in mine if mine[key] != theirs[key]]
    assert compared > 100
    assert differ == []
