"""Excel semantics of the catalogue: SUM-style ranges, blanks, text, bools, errors, optional
arguments, letter case, shapes, numpy, dates, and every error rule each function documents."""
from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

import roi_xl
from roi_xl import OMITTED, XlError
from roi_xl.registry import CELLS, KEY, NUMBER, TEXT


def fn(name):
    return roi_xl.get(name)


def approx(x):
    return pytest.approx(x, rel=1e-12)


# Valid arguments for each function, all single cells, each giving a number (or a status).
BASE = {
    "SOCIAL_ROI": (48_500, 12_300),
    "SOCIAL_ROAS": (27_600, 6_900),
    "SOCIAL_RONI": (180_000, 0.15, 24_000, 6_000),
    "PAYBACK_PERIODS": (2_500, 10_000),
    "COST_TOTAL": (3_500, 20, 95, 0.8),
    "COST_ROLLUP": ("Staff", 5_400, "staff"),
    "COST_PER": (4_750, 1_900),
    "KPI_ATTAINMENT": (182, 200, "higher", 150, 1.2),
    "KPI_STATUS": (0.91, 0.9, 1),
    "KPI_SCORE": (0.91, 3, 1.1),
    "ACTION_VALUE": (380, 0.75),
    "DEFLECTION_SAVINGS": (1_150, 6.50, 1.80),
    "TRAFFIC_VALUE": (18_400, 0.021, 64),
    "SEGMENT_UPLIFT": (412, 356, 2_300),
    "LAG_SPREAD": (12_000, 0.4, False),
    "PIPELINE_VALUE": (28, 0.25, 24_000),
    "ATTRIBUTION_WEIGHTS": (14, "time_decay", 7),
    "ATTRIBUTED_VALUE": ("LinkedIn", 14, 50_000, "linkedin", "position", 7),
    "SHARE_OF_VOICE": (340, 1_360),
    "NET_SENTIMENT": (180, 45, 275),
    "REFERRAL_VALUE": (250, 1.6, 0.12, 480),
    "RETENTION_VALUE": (2_000, 0.04, 90, 12, 0.01),
}
# Arguments that are not numbers: keys, channels (besides TEXT and KEY kinds).
NOT_NUMERIC = {("COST_ROLLUP", 0), ("ATTRIBUTED_VALUE", 0)}
NAMES = sorted(BASE)

ERRORS = [e for e in XlError]


def numeric_positions(name):
    """Positions of arguments that read numbers (NUMBER, and CELLS other than keys and channels)."""
    f = fn(name)
    return [i for i, a in enumerate(f.args)
            if a.kind == NUMBER or (a.kind == CELLS and (name, i) not in NOT_NUMERIC)]


def with_arg(name, i, value):
    args = list(BASE[name])
    args[i] = value
    return args


ALL_POSITIONS = [(n, i) for n in NAMES for i in range(len(BASE[n]))]
NUMERIC_POSITIONS = [(n, i) for n in NAMES for i in numeric_positions(n)]


def test_base_arguments_are_valid_and_cover_every_argument():
    for name in NAMES:
        f = fn(name)
        assert len(BASE[name]) == len(f.args)
        result = f(*BASE[name])
        assert not isinstance(result, XlError), name
        assert isinstance(result, (float, str)), name


# ---------------------------------------------------------------- SUM semantics

