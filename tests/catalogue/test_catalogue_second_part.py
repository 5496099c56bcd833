"""The second part of the catalogue (product brief, "Second part"): LAG_SPREAD, PIPELINE_VALUE,
ATTRIBUTION_WEIGHTS, ATTRIBUTED_VALUE, SHARE_OF_VOICE, NET_SENTIMENT, REFERRAL_VALUE and
RETENTION_VALUE.

Expected values are worked by hand in the comments, or come from `Contract`, a second
implementation written here from the brief's formulas alone (plain loops, no shared code), which
property tests hold the catalogue to. Then the same functions through the headless engine on a
real workbook, on the translated plan and on the formulas model.
"""
from __future__ import annotations

import math

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import roi_xl
from roi_xl import OMITTED, XlError
from roi_xl.engine import ModelCache, fastpath

from tests.support.two_paths import assert_plan_equals_formulas, assert_same, formulas_values


def fn(name):
    return roi_xl.get(name)


def approx(x):
    return pytest.approx(x, rel=1e-12, abs=1e-12)


def column(values):
    return [[v] for v in values]


def flat(result):
    """A row or column result as a flat list (a single value as a list of one)."""
    if not isinstance(result, list):
        return [result]
    return [v for row in result for v in row]


class Contract:
    """The brief's formulas, written again independently of roi_xl.measures."""

    @staticmethod
    def lag_spread(values, profile, full=False):
        n, m = len(values), len(profile)
        out = []
        for t in range(n + (m - 1 if full else 0)):
            total = 0.0
            for k in range(m):
                if t - k >= 0 and t - k < n:   # periods before the first count as 0
                    total += values[t - k] * profile[k]
            out.append(total)
        return out

    @staticmethod
    def weights(days, model="linear", half_life=7.0):
        n = len(days)
        if model == "first":
            return [1.0 if i == 0 else 0.0 for i in range(n)]
        if model == "last":
            return [1.0 if i == n - 1 else 0.0 for i in range(n)]
        if model == "linear":
            return [1 / n] * n
        if model == "position":
            if n == 1:
                return [1.0]
            if n == 2:
                return [0.5, 0.5]
            return [0.4 if i in (0, n - 1) else 0.2 / (n - 2) for i in range(n)]
        raw = [math.pow(2, -d / half_life) for d in days]   # time_decay
        return [r / sum(raw) for r in raw]

    @staticmethod
    def retention(customers, uplift, value, periods, rate=0.0):
        return customers * uplift * sum(value / (1 + rate) ** t for t in range(1, int(periods) + 1))


# ---------------------------------------------------------------- LAG_SPREAD

