"""IRR, XIRR, XNPV and MIRR (roi_xl/engine/functions/cashflows.py) through the real engine. Expected
values: Microsoft's documented examples, closed forms worked by hand, and roots of the cash-flow
polynomial found by numpy's polynomial solver (independent of the engine's Newton iteration)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases


def _polynomial_irr(flows, near):
    """The real root r > -1 of Σ vᵢ (1+r)^-i nearest `near`, from numpy's polynomial roots in
    x = 1/(1+r)."""
    roots = np.roots(list(reversed(flows)))
    rates = [1 / x.real - 1 for x in roots if abs(x.imag) < 1e-12 and x.real > 0]
    return min(rates, key=lambda r: abs(r - near))


_DOC_DATES = [dt.datetime(2008, 1, 1), dt.datetime(2008, 3, 1), dt.datetime(2008, 10, 30),
              dt.datetime(2009, 2, 15), dt.datetime(2009, 4, 1)]
_DOC_FLOWS = [-10000, 2750, 4250, 3250, 2750]
_DOC_YEARS = [(d - _DOC_DATES[0]).days / 365 for d in _DOC_DATES]

CELLS = {
    # A1:F1 with two blanks (D1, E1): IRR skips them.
    "A1": -20, "B1": 5, "C1": 5, "F1": 7,
    "A2": -20, "B2": 5, "C2": 5, "D2": -10, "E2": 5,
    "A3": -100, "B3": 230, "C3": -132,
    **{f"{c}4": v for c, v in zip("ABCDE", _DOC_FLOWS)},
    **{f"{c}5": d for c, d in zip("ABCDE", _DOC_DATES)},
    "A6": -10000, "B6": 2750, "C6": "x", "D6": 3250, "E6": 2750,       # text among the flows
    "A7": -10000, "B7": 2750, "D7": 3250, "E7": 2750,                  # C7 blank
    **{f"{c}8": v for c, v in zip("ABCDEF", [-120000, 39000, 30000, 21000, 37000, 46000])},
}

CASES = {
    "=IRR(A1:F1)": _polynomial_irr([-20, 5, 5, 7], 0.1),
    "=IRR({-2,5})": 1.5,                                  # -2 + 5/(1+r) = 0
    "=IRR({-5,1})": -0.8,
    # -100 + 230x - 132x² has the roots x = 10/11 and 5/6: rates 10% and 20%; the guess decides.
    "=IRR(A3:C3,0.05)": 0.1,
    "=IRR(A3:C3,0.25)": 0.2,
    # Newton's method from 10% runs away here; the root is still found.
    "=IRR(A2:E2)": _polynomial_irr([-20, 5, 5, -10, 5], 0.1),
    "=IRR(A1:F1,-1)": XlError.VALUE,
    "=IRR({-1,-2,-3})": XlError.NUM,
    "=IRR(A1)": XlError.NUM,
    "=IRR({-2,5,1/0})": XlError.DIV0,
    # Microsoft's XNPV example (2,086.65): Σ vᵢ / 1.09^((dᵢ - d₀)/365).
    "=XNPV(0.09,A4:E4,A5:E5)": sum(v / 1.09 ** t for v, t in zip(_DOC_FLOWS, _DOC_YEARS)),
    "=XNPV(0.09,A4:D4,A5:E5)": XlError.NUM,              # 4 flows, 5 dates
    "=XNPV(0.09,A6:E6,A5:E5)": XlError.NUM,              # text flow
    "=XNPV(0.09,A7:E7,A5:E5)": XlError.NUM,              # blank flow
    "=XNPV(-0.1,A4:E4,A5:E5)": XlError.NUM,
    "=XIRR(A6:E6,A5:E5)": XlError.VALUE,                 # text flow
    "=XIRR(A4:D4,A5:E5)": XlError.NUM,
    "=XIRR({1,2,3},A5:C5)": XlError.NUM,                 # no outflow
    # Microsoft's MIRR example (12.61%): inflows compounded at 12% to year 5, the outflow at year 0.
    "=MIRR(A8:F8,0.1,0.12)":
        ((39000 * 1.12 ** 4 + 30000 * 1.12 ** 3 + 21000 * 1.12 ** 2 + 37000 * 1.12 + 46000) / 120000)
        ** (1 / 5) - 1,
    "=MIRR({-5,4},-1,0.2)": 4 / 5 - 1,                   # the only outflow is at year 0
    "=MIRR({-5,-3},0.1,0.2)": -1.0,                      # no inflows
    "=MIRR({5,6},0.1,0.2)": XlError.DIV0,                # no outflows
    "=MIRR({-50,25,30},0.5,-12)": XlError.NUM,           # inflows compound to -245
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("cash") / "cash.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_cashflow_function(results, formula, expected):
    assert_excel_value(results[formula], expected, formula, rel=1e-9)


def test_xirr_is_the_rate_where_xnpv_vanishes(results, tmp_path):
    """Microsoft's XIRR example gives 37.34%; at that rate the example's XNPV is zero."""
    got = evaluate_cases(tmp_path / "xirr.xlsx", CELLS, ["=XIRR(A4:E4,A5:E5)"])["=XIRR(A4:E4,A5:E5)"]
    assert abs(got - 0.373362535) < 1e-8
    assert abs(sum(v / (1 + got) ** t for v, t in zip(_DOC_FLOWS, _DOC_YEARS))) < 1e-9
