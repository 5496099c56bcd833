"""The example client workbooks, recalculated by roi-xl's engine, against totals worked by hand.

The figures below are copied from the examples' sheets (Costs, Value, KPIs, Start, Summary inputs)
and the totals are worked out here with plain arithmetic, without the template code.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pytest

import roi_xl

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "workbook_templates" / "examples"


def cost(amount=0.0, hours=0.0, rate=0.0, allocation=1.0):
    return (amount + hours * rate) * allocation


def attainment(actual, target, direction="higher", baseline=None):
    if baseline is not None:
        return (actual - baseline) / (target - baseline)
    return actual / target if direction == "higher" else target / actual


def payback(investment, returns):
    total = 0.0
    for i, r in enumerate(returns):
        if total + r >= investment:
            return i + (investment - total) / r
        total += r
    raise AssertionError("never paid back")


def landing(opened, profile):
    """What lands in each period when profile[k] of a period's pipeline closes k periods later."""
    return [sum(opened[t - k] * share for k, share in enumerate(profile) if t - k >= 0)
            for t in range(len(opened))]


def retention(customers, uplift, value, periods, rate):
    return customers * uplift * sum(value / (1 + rate) ** t for t in range(1, periods + 1))


def expected(*, client, currency, start, end, costs, revenue, actions, deflection, traffic, uplift,
             kpis, periods, at_risk, probability, forgone, cap=1.5, opened=(), profile=(),
             pipeline=(), referrals=(), kept=(), extra=None):
    total_cost = sum(cost(*c) for c in costs)
    hard = sum(revenue)
    lands = landing(list(opened), list(profile)) + [0.0] * (len(periods) - len(opened))
    referral_value = sum(a * n * c * v for a, n, c, v in referrals)
    retention_value = sum(retention(*k) for k in kept)
    soft = (sum(n * v for n, v in actions) + sum(n * (c - s) for n, c, s in deflection)
            + sum(v * r * p for v, r, p in traffic) + sum((e - o) * n for e, o, n in uplift)
            + referral_value + retention_value)
    total = hard + sum(lands) + soft
    scores = [(min(attainment(*k[:-1]), cap), k[-1]) for k in kpis]
    return {
        "Client": client, "Currency": currency, "PeriodStart": start, "PeriodEnd": end,
        "TotalCost": total_cost, "HardValue": hard, "SoftValue": soft, "TotalValue": total,
        "PipelineLanding": sum(lands), "ReferralValue": referral_value,
        "RetentionValue": retention_value,
        "PipelineOpened": sum(d * p * v for d, p, v in pipeline),
        "ROI": (hard - total_cost) / total_cost,
        "ROITotal": (total - total_cost) / total_cost,
        "RONI": (at_risk * probability + forgone - total_cost) / total_cost,
        "KPIScore": sum(a * w for a, w in scores) / sum(w for _, w in scores),
        "Payback": payback(total_cost, [h + s + p for (h, s), p in zip(periods, lands)]),
        **(extra or {}),
    }


RETAIL = expected(
    client="Nomada Footwear (online shop)", currency="EUR",
    start=dt.datetime(2025, 1, 1), end=dt.datetime(2025, 6, 30),
    # (amount, hours, rate, allocation)
    costs=[(0, 832, 32), (0, 240, 28), (1740,), (480, 0, 0, 0.5), (12500,), (16800,), (4200,),
           (5400,), (3850,), (960,), (900, 0, 0, 0.5), (350,)],
    revenue=[98400, 126700, 21900],
    actions=[(5400, 0.9), (8200, 0.35), (1350, 4.5), (9600, 0.2)],
    deflection=[(2100, 3.8, 1.1)],
    traffic=[(38000, 0.012, 62), (52000, 0.009, 58)],
    uplift=[(148, 112, 860)],
    # (actual, target, direction, baseline, weight)
    kpis=[(45150, 42000, "higher", None, 3), (52800, 60000, "higher", None, 3),
          (96400, 90000, "higher", 70000, 1), (111000, 120000, "higher", None, 1),
          (0.31, 0.35, "lower", None, 1), (88, 95, "higher", None, 1)],
    periods=[(31000, 17131.2), (34000, 18631.2), (52000, 23131.2), (41000, 19631.2),
             (44000, 20631.2), (45000, 21402.2)],
    # 640 followers sharing a refer-a-friend code, 1.5 referrals each, 18% buy, 74 each.
    referrals=[(640, 1.5, 0.18, 74)],
    at_risk=180000, probability=0.25, forgone=20000)