class TestLagSpread:
    def test_nine_month_cycle_worked_by_hand(self):
        # 10,000 opened in month 1 and 20,000 in month 2; 10% lands at once, 30% a month later,
        # 60% two months later. Month 1: 1,000. Month 2: 3,000 + 2,000 = 5,000.
        # Month 3: 6,000 + 6,000 = 12,000. Tail: month 4 20,000 x 60% = 12,000, month 5: 0 periods.
        values, profile = [10_000, 20_000, 0], [0.1, 0.3, 0.6]
        assert flat(fn("LAG_SPREAD")(values, profile)) == [approx(1_000), approx(5_000),
                                                          approx(12_000)]
        assert flat(fn("LAG_SPREAD")(values, profile, True)) == [
            approx(1_000), approx(5_000), approx(12_000), approx(12_000), approx(0)]

    def test_a_row_gives_a_row_and_a_column_a_column(self):
        row = fn("LAG_SPREAD")([[100, 200, 300]], [[0.5, 0.5]])
        assert row == [[approx(50), approx(150), approx(250)]]
        col = fn("LAG_SPREAD")(column([100, 200, 300]), [[0.5, 0.5]])   # profile's shape is free
        assert col == [[approx(50)], [approx(150)], [approx(250)]]
        tail = fn("LAG_SPREAD")(column([100, 200, 300]), column([0.5, 0.5]), True)
        assert tail == column([approx(50), approx(150), approx(250), approx(150)])

    def test_one_period_is_one_value_and_its_tail_follows_the_profile(self):
        assert fn("LAG_SPREAD")(1_000, [0.25, 0.75]) == approx(250)
        assert fn("LAG_SPREAD")(1_000, column([0.25, 0.75]), True) == column([approx(250),
                                                                              approx(750)])
        assert fn("LAG_SPREAD")(1_000, [[0.25, 0.75]], True) == [[approx(250), approx(750)]]

    def test_blanks_and_text_inside_the_series_count_as_zero_in_place(self):
        # Not summed away: the 300 stays in the third period.
        got = fn("LAG_SPREAD")([100, None, 300, "n/a"], [0.5, 0.5])
        assert flat(got) == [approx(50), approx(50), approx(150), approx(150)]
        # ...and a blank share inside the profile is a share of 0 in its place.
        assert flat(fn("LAG_SPREAD")([100, 0, 0], [0.5, None, 0.5])) == [approx(50), 0.0,
                                                                         approx(50)]

    def test_full_left_out_or_blank_is_false(self):
        short = fn("LAG_SPREAD")([100, 200], [0.5, 0.5])
        assert fn("LAG_SPREAD")([100, 200], [0.5, 0.5], OMITTED) == short
        assert fn("LAG_SPREAD")([100, 200], [0.5, 0.5], None) == short
        assert fn("LAG_SPREAD")([100, 200], [0.5, 0.5], False) == short
        assert fn("LAG_SPREAD")([100, 200], [0.5, 0.5], 0) == short
        longer = [[approx(50), approx(150), approx(100)]]
        assert fn("LAG_SPREAD")([100, 200], [0.5, 0.5], 1) == longer
        assert fn("LAG_SPREAD")([100, 200], [0.5, 0.5], "true") == longer
        assert fn("LAG_SPREAD")([100, 200], [0.5, 0.5], "maybe") is XlError.VALUE

    def test_a_profile_summing_to_one_within_rounding_is_accepted(self):
        tenths = [0.1] * 10   # sums to 0.9999999999999999 in floats, to 1 on paper
        assert fn("LAG_SPREAD")([[1_000] + [0] * 9], tenths) == [[approx(100)] * 10]
        assert fn("LAG_SPREAD")([1_000, 0, 0], [0.2, 0.3, 0.5]) == [[approx(200), approx(300),
                                                                     approx(500)]]

    def test_errors(self):
        assert fn("LAG_SPREAD")([100, 200], [0.5, 0.6]) is XlError.NUM        # sums to 1.1
        assert fn("LAG_SPREAD")([100, 200], [1.2]) is XlError.NUM             # share above 1
        assert fn("LAG_SPREAD")([100, 200], [0.5, -0.1]) is XlError.NUM       # below 0
        assert fn("LAG_SPREAD")([[1, 2], [3, 4]], [0.5]) is XlError.VALUE     # not a series
        assert fn("LAG_SPREAD")([1, 2], [[0.5, 0.1], [0.1, 0.1]]) is XlError.VALUE
        assert fn("LAG_SPREAD")("soon", [0.5]) is XlError.VALUE               # single-cell text
        assert fn("LAG_SPREAD")([1, XlError.DIV0], [0.5]) is XlError.DIV0     # errors propagate
        assert fn("LAG_SPREAD")([1, 2], XlError.NA) is XlError.NA
        assert fn("LAG_SPREAD")([1, 2]) is XlError.VALUE                      # too few arguments

    @settings(max_examples=200, deadline=None, database=None)
    @given(values=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=12),
           cuts=st.lists(st.floats(0, 1), min_size=1, max_size=9), full=st.booleans())
    def test_matches_the_contract(self, values, cuts, full):
        profile = [c / max(1.0, sum(cuts)) for c in cuts]   # shares summing to at most 1
        profile = [min(p, 1.0) for p in profile]
        expected = Contract.lag_spread(values, profile, full)
        got = flat(fn("LAG_SPREAD")(column(values), profile, full))
        assert got == [pytest.approx(e, rel=1e-9, abs=1e-6) for e in expected]
        # Nothing is lost with the tail: every period's value lands, times the profile's sum.
        if full:
            assert sum(got) == pytest.approx(sum(values) * sum(profile), rel=1e-9, abs=1e-5)


