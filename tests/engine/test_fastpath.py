"""The fast path (roi_xl.xlsx.read, roi_xl.engine.fastbook, fastcalc, fastpath): the translated plan is the engine of
record from a template's first workbook, formulas the fallback for what the plan does not express.

Every comparison with formulas is cell by cell, same type and same value, between the plan and a
formulas-only evaluation of the same file (two_paths.py); figures that matter are also checked against
hand-worked values. tests/conformance/test_plan_vs_formulas.py runs the same comparison on whole workbook suites.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from roi_xl import XlError
from roi_xl.engine import ModelCache, fastbook, fastcalc, fastpath
from roi_xl.errors import FastReadError, Untranslatable

from tests.support.batch_books import client_book, formula_book
from tests.support.cli import read_summary, recalc
from tests.support.two_paths import assert_plan_equals_formulas, differences, formulas_values

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "workbook_templates" / "examples").glob("*.xlsx"))
TEMPLATE = ROOT / "workbook_templates" / "measurement_plan.xlsx"


# --------------------------------------------------------------------------- the bundled workbooks

@pytest.fixture(scope="module")
def example_plan_cache():
    """One cache whose plan was built on the retail example, and computed it: no formulas model."""
    cache = ModelCache()
    first = fastpath.compute(EXAMPLES[-1], cache)
    assert first.fast and first.note == "", first.note
    assert cache.misses == 0 and cache.hits == 0
    return cache


@pytest.mark.parametrize("path", EXAMPLES + [TEMPLATE], ids=lambda p: p.stem)
def test_template_workbooks_share_one_plan_that_equals_formulas(path, example_plan_cache):
    # All examples and the empty template have the same formulas (one key) but different constants
    # (rows filled, blanks): the retail plan serves them all.
    computed = fastpath.compute(path, example_plan_cache)
    assert len(example_plan_cache.fast_plans) == 1
    assert_plan_equals_formulas(computed, path)


def test_fast_outputs_are_byte_identical_to_formulas_outputs(tmp_path, example_plan_cache):
    from roi_xl.batch.work import Options, process
    from roi_xl.xlsx.writer import write_values

    for path in EXAMPLES[:2]:
        assert fastpath.compute(path, example_plan_cache).fast  # so process() takes the plan too
        fast = process(path, tmp_path / f"fast-{path.name}", example_plan_cache, Options())
        assert fast.ok, fast.error
        reference = tmp_path / f"formulas-{path.name}"
        write_values(path, reference, formulas_values(path))
        assert fast.output.read_bytes() == reference.read_bytes()


def test_retail_example_figures_by_hand(example_plan_cache):
    retail = ROOT / "workbook_templates" / "examples" / "retail_ecommerce.xlsx"
    cells = fastpath.compute(retail, example_plan_cache).cells
    wb = openpyxl.load_workbook(retail)
    costs = wb["Costs"]
    total = 0.0
    for row in range(5, 105):
        hours, rate, amount, alloc = (costs.cell(row, c).value for c in (4, 5, 6, 7))
        if hours is None and amount is None:
            continue
        total += ((amount or 0) + (hours or 0) * (rate or 0)) * (1 if alloc is None else alloc)
    assert cells[("Summary", "B20")] == pytest.approx(total, rel=1e-12)
    hard = cells[("Summary", "B24")]
    assert cells[("Summary", "B36")] == pytest.approx((hard - total) / total, rel=1e-12)  # ROI


def test_generated_clients_equal_formulas(tmp_path):
    from bench.generate import client_plan
    from roi_xl.template.build import build_workbook, write_workbook

    cache = ModelCache()
    for index in (7, 11):  # blanks, zeros, dropped rows: other constant patterns than the examples
        path = write_workbook(build_workbook(client_plan(index, seed=5)), tmp_path / f"c{index}.xlsx")
        assert_plan_equals_formulas(fastpath.compute(path, cache), path)   # the first, then the plan's
    assert len(cache.fast_plans) == 1 and cache.misses == 0


# --------------------------------------------------------------------------- varied inputs

FORMULAS = {
    "D1": '=IF(A1="","",A1*2)',
    "D2": "=A1+B1-C1",
    "D3": "=A1/B1",
    "D4": "=-A1%",
    "D5": '=A1&"-"&B1',
    "D6": "=IF(AND(A1>0,B1<>\"\"),SUM(A1:C3),OR(A2,B2))",
    "D7": "=IFERROR(A1/B1,\"none\")",
    "D8": "=NOT(A2)",
    "D9": "=SUM(A1:C3,5)",
    "D10": "=COUNTIF(A1:C3,A3)",
    "D11": '=COUNTIF(A1:C3,"x")',
    "D12": "=A1=B1",
    "D13": "=A1<B1",
    "D14": "=A2>=C2",
    "D15": "=SOCIAL_ROI(A1:A3,B1:B3)",
    "D16": "=COST_TOTAL(A1:A3,B1:B3,C1:C3)",
    "D17": '=KPI_ATTAINMENT(A1,B1,"higher",,C1)',
    "D18": "=IF(D3>1,D2,D12)",
    "D19": "=ROUND(A1,1)",
    "D20": "=2^A2",
    "D21": "=COUNTIF(A1:C3,\">1\")",
    "D22": "=D1&D19",
    "D23": "=MAX(A1:C3)",
}
CELLS = [f"{c}{r}" for r in (1, 2, 3) for c in "ABC"]

values = st.one_of(
    st.none(),
    st.just(0),
    st.integers(-5, 5),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", " ", "x", "X", "abc", "12", " 3 ", "1e3", "TRUE", "x*", "M1"]),
    st.booleans(),
    st.sampled_from(["#DIV/0!", "#N/A", "#VALUE!"]),
)


def _varied_book(path: Path, inputs: dict) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for ref, value in inputs.items():
        if value is None:
            continue
        ws[ref] = value
        if isinstance(value, str) and not value.startswith("#"):
            ws[ref].data_type = "s"  # text as typed, never a formula
    for ref, formula in FORMULAS.items():
        ws[ref] = formula
    wb.save(path)
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])  # shrinking recompiles each time: minutes
@given(st.lists(st.fixed_dictionaries({ref: values for ref in CELLS}), min_size=2, max_size=3))
def test_varied_inputs_give_formulas_values(tmp_path_factory, batch):
    # A batch of one template: the plan is made on the first workbook and computes every workbook,
    # the first included; each must equal the formulas model's values on that workbook.
    cache = ModelCache()
    folder = tmp_path_factory.mktemp("varied")
    for i, inputs in enumerate(batch):
        path = _varied_book(folder / f"v{i}.xlsx", inputs)
        assert_plan_equals_formulas(fastpath.compute(path, cache), path)
    assert len(cache.fast_plans) == 1 and cache.misses == 0


def test_varied_inputs_by_hand(tmp_path):
    cache = ModelCache()
    inputs = {"A1": 4, "B1": 0, "C1": "x", "A2": True, "B2": None, "C2": 2.5,
              "A3": "x", "B3": "#N/A", "C3": " 3 "}
    path = _varied_book(tmp_path / "a.xlsx", inputs)
    cells = fastpath.compute(path, cache)
    assert cells.fast, cells.note
    v = {coord: value for (_s, coord), value in cells.cells.items()}
    assert v["D1"] == 8.0
    assert v["D2"] is XlError.VALUE                   # "x" in arithmetic
    assert v["D3"] is XlError.DIV0
    assert v["D4"] == -0.04
    assert v["D5"] == "4-0"
    assert v["D7"] == "none"
    assert v["D8"] is False
    assert v["D9"] is XlError.NA                       # an error in the range
    assert v["D11"] == 2.0                             # "x" twice (C1, A3)
    assert v["D12"] is False and v["D13"] is False
    assert v["D14"] is True                            # TRUE sorts after numbers
    assert v["D19"] == 4.0
    assert v["D20"] == 2.0                             # 2^TRUE


# --------------------------------------------------------------------------- falling back

def test_an_untranslatable_formula_keeps_the_template_on_formulas(tmp_path):
    cache = ModelCache()
    inputs = {"A1": 1, "A2": 2, "A3": 3, "B1": 10, "B2": 20, "B3": 30}
    formulas = {"C1": "=SUMPRODUCT(IF(A1:A3>1,B1:B3,0))", "C2": "=A1+1"}   # IF over a range
    first = fastpath.compute(formula_book(tmp_path / "a.xlsx", formulas, inputs), cache)
    assert "fast plan off" in first.note and "range" in first.note
    second = fastpath.compute(formula_book(tmp_path / "b.xlsx", formulas, {**inputs, "A1": 2}), cache)
    assert not second.fast and "fast plan off" in second.note
    assert second.cells[("Sheet", "C1")] == 10 + 20 + 30
    assert second.cells[("Sheet", "C2")] == 3.0


@pytest.mark.parametrize("formula, want", [
    # Excel: operators work element by element over ranges and arrays, a single row or column
    # repeating; where one array is shorter, #N/A.
    ("=SUMPRODUCT(A1:A3*B1:B3)", 1.0 * 10 + 2 * 20 + 3 * 30), ("=SUM((A1:A3>1)*B1:B3)", 50.0),
    ("=SUMPRODUCT(--(D1:D3=\"x\"),B1:B3)", 10.0 + 30), ("=SUM(A1:A3*{1,2})", 6.0 * 3),
    ("=SUM(A1:A3&\"\")", 0.0), ("=SUM(-A1:A3%)", -0.06),
    ("=MAX(A1:A3^2)", 9.0), ("=SUM(A1:A1*5)", 5.0), ("=AND(A1:A3>0)", True),
    ("=COUNT(A1:A3/(A1:A3-2))", 2.0), ("=SOCIAL_ROI(B1:B3*2, A1:A3)", (120 - 6) / 6)])
def test_operators_on_ranges_are_computed_by_the_plan(tmp_path, formula, want):
    # (A1:A3*{1;2}, three rows by two, is {1;4;#N/A} in Excel and SUM of it #N/A; the formulas model
    # gives #VALUE!: the plan, the engine of record, follows Excel, test_arrays_of_different_sizes.)
    inputs = {"A1": 1, "A2": 2, "A3": 3, "B1": 10, "B2": 20, "B3": 30, "D1": "x", "D2": "y", "D3": "X"}
    path = formula_book(tmp_path / "a.xlsx", {"F1": formula}, inputs)
    computed = fastpath.compute(path, ModelCache())
    got = computed.cells[("Sheet", "F1")]
    assert fastpath.same_value(got, want) or (isinstance(want, float) and abs(got - want) < 1e-12), got
    assert_plan_equals_formulas(computed, path)


def test_arrays_of_different_sizes(tmp_path):
    # Excel's rule ("Guidelines and examples of array formulas"): the smaller array's missing
    # elements are #N/A, a single row or column repeats.
    inputs = {"A1": 1, "A2": 2, "A3": 3}
    path = formula_book(tmp_path / "a.xlsx", {"F1": "=SUM(A1:A3*{1;2})", "F2": "=SUM(A1:A3*{2})",
                                       "F3": "=SUM(A1:A2*{1,2})"}, inputs)
    computed = fastpath.compute(path, ModelCache())
    assert computed.fast, computed.note
    assert computed.cells[("Sheet", "F1")] == XlError.NA
    assert computed.cells[("Sheet", "F2")] == 12.0
    assert computed.cells[("Sheet", "F3")] == 1.0 + 2 + 2 + 4


def test_an_array_formula_over_a_range_is_spread_by_the_plan(tmp_path):
    from openpyxl.worksheet.formula import ArrayFormula

    wb = openpyxl.Workbook()
    ws = wb.active
    for row, (a, b) in enumerate([(1, 10), (2, 20), (3, 30)], start=1):
        ws[f"A{row}"], ws[f"B{row}"] = a, b
    ws["C1"] = ArrayFormula("C1:C4", "=A1:A3*B1:B3")    # four cells for three products
    ws["D1"] = ArrayFormula("D1:E2", "=A1:A2")          # one column, repeated across
    ws["F1"] = "=SUM(C1:C3)+E2"                         # reads the spread values
    wb.save(tmp_path / "a.xlsx")
    computed = fastpath.compute(tmp_path / "a.xlsx", ModelCache())
    assert computed.fast, computed.note
    cells = computed.cells
    assert [cells[("Sheet", f"C{r}")] for r in range(1, 5)] == [10.0, 40.0, 90.0, XlError.NA]
    assert [cells[("Sheet", c)] for c in ("D1", "E1", "D2", "E2")] == [1.0, 1.0, 2.0, 2.0]
    assert cells[("Sheet", "F1")] == 140.0 + 2.0
    assert_plan_equals_formulas(computed, tmp_path / "a.xlsx")


def test_an_array_result_sends_that_workbook_to_formulas(tmp_path):
    cache = ModelCache()
    formulas = {"D1": "=COST_ROLLUP(A1:A3,B1:B3,C1)"}
    inputs = {"A1": "Staff", "A2": "Ads", "A3": "staff", "B1": 10, "B2": 5, "B3": 1, "C1": "ads"}
    first = fastpath.compute(formula_book(tmp_path / "a.xlsx", formulas, inputs), cache)
    assert first.note == ""
    # C1 blank: COST_ROLLUP without a key spills a two-column table, which the plan does not model
    del inputs["C1"]
    path = formula_book(tmp_path / "b.xlsx", formulas, inputs)
    spilled = fastpath.compute(path, cache)
    assert not spilled.fast and "array" in spilled.note
    assert spilled.cells[("Sheet", "D1")] == "Staff" and spilled.cells[("Sheet", "E1")] == 11.0
    assert spilled.cells[("Sheet", "D2")] == "Ads" and spilled.cells[("Sheet", "E2")] == 5.0


def test_a_wrong_translation_is_what_the_differential_test_reports(tmp_path, monkeypatch):
    # Nothing checks the plan at run time: a deliberately wrong translation of "+" is the answer
    # from the first workbook on, and tests/conformance/test_plan_vs_formulas.py's comparison must name the cell.
    monkeypatch.setitem(fastcalc._RUNTIME, "_add", lambda x, y: 42.0)
    formulas = {"C1": "=(A1+B1)", "C2": "=A1*B1"}  # in parentheses: plain "+", not the final one
    path = formula_book(tmp_path / "a.xlsx", formulas, {"A1": 1, "B1": 2})
    first = fastpath.compute(path, ModelCache())
    assert first.fast and first.cells[("Sheet", "C1")] == 42.0
    assert differences(path)["differ"] == ["Sheet!C1: plan 42.0, formulas 3.0"]


def test_a_fault_in_the_plan_falls_back_to_formulas(tmp_path):
    cache = ModelCache()
    formulas = {"C1": "=A1*B1"}
    fastpath.compute(formula_book(tmp_path / "a.xlsx", formulas, {"A1": 2, "B1": 3}), cache)
    (entry,) = cache.fast_plans.values()

    def broken(*values):
        raise RuntimeError("a bug in the translation")

    entry.plan._steps = [(broken, 0, (), (0,))]  # the program's one run: the formula cell
    second = fastpath.compute(formula_book(tmp_path / "b.xlsx", formulas, {"A1": 4, "B1": 5}), cache)
    assert not second.fast and "a bug in the translation" in second.note
    assert second.cells[("Sheet", "C1")] == 20.0


def test_a_fault_on_the_first_workbook_falls_back_to_formulas(tmp_path, monkeypatch):
    def broken(self, values, previous=None):
        raise RuntimeError("a bug in the translation")

    monkeypatch.setattr(fastcalc.Plan, "evaluate", broken)
    cache = ModelCache()
    first = fastpath.compute(formula_book(tmp_path / "a.xlsx", {"C1": "=A1*B1"}, {"A1": 2, "B1": 3}), cache)
    assert not first.fast and first.note == "fast plan: RuntimeError: a bug in the translation"
    assert first.cells[("Sheet", "C1")] == 6.0 and cache.misses == 1


def test_the_first_workbook_builds_no_formulas_model(tmp_path, monkeypatch):
    from roi_xl.engine import model

    def refused(self, loaded):
        raise AssertionError("a formulas model was built")

    monkeypatch.setattr(model.CompiledWorkbook, "__init__", refused)
    path = formula_book(tmp_path / "a.xlsx", {"C1": "=A1*B1+1", "C2": '=IF(C1>6,"big","small")'},
                 {"A1": 2, "B1": 3})
    computed = fastpath.compute(path, ModelCache())
    assert computed.fast and computed.note == ""
    assert computed.cells == {("Sheet", "C1"): 7.0, ("Sheet", "C2"): "big"}


def test_an_array_result_on_the_first_workbook_falls_back_and_keeps_the_plan(tmp_path):
    cache = ModelCache()
    formulas = {"D1": "=COST_ROLLUP(A1:A3,B1:B3,C1)"}
    inputs = {"A1": "Staff", "A2": "Ads", "A3": "staff", "B1": 10, "B2": 5, "B3": 1}
    spilled = fastpath.compute(formula_book(tmp_path / "a.xlsx", formulas, inputs), cache)  # C1 blank
    assert not spilled.fast and spilled.note == "fast plan: an array in one cell (Excel spills it)"
    assert spilled.cells[("Sheet", "D2")] == "Ads" and spilled.cells[("Sheet", "E2")] == 5.0
    keyed = fastpath.compute(formula_book(tmp_path / "b.xlsx", formulas, {**inputs, "C1": "ads"}), cache)
    assert keyed.fast and keyed.cells == {("Sheet", "D1"): 5.0}


def test_a_workbook_the_fast_reader_refuses_goes_through_formulas(tmp_path, monkeypatch):
    def refused(path):
        raise FastReadError("cells without references")

    monkeypatch.setattr(fastbook, "read", refused)
    computed = fastpath.compute(formula_book(tmp_path / "a.xlsx", {"C1": "=A1*2"}, {"A1": 4}), ModelCache())
    assert not computed.fast and computed.cells == {("Sheet", "C1"): 8.0}
    assert computed.note == "fast reader: FastReadError: cells without references"


def test_bridged_functions_get_their_arguments_as_formulas_hands_them(tmp_path):
    # A computed value is not a reference: AVERAGE reads the text "42" that A1&B1 makes as a number
    # (Excel: 42) but skips the same text in a cell (Excel: no numbers, #DIV/0!). A function that
    # raises on a value makes its cell #VALUE! (ISODD("Hey") in Excel).
    formulas = {"C1": "=AVERAGE(A1&B1)", "C2": "=AVERAGE(A3)", "C3": "=ISODD(A4)", "C4": "=ISODD(A1)"}
    path = formula_book(tmp_path / "a.xlsx", formulas, {"A1": 4, "B1": 2, "A3": "42", "A4": "Hey"})
    computed = fastpath.compute(path, ModelCache())
    assert computed.fast, computed.note
    assert computed.cells == {("Sheet", "C1"): 42.0, ("Sheet", "C2"): XlError.DIV0,
                              ("Sheet", "C3"): XlError.VALUE, ("Sheet", "C4"): False}


@pytest.mark.parametrize("formula, want", [
    # Excel: ROW/COLUMN of a typed cell is its number, without argument the formula's own (F9);
    # ROWS/COLUMNS count a typed range's lines.
    ("=ROW(B5)", 5.0), ("=ROW()", 9.0), ("=COLUMN()", 6.0), ("=COLUMN(AB7)", 28.0),
    ("=COLUMNS(A2:D2)", 4.0), ("=ROWS(A1:A3)", 3.0), ("=ROWS(A3:A1)", 3.0),
    # INDEX picks one cell; a one-column range takes one position, fractions truncate; a position
    # beyond the range, or a two-dimensional range without a column, is #REF!; an error is the result.
    ("=INDEX(A1:A3,2)", 7.0), ("=INDEX(A1:A3,2.9)", 7.0), ("=INDEX(A1:B3,3,1)", 2.0),
    ("=INDEX(A1:D1,4)", "5"), ("=INDEX(A2:B2,2)", 0.0), ("=INDEX(A1:A3,4)", XlError.REF),
    ("=INDEX(A1:B3,2)", XlError.REF), ("=INDEX(A1:A3,B5)", XlError.NA),
    ("=INDEX(A1:A3,A1+1)*10", 70.0),
    # INDEX gives a reference: SUM skips a numeric text there (Excel: 0), not in a computed "5".
    ("=SUM(INDEX(D1:D2,1))", 0.0), ("=SUM(INDEX(D1:D2,1)&\"\")", 5.0)])
def test_functions_of_references_the_plan_knows(tmp_path, formula, want):
    path = formula_book(tmp_path / "a.xlsx", {"F9": formula},
                 {"A1": 1, "A2": 7, "A3": 2, "B5": "#N/A", "D1": "5"})
    computed = fastpath.compute(path, ModelCache())
    assert computed.fast, computed.note
    assert fastpath.same_value(computed.cells[("Sheet", "F9")], want)


@pytest.mark.parametrize("formula, name, want", [
    ("=SUM(OFFSET(A1,A1,0,2))", "_ROIXL_OFFSET", 7.0 + 2.0)])   # A2:A3, read from the workbook
def test_functions_that_read_references_stay_on_formulas(tmp_path, formula, name, want):
    # formulas hands these the reference itself (or the workbook's cells), which the plan's
    # values are not: the template falls back, with the reason.
    path = formula_book(tmp_path / "a.xlsx", {"C1": formula}, {"A1": 1, "A2": 7, "A3": 2, "B5": "#N/A"})
    computed = fastpath.compute(path, ModelCache())
    assert not computed.fast and computed.note.startswith("fast plan off: Sheet!C1: ")
    assert name in computed.note
    assert computed.cells[("Sheet", "C1")] == want


def test_index_of_a_whole_column_goes_to_formulas_for_that_workbook(tmp_path):
    # INDEX(A1:B3,0,2) is the column B1:B3 (Excel spills it): the plan does not model that result.
    path = formula_book(tmp_path / "a.xlsx", {"D1": "=SUM(INDEX(A1:B3,0,2))"},
                 {"A1": 1, "A2": 7, "A3": 2, "B1": 10, "B2": 20, "B3": 30})
    computed = fastpath.compute(path, ModelCache())
    assert not computed.fast and "INDEX of a whole row or column" in computed.note
    assert computed.cells[("Sheet", "D1")] == 60.0


@pytest.mark.parametrize("formula, want", [
    # Worked from the data: A1:A6 = 1, 7, 2, "x", 7, blank; B1:B6 = "a", "b", "a", "A", "b", "a".
    ("=COUNTIF(A1:A6,7)", 2), ("=COUNTIF(A1:A6,\">1\")", 3), ("=COUNTIF(A1:A6,\"<>7\")", 4),
    ("=SUMIF(B1:B6,\"a\",A1:A6)", 1 + 2), ("=SUMIFS(A1:A6,B1:B6,\"b\",A1:A6,\">5\")", 14),
    ("=COUNTIFS(B1:B6,\"a\",A1:A6,\"\")", 1), ("=AVERAGEIF(B1:B6,\"a\",A1:A6)", 1.5),
    ("=AVERAGEIFS(A1:A6,B1:B6,\"zz\")", XlError.DIV0), ("=MAXIFS(A1:A6,B1:B6,\"b\")", 7),
    ("=MINIFS(A1:A6,B1:B6,\"a\")", 1), ("=SUMIF(A1:A6,\">0\")", 17),
    ("=SUMIF(B1:B6,C9,A1:A6)+COUNTIF(B1:B6,\"a\")", 0 + 4)])   # C9 blank: the criterion 0; "A" is "a"
def test_criteria_functions_on_the_plan(tmp_path, formula, want):
    constants = {"A1": 1, "A2": 7, "A3": 2, "A4": "x", "A5": 7,
                 "B1": "a", "B2": "b", "B3": "a", "B4": "A", "B5": "b", "B6": "a"}
    path = formula_book(tmp_path / "a.xlsx", {"D1": formula, "D2": "=D1"}, constants)
    computed = fastpath.compute(path, ModelCache())
    assert computed.fast, computed.note
    got = computed.cells[("Sheet", "D1")]
    assert got == want and (isinstance(want, XlError) or isinstance(got, float))


def test_a_one_cell_array_formula_without_ranges_is_translated(tmp_path):
    from openpyxl.worksheet.formula import ArrayFormula

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B1"] = 4
    ws["A1"] = ArrayFormula("A1", "=-B1*2")         # {=-B1*2}: the same as =-B1*2
    ws["A2"] = "=NOSUCHNAME+1"                     # neither defined nor a reference: #NAME?
    ws["A3"] = "=IFERROR(NOSUCHNAME,A1)"
    wb.save(tmp_path / "a.xlsx")
    computed = fastpath.compute(tmp_path / "a.xlsx", ModelCache())
    assert computed.fast, computed.note
    assert computed.cells == {("Sheet", "A1"): -8.0, ("Sheet", "A2"): XlError.NAME,
                              ("Sheet", "A3"): -8.0}
    ws["A1"] = ArrayFormula("A1", "=SUM(B1:B2*2)")  # element by element over a range: on the plan too
    ws["B2"] = 1
    wb.save(tmp_path / "b.xlsx")
    computed = fastpath.compute(tmp_path / "b.xlsx", ModelCache())
    assert computed.fast, computed.note
    assert computed.cells[("Sheet", "A1")] == 10.0 and computed.cells[("Sheet", "A3")] == 10.0
    ws["A1"] = ArrayFormula("A1", "=SUM(IF(B1:B2>1,B1:B2))")   # IF over a range: formulas computes it
    wb.save(tmp_path / "c.xlsx")
    computed = fastpath.compute(tmp_path / "c.xlsx", ModelCache())
    assert not computed.fast and computed.note == \
        "fast plan off: Sheet!A1: a range or an array where one value is expected"
    assert computed.cells[("Sheet", "A1")] == 4.0 and computed.cells[("Sheet", "A3")] == 4.0


def test_debug_says_why_a_template_is_not_fast(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    formulas = {"C1": "=SUMPRODUCT(IF(A1:A3>1,B1:B3))"}
    for i in range(2):
        formula_book(src / f"b{i}.xlsx", formulas, {"A1": i, "A2": 2, "A3": 3, "B1": 1, "B2": 1, "B3": 1})
    run = recalc(src, "--out", tmp_path / "out", "--jobs", "1", "--debug")
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("warning: fast plan off: Sheet!C1: a range or an array where one value "
                            "is expected") == 2


# --------------------------------------------------------------------------- the reader

def test_reader_gives_the_constants_formulas_sees(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "My Sheet"
    ws["A1"], ws["A2"], ws["A3"], ws["A4"] = 1, 2.5, "text & <more>", True
    ws["A5"] = "#N/A"
    ws["A6"] = dt.datetime(2024, 3, 1)
    ws["A7"] = "=A1"
    ws["A8"], ws["A9"] = 1e-307, 1.2345678901234e-5   # kept exactly, as Excel keeps them
    path = tmp_path / "r.xlsx"
    wb.save(path)
    book = fastbook.read(path)
    got = book.values["My Sheet"]
    assert got == {"A1": 1, "A2": 2.5, "A3": "text & <more>", "A4": True, "A5": XlError.NA,
                   "A6": 45352,                    # 2024-03-01 as Excel's serial number
                   "A8": 1e-307, "A9": 1.2345678901234e-5}
    assert book.number_format("My Sheet", "A6") == "yyyy-mm-dd h:mm:ss"
    other = tmp_path / "other.xlsx"
    ws["A1"] = 99
    wb.save(other)
    assert fastbook.read(other).key == book.key     # constants do not change the key
    ws["A7"] = "=A1+1"
    wb.save(other)
    assert fastbook.read(other).key != book.key     # formulas do


def test_tiny_constants_are_not_rounded_away_on_either_path(tmp_path):
    # formulas' own loader rounds constants to 15 decimals; Excel keeps 1e-307 (a plan built on the
    # first workbook computes the second).
    cache = ModelCache()
    formulas = {"C1": "=A1*1E+300", "C2": "=A2*1E+5", "C3": "=A1>0"}
    inputs = {"A1": 1e-307, "A2": 1.2345678901234e-5}
    fastpath.compute(formula_book(tmp_path / "a.xlsx", formulas, inputs), cache)
    path = formula_book(tmp_path / "b.xlsx", formulas, {"A1": 3e-308, "A2": -1.2345678901234e-5})
    fast = fastpath.compute(path, cache)
    assert_plan_equals_formulas(fast, path)
    assert fast.cells[("Sheet", "C1")] == pytest.approx(3e-8, rel=1e-15)
    assert fast.cells[("Sheet", "C2")] == pytest.approx(-1.2345678901234, rel=1e-15)
    assert fast.cells[("Sheet", "C3")] is True


def test_reader_refuses_a_dtd(tmp_path):
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1)
            zout.writestr(info, data)
    with pytest.raises(ValueError, match="DTD"):
        fastbook.read(bad)


# --------------------------------------------------------------------------- the batch

def test_summary_from_the_fast_path_matches_the_formulas_path(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i, revenue in enumerate((48_500.0, 30_000.0, 12_000.0)):
        client_book(src / f"c{i}.xlsx", client=f"Client {i}", revenue=revenue, names_on_formulas=True)
    summary = tmp_path / "s.csv"
    run = recalc(src, "--out", tmp_path / "out", "--summary", summary, "--jobs", "1")
    assert run.returncode == 0, run.stderr
    df = read_summary(summary).set_index("file")
    cost = 7_500 + 3_800 + 1_000
    for i, revenue in enumerate((48_500.0, 30_000.0, 12_000.0)):   # c1 and c2 come from the plan
        row = df.loc[str(src / f"c{i}.xlsx")]
        assert (row["client"], row["currency"]) == (f"Client {i}", "EUR")
        assert (row["period_start"], row["period_end"]) == ("2024-01-01", "2024-03-31")
        assert float(row["total_cost"]) == cost
        assert float(row["roi"]) == pytest.approx((revenue - cost) / cost, rel=1e-12)


# --------------------------------------------------------------------------- what the key covers

def test_whole_columns_are_keyed_by_the_filled_extent(tmp_path):
    # load() clips A:A to the rows filled; a plan made on a 3-row client must not serve a 6-row one.
    cache = ModelCache()
    formulas = {"C1": "=SUM(A:A)", "C2": "=COUNT(A:A)*2"}
    short = formula_book(tmp_path / "short.xlsx", formulas, {"A1": 1, "A2": 2, "A3": 3})
    assert fastpath.compute(short, cache).cells[("Sheet", "C1")] == 6.0
    long = formula_book(tmp_path / "long.xlsx", formulas, {f"A{r}": r for r in range(1, 7)})
    cells = fastpath.compute(long, cache).cells
    assert cells[("Sheet", "C1")] == 21.0            # 1 + 2 + ... + 6
    assert cells[("Sheet", "C2")] == 12.0
    again = fastpath.compute(formula_book(tmp_path / "again.xlsx", formulas,
                                   {f"A{r}": 10 * r for r in range(1, 7)}), cache)
    assert again.fast and again.cells[("Sheet", "C1")] == 210.0   # same extent: the plan serves


def _table_book(path: Path, rows: int) -> Path:
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Costs"
    ws.append(["Item", "Amount"])
    for r in range(rows):
        ws.append([f"item {r}", 100 * (r + 1)])
    ws.add_table(Table(displayName="tblCosts", ref=f"A1:B{rows + 1}"))
    ws["D1"] = "=SUM(tblCosts[Amount])"
    wb.save(path)
    return path


def test_table_definitions_are_part_of_the_key(tmp_path):
    # Same formula text, tables of different sizes: tblCosts[Amount] means B2:B3, then B2:B5.
    cache = ModelCache()
    assert fastpath.compute(_table_book(tmp_path / "two.xlsx", 2), cache).cells[("Costs", "D1")] == 300.0
    assert fastpath.compute(_table_book(tmp_path / "four.xlsx", 4), cache).cells[("Costs", "D1")] == 1000.0
    three = fastpath.compute(_table_book(tmp_path / "two-again.xlsx", 2), cache)
    assert three.fast and three.cells[("Costs", "D1")] == 300.0


def _printed_book(path: Path, print_area: str, formula: str = "=SUM(A1:A3)") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 4):
        ws[f"A{r}"] = r
    ws["C1"] = formula
    ws.print_area = print_area  # Excel's own name, _xlnm.Print_Area
    wb.save(path)
    return path


def test_a_print_area_is_not_part_of_the_key_unless_a_formula_names_it(tmp_path):
    # Each client's copy may be printed over its own rows: one plan still serves them all...
    one = fastbook.read(_printed_book(tmp_path / "a.xlsx", "A1:C3")).key
    assert fastbook.read(_printed_book(tmp_path / "b.xlsx", "A1:C40")).key == one
    # ...but a formula that names the print area depends on it (ROWS(Print_Area): 3, then 40)
    short = fastbook.read(_printed_book(tmp_path / "c.xlsx", "A1:C3", "=ROWS(Print_Area)")).key
    tall = fastbook.read(_printed_book(tmp_path / "d.xlsx", "A1:C40", "=ROWS(Print_Area)")).key
    assert short != tall


@pytest.mark.parametrize("note, reason", [
    ("fast plan off: Plan!B7: unknown function FOO", "fast plan off: unknown function FOO"),
    ("fast plan off: 'My ''Sheet'!$B$7: cannot read '{1,2,3})'", "fast plan off: cannot read '…'"),
    ("fast plan off: array formula on sheet Sheet 1", "fast plan off: array formula"),
    ("fast plan: COST_ROLLUP returned an array", "fast plan: COST_ROLLUP returned an array"),
])
def test_a_fallback_reason_leaves_out_where_it_happened(note, reason):
    assert fastpath.reason_of(note) == reason


def test_a_formula_too_deep_to_translate_falls_back(tmp_path):
    # 2,000 nested negations: deeper than the translation's recursion; formulas computes it.
    path = formula_book(tmp_path / "a.xlsx", {"B1": "=" + "-" * 2000 + "A1"}, {"A1": 3})
    computed = fastpath.compute(path, ModelCache())
    assert not computed.fast and computed.note.startswith("fast plan off: RecursionError")
    assert computed.cells[("Sheet", "B1")] == 3.0                 # an even number of minus signs


def test_a_fallback_note_names_a_sheet_as_a_formula_would(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "My Sheet"
    ws["A1"], ws["C1"] = 2, "=SUM(IF({1,2,3}>1,A1))"
    wb.save(tmp_path / "a.xlsx")
    computed = fastpath.compute(tmp_path / "a.xlsx", ModelCache())
    assert computed.note == "fast plan off: 'My Sheet'!C1: a range or an array where one value is expected"
    assert fastpath.reason_of(computed.note) == \
        "fast plan off: a range or an array where one value is expected"


@pytest.mark.parametrize("formula, want", [
    # Excel: an array constant in SUM, AND, COUNT... is read as a range is, numbers only; a
    # one-element constant is that value; lookups search it.
    ('=SUM({1,2;3,"4"})', 6.0), ("=SUM({5})+1", 6.0), ('=COUNT({1,"a",TRUE,2})', 2.0),
    ("=AND({TRUE,1})", True), ("=OR({FALSE,0})", False),
    ('=MATCH("b",{"a","b","c"},0)', 2.0), ("=VLOOKUP(2,{1,\"x\";2,\"y\"},2,FALSE)", "y"),
    ("=MAX({-1.5,-2E+1,#N/A})", XlError.NA), ("=SUM({1,2,3})*A1", 6.0 * 4)])
def test_array_constants_on_the_plan(tmp_path, formula, want):
    path = formula_book(tmp_path / "a.xlsx", {"C1": formula}, {"A1": 4})
    computed = fastpath.compute(path, ModelCache())
    assert fastpath.same_value(computed.cells[("Sheet", "C1")], want)
    assert_plan_equals_formulas(computed, path)


def test_an_operator_on_an_array_constant_is_computed_by_the_plan(tmp_path):
    path = formula_book(tmp_path / "a.xlsx", {"C1": "=SUM({1,2}*2)"}, {})
    computed = fastpath.compute(path, ModelCache())
    assert computed.fast and computed.cells[("Sheet", "C1")] == 6.0


@pytest.mark.parametrize("formula, want", [
    # Data: A1:A4 = "a", "B", 7, "b"; B1:B4 = 10, 20, blank, 40; C1:E1 = "x", "y", "z".
    # Excel's exact matches: text ignores case, the first equal value wins, a blank found is 0.
    ('=VLOOKUP("b",A1:B4,2,FALSE)', 20.0), ('=VLOOKUP(7,A1:B4,2,0)', 0.0),
    ('=VLOOKUP("zz",A1:B4,2,FALSE)', XlError.NA), ('=VLOOKUP("a",A1:B4,3,FALSE)', XlError.REF),
    ('=VLOOKUP("a*",A1:B4,2,FALSE)', 10.0), ('=VLOOKUP(F9,A1:B4,2,FALSE)', XlError.NA),
    ('=HLOOKUP("y",C1:E2,1,FALSE)', "y"), ('=MATCH("B",A1:A4,0)', 2.0), ('=MATCH(7,A1:A4,0)', 3.0),
    ('=MATCH("q",A1:A4,0)', XlError.NA), ('=MATCH("z",C1:E1,0)', 3.0),
    ('=XLOOKUP("b",A1:A4,B1:B4)', 20.0), ('=XLOOKUP(7,A1:A4,B1:B4)', 0.0),
    ('=XLOOKUP("q",A1:A4,B1:B4)', XlError.NA), ('=XLOOKUP("q",A1:A4,B1:B4,"none")', "none"),
    ('=XLOOKUP("b",A1:A4,B1:B4,,0,-1)', 40.0), ('=XLOOKUP("y",C1:E1,C1:E1)', "y")])
def test_exact_lookups_on_the_plan(tmp_path, formula, want):
    inputs = {"A1": "a", "A2": "B", "A3": 7, "A4": "b", "B1": 10, "B2": 20, "B4": 40,
              "C1": "x", "D1": "y", "E1": "z"}
    path = formula_book(tmp_path / "a.xlsx", {"G1": formula}, inputs)
    computed = fastpath.compute(path, ModelCache())
    assert fastpath.same_value(computed.cells[("Sheet", "G1")], want), computed.cells[("Sheet", "G1")]
    assert_plan_equals_formulas(computed, path)


def test_formulas_laid_out_alike_get_their_own_arguments():
    """fastcalc._Layout: a formula differing from one translated before only in the digits of its
    numbers, texts and references reuses its layout; one differing elsewhere (a name, a function's
    name, a sheet, an error) is tokenised on its own."""
    formulas = {
        ("S", "C1"): "=A1*2+B1", ("S", "C2"): "=A2*3+B2", ("S", "C3"): '=A3&"k9"',
        ("S", "C4"): '=A4&"k1"', ("S", "C5"): "=Rate1*A1", ("S", "C6"): "=Rate2*A1",
        ("S", "C7"): "=S1!A1+1", ("S", "C8"): "=S2!A1+1", ("S", "C9"): "=LOG10(A4)",
        ("S", "C10"): "=LOG(A4)", ("S", "C11"): "=IFERROR(A5,#DIV/0!)", ("S", "C12"): "=IFERROR(A5,0)",
    }
    plan = fastcalc.Plan(formulas, ["S", "S1", "S2"], {"Rate1": ("S", "B1"), "Rate2": ("S", "B2")},
                         ["Rate1", "Rate2"])
    values = {"S": {"A1": 2, "B1": 10, "A2": 5, "B2": 1, "A3": "x", "A4": 100, "A5": None},
              "S1": {"A1": 7}, "S2": {"A1": 8}}
    got = plan.evaluate(values)
    assert [got[("S", f"C{i}")] for i in range(1, 13)] == [
        14.0, 16.0, "xk9", "100k1", 20.0, 2.0, 8.0, 9.0, 2.0, 2.0, 0, 0]


def test_plan_orders_cells_through_ranges_of_formula_cells():
    """Plan._program: ranges of constants only are read as blocks (overlapping ones share rows),
    a range holding formula cells is built from their values after them, and a cell listed before
    what it reads is still computed after it; a circle through a range is refused."""
    formulas = {
        ("S", "D1"): "=C1*2",              # listed first: computed after C1, B1 and B2
        ("S", "C1"): "=SUM(B1:B2)",        # a range of formula cells: 6 + 9
        ("S", "B1"): "=SUM(A1:A3)",        # 1 + 2 + 3
        ("S", "B2"): "=SUM(A2:A4)",        # 2 + 3 + 4, overlapping A1:A3
        ("S", "E1"): "=SUM(A1:B2)",        # constants and formula cells: 1 + 2 + 6 + 9
        ("T", "A1"): "=SUM(S!A3:A4)*10",   # another sheet's constants: (3 + 4) * 10
    }
    plan = fastcalc.Plan(formulas, ["S", "T"], {})
    got = plan.evaluate({"S": {"A1": 1, "A2": 2, "A3": 3, "A4": 4}})
    assert [got[("S", c)] for c in ("D1", "C1", "B1", "B2", "E1")] == [30.0, 15.0, 6.0, 9.0, 18.0]
    assert got[("T", "A1")] == 70.0
    # another workbook of the template (A2, A3 blank): B1 10, B2 1, C1 11, D1 22, E1 10 + 10 + 1
    again = plan.evaluate({"S": {"A1": 10, "A4": 1}})
    assert [again[("S", c)] for c in ("D1", "C1", "B1", "B2", "E1")] == [22.0, 11.0, 10.0, 1.0, 21.0]
    with pytest.raises(Untranslatable, match="circular"):
        fastcalc.Plan({("S", "A1"): "=B1+1", ("S", "B1"): "=SUM(A1:A2)"}, ["S"], {})
