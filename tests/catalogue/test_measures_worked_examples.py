"""Every catalogue function on worked examples from a social-media measurement plan.

The expected numbers are worked out here by hand from the figures, written out as the
arithmetic a marketing analyst would do on paper; they are never copied from the code's output.
Figures are those of a mid-sized retailer's quarter on social: monthly ad spend, agency hours
at agency rates, a call centre at about 6.50 a contact.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import roi_xl
from roi_xl import OMITTED, XlError


def fn(name):
    return roi_xl.get(name)


def approx(x):
    return pytest.approx(x, rel=1e-12)


# ---------------------------------------------------------------- SOCIAL_ROI

class TestSocialRoi:
    def test_seed_formula_on_quarter_totals(self):
        # Seed 001: ROI = (revenue attributed to social - total social cost) x 100 / total cost.
        revenue, cost = 48_500, 12_300
        result = fn("SOCIAL_ROI")(revenue, cost)
        expected = (48_500 - 12_300) / 12_300
        assert result == approx(expected)
        # The ratio times 100 is the seed's percentage.
        assert result * 100 == approx(((48_500 - 12_300) * 100) / 12_300)
        assert isinstance(result, float)

    def test_ranges_of_monthly_revenue_and_cost_lines(self):
        revenue_by_month = [15_200, 16_800, 16_500]            # Jan, Feb, Mar
        cost_lines = [[6_400], [1_250], [3_900], [750]]         # staff, platforms, ads, refunds
        expected = ((15_200 + 16_800 + 16_500) - (6_400 + 1_250 + 3_900 + 750)) \
            / (6_400 + 1_250 + 3_900 + 750)
        assert fn("SOCIAL_ROI")(revenue_by_month, cost_lines) == approx(expected)
        seed_percent = (((15_200 + 16_800 + 16_500) - 12_300) * 100) / 12_300
        assert fn("SOCIAL_ROI")(revenue_by_month, cost_lines) * 100 == approx(seed_percent)

    def test_numpy_ranges(self):
        revenue = np.array([[15_200.0, 16_800.0, 16_500.0]])
        costs = np.array([[6_400.0], [1_250.0], [3_900.0], [750.0]])
        expected = (48_500 - 12_300) / 12_300
        assert fn("SOCIAL_ROI")(revenue, costs) == approx(expected)

    def test_a_losing_quarter_is_negative(self):
        expected = (9_000 - 12_300) / 12_300
        result = fn("SOCIAL_ROI")(9_000, 12_300)
        assert result == approx(expected)
        assert result < 0
        assert result * 100 == approx(((9_000 - 12_300) * 100) / 12_300)

    def test_break_even_is_zero_and_doubling_is_one(self):
        assert fn("SOCIAL_ROI")(12_300, 12_300) == 0.0
        assert fn("SOCIAL_ROI")(24_600, 12_300) == approx((24_600 - 12_300) / 12_300)
        assert fn("SOCIAL_ROI")(24_600, 12_300) == approx(1.0)

    def test_fractional_figures(self):
        returns, costs = 21_734.85, 8_912.40
        assert fn("SOCIAL_ROI")(returns, costs) == approx((21_734.85 - 8_912.40) / 8_912.40)


# ---------------------------------------------------------------- SOCIAL_ROAS

class TestSocialRoas:
    def test_monthly_paid_social(self):
        revenue, spend = 27_600, 6_900
        assert fn("SOCIAL_ROAS")(revenue, spend) == approx(27_600 / 6_900)
        assert fn("SOCIAL_ROAS")(revenue, spend) == approx(4.0)

    def test_campaign_ranges(self):
        revenue = [8_450.50, 9_120.00, 10_029.50]               # three campaigns
        spend = [[2_100.00, 2_350.00, 2_450.00]]
        expected = (8_450.50 + 9_120.00 + 10_029.50) / (2_100.00 + 2_350.00 + 2_450.00)
        assert fn("SOCIAL_ROAS")(revenue, spend) == approx(expected)

    def test_below_one_loses_money(self):
        assert fn("SOCIAL_ROAS")(3_150, 4_200) == approx(3_150 / 4_200)


# ---------------------------------------------------------------- SOCIAL_RONI

class TestSocialRoni:
    def test_b2b_revenue_at_risk(self):
        # 180k of renewals at risk, 15% likely lost if the brand stays off social, 24k budget
        # saved, 6k of other returns (referrals) forgone.
        result = fn("SOCIAL_RONI")(180_000, 0.15, 24_000, 6_000)
        expected = (180_000 * 0.15 + 6_000 - 24_000) / 24_000
        assert result == approx(expected)
        assert result == approx(0.375)

    def test_forgone_returns_default_to_zero(self):
        expected = (180_000 * 0.15 + 0 - 24_000) / 24_000
        assert fn("SOCIAL_RONI")(180_000, 0.15, 24_000) == approx(expected)
        assert fn("SOCIAL_RONI")(180_000, 0.15, 24_000, None) == approx(expected)
        assert fn("SOCIAL_RONI")(180_000, 0.15, 24_000, OMITTED) == approx(expected)

    def test_staying_out_pays_when_negative(self):
        result = fn("SOCIAL_RONI")(40_000, 0.05, 18_000)
        assert result == approx((40_000 * 0.05 - 18_000) / 18_000)
        assert result < 0

    def test_nothing_at_risk_is_roi_of_forgone_returns(self):
        roni = fn("SOCIAL_RONI")(0, 0, 24_000, 30_000)
        assert roni == approx((30_000 - 24_000) / 24_000)
        assert roni == fn("SOCIAL_ROI")(30_000, 24_000)

    def test_ranges_of_accounts_at_risk(self):
        accounts_at_risk = [[62_000], [45_500], [72_500]]
        budget_lines = [9_600, 8_400, 6_000]
        expected = ((62_000 + 45_500 + 72_500) * 0.2 - (9_600 + 8_400 + 6_000)) \
            / (9_600 + 8_400 + 6_000)
        assert fn("SOCIAL_RONI")(accounts_at_risk, 0.2, budget_lines) == approx(expected)

    def test_probability_bounds_are_inclusive(self):
        assert fn("SOCIAL_RONI")(50_000, 1, 20_000) == approx((50_000 * 1 - 20_000) / 20_000)
        assert fn("SOCIAL_RONI")(50_000, 0, 20_000) == approx((0 - 20_000) / 20_000)


# ---------------------------------------------------------------- PAYBACK_PERIODS

class TestPaybackPeriods:
    def test_interpolates_the_last_month(self):
        investment = 30_000
        monthly = [4_000, 7_500, 9_000, 11_000, 12_000]
        # Cumulative after 3 months: 4_000 + 7_500 + 9_000 = 20_500; the 4th month brings
        # 11_000, of which 30_000 - 20_500 is needed.
        expected = 3 + (30_000 - (4_000 + 7_500 + 9_000)) / 11_000
        assert fn("PAYBACK_PERIODS")(investment, monthly) == approx(expected)

    def test_column_range_and_numpy(self):
        monthly = [[4_000], [7_500], [9_000], [11_000], [12_000]]
        expected = 3 + (30_000 - 20_500) / 11_000
        assert fn("PAYBACK_PERIODS")(30_000, monthly) == approx(expected)
        assert fn("PAYBACK_PERIODS")(30_000, np.array(monthly, dtype=float)) == approx(expected)

    def test_half_way_through_the_third_period(self):
        assert fn("PAYBACK_PERIODS")(100, [40, 40, 40]) == approx(2 + (100 - 80) / 40)
        assert fn("PAYBACK_PERIODS")(100, [40, 40, 40]) == approx(2.5)

    def test_reached_exactly_at_a_period_end(self):
        assert fn("PAYBACK_PERIODS")(18_000, [6_000, 6_000, 6_000, 6_000]) == approx(3.0)

    def test_reached_within_the_first_period(self):
        assert fn("PAYBACK_PERIODS")(2_500, [10_000, 10_000]) == approx(2_500 / 10_000)

    def test_a_losing_month_delays_payback(self):
        # A refund-heavy second month takes 1_500 back.
        monthly = [5_000, -1_500, 6_000, 6_000]
        # Cumulative: 5_000, 3_500, 9_500 (< 12_000), then 6_000 more reaches it.
        expected = 3 + (12_000 - (5_000 - 1_500 + 6_000)) / 6_000
        assert fn("PAYBACK_PERIODS")(12_000, monthly) == approx(expected)

    def test_never_reached_is_na(self):
        assert fn("PAYBACK_PERIODS")(30_000, [4_000, 7_500, 9_000]) is XlError.NA

    def test_nothing_invested_pays_back_at_once(self):
        assert fn("PAYBACK_PERIODS")(0, [4_000, 7_500]) == 0.0


# ---------------------------------------------------------------- COST_TOTAL

class TestCostTotal:
    def test_full_cost_of_a_quarter(self):
        # Seed 001 step 3: staff pay, agency, platforms, refunds given through customer care.
        amounts = [None, 3_500, 1_188, 640]           # community manager has no fixed amount
        hours = [120, 20, None, None]                 # agency: 20 h on top of the retainer
        rates = [45, 95, None, None]
        allocations = [1, 0.8, 0.5, None]             # platform licence shared with e-mail
        expected = ((0 + 120 * 45) * 1
                    + (3_500 + 20 * 95) * 0.8
                    + (1_188 + 0 * 0) * 0.5
                    + (640 + 0 * 0) * 1)
        assert fn("COST_TOTAL")(amounts, hours, rates, allocations) == approx(expected)

    def test_amounts_only(self):
        amounts = [[2_400.00], [1_250.00], [3_900.00], [980.50], [412.75]]
        expected = 2_400.00 + 1_250.00 + 3_900.00 + 980.50 + 412.75
        assert fn("COST_TOTAL")(amounts) == approx(expected)

    def test_hours_times_rates_without_amounts(self):
        amounts = [None, None, None]
        hours = [32, 12.5, 8]                         # strategist, designer, analyst
        rates = [110, 85, 95]
        expected = 32 * 110 + 12.5 * 85 + 8 * 95
        assert fn("COST_TOTAL")(amounts, hours, rates) == approx(expected)

    def test_allocations_only(self):
        amounts = [4_800, 2_200]
        expected = 4_800 * 0.25 + 2_200 * 0.6
        assert fn("COST_TOTAL")(amounts, OMITTED, OMITTED, [0.25, 0.6]) == approx(expected)

    def test_numpy_two_d_cost_sheet(self):
        amounts = np.array([[1_500.0, 0.0], [250.0, 600.0]])
        hours = np.array([[0.0, 40.0], [6.0, 0.0]])
        rates = np.array([[0.0, 55.0], [70.0, 0.0]])
        allocations = np.array([[1.0, 0.5], [1.0, 0.75]])
        expected = ((1_500 + 0 * 0) * 1 + (0 + 40 * 55) * 0.5
                    + (250 + 6 * 70) * 1 + (600 + 0 * 0) * 0.75)
        assert fn("COST_TOTAL")(amounts, hours, rates, allocations) == approx(expected)


# ---------------------------------------------------------------- COST_ROLLUP

class TestCostRollup:
    KEYS = ["Staff", "Platforms", "Ads", "staff", "ADS", "Training"]
    AMOUNTS = [5_400, 1_188, 3_900, 1_520, 2_100, 850]

    def test_table_by_category(self):
        table = fn("COST_ROLLUP")(self.KEYS, self.AMOUNTS)
        assert table == [
            ["Staff", approx(5_400 + 1_520)],
            ["Platforms", approx(1_188)],
            ["Ads", approx(3_900 + 2_100)],
            ["Training", approx(850)],
        ]
        assert all(isinstance(total, float) for _, total in table)

    def test_one_category(self):
        assert fn("COST_ROLLUP")(self.KEYS, self.AMOUNTS, "ads") == approx(3_900 + 2_100)
        assert fn("COST_ROLLUP")(self.KEYS, self.AMOUNTS, "Staff") == approx(5_400 + 1_520)
        assert fn("COST_ROLLUP")(self.KEYS, self.AMOUNTS, "Research") == 0.0

    def test_totals_add_up_to_the_cost_total(self):
        table = fn("COST_ROLLUP")(self.KEYS, self.AMOUNTS)
        assert sum(total for _, total in table) == approx(
            5_400 + 1_188 + 3_900 + 1_520 + 2_100 + 850)
        assert sum(total for _, total in table) == approx(fn("COST_TOTAL")(self.AMOUNTS))

    def test_column_ranges_from_a_costs_sheet(self):
        keys = np.array([["Staff"], ["Ads"], ["Staff"]], dtype=object)
        amounts = np.array([[2_250.0], [1_800.0], [675.0]])
        assert fn("COST_ROLLUP")(keys, amounts) == [
            ["Staff", approx(2_250 + 675)], ["Ads", approx(1_800)]]


# ---------------------------------------------------------------- COST_PER

class TestCostPer:
    def test_cost_per_lead(self):
        assert fn("COST_PER")(4_750, 1_900) == approx(4_750 / 1_900)
        assert fn("COST_PER")(4_750, 1_900) == approx(2.5)

    def test_cost_per_engagement_over_ranges(self):
        costs = [6_400, 1_250, 3_900, 750]
        engagements = [[9_800], [11_350], [19_850]]
        expected = (6_400 + 1_250 + 3_900 + 750) / (9_800 + 11_350 + 19_850)
        assert fn("COST_PER")(costs, engagements) == approx(expected)

    def test_cost_per_click(self):
        assert fn("COST_PER")(1_236.40, 2_870) == approx(1_236.40 / 2_870)


# ---------------------------------------------------------------- KPI_ATTAINMENT

class TestKpiAttainment:
    def test_sales_in_march_through_facebook(self):
        # Seed 003's example KPI: higher is better.
        assert fn("KPI_ATTAINMENT")(182, 200) == approx(182 / 200)
        assert fn("KPI_ATTAINMENT")(182, 200, "higher") == approx(182 / 200)

    def test_response_time_lower_is_better(self):
        # Average first-response time on social care: 3.2 h against a 4 h target.
        assert fn("KPI_ATTAINMENT")(3.2, 4, "lower") == approx(4 / 3.2)

    def test_progress_from_a_baseline(self):
        # Followers: 12_000 at the start, 15_000 targeted, 14_100 reached.
        expected = (14_100 - 12_000) / (15_000 - 12_000)
        assert fn("KPI_ATTAINMENT")(14_100, 15_000, "higher", 12_000) == approx(expected)

    def test_progress_from_a_baseline_when_lower_is_better(self):
        # Cost per lead: 18.00 at the start, 12.00 targeted, 14.00 reached.
        expected = (18.00 - 14.00) / (18.00 - 12.00)
        assert fn("KPI_ATTAINMENT")(14.00, 12.00, "lower", 18.00) == approx(expected)
        # The same number read as (actual - baseline) / (target - baseline).
        assert fn("KPI_ATTAINMENT")(14.00, 12.00, "lower", 18.00) == approx(
            (14.00 - 18.00) / (12.00 - 18.00))

    def test_capped(self):
        assert fn("KPI_ATTAINMENT")(310, 200, "higher", None, 1.2) == approx(1.2)
        assert fn("KPI_ATTAINMENT")(182, 200, "higher", None, 1.2) == approx(182 / 200)
        assert fn("KPI_ATTAINMENT")(2.5, 4, "lower", OMITTED, 1.5) == approx(min(4 / 2.5, 1.5))

    def test_overshooting_is_above_one(self):
        assert fn("KPI_ATTAINMENT")(231, 200) == approx(231 / 200)

    def test_ranges_are_summed(self):
        # Leads by week against the month's target.
        assert fn("KPI_ATTAINMENT")([41, 38, 52, 47], 200) == approx((41 + 38 + 52 + 47) / 200)


# ---------------------------------------------------------------- KPI_STATUS

class TestKpiStatus:
    def test_default_thresholds(self):
        assert fn("KPI_STATUS")(182 / 200) == "AMBER"      # 0.91
        assert fn("KPI_STATUS")(4 / 3.2) == "GREEN"        # 1.25
        assert fn("KPI_STATUS")(2_100 / 3_000) == "RED"    # 0.7

    def test_custom_thresholds(self):
        assert fn("KPI_STATUS")(0.82, 0.8, 0.95) == "AMBER"
        assert fn("KPI_STATUS")(0.96, 0.8, 0.95) == "GREEN"
        assert fn("KPI_STATUS")(0.79, 0.8, 0.95) == "RED"

    def test_from_attainment(self):
        attainment = fn("KPI_ATTAINMENT")(14_100, 15_000, "higher", 12_000)   # 0.7
        assert fn("KPI_STATUS")(attainment) == "RED"


# ---------------------------------------------------------------- KPI_SCORE

class TestKpiScore:
    def test_weighted_and_capped(self):
        attainments = [0.91, 1.25, 0.7]
        weights = [3, 2, 1]
        expected = (0.91 * 3 + min(1.25, 1.1) * 2 + 0.7 * 1) / (3 + 2 + 1)
        assert fn("KPI_SCORE")(attainments, weights, 1.1) == approx(expected)

    def test_without_cap(self):
        attainments = [[0.91], [1.25], [0.7]]
        weights = [[3], [2], [1]]
        expected = (0.91 * 3 + 1.25 * 2 + 0.7 * 1) / (3 + 2 + 1)
        assert fn("KPI_SCORE")(attainments, weights) == approx(expected)

    def test_equal_weights_is_the_mean(self):
        expected = (0.84 + 1.02 + 0.97 + 1.10) / 4
        assert fn("KPI_SCORE")([0.84, 1.02, 0.97, 1.10], [1, 1, 1, 1]) == approx(expected)

    def test_kpi_without_attainment_yet_is_left_out(self):
        attainments = [0.91, None, 0.7, "n/a"]
        weights = [3, 5, 1, 2]
        expected = (0.91 * 3 + 0.7 * 1) / (3 + 1)
        assert fn("KPI_SCORE")(attainments, weights) == approx(expected)


# ---------------------------------------------------------------- ACTION_VALUE

class TestActionValue:
    def test_value_of_a_months_actions(self):
        counts = [4_200, 380, 610, 2_950, 46]                  # likes, shares, comments, clicks, leads
        unit_values = [0.05, 0.75, 0.40, 0.90, 35.00]
        expected = 4_200 * 0.05 + 380 * 0.75 + 610 * 0.40 + 2_950 * 0.90 + 46 * 35.00
        assert fn("ACTION_VALUE")(counts, unit_values) == approx(expected)

    def test_channels_by_actions_grid(self):
        # Rows: Facebook, Instagram; columns: shares, leads.
        counts = np.array([[120.0, 14.0], [310.0, 9.0]])
        values = np.array([[0.75, 35.0], [0.75, 35.0]])
        expected = 120 * 0.75 + 14 * 35 + 310 * 0.75 + 9 * 35
        assert fn("ACTION_VALUE")(counts, values) == approx(expected)

    def test_unvalued_action_counts_zero(self):
        counts = [4_200, 380, 610]
        unit_values = [0.05, None, "tbd"]
        assert fn("ACTION_VALUE")(counts, unit_values) == approx(4_200 * 0.05)


# ---------------------------------------------------------------- DEFLECTION_SAVINGS

class TestDeflectionSavings:
    def test_call_centre_contacts_answered_on_social(self):
        assert fn("DEFLECTION_SAVINGS")(1_150, 6.50, 1.80) == approx(1_150 * (6.50 - 1.80))

    def test_social_cost_defaults_to_zero(self):
        assert fn("DEFLECTION_SAVINGS")(1_150, 6.50) == approx(1_150 * 6.50)
        assert fn("DEFLECTION_SAVINGS")(1_150, 6.50, None) == approx(1_150 * (6.50 - 0))

    def test_monthly_contacts_as_a_range(self):
        contacts = [[380], [402], [368]]
        expected = (380 + 402 + 368) * (6.50 - 2.10)
        assert fn("DEFLECTION_SAVINGS")(contacts, 6.50, 2.10) == approx(expected)

    def test_social_care_dearer_than_the_phone_is_a_loss(self):
        assert fn("DEFLECTION_SAVINGS")(500, 6.50, 7.25) == approx(500 * (6.50 - 7.25))


# ---------------------------------------------------------------- TRAFFIC_VALUE

class TestTrafficValue:
    def test_referred_visits(self):
        assert fn("TRAFFIC_VALUE")(18_400, 0.021, 64) == approx(18_400 * 0.021 * 64)

    def test_visits_by_network(self):
        visits = [9_200, 6_100, 3_100]
        assert fn("TRAFFIC_VALUE")(visits, 0.021, 64.0) == approx((9_200 + 6_100 + 3_100) * 0.021 * 64)

    def test_rate_bounds_are_inclusive(self):
        assert fn("TRAFFIC_VALUE")(18_400, 0, 64) == 0.0
        assert fn("TRAFFIC_VALUE")(120, 1, 64) == approx(120 * 1 * 64)


# ---------------------------------------------------------------- SEGMENT_UPLIFT

class TestSegmentUplift:
    def test_followers_spend_more(self):
        # Seed 001: followers spend 412 a year against 356 for non-followers; 2_300 followers.
        assert fn("SEGMENT_UPLIFT")(412, 356, 2_300) == approx((412 - 356) * 2_300)

    def test_deal_size_in_b2b(self):
        assert fn("SEGMENT_UPLIFT")(18_750.0, 16_900.0, 37) == approx((18_750.0 - 16_900.0) * 37)

    def test_negative_uplift(self):
        assert fn("SEGMENT_UPLIFT")(340, 356, 2_300) == approx((340 - 356) * 2_300)


# ---------------------------------------------------------------- a whole summary sheet

def test_summary_sheet_of_a_client_workbook():
    """The Summary sheet: full cost, hard and soft value, ROI, RONI, KPI score, payback."""
    cost = fn("COST_TOTAL")([None, 3_500, 1_188, 640, 2_700],
                            [120, 20, None, None, None],
                            [45, 95, None, None, None],
                            [1, 0.8, 0.5, None, 1])
    expected_cost = (120 * 45) + (3_500 + 20 * 95) * 0.8 + 1_188 * 0.5 + 640 + 2_700
    assert cost == approx(expected_cost)

    attributed_revenue = 14_900
    actions = fn("ACTION_VALUE")([380, 46], [0.75, 35.00])
    deflection = fn("DEFLECTION_SAVINGS")(1_150, 6.50, 1.80)
    traffic = fn("TRAFFIC_VALUE")(18_400, 0.021, 64)
    uplift = fn("SEGMENT_UPLIFT")(412, 356, 40)
    value = [attributed_revenue, actions, deflection, traffic, uplift]
    expected_value = (14_900 + (380 * 0.75 + 46 * 35.00) + 1_150 * (6.50 - 1.80)
                      + 18_400 * 0.021 * 64 + (412 - 356) * 40)
    assert sum(value) == approx(expected_value)

    roi = fn("SOCIAL_ROI")(value, cost)
    assert roi == approx((expected_value - expected_cost) / expected_cost)
    assert roi * 100 == approx(((expected_value - expected_cost) * 100) / expected_cost)

    payback = fn("PAYBACK_PERIODS")(cost, [7_500, 9_000, 11_000, 12_000])
    # expected_cost is 13_654: 7_500 falls short, 7_500 + 9_000 = 16_500 passes it in month 2.
    assert 7_500 < expected_cost <= 7_500 + 9_000
    assert payback == approx(1 + (expected_cost - 7_500) / 9_000)


def test_dates_arrive_as_excel_serials():
    # Days from campaign launch to the first sale, both dates typed in cells.
    launch, first_sale = dt.date(2024, 3, 4), dt.datetime(2024, 3, 15, 12, 0)
    assert fn("SEGMENT_UPLIFT")(first_sale, launch, 1) == approx(11.5)
    # 1 January 2024 is Excel serial 45292 (days since 30 December 1899).
    assert fn("COST_PER")(dt.date(2024, 1, 1), 1) == approx(
        (dt.date(2024, 1, 1) - dt.date(1899, 12, 30)).days)
    assert fn("COST_PER")(dt.date(2024, 1, 1), 1) == 45292.0