# ---------------------------------------------------------------- PIPELINE_VALUE

class TestPipelineValue:
    def test_worked_by_hand(self):
        # 40 leads at 5%, 12 opportunities at 25%, 3 proposals at 60%, deals of 18,000:
        # (2 + 3 + 1.8) x 18,000 = 122,400.
        assert fn("PIPELINE_VALUE")([40, 12, 3], [0.05, 0.25, 0.6], 18_000) == approx(122_400)
        # A deal value per stage: 40x5%x10,000 + 12x25%x20,000 = 20,000 + 60,000.
        assert fn("PIPELINE_VALUE")(column([40, 12]), column([0.05, 0.25]),
                                    column([10_000, 20_000])) == approx(80_000)

    def test_blanks_and_text_count_as_zero(self):
        assert fn("PIPELINE_VALUE")([40, None, "tbd"], [0.05, 0.25, 0.6], 18_000) == approx(36_000)
        assert fn("PIPELINE_VALUE")([40, 12], [None, 0.25], 18_000) == approx(54_000)

    def test_errors(self):
        assert fn("PIPELINE_VALUE")([40, 12], [0.05], 18_000) is XlError.VALUE
        assert fn("PIPELINE_VALUE")([40, 12], column([0.05, 0.25]), 18_000) is XlError.VALUE
        assert fn("PIPELINE_VALUE")([40, 12], [0.05, 0.25], [1, 2, 3]) is XlError.VALUE
        assert fn("PIPELINE_VALUE")([40, 12], [0.05, 1.25], 18_000) is XlError.NUM
        assert fn("PIPELINE_VALUE")([40, 12], [-0.05, 0.25], 18_000) is XlError.NUM
        assert fn("PIPELINE_VALUE")(40, 0.5, "big") is XlError.VALUE
        assert fn("PIPELINE_VALUE")([40, 12], [0.05, XlError.NA], 18_000) is XlError.NA


# ---------------------------------------------------------------- ATTRIBUTION_WEIGHTS

PATH = [30, 12, 5, 0]   # a LinkedIn ad 30 days out, a webinar, an email, the sales call


