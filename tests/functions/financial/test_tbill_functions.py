"""TBILLEQ, TBILLPRICE, TBILLYIELD (roi_xl/engine/functions/tbill.py) through the real engine;
expected values from Microsoft's documented examples and the documented formulas worked by hand."""
from __future__ import annotations

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

_MARCH_TO_JUNE = "DATE(2008,3,31),DATE(2008,6,1)"   # 62 days

CASES = {
    f"=TBILLEQ({_MARCH_TO_JUNE},0.0914)": 365 * 0.0914 / (360 - 0.0914 * 62),   # 9.4151%
    f"=TBILLPRICE({_MARCH_TO_JUNE},0.09)": 100 * (1 - 0.09 * 62 / 360),          # 98.45
    f"=TBILLYIELD({_MARCH_TO_JUNE},98.45)": (100 - 98.45) / 98.45 * 360 / 62,    # 9.1417%
    # Beyond half a year: (1 + y/2)(1 + y(t - 1/2))·price = 1 solved for y, t = DSM/365 ...
    # (t = 1 for 365 days: y = (sqrt(1/price) - 1) / (1/2))
    "=TBILLEQ(DATE(1940,1,30),DATE(1941,1,29),0.5)": ((1 / (1 - 0.5 * 365 / 360)) ** 0.5 - 1) / 0.5,
    # ... and t = 1 for a bill of 366 days (a leap year).
    "=TBILLEQ(DATE(1940,1,30),DATE(1941,1,30),0.5)": ((1 / (1 - 0.5 * 366 / 360)) ** 0.5 - 1) / 0.5,
    "=TBILLEQ(NA(),DATE(2008,6,1),0.09)": XlError.NA,                       # passed on, not #VALUE!
    "=TBILLPRICE(DATE(2008,3,31),DATE(2009,4,1),0.09)": XlError.NUM,        # more than a year
    "=TBILLPRICE(DATE(2008,3,31),DATE(2008,3,31),0.09)": XlError.NUM,
    f"=TBILLPRICE({_MARCH_TO_JUNE},TRUE)": XlError.VALUE,
    f"=TBILLYIELD({_MARCH_TO_JUNE},0)": XlError.NUM,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("tbill") / "tbill.xlsx", {}, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_tbill_function(results, formula, expected):
    assert_excel_value(results[formula], expected, formula, rel=1e-12)
