"""ODDLPRICE and ODDLYIELD (roi_xl/engine/functions/oddlast.py) through the real engine: Microsoft's
documented examples, and a two-quasi-period odd last coupon under actual/actual worked by hand
from the documented formula (each quasi-coupon period counted over its own actual length)."""
from __future__ import annotations

from datetime import date

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases


def _days(a, b):
    return (b - a).days


# Quasi-coupon periods from the last coupon 15 Jan 2020: to 15 Jul 2020, to 15 Jan 2021; the bond
# matures on 1 Dec 2020, settles on 1 Mar 2020.
_N1 = _days(date(2020, 1, 15), date(2020, 7, 15))
_N2 = _days(date(2020, 7, 15), date(2021, 1, 15))
_DC = 1 + _days(date(2020, 7, 15), date(2020, 12, 1)) / _N2
_A = _days(date(2020, 1, 15), date(2020, 3, 1)) / _N1
_DSC = _days(date(2020, 3, 1), date(2020, 7, 15)) / _N1 + _days(date(2020, 7, 15), date(2020, 12, 1)) / _N2

CASES = {
    # Microsoft's ODDLPRICE example (99.87828601): 30/360, one full quasi period of 180 days and
    # 60 days of the next; 112 days accrued, 68 + 60 to run.
    "=ODDLPRICE(DATE(2008,2,7),DATE(2008,6,15),DATE(2007,10,15),0.0375,0.0405,100,2,0)":
        (100 + 1.875 * 240 / 180) / (1 + 128 / 180 * 0.0405 / 2) - 1.875 * 112 / 180,
    # Microsoft's ODDLYIELD example (4.5192%): 171 days counted, 116 accrued, 55 to run.
    "=ODDLYIELD(DATE(2008,4,20),DATE(2008,6,15),DATE(2007,12,24),0.0375,99.875,100,2,0)":
        ((100 + 1.875 * 171 / 180) / (99.875 + 1.875 * 116 / 180) - 1) * 2 / (55 / 180),
    "=ODDLPRICE(DATE(2020,3,1),DATE(2020,12,1),DATE(2020,1,15),0.06,0.05,100,2,1)":
        (100 + 3 * _DC) / (1 + _DSC * 0.05 / 2) - 3 * _A,
    "=ODDLYIELD(DATE(2020,3,1),DATE(2020,12,1),DATE(2020,1,15),0.06,98,100,2,1)":
        ((100 + 3 * _DC) / (98 + 3 * _A) - 1) * 2 / _DSC,
    "=ODDLPRICE(DATE(2020,3,1),DATE(2020,12,1),DATE(2020,1,15),0.06,0.05,100,3,1)": XlError.NUM,
    "=ODDLPRICE(DATE(2020,3,1),DATE(2020,12,1),DATE(2020,3,1),0.06,0.05,100,2,1)": XlError.NUM,
    "=ODDLPRICE(DATE(2020,3,1),DATE(2020,12,1),DATE(2020,1,15),0.06,0.05,100,2,5)": XlError.NUM,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("oddl") / "oddl.xlsx", {}, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_odd_last_coupon(results, formula, expected):
    assert_excel_value(results[formula], expected, formula, rel=1e-12)