class TestAttributionWeights:
    @pytest.mark.parametrize("model,expected", [
        ("first", [1, 0, 0, 0]),
        ("last", [0, 0, 0, 1]),
        ("linear", [0.25, 0.25, 0.25, 0.25]),
        ("position", [0.4, 0.1, 0.1, 0.4]),
        # 2^(-30/7), 2^(-12/7), 2^(-5/7), 1 normalised.
        ("time_decay", [w / (0.0514 + 0.3048 + 0.6095 + 1) for w in (0.0514, 0.3048, 0.6095, 1)]),
    ])
    def test_models_worked_by_hand(self, model, expected):
        got = fn("ATTRIBUTION_WEIGHTS")(PATH, model)
        tol = 1e-3 if model == "time_decay" else 1e-12
        assert flat(got) == [pytest.approx(e, abs=tol) for e in expected]
        assert math.fsum(flat(got)) == approx(1)

    def test_position_with_one_two_and_three_touches(self):
        assert fn("ATTRIBUTION_WEIGHTS")(3, "position") == 1.0
        assert fn("ATTRIBUTION_WEIGHTS")([3, 0], "position") == [[0.5, 0.5]]
        assert fn("ATTRIBUTION_WEIGHTS")([9, 3, 0], "position") == [[0.4, approx(0.2), 0.4]]

    def test_time_decay_half_life(self):
        # Touches 14 and 7 days out with a half-life of 7: weights 1/4 and 1/2 of the newest.
        assert flat(fn("ATTRIBUTION_WEIGHTS")([14, 7, 0], "time_decay")) == [
            approx(1 / 7), approx(2 / 7), approx(4 / 7)]
        # A half-life of 14 halves the gap: 2^-1, 2^-0.5, 1.
        raw = [0.5, 2 ** -0.5, 1]
        assert flat(fn("ATTRIBUTION_WEIGHTS")([14, 7, 0], "TIME_DECAY", 14)) == [
            approx(r / sum(raw)) for r in raw]
        # Very old paths keep their proportions (no underflow to 0/0).
        assert flat(fn("ATTRIBUTION_WEIGHTS")([70_014, 70_007], "time_decay")) == [
            approx(1 / 3), approx(2 / 3)]

    def test_defaults_when_left_out_or_blank(self):
        linear = [[approx(1 / 3)] * 3]
        assert fn("ATTRIBUTION_WEIGHTS")([9, 3, 0]) == linear
        assert fn("ATTRIBUTION_WEIGHTS")([9, 3, 0], OMITTED, OMITTED) == linear
        assert fn("ATTRIBUTION_WEIGHTS")([9, 3, 0], None, None) == linear
        assert fn("ATTRIBUTION_WEIGHTS")([14, 7, 0], "time_decay", None) == \
            fn("ATTRIBUTION_WEIGHTS")([14, 7, 0], "time_decay", 7)

    def test_orientation(self):
        assert fn("ATTRIBUTION_WEIGHTS")(column([9, 3]), "linear") == [[0.5], [0.5]]
        assert fn("ATTRIBUTION_WEIGHTS")([[9, 3]], "linear") == [[0.5, 0.5]]

    def test_blanks_and_text_inside_the_path_are_touches_on_the_day(self):
        # A blank is 0 days in its place: position still gives the ends 40%.
        assert flat(fn("ATTRIBUTION_WEIGHTS")([9, None, "?", 0], "position")) == [
            0.4, approx(0.1), approx(0.1), 0.4]
        # time_decay reads the blank as 0 days: weights 1/2 and 1 of 2^(-7/7).
        assert flat(fn("ATTRIBUTION_WEIGHTS")([7, None], "time_decay")) == [approx(1 / 3),
                                                                           approx(2 / 3)]

    def test_errors(self):
        assert fn("ATTRIBUTION_WEIGHTS")(PATH, "w_shaped") is XlError.VALUE
        assert fn("ATTRIBUTION_WEIGHTS")(PATH, 3) is XlError.VALUE
        assert fn("ATTRIBUTION_WEIGHTS")([5, -1], "linear") is XlError.NUM
        assert fn("ATTRIBUTION_WEIGHTS")(PATH, "time_decay", 0) is XlError.NUM
        assert fn("ATTRIBUTION_WEIGHTS")(PATH, "time_decay", -7) is XlError.NUM
        assert fn("ATTRIBUTION_WEIGHTS")([None, None], "linear") is XlError.NA   # no touch
        assert fn("ATTRIBUTION_WEIGHTS")(None) is XlError.NA
        assert fn("ATTRIBUTION_WEIGHTS")([]) is XlError.NA
        assert fn("ATTRIBUTION_WEIGHTS")([[1, 2], [3, 4]]) is XlError.VALUE
        assert fn("ATTRIBUTION_WEIGHTS")("last week") is XlError.VALUE
        assert fn("ATTRIBUTION_WEIGHTS")([3, XlError.REF]) is XlError.REF
        assert fn("ATTRIBUTION_WEIGHTS")(PATH, XlError.NA) is XlError.NA

    def test_half_life_only_matters_to_time_decay(self):
        # The contract ties half_life <= 0 to time_decay; other models do not read it.
        assert fn("ATTRIBUTION_WEIGHTS")([9, 3], "linear", 0) == [[0.5, 0.5]]
        assert fn("ATTRIBUTION_WEIGHTS")([9, 3], "first", -1) == [[1.0, 0.0]]

    @settings(max_examples=200, deadline=None, database=None)
    @given(days=st.lists(st.integers(0, 400), min_size=1, max_size=10),
           model=st.sampled_from(["first", "last", "linear", "position", "time_decay"]),
           half_life=st.floats(0.5, 60))
    def test_matches_the_contract(self, days, model, half_life):
        got = flat(fn("ATTRIBUTION_WEIGHTS")(days, model, half_life))
        assert got == [pytest.approx(w, rel=1e-9, abs=1e-12)
                       for w in Contract.weights(days, model, half_life)]
        assert math.fsum(got) == pytest.approx(1, rel=1e-12)


