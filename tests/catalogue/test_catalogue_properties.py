"""Property tests of the catalogue (hypothesis): it never raises, and the identities the
contract promises hold on any input."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import roi_xl
from roi_xl import OMITTED, XlError

PROFILE = settings(max_examples=150, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow])
NAMES = sorted(roi_xl.CATALOGUE)


def fn(name):
    return roi_xl.get(name)


# ---------------------------------------------------------------- strategies

finite = st.floats(allow_nan=False, allow_infinity=False)
# Money to the cent, up to a billion either way.
money = st.integers(min_value=-10**11, max_value=10**11).map(lambda cents: cents / 100)
words = st.sampled_from(["higher", "LOWER", "Lower", "staff", "Ads", "ADS", "", " ", "n/a",
                         "#N/A", "1,150", "12.5", "TRUE"]) | st.text(max_size=6)

cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10**6, max_value=10**6),
    st.integers(),                                  # some beyond what a float can hold
    st.floats(),                                    # nan and infinities too
    money,
    words,
    st.sampled_from(list(XlError)),
    st.just(OMITTED),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from([np.float64(2.5), np.int64(7), np.bool_(True), np.str_("lower")]),
)


@st.composite
def numpy_range(draw):
    rows = draw(st.integers(1, 3))
    cols = draw(st.integers(1, 3))
    if draw(st.booleans()):
        values = draw(st.lists(money, min_size=rows * cols, max_size=rows * cols))
        return np.array(values, dtype=float).reshape(rows, cols)
    values = draw(st.lists(cell, min_size=rows * cols, max_size=rows * cols))
    array = np.empty(rows * cols, dtype=object)
    array[:] = values
    return array.reshape(rows, cols)


argument = st.recursive(
    cell | numpy_range(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner),
    max_leaves=12,
)


def is_valid_result(result) -> bool:
    if isinstance(result, XlError):
        return True
    if isinstance(result, float):
        return math.isfinite(result)
    if isinstance(result, str):
        return result in ("GREEN", "AMBER", "RED")
    if isinstance(result, list) and result and all(isinstance(row, list) and row for row in result):
        # COST_ROLLUP's table: a key and its total on each row
        table = all(len(row) == 2 and (isinstance(row[1], XlError)
                                       or (type(row[1]) is float and math.isfinite(row[1])))
                    for row in result)
        # a series (LAG_SPREAD, ATTRIBUTION_WEIGHTS): one row, or one column, of finite numbers
        series = (len(result) == 1 or all(len(row) == 1 for row in result)) and all(
            type(v) is float and math.isfinite(v) for row in result for v in row)
        return table or series
    return False


# ---------------------------------------------------------------- never raises

@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=45, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_never_raises_on_any_mix_of_values(name, data):
    f = fn(name)
    n = data.draw(st.integers(0, len(f.args) + 1), label="n_args")
    args = data.draw(st.lists(argument, min_size=n, max_size=n), label="args")
    result = f(*args)
    assert is_valid_result(result), result


@settings(max_examples=200, deadline=None, database=None)
@given(name=st.sampled_from(NAMES), data=st.data())
def test_never_raises_on_mostly_numeric_arguments(name, data):
    # Nearer valid input, so that the bodies (not only the coercion) see odd values.
    f = fn(name)
    numeric = st.one_of(finite, st.none(), st.lists(st.one_of(finite, st.none()), max_size=3),
                        st.just(OMITTED))
    args = [data.draw(st.sampled_from(["higher", "lower", "Lower"]) if a.kind == "text" else numeric)
            for a in f.args]
    result = f(*args)
    assert is_valid_result(result), result


@settings(max_examples=100, deadline=None, database=None)
@given(values=st.lists(cell, min_size=2, max_size=5), name=st.sampled_from(["SOCIAL_ROI", "COST_TOTAL"]))
@example(values=[math.inf, XlError.NULL], name="SOCIAL_ROI")  # a nested row read inf as a number
def test_a_row_is_the_same_as_a_list_a_tuple_or_a_nested_row(values, name):
    f = fn(name)
    rest = (100,) if name == "SOCIAL_ROI" else ()
    assert repr(f(values, *rest)) == repr(f([values], *rest)) == repr(f(tuple(values), *rest))


# ---------------------------------------------------------------- identities

numbers_or_ranges = st.one_of(
    money,
    st.none(),
    st.lists(st.one_of(money, st.none(), st.sampled_from(["n/a", True, False, ""])), max_size=5),
    st.lists(money, min_size=1, max_size=4).map(lambda v: np.array(v)),
)


@PROFILE
@given(cost_saved=numbers_or_ranges, forgone=numbers_or_ranges,
       probability=st.sampled_from([0, 0.0, 0.5, 1, None]))
def test_roni_with_nothing_at_risk_is_roi_of_forgone_returns(cost_saved, forgone, probability):
    roni = fn("SOCIAL_RONI")(0, probability, cost_saved, forgone)
    roi = fn("SOCIAL_ROI")(forgone, cost_saved)
    assert roni == roi
    assert fn("SOCIAL_RONI")(0, 0, cost_saved, forgone) == roi
    assert fn("SOCIAL_RONI")(None, 0, cost_saved, forgone) == roi


@PROFILE
@given(returns=money, costs=money)
def test_roi_times_100_is_the_seed_percentage(returns, costs):
    result = fn("SOCIAL_ROI")(returns, costs)
    if costs == 0:
        assert result is XlError.DIV0
    elif costs < 0:
        assert result is XlError.NUM
    else:
        assert result * 100 == pytest.approx(((returns - costs) * 100) / costs, rel=1e-12,
                                             abs=1e-300)


key_cell = st.one_of(st.sampled_from(["Staff", "STAFF", "staff", "Ads", "ads", "Platforms",
                                      "Training", None, "", 2024, 2024.0]))
amount_cell = st.one_of(money, st.none(), st.sampled_from(["tbc", True, False]))


@st.composite
def cost_lines(draw):
    n = draw(st.integers(1, 12))
    keys = draw(st.lists(key_cell, min_size=n, max_size=n))
    amounts = draw(st.lists(amount_cell, min_size=n, max_size=n))
    form = draw(st.sampled_from(["row", "column", "numpy"]))
    if form == "column":
        return [[k] for k in keys], [[a] for a in amounts]
    if form == "numpy":
        k, a = np.empty((n, 1), dtype=object), np.empty((n, 1), dtype=object)
        k[:, 0], a[:, 0] = keys, amounts
        return k, a
    return keys, amounts


def _tolerance(amounts) -> float:
    cells = np.asarray(amounts, dtype=object).ravel().tolist()
    return 1e-9 * max(1.0, sum(abs(c) for c in cells if type(c) is float))


@PROFILE
@given(lines=cost_lines())
def test_rollup_totals_over_all_keys_equal_cost_total(lines):
    keys, amounts = lines
    table = fn("COST_ROLLUP")(keys, amounts)
    total = fn("COST_TOTAL")(amounts)
    if isinstance(table, XlError):
        # No line at all (single blank, etc.), or an argument error shared by both.
        assert table is XlError.NA and total == 0.0 or table is total
        return
    assert sum(t for _, t in table) == pytest.approx(total, rel=1e-12, abs=_tolerance(amounts))
    # Each key of the table, asked for alone, gives its row, in any letter case.
    for key, key_total in table:
        assert fn("COST_ROLLUP")(keys, amounts, key) == pytest.approx(key_total, rel=1e-12,
                                                                      abs=_tolerance(amounts))
        if isinstance(key, str):
            assert fn("COST_ROLLUP")(keys, amounts, key.upper()) == pytest.approx(
                key_total, rel=1e-12, abs=_tolerance(amounts))
    # The table holds each key once, ignoring case, in first-seen order.
    folded = [k.casefold() if isinstance(k, str) else k for k, _ in table]
    assert len(folded) == len(set(folded))


@PROFILE
@given(actual=money.filter(lambda x: x != 0), target=money.filter(lambda x: x != 0),
       lower=st.sampled_from(["lower", "LOWER", "Lower"]),
       higher=st.sampled_from(["higher", "HIGHER", "Higher", None, OMITTED]))
def test_attainment_lower_is_the_reciprocal_of_higher(actual, target, lower, higher):
    up = fn("KPI_ATTAINMENT")(actual, target, higher)
    down = fn("KPI_ATTAINMENT")(actual, target, lower)
    assert up == pytest.approx(actual / target, rel=1e-12)
    assert down == pytest.approx(1 / up, rel=1e-12)


@PROFILE
@given(target=money.filter(lambda x: x != 0))
def test_attainment_at_zero(target):
    assert fn("KPI_ATTAINMENT")(0, target) == 0.0
    assert fn("KPI_ATTAINMENT")(0, target, "lower") is XlError.DIV0
    assert fn("KPI_ATTAINMENT")(target, 0) is XlError.DIV0


@PROFILE
@given(actual=money, target=money, baseline=money, direction=st.sampled_from(["higher", "lower"]))
def test_attainment_with_baseline_reads_the_same_both_ways(actual, target, baseline, direction):
    result = fn("KPI_ATTAINMENT")(actual, target, direction, baseline)
    if target == baseline:
        assert result is XlError.DIV0
    else:
        assert result == pytest.approx((actual - baseline) / (target - baseline), rel=1e-12)


@PROFILE
@given(attainment=st.floats(-5, 5), amber=st.floats(-5, 5), green=st.floats(-5, 5))
def test_status_is_a_monotone_traffic_light(attainment, amber, green):
    status = fn("KPI_STATUS")(attainment, amber, green)
    if amber > green:
        assert status is XlError.NUM
    else:
        expected = "GREEN" if attainment >= green else "AMBER" if attainment >= amber else "RED"
        assert status == expected


@PROFILE
@given(pairs=st.lists(st.tuples(st.integers(0, 300).map(lambda p: p / 100),     # 0% to 300%
                                st.integers(0, 100).map(lambda w: w / 10)),     # weights 0 to 10
                      min_size=1, max_size=6),
       cap=st.one_of(st.none(), st.integers(50, 200).map(lambda p: p / 100)))
def test_score_is_a_capped_weighted_mean(pairs, cap):
    attainments = [a for a, _ in pairs]
    weights = [w for _, w in pairs]
    score = fn("KPI_SCORE")(attainments, weights, cap)
    if sum(weights) == 0:
        assert score is XlError.DIV0
        return
    capped = [a if cap is None else min(a, cap) for a in attainments]
    expected = sum(a * w for a, w in zip(capped, weights)) / sum(weights)
    assert score == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert min(capped) - 1e-9 <= score <= max(capped) + 1e-9


@PROFILE
@given(investment=st.floats(0, 1e6), returns=st.lists(st.floats(-1e5, 1e5), max_size=8))
def test_payback_is_the_first_period_reaching_the_investment(investment, returns):
    periods = fn("PAYBACK_PERIODS")(investment, returns)
    if investment == 0:
        assert periods == 0.0
        return
    reaching = [i for i in range(len(returns))
                if returns[i] > 0 and sum(returns[: i + 1]) >= investment]
    if not reaching:
        assert periods is XlError.NA
        return
    i = reaching[0]
    assert i <= periods <= i + 1
    assert periods == pytest.approx(i + (investment - sum(returns[:i])) / returns[i], rel=1e-12)
    # The same periods whatever the range's form.
    assert fn("PAYBACK_PERIODS")(investment, [[r] for r in returns]) == periods
    assert fn("PAYBACK_PERIODS")(investment, np.array(returns)) == periods


@PROFILE
@given(amounts=st.lists(money, min_size=1, max_size=6), data=st.data())
def test_cost_total_is_the_same_for_lists_columns_and_numpy(amounts, data):
    n = len(amounts)
    hours = data.draw(st.lists(st.floats(0, 200), min_size=n, max_size=n))
    rates = data.draw(st.lists(st.floats(0, 250), min_size=n, max_size=n))
    alloc = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    row = fn("COST_TOTAL")(amounts, hours, rates, alloc)
    column = fn("COST_TOTAL")(*[[[v] for v in vs] for vs in (amounts, hours, rates, alloc)])
    array = fn("COST_TOTAL")(*[np.array(vs).reshape(n, 1) for vs in (amounts, hours, rates, alloc)])
    assert row == column == array
    expected = sum((a + h * r) * w for a, h, r, w in zip(amounts, hours, rates, alloc))
    scale = sum(abs(a) + h * r for a, h, r in zip(amounts, hours, rates))
    assert row == pytest.approx(expected, rel=1e-12, abs=1e-12 * max(1.0, scale))


@PROFILE
@given(counts=st.lists(st.integers(0, 10**6), min_size=1, max_size=6), data=st.data())
def test_action_value_is_sumproduct(counts, data):
    unit_values = data.draw(st.lists(st.floats(0, 500), min_size=len(counts), max_size=len(counts)))
    expected = sum(c * v for c, v in zip(counts, unit_values))
    assert fn("ACTION_VALUE")(counts, unit_values) == pytest.approx(expected, rel=1e-12, abs=1e-9)
    assert fn("ACTION_VALUE")(counts, unit_values[:-1] + [None, 1]) is XlError.VALUE


@PROFILE
@given(values=st.lists(st.one_of(money, st.none(), st.sampled_from(["n/a", True, False])),
                       min_size=2, max_size=8),
       costs=st.floats(1, 1e6))
def test_sum_of_a_range_ignores_order_and_non_numbers(values, costs):
    numbers = [v for v in values if type(v) is float]
    expected = fn("SOCIAL_ROI")(math.fsum(numbers), costs)
    assert fn("SOCIAL_ROI")(values, costs) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert fn("SOCIAL_ROI")(list(reversed(values)), costs) == pytest.approx(
        expected, rel=1e-12, abs=1e-15)


# ---------------------------------------------------------------- degenerate and engine-side inputs

# What a hostile or broken workbook can hand a function: empty and ragged ranges, text of any
# length, floats at the edge of overflow, numbers too big for a float.
degenerate = st.one_of(
    st.just([]), st.just([[]]), st.just([[], [1.0]]), st.just(()),
    st.just(np.empty((0, 3), dtype=object)), st.just(np.empty((2, 0))),
    st.text(min_size=200, max_size=2_000),
    st.sampled_from([1e308, -1e308, 5e-324, -0.0, 2**1023 * 1.99, 10**400, -(10**400)]),
    st.lists(st.sampled_from([1e308, 1e308, -1e308, 5e-324]), min_size=1, max_size=4),
)
hostile = st.recursive(cell | numpy_range() | degenerate,
                       lambda inner: st.lists(inner, max_size=3), max_leaves=8)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_never_raises_on_degenerate_ranges_and_extreme_numbers(name, data):
    f = fn(name)
    n = data.draw(st.integers(0, len(f.args) + 1), label="n_args")
    args = data.draw(st.lists(hostile, min_size=n, max_size=n), label="args")
    result = f(*args)
    assert is_valid_result(result), result


def _engine_cell():
    import schedula as sh
    from formulas.tokens.operand import Error

    from roi_xl.engine.rewrite import OMITTED_MARKER

    return st.one_of(st.just(sh.EMPTY), st.booleans(), st.floats(), money,
                     st.integers(-10**6, 10**6), words,
                     st.sampled_from(list(Error.errors.values())), st.just(OMITTED_MARKER))


@st.composite
def engine_argument(draw):
    """What formulas passes a bound function: a 2-D object array (1x1 for a single cell)."""
    rows, cols = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    if draw(st.booleans()):
        rows = cols = 1
    values = draw(st.lists(_engine_cell(), min_size=rows * cols, max_size=rows * cols))
    array = np.empty(rows * cols, dtype=object)
    array[:] = values
    return array.reshape(rows, cols)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_bound_functions_never_raise_on_what_the_engine_passes(name, data):
    """Each function as registered in `formulas` (roi_xl.engine.bind): blanks as schedula.EMPTY,
    formulas' own error values, the omitted-argument marker; the answer is a 2-D array of values
    the engine can store (finite numbers, text, bools or formulas' errors)."""
    from formulas.tokens.operand import XlError as FormulasError

    from roi_xl.engine.bind import bind_catalogue
    from roi_xl.engine.function_table import get_functions

    bind_catalogue()
    f = get_functions()[name]
    n = data.draw(st.integers(1, len(roi_xl.get(name).args)), label="n_args")
    args = data.draw(st.lists(engine_argument(), min_size=n, max_size=n), label="args")
    result = f(*args)
    assert isinstance(result, np.ndarray) and result.ndim == 2 and result.size >= 1, result
    for value in result.ravel():
        assert isinstance(value, (FormulasError, str, bool)) or (
            isinstance(value, float) and math.isfinite(value)), (value, type(value))


def test_the_omitted_marker_inside_a_range_is_plain_text():
    # Found by the property above: a cell holding the marker's text is a key like any other;
    # only a whole argument left empty in the formula means "omitted".
    import schedula as sh

    from roi_xl.engine.bind import bind_catalogue
    from roi_xl.engine.function_table import get_functions
    from roi_xl.engine.rewrite import OMITTED_MARKER

    bind_catalogue()
    keys = np.array([[OMITTED_MARKER], ["a"], [sh.EMPTY]], dtype=object)
    amounts = np.array([[1.0], [2.0], [4.0]], dtype=object)
    rolled = get_functions()["COST_ROLLUP"](keys, amounts)
    assert rolled[:2].tolist() == [[OMITTED_MARKER, 1.0], ["a", 2.0]]


def test_a_required_argument_left_empty_is_blank():
    # =COST_ROLLUP(,B2:B3): Excel passes Empty to a UDF's required argument: one blank key.
    from roi_xl.excel import OMITTED

    assert roi_xl.get("COST_ROLLUP")(OMITTED, [[5.0]]) == roi_xl.get("COST_ROLLUP")(None, [[5.0]])
    # ... and so through the engine, where the empty argument arrives as the marker in a 1x1 array
    from roi_xl.engine.bind import bind_catalogue
    from roi_xl.engine.function_table import get_functions
    from roi_xl.engine.rewrite import OMITTED_MARKER

    bind_catalogue()
    rolled = get_functions()["COST_ROLLUP"](np.array([[OMITTED_MARKER]], dtype=object),
                                            np.array([[5.0]], dtype=object))
    assert rolled.tolist() == [["", 5.0]]
