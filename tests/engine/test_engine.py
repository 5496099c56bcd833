"""The headless engine on real workbooks: our functions under every stored name, Excel semantics
around them, unknown functions, cycles, the compiled-model cache and the command line."""
import hashlib
import subprocess
import sys

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

import roi_xl
from roi_xl import XlError
from roi_xl.engine import ModelCache, fastpath
from roi_xl.engine.workbook import load
from roi_xl.errors import CircularReferenceError, WorkbookError

REVENUE, COST = 48_500.0, 12_300.0   # a month of social-attributed sales and its full cost


def _save(wb, path):
    wb.save(path)
    return path


@pytest.fixture
def plan(tmp_path):
    """A small client plan: inputs on 'Cost sheet' (a name with a space), formulas on Plan."""
    wb = openpyxl.Workbook()
    plan = wb.active
    plan.title = "Plan"
    costs = wb.create_sheet("Cost sheet")
    costs["A1"], costs["B1"] = "Staff", 7_500
    costs["A2"], costs["B2"] = "ads", 3_800
    costs["A3"], costs["B3"] = "STAFF", 1_000
    plan["A1"], plan["A2"] = REVENUE, COST
    plan["A3"], plan["A4"] = 80, 100          # KPI actual and target
    wb.defined_names["Revenue"] = DefinedName("Revenue", attr_text="Plan!$A$1")
    wb.defined_names["CostLines"] = DefinedName("CostLines", attr_text="'Cost sheet'!$B$1:$B$3")
    f = {
        "B1": "=SOCIAL_ROI(A1,A2)",
        "B2": "=_xludf.SOCIAL_ROI(A1,A2)",
        "B3": "=[1]!Social_Roi(A1,A2)",
        "B4": "='C:\\Users\\ana\\AppData\\Roaming\\roi.xlam'!SOCIAL_ROI(A1,A2)",
        "B5": "=XLWINGS.SOCIAL_ROI(A1,A2)",
        "B6": "=_xldudf_XLWINGS_SOCIAL_ROI(A1,A2)",
        "B7": "=social_roi(Revenue,SUM(CostLines))",
        "B8": "=SOCIAL_ROI(A1,'Cost sheet'!B1:B3)",
        "B9": '=KPI_ATTAINMENT(A3,A4,"lower",,1.1)',
        "B10": '=KPI_ATTAINMENT(A3,A4,,,0.5)',
        "B11": "=SOCIAL_ROI(A1,0)",
        "B12": '=IFERROR(B11,"no cost")',
        "B13": "=ISERROR(B11)",
        "B14": "=B11*2",
        "B15": "=SOCIAL_ROI(1/0,A2)",
        "B16": "=COST_ROLLUP('Cost sheet'!A1:A3,'Cost sheet'!B1:B3,\"staff\")",
        "B17": "=NOT_A_FUNCTION(A1)",
        "B18": "=B17+1",
        "B19": "=A1*SOCIAL_ROI(A1,A2)",
        "B20": '=KPI_STATUS(B9)',
    }
    for cell, formula in f.items():
        plan[cell] = formula
    return _save(wb, tmp_path / "plan.xlsx")


def test_our_functions_under_every_stored_name(plan):
    r = roi_xl.recalc(plan)
    roi = (REVENUE - COST) / COST
    assert roi * 100 == pytest.approx(((48_500 - 12_300) * 100) / 12_300)  # the seed's formula
    for cell in ("B1", "B2", "B3", "B4", "B5", "B6"):
        assert r[f"Plan!{cell}"] == pytest.approx(roi, rel=1e-12), cell


def test_names_cross_sheet_references_and_a_sheet_with_spaces(plan):
    r = roi_xl.recalc(plan)
    total_cost = 7_500 + 3_800 + 1_000
    assert r["Plan!B7"] == pytest.approx((48_500 - total_cost) / total_cost, rel=1e-12)
    assert r["Plan!B8"] == pytest.approx((48_500 - total_cost) / total_cost, rel=1e-12)
    assert r["Plan!B16"] == 7_500 + 1_000  # keys match ignoring case


def test_omitted_middle_arguments_take_their_defaults(plan):
    r = roi_xl.recalc(plan)
    assert r["Plan!B9"] == pytest.approx(min(100 / 80, 1.1))   # lower, capped at 110%
    assert r["Plan!B10"] == pytest.approx(0.5)                 # direction defaults to higher: 0.8 capped
    assert r["Plan!B20"] == "GREEN"                            # 1.1 >= 1