# ---------------------------------------------------------------- ATTRIBUTED_VALUE

class TestAttributedValue:
    CHANNELS = ["LinkedIn", "Webinar", "Email", "linkedin"]

    def test_worked_by_hand(self):
        # position: LinkedIn gets the first and the last touch, 0.4 + 0.4, of 50,000.
        assert fn("ATTRIBUTED_VALUE")(self.CHANNELS, PATH, 50_000, "LINKEDIN", "position") == \
            approx(40_000)
        assert fn("ATTRIBUTED_VALUE")(self.CHANNELS, PATH, 50_000, "Email", "position") == \
            approx(5_000)
        assert fn("ATTRIBUTED_VALUE")(self.CHANNELS, PATH, 50_000, "webinar") == approx(12_500)
        assert fn("ATTRIBUTED_VALUE")(self.CHANNELS, PATH, 50_000, "Email", "first") == 0.0
        assert fn("ATTRIBUTED_VALUE")(self.CHANNELS, PATH, [20_000, 30_000], "Email", "last") \
            == 0.0

    def test_a_channel_on_no_touch_gets_zero(self):
        assert fn("ATTRIBUTED_VALUE")(self.CHANNELS, PATH, 50_000, "TikTok") == 0.0

    def test_the_channels_of_all_models_add_up_to_the_conversion(self):
        for model in ("first", "last", "linear", "position", "time_decay"):
            total = sum(fn("ATTRIBUTED_VALUE")(self.CHANNELS, PATH, 50_000, c, model, 3)
                        for c in ("LinkedIn", "Webinar", "Email"))
            assert total == approx(50_000), model

    def test_time_decay_and_its_half_life(self):
        # Touches 14 and 0 days out, half-life 14: weights 1/3 and 2/3 of 900.
        assert fn("ATTRIBUTED_VALUE")(column(["Ads", "Email"]), column([14, 0]), 900, "ads",
                                      "time_decay", 14) == approx(300)
        assert fn("ATTRIBUTED_VALUE")(column(["Ads", "Email"]), column([14, 0]), 900, "ads",
                                      "time_decay", OMITTED) == approx(900 * 0.25 / 1.25)

    def test_blank_days_are_touches_on_the_day(self):
        assert fn("ATTRIBUTED_VALUE")(["Ads", "Email", None], [3, None, None], 90, "Email") == \
            approx(30)

    def test_errors(self):
        assert fn("ATTRIBUTED_VALUE")(["Ads", "Email"], [3, 2, 1], 90, "Ads") is XlError.VALUE
        assert fn("ATTRIBUTED_VALUE")(["Ads", "Email"], column([3, 2]), 90, "Ads") is XlError.VALUE
        assert fn("ATTRIBUTED_VALUE")(["Ads", "Email"], [3, 2], 90, "Ads", "u") is XlError.VALUE
        assert fn("ATTRIBUTED_VALUE")(["Ads", "Email"], [3, -2], 90, "Ads") is XlError.NUM
        assert fn("ATTRIBUTED_VALUE")(["Ads", "Email"], [3, 2], 90, "Ads", "time_decay", 0) \
            is XlError.NUM
        assert fn("ATTRIBUTED_VALUE")([None, None], [None, None], 90, "Ads") is XlError.NA
        assert fn("ATTRIBUTED_VALUE")(["Ads", "Email"], [3, 2], "90", "Ads") is XlError.VALUE
        assert fn("ATTRIBUTED_VALUE")(["Ads", "Email"], [3, 2], 90, ["Ads", "Email"]) \
            is XlError.VALUE
        assert fn("ATTRIBUTED_VALUE")(["Ads", XlError.NA], [3, 2], 90, "Ads") is XlError.NA


