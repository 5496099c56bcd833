"""PRICE and YIELD (roi_xl/engine/functions/bonds.py) through the real engine; expected values worked
by hand from Excel's documented formula (see the module docstring) and Microsoft's examples."""
from __future__ import annotations

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases


def _price(coupon, yld_per_period, redemption, coupons, to_next, accrued):
    v = 1 + yld_per_period
    value = redemption / v ** (coupons - 1 + to_next)
    value += sum(coupon / v ** (k - 1 + to_next) for k in range(1, coupons + 1))
    return value - coupon * accrued


_MS = "DATE(2008,2,15),DATE(2017,11,15),0.0575"
# Microsoft's example (94.63436): 30/360, 90 of the 180 days since 15 Nov 2007, 20 coupons left.
_MS_PRICE = _price(2.875, 0.0325, 100, 20, 0.5, 0.5)
# Actual/360: the period counts 360 days though the year has 365; 19 days since 13 Mar 2025, so
# 341 of 360 to the next coupon, 3 coupons left.
_A360 = _price(22, 0.12, 15, 3, 341 / 360, 19 / 360)

CASES = {
    f"=PRICE({_MS},0.065,100,2,0)": _MS_PRICE,
    f"=YIELD({_MS},{_MS_PRICE!r},100,2,0)": 0.065,
    "=PRICE(DATE(2025,4,1),DATE(2028,3,13),0.22,0.12,15,1,2)": _A360,
    f"=YIELD(DATE(2025,4,1),DATE(2028,3,13),0.22,{_A360!r},15,1,2)": 0.12,
    # One coupon left: simple discounting over the 90 days to it.
    "=PRICE(DATE(2008,2,15),DATE(2008,5,15),0.0575,0.065,100,2,0)":
        (100 + 2.875) / (1 + 0.5 * 0.0325) - 2.875 * 0.5,
    "=YIELD(DATE(2008,2,15),DATE(2008,5,15),0.0575,100,100,2,0)":
        ((1 + 0.02875) - (1 + 0.5 * 0.02875)) / (1 + 0.5 * 0.02875) * 2 / 0.5,
    f"=PRICE({_MS},0.065,100,2.3,0)": _MS_PRICE,          # the frequency is truncated
    f"=PRICE({_MS},0.065,100,3,0)": XlError.NUM,
    f"=PRICE({_MS},-0.01,100,2,0)": XlError.NUM,
    f"=YIELD({_MS},0,100,2,0)": XlError.NUM,
    "=PRICE(DATE(2017,11,15),DATE(2008,2,15),0.0575,0.065,100,2,0)": XlError.NUM,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("bond") / "bond.xlsx", {}, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_bond_function(results, formula, expected):
    assert_excel_value(results[formula], expected, formula, rel=1e-10)


def test_microsoft_price_example():
    assert abs(_MS_PRICE - 94.63436) < 5e-6