class TestSumSemantics:
    def test_ranges_skip_text_bools_and_blanks(self):
        returns = [15_200, "n/a", None, True, 16_800, False, "", 16_500]
        costs = [[6_400, None], ["tbd", 5_900]]
        expected = ((15_200 + 16_800 + 16_500) - (6_400 + 5_900)) / (6_400 + 5_900)
        assert fn("SOCIAL_ROI")(returns, costs) == approx(expected)

    def test_range_of_only_text_sums_to_zero(self):
        assert fn("SOCIAL_ROI")(["pending", None, True], 12_300) == approx((0 - 12_300) / 12_300)
        assert fn("COST_PER")(4_750, ["none yet", None]) is XlError.DIV0

    @pytest.mark.parametrize("name,i", NUMERIC_POSITIONS)
    def test_single_cell_text_is_value_error(self, name, i):
        assert fn(name)(*with_arg(name, i, "1,150")) is XlError.VALUE

    @pytest.mark.parametrize("name,i", NUMERIC_POSITIONS)
    def test_one_by_one_range_of_text_is_a_single_cell(self, name, i):
        assert fn(name)(*with_arg(name, i, [["1,150"]])) is XlError.VALUE
        assert fn(name)(*with_arg(name, i, ["1,150"])) is XlError.VALUE

    def test_numeric_text_is_still_text(self):
        assert fn("SOCIAL_ROI")("48500", 12_300) is XlError.VALUE
        # ...but inside a range it is skipped, as SUM skips it.
        assert fn("SOCIAL_ROI")(["48500", 48_500], 12_300) == approx((48_500 - 12_300) / 12_300)

    def test_single_blank_counts_zero(self):
        assert fn("SOCIAL_ROI")(None, 12_300) == approx((0 - 12_300) / 12_300)
        assert fn("SOCIAL_ROI")([[None]], 12_300) == approx((0 - 12_300) / 12_300)
        assert fn("SOCIAL_ROI")(48_500, None) is XlError.DIV0
        assert fn("SEGMENT_UPLIFT")(412, None, 2_300) == approx((412 - 0) * 2_300)
        assert fn("COST_TOTAL")(None) == 0.0
        assert fn("ACTION_VALUE")(None, 0.75) == 0.0
        assert fn("DEFLECTION_SAVINGS")(None, 6.50) == 0.0

    def test_single_bool_is_zero_or_one(self):
        assert fn("SOCIAL_ROAS")(True, 0.25) == approx(1 / 0.25)
        assert fn("SOCIAL_ROAS")(False, 0.25) == 0.0
        assert fn("COST_PER")(500, True) == approx(500 / 1)
        assert fn("COST_PER")(500, False) is XlError.DIV0
        assert fn("SEGMENT_UPLIFT")(412, 356, True) == approx((412 - 356) * 1)
        assert fn("KPI_STATUS")(True) == "GREEN"
        assert fn("KPI_STATUS")(False) == "RED"
        # Cell-by-cell arguments read a single bool the same way...
        assert fn("COST_TOTAL")(True) == 1.0
        assert fn("ACTION_VALUE")(True, 35.0) == approx(1 * 35.0)
        assert fn("COST_TOTAL")(4_800, None, None, False) == 0.0
        # ...and skip bools inside a range.
        assert fn("ACTION_VALUE")([True, 46], [35.0, 35.0]) == approx(46 * 35.0)
        assert fn("COST_TOTAL")([True, 4_800]) == approx(4_800)

    def test_cell_by_cell_ranges_count_text_and_blanks_as_zero(self):
        assert fn("COST_TOTAL")(["tbd", 1_250, None]) == approx(1_250)
        assert fn("ACTION_VALUE")([4_200, "n/a", 610], [0.05, 0.75, None]) == approx(4_200 * 0.05)
        assert fn("PAYBACK_PERIODS")(10_000, [4_000, None, "n/a", 8_000]) == approx(
            3 + (10_000 - 4_000) / 8_000)

    def test_blank_allocation_inside_a_range_is_full(self):
        assert fn("COST_TOTAL")([4_800, 2_200], None, None, [None, 0.5]) == approx(
            4_800 * 1 + 2_200 * 0.5)

    def test_results_are_floats(self):
        assert type(fn("SEGMENT_UPLIFT")(412, 356, 2_300)) is float
        assert type(fn("ACTION_VALUE")([], [])) is float
        assert type(fn("COST_ROLLUP")(["Staff"], [5_400], "Ads")) is float
        assert type(fn("COST_TOTAL")(np.int64(3_500))) is float


# ---------------------------------------------------------------- errors in arguments

class TestErrorPropagation:
    @pytest.mark.parametrize("name,i", ALL_POSITIONS)
    @pytest.mark.parametrize("error", [XlError.NA, XlError.REF, XlError.DIV0, XlError.NAME])
    def test_error_cell_is_returned_as_is(self, name, i, error):
        assert fn(name)(*with_arg(name, i, error)) is error

    @pytest.mark.parametrize("name,i", ALL_POSITIONS)
    def test_error_inside_a_range_is_returned_as_is(self, name, i):
        assert fn(name)(*with_arg(name, i, [[1, None], ["x", XlError.NUM]])) is XlError.NUM
        assert fn(name)(*with_arg(name, i, np.array([7, XlError.NULL], dtype=object))) \
            is XlError.NULL

    @pytest.mark.parametrize("name", NAMES)
    def test_first_error_in_argument_order_wins(self, name):
        n = len(BASE[name])
        for i, j in itertools.combinations(range(n), 2):
            args = list(BASE[name])
            args[i], args[j] = XlError.REF, XlError.NA
            assert fn(name)(*args) is XlError.REF, (i, j)
            args[i], args[j] = XlError.NA, XlError.REF
            assert fn(name)(*args) is XlError.NA, (i, j)

    def test_first_error_in_a_range_is_in_row_order(self):
        costs = [[1_000, XlError.NA], [XlError.DIV0, 2_000]]
        assert fn("SOCIAL_ROI")(48_500, costs) is XlError.NA
        assert fn("SOCIAL_ROI")(48_500, np.array(costs, dtype=object)) is XlError.NA

    def test_an_error_wins_over_text_in_the_same_range(self):
        assert fn("SOCIAL_ROI")(["n/a", XlError.REF], 12_300) is XlError.REF

    def test_a_text_argument_before_an_error_is_value(self):
        # Argument order: the text in the first argument is its own #VALUE!.
        assert fn("SOCIAL_ROI")("lots", XlError.NA) is XlError.VALUE
        assert fn("SOCIAL_ROI")(XlError.NA, "lots") is XlError.NA

    def test_errors_win_over_shape_and_domain_rules(self):
        assert fn("COST_TOTAL")([1, 2], [1], XlError.NA) is XlError.NA
        assert fn("ACTION_VALUE")([1, 2, 3], [XlError.REF]) is XlError.REF
        assert fn("SOCIAL_RONI")(180_000, 2, XlError.REF) is XlError.REF
        assert fn("KPI_ATTAINMENT")(182, 200, "sideways", XlError.NA) is XlError.NA
        assert fn("KPI_STATUS")(XlError.DIV0, 1.2, 0.9) is XlError.DIV0
        assert fn("COST_ROLLUP")(["Staff", XlError.NA], [1]) is XlError.NA

    def test_errors_show_as_excel_text(self):
        assert str(XlError.DIV0) == "#DIV/0!"
        assert str(XlError.NA) == "#N/A"
        assert XlError.from_code("#div/0!") is XlError.DIV0
        assert XlError.from_code("#nothing") is None