# ---------------------------------------------------------------- reputation and relationships

class TestShareOfVoice:
    def test_worked_by_hand(self):
        # 340 own mentions of 1,360 across four brands: 25%.
        assert fn("SHARE_OF_VOICE")(340, [340, 510, 290, 220]) == approx(0.25)
        # Ranges sum as SUM does: blanks and text skipped.
        assert fn("SHARE_OF_VOICE")([120, None, 220], [[340, "n/a"], [510, 510]]) == \
            approx(340 / 1_360)

    def test_errors(self):
        assert fn("SHARE_OF_VOICE")(0, [0, None]) is XlError.DIV0
        assert fn("SHARE_OF_VOICE")(400, 300) is XlError.NUM
        assert fn("SHARE_OF_VOICE")([-10, 50], 300) is XlError.NUM   # a negative count, not Σ
        assert fn("SHARE_OF_VOICE")(10, [-10, 300]) is XlError.NUM
        assert fn("SHARE_OF_VOICE")("many", 300) is XlError.VALUE
        assert fn("SHARE_OF_VOICE")(10, XlError.NA) is XlError.NA


class TestNetSentiment:
    def test_worked_by_hand(self):
        # 180 positive, 45 negative, 275 neutral: (180 - 45) / 500 = 0.27.
        assert fn("NET_SENTIMENT")(180, 45, 275) == approx(0.27)
        assert fn("NET_SENTIMENT")([100, 80], [20, 25], [[200, 75]]) == approx(0.27)
        assert fn("NET_SENTIMENT")(0, 12) == -1.0
        assert fn("NET_SENTIMENT")(12, 0) == 1.0

    def test_neutral_left_out_or_blank_is_zero(self):
        # (180 - 45) / 225 = 0.6
        for neutral in (OMITTED, None, [None, "n/a"]):
            assert fn("NET_SENTIMENT")(180, 45, neutral) == approx(0.6)
        assert fn("NET_SENTIMENT")(180, 45) == approx(0.6)

    def test_errors(self):
        assert fn("NET_SENTIMENT")(0, 0) is XlError.DIV0
        assert fn("NET_SENTIMENT")(0, None, 0) is XlError.DIV0
        assert fn("NET_SENTIMENT")(-1, 5) is XlError.NUM
        assert fn("NET_SENTIMENT")(10, 5, [-1, 3]) is XlError.NUM
        assert fn("NET_SENTIMENT")(10, "few") is XlError.VALUE
        assert fn("NET_SENTIMENT")(10, 5, XlError.DIV0) is XlError.DIV0


class TestReferralValue:
    def test_worked_by_hand(self):
        # 250 advocates x 1.6 referrals x 12% x 480 = 23,040.
        assert fn("REFERRAL_VALUE")(250, 1.6, 0.12, 480) == approx(23_040)
        assert fn("REFERRAL_VALUE")([200, 50], 1.6, 0.12, 480) == approx(23_040)
        assert fn("REFERRAL_VALUE")(250, 1.6, 1, 480) == approx(250 * 1.6 * 480)
        assert fn("REFERRAL_VALUE")(None, 1.6, 0.12, 480) == 0.0

    def test_errors(self):
        assert fn("REFERRAL_VALUE")(250, 1.6, 1.2, 480) is XlError.NUM
        assert fn("REFERRAL_VALUE")(250, 1.6, -0.1, 480) is XlError.NUM
        assert fn("REFERRAL_VALUE")(-250, 1.6, 0.12, 480) is XlError.NUM
        assert fn("REFERRAL_VALUE")(250, -1.6, 0.12, 480) is XlError.NUM
        assert fn("REFERRAL_VALUE")(250, 1.6, "12%", 480) is XlError.VALUE
        assert fn("REFERRAL_VALUE")(250, 1.6, 0.12) is XlError.VALUE


