"""Formulas laid out alike (a column of one formula) are translated together: the first cell once,
the others' arguments read a parameter at a time over the whole column (fastcalc.Plan
._translate_by_layout), and run as one run of steps. Each cell must still read its own cells.
Every value below is worked out by hand from the cells given."""
from __future__ import annotations

import pytest

from roi_xl.engine import fastcalc
from roi_xl.errors import Untranslatable
from roi_xl.excel import XlError


@pytest.fixture(autouse=True, params=[2, 10**9], ids=["by column", "by cell"])
def _fresh_caches(request, monkeypatch):
    """Each test starts from empty process caches (the first cell of each layout translates), and
    runs twice: with columns of two cells or more read a parameter at a time, and cell by cell."""
    fastcalc._LAYOUTS.clear()
    fastcalc._TRANSLATIONS.clear()
    fastcalc._LEAVES.clear()
    monkeypatch.setattr(fastcalc, "_COLUMN_CELLS", request.param)
    yield


def _values(formulas: dict, sheets: list[str], constants: dict) -> dict:
    return fastcalc.Plan(formulas, sheets, {}).evaluate(constants)


def test_a_column_with_an_odd_cell_in_the_middle():
    """C1:C12 is =A*2+B but C6 is =A6-B6; rows 10 to 12 have two-digit references (another layout)."""
    formulas = {("S", f"C{r}"): f"=A{r}*2+B{r}" for r in range(1, 13)}
    formulas[("S", "C6")] = "=A6-B6"
    constants = {"S": {**{f"A{r}": float(r) for r in range(1, 13)}, **{f"B{r}": 100.0 * r for r in range(1, 13)}}}
    got = _values(formulas, ["S"], constants)
    assert got[("S", "C1")] == 102.0      # 1*2 + 100
    assert got[("S", "C5")] == 510.0      # 5*2 + 500
    assert got[("S", "C6")] == -594.0     # 6 - 600
    assert got[("S", "C7")] == 714.0      # 7*2 + 700
    assert got[("S", "C9")] == 918.0      # 9*2 + 900
    assert got[("S", "C10")] == 1020.0    # 10*2 + 1000
    assert got[("S", "C12")] == 1224.0    # 12*2 + 1200


def test_one_layout_on_two_sheets_reads_each_sheets_own_cells():
    formulas = {("S", "B1"): "=A1+1", ("T", "B1"): "=A1+1", ("S", "B2"): "=A2+1", ("T", "B2"): "=A2+1"}
    got = _values(formulas, ["S", "T"], {"S": {"A1": 1.0, "A2": 2.0}, "T": {"A1": 10.0, "A2": 20.0}})
    assert got == {("S", "B1"): 2.0, ("T", "B1"): 11.0, ("S", "B2"): 3.0, ("T", "B2"): 21.0}


def test_absolute_and_relative_references_and_ranges_in_one_column():
    """C r = $A$1 * B r + SUM($B$1:B r): a fixed cell, a moving one, a growing range."""
    formulas = {("S", f"C{r}"): f"=$A$1*B{r}+SUM($B$1:B{r})" for r in range(1, 5)}
    got = _values(formulas, ["S"], {"S": {"A1": 10.0, "B1": 1.0, "B2": 2.0, "B3": 3.0, "B4": 4.0}})
    assert [got[("S", f"C{r}")] for r in range(1, 5)] == [
        11.0,   # 10*1 + 1
        23.0,   # 10*2 + 1+2
        36.0,   # 10*3 + 1+2+3
        50.0]   # 10*4 + 1+2+3+4


def test_ranges_written_corner_last_first_and_in_lower_case():
    """SUM(B2:A1) is A1:B2; lower-case references name the same cells."""
    formulas = {("S", f"D{r}"): f"=SUM(B{r + 1}:A{r})" for r in range(1, 4)}
    formulas.update({("S", f"E{r}"): f"=sum(a{r}:b{r})+c{r}" for r in range(1, 4)})
    constants = {"S": {"A1": 1.0, "B1": 2.0, "A2": 3.0, "B2": 4.0, "A3": 5.0, "B3": 6.0, "A4": 7.0, "B4": 8.0,
                       "C1": 100.0, "C2": 200.0, "C3": 300.0}}
    got = _values(formulas, ["S"], constants)
    assert [got[("S", f"D{r}")] for r in range(1, 4)] == [10.0, 18.0, 26.0]    # 1+2+3+4, 3+4+5+6, 5+6+7+8
    assert [got[("S", f"E{r}")] for r in range(1, 4)] == [103.0, 207.0, 311.0]  # 1+2+100, 3+4+200, 5+6+300


def test_a_column_reading_blanks_texts_and_errors():
    """=A r + 1 over a blank (0), a number typed as text ("3": 3), other text (#VALUE!) and #N/A."""
    formulas = {("S", f"B{r}"): f"=A{r}+1" for r in range(1, 6)}
    got = _values(formulas, ["S"], {"S": {"A2": "3", "A3": "x", "A4": XlError.NA, "A5": 2.5}})
    assert got[("S", "B1")] == 1.0
    assert got[("S", "B2")] == 4.0
    assert got[("S", "B3")] is XlError.VALUE
    assert got[("S", "B4")] is XlError.NA
    assert got[("S", "B5")] == 3.5