# ---------------------------------------------------------------- optional arguments

OPTIONAL_CASES = [
    # name, required args, default value written out
    ("SOCIAL_RONI", (180_000, 0.15, 24_000), [0]),
    ("COST_TOTAL", ([3_500, 1_188],), [[0, 0], [0, 0], [1, 1]]),
    ("KPI_ATTAINMENT", (182, 200), ["higher"]),
    ("KPI_STATUS", (0.95,), [0.9, 1]),
    ("KPI_STATUS", (0.89,), [0.9, 1]),
    ("DEFLECTION_SAVINGS", (1_150, 6.50), [0]),
]


class TestOptionalArguments:
    @pytest.mark.parametrize("name,required,defaults", OPTIONAL_CASES)
    @pytest.mark.parametrize("blank", ["left_out", None, OMITTED, [[None]]])
    def test_blank_or_omitted_takes_the_default(self, name, required, defaults, blank):
        f = fn(name)
        expected = f(*required, *defaults)
        n_optional = len(f.args) - len(required)
        for k in range(1, n_optional + 1):
            args = list(required) if blank == "left_out" else list(required) + [blank] * k
            assert f(*args) == expected

    def test_omitted_in_the_middle(self):
        # =KPI_ATTAINMENT(A1,B1,"higher",,1.1): baseline left out, cap given.
        assert fn("KPI_ATTAINMENT")(231, 200, "higher", OMITTED, 1.1) == approx(1.1)
        assert fn("KPI_ATTAINMENT")(182, 200, OMITTED, OMITTED, 0.9) == approx(0.9)
        assert fn("KPI_ATTAINMENT")(182, 200, None, None, 1.2) == approx(182 / 200)
        assert fn("COST_TOTAL")([4_800, 2_200], OMITTED, OMITTED, [0.25, 0.6]) == approx(
            4_800 * 0.25 + 2_200 * 0.6)
        assert fn("COST_TOTAL")([None, 3_500], [40, None], OMITTED, None) == approx(
            3_500)  # hours without rates cost nothing
        assert fn("KPI_STATUS")(0.92, OMITTED, 0.95) == "AMBER"
        assert fn("KPI_STATUS")(0.95, None, 0.95) == "GREEN"

    def test_typed_zero_is_not_blank(self):
        assert fn("KPI_ATTAINMENT")(231, 200, "higher", None, 0) == 0.0
        assert fn("COST_TOTAL")([4_800], None, None, [0]) == 0.0
        assert fn("KPI_STATUS")(0.5, 0, 0.6) == "AMBER"

    def test_kpi_score_cap_left_out_means_no_cap(self):
        expected = (1.25 * 2 + 0.7 * 1) / 3
        assert fn("KPI_SCORE")([1.25, 0.7], [2, 1]) == approx(expected)
        assert fn("KPI_SCORE")([1.25, 0.7], [2, 1], None) == approx(expected)
        assert fn("KPI_SCORE")([1.25, 0.7], [2, 1], OMITTED) == approx(expected)

    def test_cost_rollup_key_left_out_gives_the_table(self):
        table = [["Staff", approx(5_400)]]
        assert fn("COST_ROLLUP")(["Staff"], [5_400]) == table
        assert fn("COST_ROLLUP")(["Staff"], [5_400], None) == table
        assert fn("COST_ROLLUP")(["Staff"], [5_400], OMITTED) == table

    def test_omitted_required_argument_reads_as_blank(self):
        assert fn("SOCIAL_ROI")(OMITTED, 12_300) == approx((0 - 12_300) / 12_300)
        assert fn("COST_PER")(4_750, OMITTED) is XlError.DIV0

    @pytest.mark.parametrize("name", NAMES)
    def test_too_few_or_too_many_arguments_is_value(self, name):
        f = fn(name)
        n_required = sum(1 for a in f.args if not a.optional)
        assert f(*BASE[name][: n_required - 1]) is XlError.VALUE
        assert f(*BASE[name], 1) is XlError.VALUE


# ---------------------------------------------------------------- text arguments

class TestTextArguments:
    @pytest.mark.parametrize("direction", ["higher", "Higher", "HIGHER", "hIgHeR"])
    def test_direction_higher_any_case(self, direction):
        assert fn("KPI_ATTAINMENT")(182, 200, direction) == approx(182 / 200)

    @pytest.mark.parametrize("direction", ["lower", "Lower", "LOWER", [["LoWeR"]]])
    def test_direction_lower_any_case(self, direction):
        assert fn("KPI_ATTAINMENT")(3.2, 4, direction) == approx(4 / 3.2)

    @pytest.mark.parametrize("direction", ["up", "more", "high", "lowest", 1, 0.0, True,
                                           ["higher", "lower"]])
    def test_any_other_direction_is_value(self, direction):
        assert fn("KPI_ATTAINMENT")(182, 200, direction) is XlError.VALUE
        assert fn("KPI_ATTAINMENT")(182, 200, direction, 150) is XlError.VALUE

    @pytest.mark.parametrize("key", ["staff", "STAFF", "Staff", "sTaFf", [["STAFF"]]])
    def test_keys_match_in_any_case(self, key):
        assert fn("COST_ROLLUP")(["Staff", "Ads", "staff"], [5_400, 3_900, 1_520], key) == \
            approx(5_400 + 1_520)

    def test_key_as_a_range_is_value(self):
        assert fn("COST_ROLLUP")(["Staff", "Ads"], [5_400, 3_900], ["Staff", "Ads"]) \
            is XlError.VALUE


