"""The template's long buying cycles, attribution, reputation and relationships tables (Value
tables 6 to 12, Start's attribution settings, the Summary lines), their `roi-xl check` rules, and
the examples that use them. Expected figures are worked by hand from the examples' inputs."""
from __future__ import annotations

import copy
from pathlib import Path

import openpyxl
import pytest

import roi_xl
from roi_xl.engine import ModelCache, fastpath
from roi_xl.template import spec
from roi_xl.template.build import PlanInputs, write_plan
from roi_xl.template.check import check_workbook
from roi_xl.template.examples import B2B, CLINIC, EXAMPLES

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "workbook_templates" / "examples"

HARD = 342_000 + 86_000          # B2B's attributed revenue, credited to channels by the path


def approx(x):
    return pytest.approx(x, rel=1e-9)


def computed(path: Path) -> fastpath.Computed:
    return fastpath.compute(path, ModelCache())


def value(c: fastpath.Computed, sheet: str, ref: str):
    return c.cells[(sheet, ref)]


def column_of(table: spec.Table, key: str, c: fastpath.Computed, n: int) -> list:
    col = table.letter(key)
    return [value(c, table.sheet, f"{col}{table.first_row + i}") for i in range(n)]


@pytest.fixture(scope="module")
def b2b() -> fastpath.Computed:
    return computed(EXAMPLES_DIR / "b2b_software.xlsx")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_stay_on_the_translated_plan(name):
    """No table spills: every example is computed by the plan, not handed to formulas."""
    c = computed(EXAMPLES_DIR / f"{name}.xlsx")
    assert c.fast, c.note


def test_pipeline_lands_by_the_lag_profile(b2b):
    # Opened 120k, 150k, 160k, 170k by quarter; 10%, 35%, 40%, 15% land 0..3 quarters later.
    # Q3: 12,000. Q4: 15,000 + 42,000. Q1: 16,000 + 52,500 + 48,000. Q2: 17,000 + 56,000 + 60,000
    # + 18,000.
    by_hand = [12_000, 57_000, 116_500, 151_000]
    landing = column_of(spec.PERIODS, "landing", b2b, 4)
    assert landing == [approx(v) for v in by_hand]
    # The same column LAG_SPREAD spills from the table's inputs.
    spread = roi_xl.get("LAG_SPREAD")([[v] for v in (120_000, 150_000, 160_000, 170_000)],
                                      [0.10, 0.35, 0.40, 0.15] + [None] * 8)
    assert [row[0] for row in spread] == landing
    # Periods after the last stay empty; each period's total adds its landing.
    assert value(b2b, "Value", f"{spec.PERIODS.letter('landing')}{spec.PERIODS.first_row + 4}") == ""
    totals = column_of(spec.PERIODS, "total", b2b, 4)
    assert totals == [approx(h + s + p) for (h, s), p in zip(
        [(24_000, 48_000), (68_000, 54_000), (141_000, 60_000), (195_000, 64_600)], by_hand)]
    assert value(b2b, "Summary", f"B{spec.PIPELINE_ROW}") == approx(sum(by_hand))
    # The lag table's cumulative share, and the stages' expected values.
    assert column_of(spec.LAG, "cumulative", b2b, 4) == [approx(v) for v in (0.10, 0.45, 0.85, 1)]
    assert column_of(spec.LAG, "after", b2b, 3) == [0, 1, 2]
    assert column_of(spec.PIPELINE, "expected", b2b, 4) == [
        approx(400 * 0.02 * 24_000), approx(90 * 0.08 * 24_000), approx(28 * 0.25 * 24_000),
        approx(7 * 0.4 * 24_000)]
    assert value(b2b, "Summary", f"B{spec.OPENED_ROW}") == approx(600_000)


