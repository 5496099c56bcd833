"""The plan's aggregates (SUM, AVERAGE, MIN, MAX, PRODUCT, MEDIAN, STDEV.S, VAR.P...) read their
arguments' numbers by Excel's rule and reduce them with the engine's own reductions
(functions/statistical.py), on the plan's path. Expected values worked out by hand from Excel's
documented rules: in a reference only numbers count (text, TRUE/FALSE and blanks are skipped, an error
is the result); a typed or computed argument is converted (TRUE 1, numeric text its number, other
text #VALUE!); MIN and MAX of no number are 0, AVERAGE of none #DIV/0!."""
from __future__ import annotations

import math

import pytest

from roi_xl import XlError
from roi_xl.engine import ModelCache, fastpath

from tests.support.batch_books import formula_book
from tests.support.two_paths import assert_plan_equals_formulas

INPUTS = {"A1": 1, "A2": "3", "A3": True, "A5": 5,    # A4 blank; A2 a text that looks like a number
          "B1": 4, "B2": "#N/A", "B3": 6,
          "C1": 1, "C2": 2, "C3": 3,
          "D1": 2, "D2": "#DIV/0!", "D3": "#N/A"}
CASES = {
    "=MAX(A1:A5)": 5.0,
    "=MIN(A1:A5)": 1.0,
    "=AVERAGE(A1:A5)": 3.0,                 # (1 + 5) / 2: the text, TRUE and the blank skipped
    '=MAX(A1:A5,"7")': 7.0,                 # a typed text is read as a number
    "=MIN(A5,TRUE)": 1.0,                   # a typed TRUE is 1
    "=SUM(A1:A5,A3)": 6.0,                  # TRUE in a one-cell reference is skipped too
    "=SUM(A1:A5,--A3)": 7.0,                # computed: 1
    "=AVERAGE(A2:A4)": XlError.DIV0,        # no number at all
    "=MAX(A2:A4)": 0.0,
    "=MIN(A2:A4)": 0.0,
    '=MAX(A1:A5,"x")': XlError.VALUE,
    "=AVERAGE(B1:B3)": XlError.NA,          # an error in a range is the result
    "=MAX(B1,B3)": 6.0,
    "=_xlfn.STDEV.S(C1:C3)": 1.0,           # mean 2, squares 1 + 0 + 1, over n - 1 = 2
    "=_xlfn.VAR.P(C1:C3)": 2 / 3,           # the same squares over n = 3
    "=PRODUCT(C1:C3,2)": 12.0,
    "=MEDIAN(C1:C3,10)": 2.5,               # 1, 2, 3, 10
    "=AVERAGE({1,2,6})": 3.0,               # an array constant's numbers
    "=MAX(C1:C3*2)": 6.0,                   # a computed array
    "=SUM(C1:C3,C1:C3)": 12.0,              # ranges of numbers only
    "=SUM(C1:D2)": XlError.DIV0,            # numbers, then an error: the error
    "=MAX(D3:D3,C1:D2)": XlError.NA,        # the first argument's error first
}


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    cells = {f"F{i}": formula for i, formula in enumerate(CASES, start=1)}
    path = formula_book(tmp_path_factory.mktemp("aggregates") / "aggregates.xlsx", cells, INPUTS)
    result = fastpath.compute(path, ModelCache())
    return path, result, {formula: result.cells[("Sheet", f"F{i}")] for i, formula in enumerate(CASES, start=1)}


def test_the_plan_computes_the_aggregates(computed):
    _, result, _ = computed
    assert result.fast and result.note == "", result.note


@pytest.mark.parametrize("formula", list(CASES))
def test_aggregate_values(computed, formula):
    got, want = computed[2][formula], CASES[formula]
    if isinstance(want, XlError):
        assert got is want, (formula, got)
    else:
        assert isinstance(got, float) and math.isclose(got, want, rel_tol=1e-15), (formula, got)


def test_the_plan_and_the_formulas_model_agree(computed):
    path, result, _ = computed
    assert_plan_equals_formulas(result, path)
