"""Sheet-scoped defined names: each resolves on its own sheet, shadows a workbook-level name of
the same spelling there, and can be reached from another sheet as `Sheet!Name`."""
from __future__ import annotations

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table

from roi_xl import recalc


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "names.xlsx"
    wb = openpyxl.Workbook()
    a = wb.active
    a.title = "A"
    b = wb.create_sheet("B")
    a["B1"], a["B2"] = 10, 3
    b["B1"], b["B2"] = 20, 5
    for row, value in enumerate([1, 2, 3], start=1):
        b.cell(row, 4, value)
    wb.defined_names["Rate"] = DefinedName("Rate", attr_text="A!$B$1")
    b.defined_names["Rate"] = DefinedName("Rate", attr_text="B!$B$1")
    a.defined_names["Factor"] = DefinedName("Factor", attr_text="A!$B$2")
    b.defined_names["Factor"] = DefinedName("Factor", attr_text="B!$B$2")
    b.defined_names["Col"] = DefinedName("Col", attr_text="B!$D:$D")
    a["C1"] = "=Rate*Factor"            # 10 * 3
    b["C1"] = "=Rate*Factor"            # 20 * 5: both names shadowed on B
    a["C2"] = "=B!Factor*Rate"          # 5 * 10
    b["C2"] = "=SUM(Col)"               # 1 + 2 + 3
    a["C3"] = "=B!Rate"                 # 20
    # A table on B whose formulas use B's names and one of our functions by its add-in name.
    b["F1"], b["G1"] = "Qty", "Cost"
    b["F2"], b["F3"] = 2, 4
    b["G2"] = b["G3"] = "=Lines[[#This Row],[Qty]]*Factor"
    b.add_table(Table(displayName="Lines", ref="F1:G3"))
    b["C3"] = "=SUM(Lines[Cost])"       # 10 + 20
    b["C4"] = "=_xludf.COST_PER(SUM(Lines[Cost]),Factor)"  # 30 / 5
    wb.save(path)
    return recalc(path)


@pytest.mark.parametrize("address, expected", [
    ("A!C1", 30), ("B!C1", 100), ("A!C2", 50), ("B!C2", 6), ("A!C3", 20),
    ("B!G2", 10), ("B!G3", 20), ("B!C3", 30), ("B!C4", 6),
])
def test_sheet_scoped_names(results, address, expected):
    assert results[address] == pytest.approx(expected)