B2B = expected(
    client="Ledgerline Software (B2B finance SaaS)", currency="USD",
    start=dt.datetime(2024, 7, 1), end=dt.datetime(2025, 6, 30),
    costs=[(0, 1720, 48, 0.6), (0, 600, 65), (68000,), (10800,), (9600, 0, 0, 0.3), (14500,),
           (6000,), (18000, 0, 0, 0.25), (4800,)],
    revenue=[342000, 86000],
    actions=[(512, 95), (1415, 12), (2300, 6)],
    deflection=[],
    traffic=[(14800, 0.011, 600)],
    uplift=[(41500, 36000, 9)],
    kpis=[(512, 480, "higher", None, 3), (228, 210, "lower", None, 2),
          (2130000, 2400000, "higher", None, 3), (186, 180, "lower", 210, 1),
          (1415, 1200, "higher", None, 1)],
    periods=[(24000, 48000), (68000, 54000), (141000, 60000), (195000, 64600)],
    # Pipeline opened by quarter, landing over that quarter and the next three (nine months).
    opened=[120000, 150000, 160000, 170000], profile=[0.10, 0.35, 0.40, 0.15],
    pipeline=[(400, 0.02, 24000), (90, 0.08, 24000), (28, 0.25, 24000), (7, 0.40, 24000)],
    at_risk=600000, probability=0.3, forgone=0)

CLINIC = expected(
    client="Riverside Family Clinic", currency="GBP",
    start=dt.datetime(2025, 1, 1), end=dt.datetime(2025, 3, 31),
    costs=[(0, 520, 19.5), (0, 60, 34), (1050,), (600,), (1800,), (1200,), (950,), (420,)],
    revenue=[20140, 6840],
    actions=[(140, 15), (1900, 0.5)],
    deflection=[(2940, 4.6, 1.35), (1050, 4.6, 1.35), (1300, 4.6, 0.2)],
    traffic=[(8600, 0.07, 12)],
    uplift=[(310, 265, 180)],
    kpis=[(980, 900, "higher", None, 2), (352, 400, "higher", None, 2), (24, 30, "lower", None, 1),
          (590, 650, "higher", None, 2), (0.71, 0.75, "higher", 0.62, 1),
          (12900, 12500, "lower", 14200, 1)],
    periods=[(8200, 24327.3), (8900, 25127.3), (9880, 26088.8)],
    # 2,400 patients, 3% more kept, 46 a month for a year, discounted at 0.5% a month.
    kept=[(2400, 0.03, 46, 12, 0.005)],
    at_risk=48000, probability=0.15, forgone=18687.5,
    # Mentions of the clinic among all local clinics', and how they were rated, Jan-Mar.
    extra={"ShareOfVoice": (310 + 355 + 402) / (1240 + 1290 + 1335),
           "NetSentiment": ((96 + 121 + 150) - (41 + 33 + 27)) / (
               (96 + 121 + 150) + (41 + 33 + 27) + (173 + 201 + 225))})

HAND = {"retail_ecommerce": RETAIL, "b2b_software": B2B, "health_clinic": CLINIC}


def test_hand_totals_are_what_the_examples_say():
    """Anchors for the arithmetic above, in round figures a reader can check."""
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