class TestRetentionValue:
    def test_worked_by_hand(self):
        # 2,000 patients, 4% more kept, 90 a month for 12 months, undiscounted: 80 x 1,080.
        assert fn("RETENTION_VALUE")(2_000, 0.04, 90, 12) == approx(86_400)
        # Discounted at 10%: 100/1.1 + 100/1.21 + 100/1.331 = 248.6852...; x 1,000 x 5%.
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, 3, 0.1) == approx(
            50 * (100 / 1.1 + 100 / 1.21 + 100 / 1.331))
        # A negative uplift is a loss.
        assert fn("RETENTION_VALUE")(1_000, -0.02, 100, 2) == approx(-4_000)

    def test_periods_are_truncated(self):
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, 2.9) == approx(10_000)
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, 0) == 0.0
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, 0.99) == 0.0

    def test_discount_rate_left_out_or_blank_is_zero(self):
        for rate in (OMITTED, None, 0):
            assert fn("RETENTION_VALUE")(1_000, 0.05, 100, 3, rate) == approx(15_000)
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, 3) == approx(15_000)

    def test_errors(self):
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, -1) is XlError.NUM
        assert fn("RETENTION_VALUE")(1_000, 1.05, 100, 3) is XlError.NUM
        assert fn("RETENTION_VALUE")(1_000, -1.05, 100, 3) is XlError.NUM
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, 3, -1) is XlError.NUM
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, 3, -1.5) is XlError.NUM
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, "a year") is XlError.VALUE
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, 3, XlError.NA) is XlError.NA
        assert fn("RETENTION_VALUE")(1_000, 0.05, 100, 10_000, -0.999) is XlError.NUM  # overflow

    @settings(max_examples=200, deadline=None, database=None)
    @given(customers=st.floats(0, 1e5), uplift=st.floats(-1, 1), value=st.floats(0, 1e4),
           periods=st.floats(0, 60), rate=st.floats(-0.5, 0.5))
    def test_matches_the_contract(self, customers, uplift, value, periods, rate):
        expected = Contract.retention(customers, uplift, value, periods, rate)
        got = fn("RETENTION_VALUE")(customers, uplift, value, periods, rate)
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_numpy_arguments_read_as_ranges():
    assert fn("LAG_SPREAD")(np.array([[100.0], [200.0]]), np.array([0.5, 0.5])) == [
        [approx(50)], [approx(150)]]
    assert fn("SHARE_OF_VOICE")(np.float64(25), np.array([25, 75])) == approx(0.25)


# ---------------------------------------------------------------- through the headless engine

def _workbook(path, cells):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


# Inputs: a column of values by period with a blank and a text, a profile in a row, a path.
INPUTS = {
    "A1": 10_000, "A2": 20_000, "A3": None, "A4": "n/a", "A5": 5_000,
    "B1": 0.1, "C1": 0.3, "D1": 0.6,
    "A8": "LinkedIn", "B8": "Webinar", "C8": "Email", "D8": "linkedin",
    "A9": 30, "B9": 12, "C9": 5, "D9": 0,
    "A12": 40, "A13": 12, "A14": 3, "B12": 0.05, "B13": 0.25, "B14": 0.6,
}
SCALARS = {  # cell: (formula, expected), worked by hand above
    "F1": ("=PIPELINE_VALUE(A12:A14,B12:B14,18000)", 122_400),
    "F2": ('=ATTRIBUTED_VALUE(A8:D8,A9:D9,50000,"linkedin","position")', 40_000),
    "F3": ('=ATTRIBUTED_VALUE(A8:D8,A9:D9,50000,"Webinar")', 12_500),
    "F4": ("=SHARE_OF_VOICE(340,A12:A14)", XlError.NUM),   # 340 above 55
    "F5": ("=NET_SENTIMENT(180,45,275)", 0.27),
    "F6": ("=NET_SENTIMENT(180,45,)", 0.6),                  # neutral left out
    "F7": ("=REFERRAL_VALUE(250,1.6,0.12,480)", 23_040),
    "F8": ("=RETENTION_VALUE(1000,0.05,100,3,0.1)", 50 * (100 / 1.1 + 100 / 1.21 + 100 / 1.331)),
    "F9": ("=RETENTION_VALUE(2000,0.04,90,12)", 86_400),
    "F10": ('=ATTRIBUTED_VALUE(A8:D8,A9:D9,50000,"Email","w")', XlError.VALUE),
    "F11": ("=IFERROR(SHARE_OF_VOICE(0,0),-1)", -1),
    "F12": ("=LAG_SPREAD(A1,B1:D1)", 1_000),                # one period: one value, no spill
    "F13": ("=SUM(F1,F7)", 122_400 + 23_040),
}


