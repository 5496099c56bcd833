"""LINEST, LOGEST, TREND, GROWTH (roi_xl/engine/functions/regression.py). Expected values worked
by hand from the least-squares definitions in Excel's LINEST documentation.

Data: x = 1..5 in A1:A5, y = 2, 4, 5, 4, 5 in B1:B5. Means 3 and 4, Sxx = 10, Sxy = 6: slope 0.6,
intercept 2.2; fitted 2.8, 3.4, 4.0, 4.6, 5.2, residuals -0.8, 0.6, 1, -0.6, -0.2, so
ss_resid = 2.4, ss_total = 6, ss_reg = 3.6, r2 = 0.6, df = 3, s^2 = 0.8, se_y = sqrt(0.8),
se_m = sqrt(0.8 / 10), se_b = sqrt(0.8 * (1/5 + 9/10)), F = 3.6 / 0.8 = 4.5.
Through the origin: slope = sum(xy) / sum(x^2) = 66 / 55 = 1.2, ss_resid = 86 - 1.2 * 66 = 6.8,
ss_reg = 79.2 (uncentred), df = 4.
"""
from __future__ import annotations

import math

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_array_formulas, evaluate_cases

CELLS = {**{f"A{i}": i for i in range(1, 6)}, **{f"B{i}": y for i, y in enumerate([2, 4, 5, 4, 5], 1)},
         # C1:C4 = 6 * 2^(x-1): LOGEST is exactly m = 2, b = 3
         **{f"C{i}": 3 * 2 ** i for i in range(1, 5)},
         # D1:E5: two variables with y = 1 + 2*d + 3*e exactly in F1:F5
         **{f"D{i}": d for i, d in enumerate([1, 2, 3, 4, 5], 1)},
         **{f"E{i}": e for i, e in enumerate([2, 1, 4, 3, 6], 1)},
         **{f"F{i}": 1 + 2 * d + 3 * e for i, (d, e) in enumerate(zip([1, 2, 3, 4, 5], [2, 1, 4, 3, 6]), 1)},
         # I1:J5: x again beside a constant column
         **{f"I{i}": i for i in range(1, 6)}, **{f"J{i}": 7 for i in range(1, 6)},
         "H1": True, "H2": "txt"}
