"""The example client workbooks, recalculated by roi-xl's engine, against totals worked by hand.

The figures (tests/support/example_figures.py) are copied from the examples' sheets (Costs, Value,
KPIs, Start, Summary inputs) and the totals worked out there with plain arithmetic, without the
template code.
"""
from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

import roi_xl

from tests.support.example_figures import B2B, CLINIC, HAND, RETAIL

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "workbook_templates" / "examples"




def test_hand_totals_are_what_the_examples_say():
    """Anchors for the arithmetic of tests/support/example_figures.py, in round figures a reader can check."""
    assert RETAIL["TotalCost"] == 79834 and RETAIL["HardValue"] == 247000
    assert RETAIL["ReferralValue"] == pytest.approx(12787.2)
    # 12,000 + 57,000 + 116,500 + 151,000 of the 600,000 opened lands within the year.
    assert B2B["PipelineLanding"] == pytest.approx(336500) and B2B["PipelineOpened"] == 600000
    assert B2B["TotalCost"] == pytest.approx(200016)
    assert B2B["TotalValue"] == pytest.approx(654600 + 336500)
    assert CLINIC["TotalCost"] == 18200
    assert CLINIC["SoftValue"] == pytest.approx(37061.5 + 38481.9030, abs=1e-3)


def named_values(path: Path, names) -> dict:
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        out = {}
        for name in names:
            (sheet, ref), = wb.defined_names[name].destinations
            out[name] = wb[sheet][ref.replace("$", "")].value
        return out
    finally:
        wb.close()


def assert_matches(got: dict, want: dict) -> None:
    for name, value in want.items():
        if isinstance(value, float) or isinstance(value, int) and not isinstance(value, bool):
            assert isinstance(got[name], (int, float)), f"{name}: {got[name]!r}"
            assert math.isclose(got[name], value, rel_tol=1e-9, abs_tol=1e-9), \
                f"{name}: {got[name]} != {value}"
        else:
            assert got[name] == value, name


@pytest.mark.parametrize("name", sorted(HAND))
def test_engine_recalculation_matches_hand_totals(tmp_path, name):
    out = tmp_path / f"{name}.xlsx"
    roi_xl.recalc(EXAMPLES / f"{name}.xlsx", out)
    assert_matches(named_values(out, HAND[name]), HAND[name])


@pytest.mark.parametrize("name", sorted(HAND))
def test_committed_examples_carry_the_computed_values(name):
    """Readers without the add-in see the figures: the committed files hold cached values."""
    assert_matches(named_values(EXAMPLES / f"{name}.xlsx", HAND[name]), HAND[name])


@pytest.mark.parametrize("name", sorted(HAND))
def test_kpi_status_and_tactic_counts_after_recalc(tmp_path, name):
    out = tmp_path / f"{name}.xlsx"
    roi_xl.recalc(EXAMPLES / f"{name}.xlsx", out)
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb["KPIs"]
    rows = [r for r in ws.iter_rows(min_row=5, max_row=54, values_only=True) if r[0]]
    for row in rows:
        att, status, tactics = row[11], row[12], row[13]
        assert status == ("GREEN" if att >= 1 else "AMBER" if att >= 0.9 else "RED"), row
        assert tactics >= 2, row
    wb.close()


def _metric_usage(book) -> tuple[dict, dict]:
    """(Metrics' "Used by KPIs" per metric ID, the count worked out here from the KPI table)."""
    def table(sheet):
        rows = list(book[sheet].iter_rows(min_row=4, values_only=True))
        header = list(rows[0])
        return header, [r for r in rows[1:] if r[0] is not None]
    k_header, kpis = table("KPIs")
    m_header, metrics = table("Metrics")
    used = m_header.index("Used by KPIs")
    shown = {row[0]: row[used] for row in metrics}
    column = k_header.index("Metric")
    counted = {mid: sum(1 for k in kpis if str(k[column]).casefold() == mid.casefold()) for mid in shown}
    return shown, counted


@pytest.mark.parametrize("name", sorted(HAND))
def test_used_by_kpis_counts_each_metric_id_exactly(tmp_path, name):
    """Metric IDs are codes ("M1", "M2"): COUNTIF must not read them as dates of the current year
    (which made every metric "used by" all KPIs). Checked after a recalculation and in the file."""
    out = tmp_path / f"{name}.xlsx"
    roi_xl.recalc(EXAMPLES / f"{name}.xlsx", out)
    for path in (out, EXAMPLES / f"{name}.xlsx"):
        shown, counted = _metric_usage(openpyxl.load_workbook(path, data_only=True))
        assert shown == counted
        assert sum(counted.values()) >= 5 and max(counted.values()) < sum(counted.values())


@pytest.mark.parametrize("name", sorted(HAND))
def test_value_by_period_adds_up_to_the_summary(name):
    # A manager adds the periods up: hard and soft value by period must make the Summary's totals
    # (worked out by hand above), new value sources (referrals, patients kept) included.
    book = openpyxl.load_workbook(ROOT / "workbook_templates" / "examples" / f"{name}.xlsx", data_only=True)
    sheet = book["Value"]
    rows = list(sheet[sheet.tables["tblPeriods"].ref])
    header = [c.value for c in rows[0]]
    hard, soft = header.index("Hard value"), header.index("Soft value")
    assert sum(r[hard].value or 0 for r in rows[1:]) == pytest.approx(HAND[name]["HardValue"], abs=0.01)
    assert sum(r[soft].value or 0 for r in rows[1:]) == pytest.approx(HAND[name]["SoftValue"], abs=0.01)


@pytest.mark.parametrize("name", sorted(HAND))
def test_kpi_chart_data_puts_each_attainment_under_its_status(name):
    """The chart's hidden data (committed, computed values): each KPI's attainment in the column of
    its status only, status worked out here from the thresholds (90%, 100%), a 100% target, #N/A
    (no point) in the other columns and in the rows of unfilled KPIs."""
    book = openpyxl.load_workbook(EXAMPLES / f"{name}.xlsx", data_only=True)
    kpis = [r for r in book["KPIs"].iter_rows(min_row=5, max_row=54, values_only=True)]
    chart = list(book["Chart data"].iter_rows(min_row=2, max_row=51, values_only=True))
    assert book["Chart data"].sheet_state == "hidden" and len(chart) == 50
    for kpi, (label, green, amber, red, target) in zip(kpis, chart):
        if kpi[0] is None:
            assert (label or "") == "" and {green, amber, red, target} == {"#N/A"}
            continue
        att = kpi[11]
        status = 0 if att >= 1 else 1 if att >= 0.9 else 2
        bars = [green, amber, red]
        assert label == kpi[0] and target == 1
        assert bars[status] == pytest.approx(att)
        assert [b for i, b in enumerate(bars) if i != status] == ["#N/A", "#N/A"]
    book.close()
