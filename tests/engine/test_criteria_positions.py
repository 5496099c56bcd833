"""The cells a criterion picks in the fast plan (fastcalc._mark), answered from a
range's index (texts) or its numbers at once (">425"), against criteria.py's test of each cell,
the rule COUNTIF & co. follow everywhere else; plus counts worked out by hand."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_xl.engine import fastcalc, range_memo
from roi_xl.engine.criteria import criterion_test
from roi_xl.excel import XlError

CELLS = st.one_of(st.none(), st.booleans(), st.integers(-50, 50),
                  st.floats(-50, 50, allow_nan=False), st.sampled_from(["7", "-3", "x", "", "Alpha", "alpha", "1e1"]),
                  st.sampled_from([XlError.NA, XlError.DIV0]))
CRITERIA = st.sampled_from([">4", ">=4", "<4", "<=4", ">-3.5", "<=0", ">1e1", "< 4", ">x", ">=",
                            "alpha", "=alpha", "<>4", "4", "=4", ">TRUE"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=1, max_size=3), min_size=1, max_size=12), CRITERIA)
def test_the_plan_picks_the_cells_the_criterion_test_picks(rows, condition):
    width = len(rows[0])
    rows = [(row * width)[:width] for row in rows]  # a rectangular range
    test = criterion_test(fastcalc.formulas_value(condition))
    # the range as drawn, and stacked past _FEW cells (numbers compared by numpy, not one by one)
    for cells in (rows, rows * (fastcalc._FEW // len(rows) + 1)):
        flat = fastcalc._flat_formulas(cells)
        assert picked(cells, condition) == [i for i, v in enumerate(flat) if test(v)]


def picked(rows: list, condition) -> list[int]:
    """The positions (row by row) of the cells fastcalc._mark marks."""
    mask = np.zeros(len(rows) * len(rows[0]), bool)
    range_memo.forget()
    try:
        fastcalc._mark(mask, rows, condition)
    finally:
        range_memo.forget()
    return np.flatnonzero(mask).tolist()


def test_ordering_criteria_pick_numbers_only():
    rows = [[1], [5.5], ["7"], [True], [None], [10], [-3], [XlError.NA]]
    tall = rows * 5  # 40 cells: past _FEW, compared by numpy
    for cells, n in ((rows, 0), (tall, 8)):
        assert picked(cells, ">4") == [i + k * n for k in range(len(cells) // 8) for i in (1, 5)]
        assert picked(cells, "<=5.5") == [i + k * n for k in range(len(cells) // 8) for i in (0, 1, 6)]
        assert picked(cells, ">=x") == []  # a text order: no text is >= "x"


def test_ifs_combine_criteria_and_sum_the_picked_numbers():
    """_ifs by hand: the masks of several criteria combined, over ranges evaluated once and reused
    by many calls with other criteria (range_memo), a summed range with text, TRUE, a blank and an
    error (left out unless picked: SUMIFS then gives the error)."""
    cats = [["a"], ["b"], ["A"], ["a"], ["c"], ["a"]]
    amounts = [[10], [20], [30], [40], [50], [60]]
    summed = [[1.5], ["7"], [True], [None], [XlError.DIV0], [2.25]]
    range_memo.forget()
    try:
        assert fastcalc._ifs("COUNTIFS", None, cats, "a", amounts, ">15") == 3  # rows 3, 4, 6
        assert fastcalc._ifs("COUNTIFS", None, cats, "a", amounts, "<=40") == 3  # rows 1, 3, 4
        assert fastcalc._ifs("COUNTIF", None, cats, "b") == 1
        assert fastcalc._ifs("SUMIFS", amounts, amounts, ">15", cats, "a") == 130.0  # 30 + 40 + 60
        assert fastcalc._ifs("SUMIFS", summed, cats, "a") == 3.75  # 1.5 + TRUE, "7", blank left out + 2.25
        assert fastcalc._ifs("SUMIFS", summed, cats, "A", amounts, "<35") == 1.5  # rows 1 and 3 (TRUE)
        assert fastcalc._ifs("SUMIFS", summed, cats, "c") is XlError.DIV0
        assert fastcalc._ifs("SUMIF", summed, cats, "b") == 0.0  # the text "7" is not summed
        assert fastcalc._ifs("AVERAGEIFS", amounts, cats, "a") == (10 + 30 + 40 + 60) / 4
        assert fastcalc._ifs("COUNTIFS", None, cats, "zzz", amounts, ">0") == 0
    finally:
        range_memo.forget()


def test_countif_of_a_few_cells_counts_the_numbers_compared():
    """COUNTIF over a small range with a criterion ordering numbers is counted on the plan's values
    at once (_few_counted): only numbers count, not the text "600", TRUE, a blank or an error; a
    value of another class (a numpy double a formula computed) and a range past _FEW take the
    mask's way, with the same count."""
    row = [[501, 500, 500.5, "600", True, None, XlError.NA, -700, 1e3, 12]]
    range_memo.forget()
    try:
        assert fastcalc._ifs("COUNTIF", None, row, ">500") == 3        # 501, 500.5, 1000
        assert fastcalc._ifs("COUNTIF", None, row, ">=500") == 4       # and 500
        assert fastcalc._ifs("COUNTIF", None, row, "<-1") == 1         # -700
        assert fastcalc._ifs("COUNTIF", None, row, "=501") == 1        # equality: the mask's way
        assert fastcalc._ifs("COUNTIF", None, [[np.float64(600.0), 501]], ">500") == 2
        tall = [[v] for v in row[0]] * 4                              # 40 cells: past _FEW
        assert fastcalc._ifs("COUNTIF", None, tall, ">500") == 12
    finally:
        range_memo.forget()