# ---------------------------------------------------------------- shapes

class TestShapes:
    @pytest.mark.parametrize("args", [
        ([3_500, 1_188], [20]),
        ([3_500, 1_188], None, [95]),
        ([3_500, 1_188], None, None, [0.8, 0.5, 1]),
        ([3_500, 1_188], [[20], [0]]),                      # a row against a column
        ([3_500, 1_188], [20, 0], [95, 0], np.array([[0.8], [0.5]])),
    ])
    def test_cost_total_unequal_shapes_is_value(self, args):
        assert fn("COST_TOTAL")(*args) is XlError.VALUE

    def test_cost_total_equal_shapes_in_any_form(self):
        expected = (3_500 + 20 * 95) * 0.8 + (1_188 + 0 * 0) * 0.5
        assert fn("COST_TOTAL")([3_500, 1_188], [20, 0], [95, 0], [0.8, 0.5]) == approx(expected)
        assert fn("COST_TOTAL")((3_500, 1_188), [[20, 0]], np.array([95, 0]),
                                np.array([[0.8, 0.5]])) == approx(expected)
        column = fn("COST_TOTAL")([[3_500], [1_188]], [[20], [0]], [[95], [0]], [[0.8], [0.5]])
        assert column == approx(expected)

    @pytest.mark.parametrize("name,args", [
        ("COST_ROLLUP", (["Staff", "Ads"], [5_400])),
        ("COST_ROLLUP", (["Staff", "Ads"], [[5_400], [3_900]])),
        ("COST_ROLLUP", (["Staff", "Ads"], [5_400, 3_900, 0], "Staff")),
        ("KPI_SCORE", ([0.91, 1.25], [3, 2, 1])),
        ("KPI_SCORE", ([0.91, 1.25], [[3], [2]])),
        ("ACTION_VALUE", ([4_200, 380], [0.05])),
        ("ACTION_VALUE", (np.array([[4_200, 380]]), np.array([[0.05], [0.75]]))),
    ])
    def test_unequal_shapes_is_value(self, name, args):
        assert fn(name)(*args) is XlError.VALUE

    def test_ragged_lists_are_padded_with_blanks(self):
        amounts = [[1_500, 250], [600]]
        assert fn("COST_TOTAL")(amounts, [[0, 0], [0, 0]]) == approx(1_500 + 250 + 600)

    def test_empty_ranges(self):
        assert fn("ACTION_VALUE")([], []) == 0.0
        assert fn("COST_TOTAL")([]) == 0.0
        assert fn("SOCIAL_ROI")([], 100) == approx((0 - 100) / 100)
        assert fn("COST_ROLLUP")([], []) is XlError.NA
        assert fn("KPI_SCORE")([], []) is XlError.DIV0
        assert fn("PAYBACK_PERIODS")(100, []) is XlError.NA


# ---------------------------------------------------------------- numpy, scalars and dates