def test_sheets_named_with_digits_or_quoted():
    """Sheet1!A1 and Sheet2!A1 lay out alike (digits aside): each reads its own sheet."""
    formulas = {("S", "B1"): "=Sheet1!A1*2", ("S", "B2"): "=Sheet2!A1*2", ("S", "B3"): "=Sheet1!A2*2",
                ("S", "C1"): "=SUM(Sheet1!A1:A2)", ("S", "C2"): "=SUM(Sheet2!A1:A2)",
                ("S", "D1"): "='My Data'!A1+1", ("S", "D2"): "='My Data'!A2+1",
                ("S", "E1"): "=SUM('My Data'!A1:A2)", ("S", "E2"): "=SUM('My Data'!A2:A3)"}
    constants = {"Sheet1": {"A1": 1.0, "A2": 2.0}, "Sheet2": {"A1": 10.0, "A2": 20.0},
                 "My Data": {"A1": 100.0, "A2": 200.0, "A3": 300.0}}
    got = _values(formulas, ["S", "Sheet1", "Sheet2", "My Data"], constants)
    assert got[("S", "B1")] == 2.0 and got[("S", "B2")] == 20.0 and got[("S", "B3")] == 4.0
    assert got[("S", "C1")] == 3.0 and got[("S", "C2")] == 30.0
    assert got[("S", "D1")] == 101.0 and got[("S", "D2")] == 201.0
    assert got[("S", "E1")] == 300.0 and got[("S", "E2")] == 500.0


def test_a_running_total_down_one_column():
    """C r = C(r-1) + A r: each cell of the column reads the one above, computed before it."""
    formulas = {("S", "C1"): "=A1"}
    formulas.update({("S", f"C{r}"): f"=C{r - 1}+A{r}" for r in range(2, 8)})
    got = _values(formulas, ["S"], {"S": {f"A{r}": float(r) for r in range(1, 8)}})
    assert [got[("S", f"C{r}")] for r in range(1, 8)] == [1.0, 3.0, 6.0, 10.0, 15.0, 21.0, 28.0]


def test_a_column_of_one_formula_is_one_run():
    """The program holds a run a function, the cells' argument slots side by side: not a step a cell."""
    formulas = {("S", f"B{r}"): f"=A{r}*3" for r in range(10, 100)}  # one layout: two-digit rows
    plan = fastcalc.Plan(formulas, ["S"], {})
    assert len(plan._steps) == 1
    fn, width, args, outs = plan._steps[0]
    assert width == 2 and len(args) == 180 and len(outs) == 90  # A r and the 3 (a number is a parameter)
    got = plan.evaluate({"S": {f"A{r}": float(r) for r in range(10, 100)}})
    assert got[("S", "B10")] == 30.0 and got[("S", "B99")] == 297.0


def test_the_first_formula_that_does_not_translate_is_the_one_named():
    """In the workbook's order: C2 (a missing sheet) comes before E1, though E1 lays out like C2."""
    formulas = {("S", "D1"): "=B1+1", ("S", "C1"): "=A1+1", ("S", "C2"): "=Nope!A2+1", ("S", "E1"): "=Nope!A1+1"}
    with pytest.raises(Untranslatable, match=r"^S!C2: reference to a missing sheet"):
        fastcalc.Plan(formulas, ["S"], {})
    # laid out alike, the third past the plan's range size (2 x 89,999 cells): met in the column
    formulas = {("S", "C1"): "=SUM(A10001:B10002)", ("S", "C2"): "=SUM(A20001:B20002)",
                ("S", "C3"): "=SUM(A10001:B99999)", ("S", "C4"): "=SUM(A30001:B30002)"}
    with pytest.raises(Untranslatable, match=r"^S!C3: a very large range"):
        fastcalc.Plan(formulas, ["S"], {})


def test_columns_reading_columns_of_formulas_and_ranges_over_them():
    """B r = A r * 2 reads constants (a run on its own); C r = B r + 1 reads B's formulas; D1 sums
    C1:C4, a range of formula cells; E r = D1 - C r reads both."""
    formulas = {("S", f"E{r}"): f"=$D$1-C{r}" for r in range(1, 5)}  # listed first: computed last
    formulas.update({("S", f"C{r}"): f"=B{r}+1" for r in range(1, 5)})
    formulas.update({("S", f"B{r}"): f"=A{r}*2" for r in range(1, 5)})
    formulas[("S", "D1")] = "=SUM(C1:C4)"
    got = _values(formulas, ["S"], {"S": {"A1": 1.0, "A2": 2.0, "A3": 3.0, "A4": 4.0}})
    assert [got[("S", f"B{r}")] for r in range(1, 5)] == [2.0, 4.0, 6.0, 8.0]
    assert [got[("S", f"C{r}")] for r in range(1, 5)] == [3.0, 5.0, 7.0, 9.0]
    assert got[("S", "D1")] == 24.0                                                # 3+5+7+9
    assert [got[("S", f"E{r}")] for r in range(1, 5)] == [21.0, 19.0, 17.0, 15.0]  # 24 - C r


def test_ranges_over_formula_cells_and_over_cells_that_got_slots_for_an_earlier_range():
    """A1:A3 holds the formula A2, so its cells get slots of their own; A1:B5 then meets A1 and A3
    with slots made after the formula cells were marked (an IndexError sent the workbook to the
    formulas fallback: COUNTIF.xlsx and ten other conformance workbooks)."""
    formulas = {("S", "A2"): "=1+1", ("S", "C1"): "=SUM(A1:A3)", ("S", "C2"): "=SUM(A1:B5)",
                ("S", "C3"): "=COUNT(A1:B5)"}
    got = _values(formulas, ["S"], {"S": {"A1": 1.0, "A3": 3.0, "B1": 10.0, "B5": 50.0}})
    assert got[("S", "C1")] == 6.0     # 1 + 2 + 3
    assert got[("S", "C2")] == 66.0    # 1 + 2 + 3 + 10 + 50
    assert got[("S", "C3")] == 5.0     # A1, A2, A3, B1, B5