def test_errors_flow_between_cells_as_in_excel(plan):
    r = roi_xl.recalc(plan)
    assert r["Plan!B11"] is XlError.DIV0
    assert r["Plan!B12"] == "no cost"
    assert r["Plan!B13"] is True
    assert r["Plan!B14"] is XlError.DIV0
    assert r["Plan!B15"] is XlError.DIV0          # an error argument is returned as is
    assert r["Plan!B19"] == pytest.approx(48_500 * (48_500 - 12_300) / 12_300)


def test_unknown_function_gives_name_error_and_a_warning(plan):
    r = roi_xl.recalc(plan)
    assert r["Plan!B17"] is XlError.NAME
    assert r["Plan!B18"] is XlError.NAME
    assert any("Plan!B17" in w and "NOT_A_FUNCTION" in w for w in r.warnings)


def test_circular_reference_is_a_clear_error(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Loop"
    ws["A1"], ws["A2"], ws["A3"] = "=A2+1", "=A1+1", "=SUM(B1:B3)"
    ws["B1"] = 5
    with pytest.raises(CircularReferenceError, match=r"Loop!A1, Loop!A2"):
        roi_xl.recalc(_save(wb, tmp_path / "loop.xlsx"))


def test_ranges_feeding_formulas_are_not_cycles(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(1, 11):
        ws[f"A{i}"] = i
        ws[f"B{i}"] = f"=A{i}+SUM(A1:A{i})"
    ws["C1"] = "=SUM(B1:B10)"
    r = roi_xl.recalc(_save(wb, tmp_path / "running.xlsx"))
    # sum over i of (i + i(i+1)/2) = 55 + 220
    assert r["Sheet!C1"] == 55 + sum(i * (i + 1) // 2 for i in range(1, 11))


def test_spilled_rollup_fills_the_cells_beside_and_below(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, (key, amount) in enumerate([("Staff", 10), ("Ads", 5), ("staff", 1)], start=1):
        ws[f"A{row}"], ws[f"B{row}"] = key, amount
    ws["D1"] = "=COST_ROLLUP(A1:A3,B1:B3)"
    ws["G1"] = "=COST_ROLLUP(A1:A3,B1:B3)"
    ws["G2"] = "in the way"
    r = roi_xl.recalc(_save(wb, tmp_path / "spill.xlsx"))
    assert [r["Sheet!D1"], r["Sheet!E1"], r["Sheet!D2"], r["Sheet!E2"]] == ["Staff", 11, "Ads", 5]
    assert r["Sheet!G1"] is XlError.SPILL


def test_cached_model_gives_the_same_values_as_a_fresh_compile(tmp_path):
    def client(name, revenue, cost):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws["A1"], ws["A2"] = revenue, cost
        ws["B1"] = "=SOCIAL_ROI(A1,A2)"
        ws["B2"] = "=B1*100"
        return _save(wb, tmp_path / name)

    a, b = client("a.xlsx", 1_000, 400), client("b.xlsx", 9_000, 3_000)
    cache = ModelCache()
    ra, rb = roi_xl.recalc(a, cache=cache), roi_xl.recalc(b, cache=cache)
    # translated once (roi_xl.engine.fastpath): the plan computes both, no formulas model is built
    assert cache.misses == 0 and len(cache.fast_plans) == 1
    assert rb.cells == fastpath.compute(b, ModelCache(), fast=False).cells   # = a formulas compile
    assert ra["Sheet!B2"] == pytest.approx((1_000 - 400) * 100 / 400)
    assert rb["Sheet!B2"] == pytest.approx((9_000 - 3_000) * 100 / 3_000)


def test_a_new_filled_cell_changes_the_fingerprint(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = 1, "=SUM(A1:A3)"
    first = _save(wb, tmp_path / "one.xlsx")
    ws["A2"] = 10
    second = _save(wb, tmp_path / "two.xlsx")
    cache = ModelCache()
    assert roi_xl.recalc(first, cache=cache)["Sheet!B1"] == 1
    assert roi_xl.recalc(second, cache=cache)["Sheet!B1"] == 11
    # The formula model is shaped by which cells hold constants; the fast plan (keyed by formulas
    # only) reads a missing constant as a blank and serves both.
    assert load(first).fingerprint != load(second).fingerprint
    assert cache.misses == 0 and len(cache.fast_plans) == 1
    assert fastpath.compute(second, ModelCache(), fast=False).cells[("Sheet", "B1")] == 11  # formulas


def test_typed_errors_are_part_of_the_fingerprint(tmp_path):
    # formulas compiles a typed error (#N/A in a cell) as a formula node: two workbooks with the same
    # cells filled but errors in different ones must not share a compiled model.
    def book(name, a1, a2):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws["A1"], ws["A2"] = a1, a2
        ws["B1"], ws["B2"] = "=IFERROR(A1,0)+A2", "=ISERROR(A2)"
        return _save(wb, tmp_path / name)

    first, second = book("one.xlsx", "#N/A", 5), book("two.xlsx", 3, "#DIV/0!")
    third = book("three.xlsx", 3, "#N/A")                   # another error in the same cell
    assert len({load(p).fingerprint for p in (first, second, third)}) == 3
    cache = ModelCache()
    one, two, three = (fastpath.compute(p, cache, fast=False).cells for p in (first, second, third))
    assert (one[("Sheet", "B1")], one[("Sheet", "B2")]) == (5.0, False)
    assert two[("Sheet", "B1")] is XlError.DIV0 and two[("Sheet", "B2")] is True
    assert three[("Sheet", "B1")] is XlError.NA and three[("Sheet", "A2")] is XlError.NA


def test_results_turn_into_a_dataframe(plan):
    frame = roi_xl.recalc(plan).to_frame()
    row = frame.set_index("address").loc["Plan!B1"]
    assert (row["sheet"], row["cell"]) == ("Plan", "B1")
    assert row["value"] == pytest.approx((REVENUE - COST) / COST)


def test_not_a_workbook_is_a_workbook_error(tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("quarterly notes, not a workbook")
    with pytest.raises(WorkbookError, match="not an Excel workbook"):
        roi_xl.recalc(bad)


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_command_writes_each_workbook_and_reports_failures(plan, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    before = {p: _sha(p) for p in (plan, broken)}
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "roi_xl.cli", "recalc", str(plan), str(broken),
                          "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 1
    assert f"{broken}: not an Excel workbook" in run.stderr
    assert "Traceback" not in run.stderr
    assert {p: _sha(p) for p in (plan, broken)} == before     # inputs untouched
    written = openpyxl.load_workbook(out / "plan.xlsx", data_only=True)["Plan"]
    assert written["B1"].value == pytest.approx((REVENUE - COST) / COST)
    assert written["B11"].value == "#DIV/0!"
    assert openpyxl.load_workbook(out / "plan.xlsx")["Plan"]["B3"].value == "=[1]!Social_Roi(A1,A2)"


def test_command_exit_codes(plan, tmp_path):
    ok = subprocess.run([sys.executable, "-m", "roi_xl.cli", "recalc", str(plan), "--out",
                         str(tmp_path / "o")], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    usage = subprocess.run([sys.executable, "-m", "roi_xl.cli", "recalc", str(tmp_path / "*.xls"),
                            "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert usage.returncode == 2


def test_a_name_on_a_formula_cell_is_not_a_cycle(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["B1"] = 300, 100, "=SOCIAL_ROI(A1,A2)"
    ws["B2"] = "=ROI*100"
    wb.defined_names["ROI"] = DefinedName("ROI", attr_text="Sheet!$B$1")
    r = roi_xl.recalc(_save(wb, tmp_path / "named.xlsx"))
    assert r["Sheet!B2"] == pytest.approx((300 - 100) * 100 / 100)


def test_a_real_cycle_through_a_name_is_still_found(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B1"], ws["B2"] = "=Total+1", "=B1*2"
    wb.defined_names["Total"] = DefinedName("Total", attr_text="Sheet!$B$2")
    with pytest.raises(CircularReferenceError, match="Sheet!B1"):
        roi_xl.recalc(_save(wb, tmp_path / "named_loop.xlsx"))


def test_a_named_lambda_is_called_like_a_function(tmp_path):
    # Excel 365: a name defined as =LAMBDA(x, x*2) is called as =Double(A1); stored with _xlfn./_xlpm.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["B1"], ws["B2"] = 21, "=Double(A1)", "=Double(A1)+Double(1)"
    wb.defined_names["Double"] = DefinedName("Double", attr_text="_xlfn.LAMBDA(_xlpm.x,_xlpm.x*2)")
    wb.save(tmp_path / "lambda.xlsx")
    values = roi_xl.recalc(tmp_path / "lambda.xlsx")
    assert (values["S!B1"], values["S!B2"]) == (42.0, 44.0)
    assert values.warnings == []