class TestNumpyAndDates:
    def test_numpy_two_d_and_one_d_and_lists_agree(self):
        cells = [[15_200.0, 16_800.0], [16_500.0, 0.0]]
        expected = (15_200 + 16_800 + 16_500 - 12_300) / 12_300
        for returns in (cells, np.array(cells), np.array(cells).ravel(),
                        np.array(cells).ravel().tolist(), [np.array(row) for row in cells]):
            assert fn("SOCIAL_ROI")(returns, 12_300) == approx(expected)

    def test_numpy_object_arrays_with_blanks_and_text(self):
        counts = np.array([[4_200, None], ["n/a", 46]], dtype=object)
        values = np.array([[0.05, 0.75], [0.40, 35.0]], dtype=object)
        assert fn("ACTION_VALUE")(counts, values) == approx(4_200 * 0.05 + 46 * 35.0)

    def test_numpy_scalars(self):
        assert fn("SOCIAL_ROI")(np.float64(48_500), np.int64(12_300)) == approx(
            (48_500 - 12_300) / 12_300)
        assert fn("SOCIAL_ROI")(np.int32(48_500), np.float32(12_300)) == approx(
            (48_500 - 12_300) / 12_300)
        assert fn("COST_PER")(500, np.bool_(True)) == approx(500.0)
        assert fn("KPI_ATTAINMENT")(182, 200, np.str_("LOWER")) == approx(200 / 182)

    def test_zero_dimensional_array_is_a_single_cell(self):
        assert fn("SOCIAL_ROI")(np.array(48_500.0), 12_300) == approx((48_500 - 12_300) / 12_300)

    def test_numpy_column_for_cell_by_cell_functions(self):
        keys = np.array([["Staff"], ["Ads"], ["staff"]])
        amounts = np.array([[2_250], [1_800], [675]])
        assert fn("COST_ROLLUP")(keys, amounts) == [["Staff", approx(2_250 + 675)],
                                                    ["Ads", approx(1_800)]]
        assert fn("KPI_SCORE")(np.array([[0.91], [1.25]]), np.array([[3], [2]]), 1.1) == approx(
            (0.91 * 3 + 1.1 * 2) / (3 + 2))

    def test_dates_are_excel_serials(self):
        # 1 January 2024 is serial 45292; noon adds half a day.
        assert fn("COST_PER")(dt.date(2024, 1, 1), 1) == 45292.0
        assert fn("COST_PER")(dt.datetime(2024, 1, 1, 12, 0), 1) == 45292.5
        assert fn("COST_PER")(dt.date(2024, 2, 1), 1) == 45292.0 + 31
        # Days between two dates in cells.
        assert fn("SEGMENT_UPLIFT")(dt.date(2024, 6, 30), dt.date(2024, 4, 1), 1) == approx(
            (dt.date(2024, 6, 30) - dt.date(2024, 4, 1)).days)
        # Dates inside a range are numbers, so SUM counts them.
        assert fn("COST_TOTAL")([dt.date(1900, 3, 1), 10]) == approx(61 + 10)

    def test_dates_as_rollup_keys(self):
        months = [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.datetime(2024, 1, 1)]
        table = fn("COST_ROLLUP")(months, [4_100, 3_800, 1_200])
        assert table == [[45292.0, approx(4_100 + 1_200)], [45323.0, approx(3_800)]]
        assert fn("COST_ROLLUP")(months, [4_100, 3_800, 1_200], dt.date(2024, 1, 1)) == approx(
            4_100 + 1_200)
        assert fn("COST_ROLLUP")(months, [4_100, 3_800, 1_200], 45323) == approx(3_800)

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), 10 ** 400])
    def test_non_finite_numbers_are_num(self, bad):
        assert fn("SOCIAL_ROI")(bad, 12_300) is XlError.NUM
        assert fn("COST_TOTAL")([1_000, bad]) is XlError.NUM

    @pytest.mark.parametrize("bad", [object(), {"a": 1}, {1, 2}, dt.time(12, 0), b"bytes"])
    def test_values_no_cell_holds_are_value(self, bad):
        assert fn("SOCIAL_ROI")(bad, 12_300) is XlError.VALUE

    def test_overflow_is_num(self):
        assert fn("SOCIAL_ROAS")(1e308, 1e-10) is XlError.NUM
        assert fn("SOCIAL_ROI")([1e308, 1e308], 1) is XlError.NUM
        assert fn("ACTION_VALUE")([1e308, 1e308], [10, 10]) is XlError.NUM
        assert fn("COST_ROLLUP")(["Ads", "Ads"], [1e308, 1e308], "ads") is XlError.NUM
        assert fn("COST_ROLLUP")(["Ads", "Ads", "Staff"], [1e308, 1e308, 1]) == [
            ["Ads", XlError.NUM], ["Staff", 1.0]]


# ---------------------------------------------------------------- COST_ROLLUP's table

class TestCostRollupTable:
    def test_first_seen_order_and_spelling(self):
        keys = ["platforms", "Staff", "PLATFORMS", "Ads", "STAFF", "ads", "Platforms"]
        amounts = [99, 2_400, 1_089, 3_900, 1_520, 2_100, 0]
        assert fn("COST_ROLLUP")(keys, amounts) == [
            ["platforms", approx(99 + 1_089 + 0)],
            ["Staff", approx(2_400 + 1_520)],
            ["Ads", approx(3_900 + 2_100)],
        ]

    def test_two_d_ranges_in_row_order(self):
        keys = [["Ads", "Staff"], ["Tools", "ads"]]
        amounts = [[3_900, 2_400], [450, 2_100]]
        assert fn("COST_ROLLUP")(keys, amounts) == [
            ["Ads", approx(3_900 + 2_100)], ["Staff", approx(2_400)], ["Tools", approx(450)]]

    def test_blank_keys_and_blank_lines(self):
        keys = ["Staff", None, None, "", "Ads", "   "]
        amounts = [2_400, 310, None, 90, None, "note"]
        # Line 3 has neither key nor amount, line 6 a blank key and a text: both skipped.
        # Amounts with a blank key add up under an empty key; a key without amount is 0.
        assert fn("COST_ROLLUP")(keys, amounts) == [
            ["Staff", approx(2_400)], ["", approx(310 + 90)], ["Ads", 0.0]]
        assert fn("COST_ROLLUP")(keys, amounts, "") == approx(310 + 90)
        assert fn("COST_ROLLUP")(keys, amounts, "Ads") == 0.0

    def test_text_amounts_count_zero_under_their_key(self):
        assert fn("COST_ROLLUP")(["Staff", "Staff", "Ads"], [2_400, "tbc", True]) == [
            ["Staff", approx(2_400)], ["Ads", 0.0]]

    def test_number_keys(self):
        keys = [2023, 2024, 2023.0]
        assert fn("COST_ROLLUP")(keys, [100, 200, 300]) == [[2023.0, approx(400)],
                                                            [2024.0, approx(200)]]
        assert fn("COST_ROLLUP")(keys, [100, 200, 300], 2023) == approx(100 + 300)

    def test_true_is_not_one(self):
        assert fn("COST_ROLLUP")([True, 1, "TRUE"], [10, 20, 40]) == [
            [True, approx(10)], [1.0, approx(20)], ["TRUE", approx(40)]]

    def test_single_line(self):
        assert fn("COST_ROLLUP")("Staff", 5_400) == [["Staff", approx(5_400)]]

    def test_no_lines_is_na_but_a_key_total_is_zero(self):
        assert fn("COST_ROLLUP")([None, None], [None, "x"]) is XlError.NA
        assert fn("COST_ROLLUP")([None, None], [None, "x"], "Staff") == 0.0

    def test_spills(self):
        assert fn("COST_ROLLUP").array is True
        assert {f.name for f in roi_xl.functions() if f.array} == {
            "COST_ROLLUP", "LAG_SPREAD", "ATTRIBUTION_WEIGHTS"}