def test_attribution_compares_models_and_follows_the_chosen_one(b2b):
    # Touches, oldest first: LinkedIn 120 days, Blog 75, Email 40, LinkedIn 38, LinkedIn 6.
    rows = {row["channel"]: i for i, row in enumerate(B2B.tables["tblAttribution"])}
    assert set(rows) == {"LinkedIn", "Blog", "Email"}

    def credited(channel, key):
        return value(b2b, "Value", f"{spec.ATTRIBUTION.letter(key)}"
                                   f"{spec.ATTRIBUTION.first_row + rows[channel]}")

    assert credited("LinkedIn", "first") == approx(HARD) and credited("Blog", "first") == 0
    assert credited("LinkedIn", "last") == approx(HARD) and credited("Email", "last") == 0
    assert credited("LinkedIn", "linear") == approx(HARD * 3 / 5)
    assert credited("Blog", "linear") == approx(HARD / 5)
    # position: 40% to the first and to the last (both LinkedIn), 20% shared by the three between.
    assert credited("LinkedIn", "position") == approx(HARD * (0.4 + 0.2 / 3 + 0.4))
    assert credited("Email", "position") == approx(HARD * 0.2 / 3)
    # time_decay with the example's 30-day half-life: 2^(-days/30), normalised.
    w = {d: 2 ** (-d / 30) for d in (120, 75, 40, 38, 6)}
    assert credited("LinkedIn", "time_decay") == approx(HARD * (w[120] + w[38] + w[6]) / sum(w.values()))
    # The chosen model (Start: position) is the position column; every model credits it all.
    for channel in rows:
        assert credited(channel, "chosen") == credited(channel, "position")
    for key in ("first", "last", "linear", "position", "time_decay"):
        assert sum(credited(ch, key) for ch in rows) == approx(HARD)
    assert value(b2b, "Summary", f"B{spec.MODEL_ROW}") == "position"


def _plan(base: PlanInputs, **changes) -> PlanInputs:
    plan = PlanInputs(copy.deepcopy(base.fields), copy.deepcopy(base.tables))
    for key, rows in changes.items():
        if key == "fields":
            plan.fields.update(rows)
        else:
            plan.tables[key] = rows
    return plan


def test_a_shorter_path_leaves_the_blank_rows_out(tmp_path):
    """Two touches typed: linear gives each half, whatever the empty rows below (a blank row
    inside the range would be a touch on the day of the conversion)."""
    plan = _plan(B2B, fields={"model": "linear"},
                 tblTouches=[{"touch": "Ad", "channel": "LinkedIn", "days": 30},
                             {"touch": "Newsletter", "channel": "Email", "days": 2}])
    c = computed(write_plan(tmp_path / "two.xlsx", plan))
    assert value(c, "Start", "B18") == 2                       # PathTouches
    chosen = spec.ATTRIBUTION.letter("chosen")
    first = spec.ATTRIBUTION.first_row
    assert [value(c, "Value", f"{chosen}{first + i}") for i in range(3)] == [
        approx(HARD / 2), 0.0, approx(HARD / 2)]                 # LinkedIn, Blog, Email
    assert value(c, "Value", f"{chosen}{first + 3}") == ""      # no channel on the row


def test_reputation_and_relationships_feed_soft_value():
    c = computed(EXAMPLES_DIR / "health_clinic.xlsx")
    rep = spec.REPUTATION
    # January: 310 of 1,240 mentions; (96 - 41) / (96 + 41 + 173).
    assert value(c, "Value", f"{rep.letter('share_of_voice')}{rep.first_row}") == approx(0.25)
    assert value(c, "Value", f"{rep.letter('net_sentiment')}{rep.first_row}") == approx(55 / 310)
    kept = 2_400 * 0.03 * sum(46 / 1.005 ** t for t in range(1, 13))
    rel = spec.RELATIONSHIPS
    assert value(c, "Value", f"{rel.letter('retention_value')}{rel.first_row}") == approx(kept)
    assert value(c, "Summary", f"B{spec.RETENTION_ROW}") == approx(kept)
    soft = value(c, "Summary", f"B{spec.SOFT_ROW}")
    assert soft == approx(sum(value(c, "Summary", f"B{r}")
                              for r in range(spec.ACTION_ROW, spec.RETENTION_ROW + 1)))
    retail = computed(EXAMPLES_DIR / "retail_ecommerce.xlsx")
    assert value(retail, "Summary", f"B{spec.REFERRAL_ROW}") == approx(640 * 1.5 * 0.18 * 74)
    assert value(retail, "Summary", f"B{spec.SOV_ROW}") == ""   # no mentions typed