CASES = {
    "=INDEX(LINEST(B1:B5,A1:A5),1,1)": 0.6,
    "=INDEX(LINEST(B1:B5,A1:A5),1,2)": 2.2,
    "=INDEX(LINEST(B1:B5),1,1)": 0.6,                      # known x's default to 1, 2, 3, ...
    "=INDEX(LINEST(B1:B5,A1:A5,,TRUE),1,2)": 2.2,          # an empty const is TRUE
    "=INDEX(LINEST(B1:B5,A1:A5,,TRUE),2,1)": math.sqrt(0.08),
    "=INDEX(LINEST(B1:B5,A1:A5,,TRUE),2,2)": math.sqrt(0.88),
    "=INDEX(LINEST(B1:B5,A1:A5,,TRUE),3,1)": 0.6,
    "=INDEX(LINEST(B1:B5,A1:A5,,TRUE),3,2)": math.sqrt(0.8),
    "=INDEX(LINEST(B1:B5,A1:A5,,TRUE),4,1)": 4.5,
    "=INDEX(LINEST(B1:B5,A1:A5,,TRUE),4,2)": 3.0,
    "=INDEX(LINEST(B1:B5,A1:A5,,TRUE),5,1)": 3.6,
    "=INDEX(LINEST(B1:B5,A1:A5,,TRUE),5,2)": 2.4,
    "=INDEX(LINEST(B1:B5,A1:A5,FALSE,TRUE),1,1)": 1.2,
    "=INDEX(LINEST(B1:B5,A1:A5,FALSE,TRUE),1,2)": 0.0,
    "=INDEX(LINEST(B1:B5,A1:A5,FALSE,TRUE),2,2)": XlError.NA,  # no intercept, no se_b
    "=INDEX(LINEST(B1:B5,A1:A5,FALSE,TRUE),3,1)": 79.2 / 86,
    "=INDEX(LINEST(B1:B5,A1:A5,FALSE,TRUE),4,2)": 4.0,
    "=INDEX(LINEST(B1:B5,A1:A5,FALSE,TRUE),2,1)": math.sqrt(6.8 / 4 / 55),
    "=INDEX(LINEST(F1:F5,D1:E5),1,1)": 3.0,                # m_e, m_d, b: last variable first
    "=INDEX(LINEST(F1:F5,D1:E5),1,2)": 2.0,
    "=INDEX(LINEST(F1:F5,D1:E5),1,3)": 1.0,
    # J is constant, collinear with the intercept: coefficient 0, se 0, no degree of freedom
    "=INDEX(LINEST(B1:B5,I1:J5,,TRUE),1,1)": 0.0,
    "=INDEX(LINEST(B1:B5,I1:J5,,TRUE),2,1)": 0.0,
    "=INDEX(LINEST(B1:B5,I1:J5,,TRUE),1,2)": 0.6,
    "=INDEX(LINEST(B1:B5,I1:J5,,TRUE),4,2)": 3.0,
    "=LINEST(B1:B5,A1:A4)": XlError.REF,
    "=LINEST(B1:B2,H1:H2)": XlError.VALUE,                 # TRUE and text are not numbers
    "=INDEX(LOGEST(C1:C4,A1:A4),1,1)": 2.0,
    "=INDEX(LOGEST(C1:C4,A1:A4),1,2)": 3.0,
    "=INDEX(LOGEST(C1:C4,A1:A4,FALSE),1,2)": 1.0,
    "=INDEX(LOGEST(C1:C4,A1:A4,,TRUE),3,1)": 1.0,          # a perfect fit of ln(y)
    "=LOGEST(-C1:C4,A1:A4)": XlError.NUM,
    "=TREND(B1:B5,A1:A5,6)": 2.2 + 0.6 * 6,
    "=TREND(B1:B5,A1:A5,6,FALSE)": 7.2,
    "=SUM(TREND(B1:B5,A1:A5,{6;7;8}))": 3 * 2.2 + 0.6 * 21,  # new x's of another length
    "=INDEX(TREND(B1:B5,A1:A5),5)": 5.2,                   # new x's default to known x's
    "=INDEX(TREND(B1:B5,A1:A5,,FALSE),5)": 6.0,
    "=TREND(F1:F5,D1:E5,{10,20})": 1 + 20 + 60,
    "=TREND(B1:B5,A1:A4)": XlError.REF,
    "=GROWTH(C1:C4,A1:A4,5)": 96.0,
    "=GROWTH(C1:C4,,5)": 96.0,
    "=GROWTH(B1:B2,H1:H2)": XlError.VALUE,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("regression") / "regression.xlsx", CELLS, CASES)


@pytest.mark.parametrize("formula", list(CASES))
def test_regression_functions(results, formula):
    assert_excel_value(results[formula], CASES[formula], formula, rel=1e-9)


def test_linest_block_as_an_array_formula(tmp_path):
    """The full 5 x 2 block of =LINEST(y,x,,TRUE) entered over L1:M5 (Ctrl+Shift+Enter)."""
    values = evaluate_array_formulas(tmp_path / "block.xlsx", CELLS, {
        "L1:M5": "=LINEST(B1:B5,A1:A5,,TRUE)", "O1:O3": "=TREND(B1:B5,A1:A5,{6;7;8})"})
    expected = {"L1": 0.6, "M1": 2.2, "L2": math.sqrt(0.08), "M2": math.sqrt(0.88), "L3": 0.6,
                "M3": math.sqrt(0.8), "L4": 4.5, "M4": 3.0, "L5": 3.6, "M5": 2.4,
                "O1": 5.8, "O2": 6.4, "O3": 7.0}
    for cell, want in expected.items():
        assert_excel_value(values[cell], want, cell, rel=1e-9)