# ---------------------------------------------------------------- PAYBACK

class TestPayback:
    def test_interpolation(self):
        assert fn("PAYBACK_PERIODS")(10_000, [2_000, 3_000, 4_000, 5_000]) == approx(
            3 + (10_000 - (2_000 + 3_000 + 4_000)) / 5_000)

    def test_first_period_fraction(self):
        assert fn("PAYBACK_PERIODS")(1_000, [4_000]) == approx(1_000 / 4_000)

    def test_zero_and_negative_periods_are_passed_over(self):
        assert fn("PAYBACK_PERIODS")(5_000, [0, -2_000, 4_000, 4_000]) == approx(
            3 + (5_000 - (0 - 2_000 + 4_000)) / 4_000)

    def test_never_reached(self):
        assert fn("PAYBACK_PERIODS")(5_000, [1_000, 1_000, 1_000]) is XlError.NA
        assert fn("PAYBACK_PERIODS")(5_000, [6_000, -6_000]) == approx(5_000 / 6_000)
        assert fn("PAYBACK_PERIODS")(5_000, [-1_000, 5_500]) is XlError.NA
        assert fn("PAYBACK_PERIODS")(5_000, None) is XlError.NA

    def test_investment_summed_from_a_range(self):
        assert fn("PAYBACK_PERIODS")([3_000, 2_000, "note"], [4_000, 4_000]) == approx(
            1 + (5_000 - 4_000) / 4_000)

    def test_negative_investment_is_num(self):
        assert fn("PAYBACK_PERIODS")(-5_000, [4_000, 4_000]) is XlError.NUM


# ---------------------------------------------------------------- KPI_STATUS boundaries

class TestKpiStatusBoundaries:
    @pytest.mark.parametrize("attainment,status", [
        (1.0, "GREEN"), (1.0000001, "GREEN"), (0.9999999, "AMBER"),
        (0.9, "AMBER"), (0.8999999, "RED"), (0.0, "RED"), (-0.4, "RED"), (3.5, "GREEN"),
    ])
    def test_default_thresholds_at_exact_boundaries(self, attainment, status):
        assert fn("KPI_STATUS")(attainment) == status

    @pytest.mark.parametrize("attainment,status", [
        (0.95, "GREEN"), (0.9499, "AMBER"), (0.75, "AMBER"), (0.7499, "RED")])
    def test_custom_thresholds_at_exact_boundaries(self, attainment, status):
        assert fn("KPI_STATUS")(attainment, 0.75, 0.95) == status

    def test_amber_equal_to_green_leaves_no_amber(self):
        assert fn("KPI_STATUS")(0.9, 0.9, 0.9) == "GREEN"
        assert fn("KPI_STATUS")(0.89, 0.9, 0.9) == "RED"

    def test_amber_above_green_is_num(self):
        assert fn("KPI_STATUS")(0.95, 1.1, 1.0) is XlError.NUM
        assert fn("KPI_STATUS")(0.95, 1.2) is XlError.NUM

    def test_attainment_from_a_range_is_summed(self):
        assert fn("KPI_STATUS")([0.5, 0.5]) == "GREEN"
        assert fn("KPI_STATUS")([0.5, 0.45]) == "AMBER"

    def test_blank_attainment_is_zero(self):
        assert fn("KPI_STATUS")(None) == "RED"
        assert fn("KPI_STATUS")(None, -1, 0) == "GREEN"


# ---------------------------------------------------------------- KPI_SCORE

class TestKpiScore:
    def test_cap_applies_to_each_kpi_before_weighting(self):
        expected = (min(1.6, 1.2) * 1 + min(0.5, 1.2) * 1) / 2
        assert fn("KPI_SCORE")([1.6, 0.5], [1, 1], 1.2) == approx(expected)
        assert fn("KPI_SCORE")([1.6, 0.5], [1, 1]) == approx((1.6 + 0.5) / 2)

    def test_cap_below_every_attainment(self):
        assert fn("KPI_SCORE")([0.91, 1.25], [3, 2], 0.5) == approx((0.5 * 3 + 0.5 * 2) / 5)

    def test_zero_weights_is_div0(self):
        assert fn("KPI_SCORE")([0.91, 1.25], [0, 0]) is XlError.DIV0

    def test_no_complete_kpi_is_div0(self):
        assert fn("KPI_SCORE")([None, "n/a"], [3, 2]) is XlError.DIV0
        assert fn("KPI_SCORE")([0.91, 1.25], [None, "tbd"]) is XlError.DIV0

    def test_negative_weight_is_num(self):
        assert fn("KPI_SCORE")([0.91, 1.25], [3, -1]) is XlError.NUM

    def test_zero_weight_kpi_does_not_count(self):
        assert fn("KPI_SCORE")([0.91, 0.2], [3, 0]) == approx(0.91)