def test_start_has_the_model_drop_down_and_names():
    wb = openpyxl.load_workbook(ROOT / "workbook_templates" / "measurement_plan.xlsx")
    try:
        lists = {str(dv.sqref): dv.formula1 for dv in wb["Start"].data_validations.dataValidation
                 if dv.type == "list"}
        assert lists["B16"] == '"first,last,linear,position,time_decay"'
        for name, ref in (("AttributionModel", "Start!$B$16"), ("HalfLife", "Start!$B$17"),
                          ("PathTouches", "Start!$B$18"), ("ShareOfVoice", "Summary!$B$51")):
            assert wb.defined_names[name].attr_text == ref
        assert wb["Start"]["B16"].value == "position" and wb["Start"]["B17"].value == 7
    finally:
        wb.close()


# ---------------------------------------------------------------- roi-xl check

@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> list:
    """The clinic example with one fault of each new kind planted."""
    plan = _plan(
        CLINIC,
        fields={"model": "w_shaped"},
        tblLag=[{"share": 0.5}, {"share": 0.45}, {"share": 0.2}, {"share": 1.5}],   # rows 119-122
        tblPipeline=[{"stage": "Leads", "deals": 10, "probability": 1.2, "deal_value": 100},
                     {"stage": "Demos", "deals": 3}],                                # rows 135-136
        tblTouches=[{"touch": "Ad", "channel": "Facebook", "days": 10},
                    {"touch": "Post", "days": 12},                                   # row 148
                    {"touch": "Reminder", "channel": "Email", "days": -1}],          # row 149
        tblReputation=[{"source": "Jan", "own": 50, "all": 40},                     # row 169
                       {"source": "Feb", "own": 5, "all": 40, "negative": -2}],
        tblRelationships=[{"programme": "Referrals", "advocates": 5, "referrals": 1,
                           "referral_conversion": 1.3, "customer_value": 10},        # row 183
                          {"programme": "Kept", "customers": 100, "uplift": 1.5}],   # row 184
    )
    plan.tables["tblPeriods"][0]["opened"] = 5_000   # the pipeline's expected value is 1,200
    path = write_plan(tmp_path_factory.mktemp("check2") / "faulty.xlsx", plan)
    return check_workbook(path)


EXPECTED = [
    ("Start", 16, "attribution-model"),
    ("Value", 91, "pipeline-periods"),
    ("Value", 119, "lag-profile"),
    ("Value", 122, "lag-share"),
    ("Value", 135, "pipeline-probability"),
    ("Value", 136, "pipeline-stage"),
    ("Value", 148, "touch-channel"),
    ("Value", 148, "touch-order"),
    ("Value", 149, "touch-days"),
    ("Value", 169, "reputation-mentions"),
    ("Value", 170, "reputation-count"),
    ("Value", 183, "referral-conversion"),
    ("Value", 184, "retention-uplift"),
    ("Value", 184, "retention-inputs"),
]


def test_check_finds_each_planted_fault(faulty):
    found = {(f.sheet, f.row, f.rule) for f in faulty}
    for item in EXPECTED:
        assert item in found, item
    assert {f.rule for f in faulty} == {rule for _, _, rule in EXPECTED}
    profile = next(f for f in faulty if f.rule == "lag-profile")
    assert "265.0%" in profile.message


def test_a_gap_in_the_touch_path_is_a_finding(tmp_path):
    plan = _plan(B2B)
    touches = plan.tables["tblTouches"]
    plan.tables["tblTouches"] = touches[:2] + [{}] + touches[2:]
    # An empty dict writes nothing: the third touch now starts one row lower.
    findings = check_workbook(write_plan(tmp_path / "gap.xlsx", plan))
    assert [(f.row, f.rule) for f in findings] == [(spec.TOUCHES.first_row + 3, "touch-gap"),
                                                   (spec.TOUCHES.first_row + 4, "touch-gap"),
                                                   (spec.TOUCHES.first_row + 5, "touch-gap")]


def test_a_profile_of_exactly_one_hundred_percent_in_tenths_passes(tmp_path):
    plan = _plan(B2B, tblLag=[{"share": 0.1}] * 10)
    assert check_workbook(write_plan(tmp_path / "tenths.xlsx", plan)) == []