def _expect(value):
    return value if isinstance(value, XlError) else approx(value)


def test_scalar_results_on_the_plan_equal_the_formulas_model(tmp_path):
    path = _workbook(tmp_path / "scalars.xlsx",
                     {**INPUTS, **{ref: f for ref, (f, _) in SCALARS.items()}})
    computed = fastpath.compute(path, ModelCache())
    assert_plan_equals_formulas(computed, path)   # the plan computed it, and agrees
    for ref, (_, want) in SCALARS.items():
        assert computed.cells[("Plan", ref)] == _expect(want), ref


SPILLS = {  # anchor: (formula, the values it spills, row by row)
    # The column of periods spills down: 1,000; 2,000+3,000; 6,000+6,000+0; 0+12,000+0; 500+0.
    "H1": ("=LAG_SPREAD(A1:A5,B1:D1)",
           column([1_000, 5_000, 12_000, 12_000, 500])),
    # With the tail: 5,000 x 30% and x 60% two more periods.
    "I1": ("=LAG_SPREAD(A1:A5,B1:D1,TRUE)",
           column([1_000, 5_000, 12_000, 12_000, 500, 1_500, 3_000])),
    # A row of touches spills to the right.
    "H10": ('=ATTRIBUTION_WEIGHTS(A9:D9,"position")', [[0.4, 0.1, 0.1, 0.4]]),
    "H12": ('=ATTRIBUTION_WEIGHTS(A9:D9,,)', [[0.25, 0.25, 0.25, 0.25]]),
    "H14": ("=LAG_SPREAD(B1:D1,1)", [[0.1, 0.3, 0.6]]),
    "H16": ('=ATTRIBUTION_WEIGHTS(A9:D9,"last")', [[XlError.SPILL]]),   # I16 is taken
}


def test_array_results_spill_as_cost_rollup_does(tmp_path):
    cells = {**INPUTS, **{ref: f for ref, (f, _) in SPILLS.items()}, "I16": "in the way"}
    path = _workbook(tmp_path / "spills.xlsx", cells)
    computed = fastpath.compute(path, ModelCache())
    # The plan hands a spilling workbook to the formulas model, as for COST_ROLLUP's table...
    assert not computed.fast and "array" in computed.note, computed.note
    assert_same(computed.cells, formulas_values(path))
    # ...which fills every spilled cell, in the series' orientation.
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
    for anchor, (_, expected) in SPILLS.items():
        col, row = coordinate_from_string(anchor)
        c0 = column_index_from_string(col)
        for dr, line in enumerate(expected):
            for dc, want in enumerate(line):
                ref = f"{get_column_letter(c0 + dc)}{row + dr}"
                assert computed.cells[("Plan", ref)] == _expect(want), (anchor, ref)
    # The cell after the last period, and the one right of a column, stay unfilled.
    assert ("Plan", "H6") not in computed.cells and ("Plan", "I8") not in computed.cells


def test_recalc_writes_the_spilled_values_into_the_copy(tmp_path):
    path = _workbook(tmp_path / "in.xlsx", {**INPUTS, "H1": SPILLS["H1"][0]})
    roi_xl.recalc(path, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx", data_only=True)["Plan"]
    assert [ws[f"H{r}"].value for r in range(1, 6)] == [approx(v) for v in
                                                       (1_000, 5_000, 12_000, 12_000, 500)]