# ---------------------------------------------------------------- every documented error rule

ERROR_RULES = [
    ("SOCIAL_ROI", (48_500, 0), XlError.DIV0),
    ("SOCIAL_ROI", (48_500, [6_000, -6_000]), XlError.DIV0),
    ("SOCIAL_ROI", (48_500, -12_300), XlError.NUM),
    ("SOCIAL_ROI", ("48,500", 12_300), XlError.VALUE),
    ("SOCIAL_ROAS", (27_600, 0), XlError.DIV0),
    ("SOCIAL_ROAS", (27_600, -6_900), XlError.NUM),
    ("SOCIAL_ROAS", (27_600, "6,900"), XlError.VALUE),
    ("SOCIAL_RONI", (180_000, 1.15, 24_000), XlError.NUM),
    ("SOCIAL_RONI", (180_000, -0.01, 24_000), XlError.NUM),
    ("SOCIAL_RONI", (180_000, 15, 24_000), XlError.NUM),      # a percentage typed as 15
    ("SOCIAL_RONI", (180_000, 0.15, -24_000), XlError.NUM),
    ("SOCIAL_RONI", (180_000, 0.15, 0), XlError.DIV0),
    ("PAYBACK_PERIODS", (30_000, [4_000, 7_500, 9_000]), XlError.NA),
    ("PAYBACK_PERIODS", (-30_000, [4_000, 7_500, 9_000]), XlError.NUM),
    ("COST_TOTAL", ([3_500, 1_188], [20]), XlError.VALUE),
    ("COST_TOTAL", ([3_500, 1_188], None, None, [0.8, 1.5]), XlError.NUM),
    ("COST_TOTAL", ([3_500, 1_188], None, None, [-0.2, 1]), XlError.NUM),
    ("COST_TOTAL", (3_500, None, None, 80), XlError.NUM),       # 80 for 80%
    ("COST_ROLLUP", (["Staff", "Ads"], [5_400]), XlError.VALUE),
    ("COST_ROLLUP", ([None], [None]), XlError.NA),
    ("COST_PER", (4_750, 0), XlError.DIV0),
    ("COST_PER", (4_750, None), XlError.DIV0),
    ("KPI_ATTAINMENT", (182, 200, "up"), XlError.VALUE),
    ("KPI_ATTAINMENT", (182, 0), XlError.DIV0),
    ("KPI_ATTAINMENT", (0, 4, "lower"), XlError.DIV0),
    ("KPI_ATTAINMENT", (14_100, 12_000, "higher", 12_000), XlError.DIV0),
    ("KPI_ATTAINMENT", (14, 18, "lower", 18), XlError.DIV0),
    ("KPI_STATUS", (0.95, 1.1, 1.0), XlError.NUM),
    ("KPI_SCORE", ([0.91, 1.25], [3]), XlError.VALUE),
    ("KPI_SCORE", ([0.91, 1.25], [0, 0]), XlError.DIV0),
    ("KPI_SCORE", ([0.91, 1.25], [3, -2]), XlError.NUM),
    ("ACTION_VALUE", ([4_200, 380], [0.05]), XlError.VALUE),
    ("DEFLECTION_SAVINGS", (1_150, "6.50"), XlError.VALUE),
    ("TRAFFIC_VALUE", (18_400, 2.1, 64), XlError.NUM),        # 2.1 meant as 2.1%
    ("TRAFFIC_VALUE", (18_400, -0.021, 64), XlError.NUM),
    ("SEGMENT_UPLIFT", (412, "356", 2_300), XlError.VALUE),
    ("LAG_SPREAD", ([12_000, 9_000], [0.6, 0.5]), XlError.NUM),
    ("LAG_SPREAD", ([12_000, 9_000], [1.2]), XlError.NUM),
    ("LAG_SPREAD", ([[1, 2], [3, 4]], [0.5]), XlError.VALUE),
    ("PIPELINE_VALUE", ([28, 7], [0.25], 24_000), XlError.VALUE),
    ("PIPELINE_VALUE", ([28, 7], [0.25, 40], 24_000), XlError.NUM),  # 40 meant as 40%
    ("ATTRIBUTION_WEIGHTS", ([14, 2], "u_shaped"), XlError.VALUE),
    ("ATTRIBUTION_WEIGHTS", ([None, None],), XlError.NA),
    ("ATTRIBUTION_WEIGHTS", ([14, -2],), XlError.NUM),
    ("ATTRIBUTION_WEIGHTS", ([14, 2], "time_decay", 0), XlError.NUM),
    ("ATTRIBUTED_VALUE", (["Ads"], [14, 2], 900, "Ads"), XlError.VALUE),
    ("ATTRIBUTED_VALUE", ([None], [None], 900, "Ads"), XlError.NA),
    ("ATTRIBUTED_VALUE", (["Ads"], [-1], 900, "Ads"), XlError.NUM),
    ("SHARE_OF_VOICE", (0, 0), XlError.DIV0),
    ("SHARE_OF_VOICE", (400, 300), XlError.NUM),
    ("SHARE_OF_VOICE", (-4, 300), XlError.NUM),
    ("NET_SENTIMENT", (0, 0, 0), XlError.DIV0),
    ("NET_SENTIMENT", (10, -1), XlError.NUM),
    ("REFERRAL_VALUE", (250, 1.6, 12, 480), XlError.NUM),        # 12 meant as 12%
    ("REFERRAL_VALUE", (-250, 1.6, 0.12, 480), XlError.NUM),
    ("RETENTION_VALUE", (2_000, 4, 90, 12), XlError.NUM),        # 4 meant as 4%
    ("RETENTION_VALUE", (2_000, 0.04, 90, -12), XlError.NUM),
    ("RETENTION_VALUE", (2_000, 0.04, 90, 12, -1), XlError.NUM),
]


class TestErrorRules:
    @pytest.mark.parametrize("name,args,error", ERROR_RULES,
                             ids=[f"{n}-{e.name}-{i}" for i, (n, _, e) in enumerate(ERROR_RULES)])
    def test_rule_gives_its_error(self, name, args, error):
        assert fn(name)(*args) is error

    @pytest.mark.parametrize("name,args,error", ERROR_RULES,
                             ids=[f"{n}-{e.name}-{i}" for i, (n, _, e) in enumerate(ERROR_RULES)])
    def test_rule_is_in_the_help(self, name, args, error):
        help_text = fn(name).help
        assert "Errors" in help_text
        # A text in a single-cell argument is an argument's error, which a function without
        # errors of its own documents as "only those of its arguments".
        assert error.value in help_text or "only those of its arguments" in help_text

    def test_every_function_has_an_error_rule_here(self):
        assert {name for name, _, _ in ERROR_RULES} == set(NAMES)

    def test_roni_says_the_definition_is_ours(self):
        assert "roi-xl's own" in fn("SOCIAL_RONI").help

    def test_functions_without_errors_of_their_own_say_so(self):
        assert "only those of its arguments" in fn("SEGMENT_UPLIFT").help
        assert "only those of its arguments" in fn("DEFLECTION_SAVINGS").help


# ---------------------------------------------------------------- declarations

class TestDeclarations:
    @pytest.mark.parametrize("name", NAMES)
    def test_help_category_and_argument_help(self, name):
        f = fn(name)
        assert f.name == name
        assert f.category == "Social ROI"
        assert f.summary and "\n" not in f.summary
        assert f.help.startswith(f.help.split("\n\n", 1)[0])
        assert all(a.help for a in f.args)
        assert f.signature.startswith(name + "(")
        for a in f.args:
            assert (f"[{a.name}]" if a.optional else a.name) in f.signature
        # Optional arguments come after the required ones.
        flags = [a.optional for a in f.args]
        assert flags == sorted(flags)

    def test_get_is_case_insensitive(self):
        assert roi_xl.get("social_roi") is roi_xl.get("SOCIAL_ROI") is roi_xl.CATALOGUE["SOCIAL_ROI"]
        assert roi_xl.get("Social_Roi") is roi_xl.get("SOCIAL_ROI")
        assert roi_xl.get("NO_SUCH_FUNCTION") is None

    def test_argument_kinds(self):
        kinds = {name: [a.kind for a in fn(name).args] for name in NAMES}
        assert kinds["KPI_ATTAINMENT"][2] == TEXT
        assert kinds["COST_ROLLUP"] == [CELLS, CELLS, KEY]
        assert set(kinds["SOCIAL_ROI"]) == {NUMBER}

    def test_contract_argument_order(self):
        names = {f.name: [a.name for a in f.args] for f in roi_xl.functions()}
        assert names["SOCIAL_RONI"] == ["revenue_at_risk", "loss_probability", "cost_saved",
                                        "forgone_returns"]
        assert names["COST_TOTAL"] == ["amounts", "hours", "rates", "allocations"]
        assert names["KPI_ATTAINMENT"] == ["actual", "target", "direction", "baseline", "cap"]
        assert names["KPI_STATUS"] == ["attainment", "amber", "green"]
        assert names["DEFLECTION_SAVINGS"] == ["contacts_deflected", "cost_per_contact",
                                               "social_cost_per_contact"]
        assert names["PAYBACK_PERIODS"] == ["investment", "returns_by_period"]


def test_a_range_handed_over_as_a_grid_reads_as_the_range_itself():
    """The plan hands a catalogue function a range it reads often as one Grid (converted once per
    evaluation): the function answers as for the rows themselves. COST_TOTAL of the amounts 100,
    250 and a text "n/a" (no number: nothing), hours, rates and allocations left out: 350; an error
    in the range is the result."""
    from roi_xl.excel import to_grid

    costs = [[100.0], [250.0], ["n/a"]]
    grid = to_grid(costs)
    assert to_grid(grid) is grid
    assert roi_xl.CATALOGUE["COST_TOTAL"](grid) == roi_xl.CATALOGUE["COST_TOTAL"](costs) == 350.0
    broken = to_grid([[100.0], [XlError.NA]])
    assert broken.first_error() is XlError.NA
    assert roi_xl.CATALOGUE["COST_TOTAL"](broken) is XlError.NA
