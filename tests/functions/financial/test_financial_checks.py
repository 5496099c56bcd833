"""Excel's argument checks for PMT, PV, FV, NPER, IPMT, PPMT (roi_xl/engine/functions/tvm.py), DB,
DDB, RRI, DISC (financial.py); expected values from Excel's documentation and worked by hand."""
from __future__ import annotations

from fractions import Fraction

import pytest

from roi_xl import XlError
from roi_xl.engine import excel_functions

from tests.support.formula_cases import assert_excel_value, evaluate_cases


def _pmt(rate, pv, nper):
    """The level end-of-period payment that repays pv in nper periods."""
    return -pv * rate * (1 + rate) ** nper / ((1 + rate) ** nper - 1)


def _fv(rate, periods, pv, nper):
    """Minus the balance left after `periods` payments of _pmt (end-of-period)."""
    g = (1 + rate) ** periods
    return -(pv * g + _pmt(rate, pv, nper) * (g - 1) / rate)


def _exact_principal(rate, nper, pv, first, last):
    """CUMPRINC (end-of-period payments) as the fall of the balance over periods first..last, in
    exact rational arithmetic."""
    r, g = Fraction(rate), lambda k: (1 + Fraction(rate)) ** k
    payment = -pv * r * g(nper) / (g(nper) - 1)
    balance = lambda k: pv * g(k) + payment * (g(k) - 1) / r  # noqa: E731
    return float(balance(last) - balance(first - 1))


CASES = {
    "=PMT(-3,5,100)": XlError.NUM,                     # rate below -1
    # PV and FV compute below -1 (Excel: PV(-3,5,100,12,1) = -68.375): (1-2)^3 = -1.
    "=PV(-2,3,10)": -(10 * (-1 - 1) / -2) / -1,
    "=FV(-2,3,100)": -(100 * (-1 - 1) / -2),
    "=FV(-1,-2,1)": XlError.DIV0,                      # 0^-2
    "=FV(-3,-3.5,1)": XlError.NUM,                     # (-2)^-3.5 is not real
    "=PMT(-1,1,100)": XlError.NUM,
    "=PMT(0.02,0,100)": XlError.NUM,                   # no periods
    # Any non-zero type means payments at the start: -(pv·g + fv)·r / ((1+r)·(g-1)), g = 1.2^3.
    "=PMT(0.2,3,-200,10,5)": (200 * 1.2 ** 3 - 10) * 0.2 / (1.2 * (1.2 ** 3 - 1)),
    # A fractional period below nper+1 is allowed: the interest on the balance after 2.9 periods.
    "=IPMT(0.1,3.9,3,8000)": -(8000 * 1.1 ** 2.9 - 8000 * 1.331 * 0.1 / 0.331 * (1.1 ** 2.9 - 1) / 0.1)
                             * 0.1,
    "=IPMT(0.1,4,3,8000)": XlError.NUM,
    "=NPER(-1.5,10,100)": XlError.NUM,
    "=PMT(0,4,100,300,1)": -100.0,                     # no interest: -(pv+fv)/nper
    "=PMT(0.1,3,100)": -100 * 0.1 / (1 - 1.1 ** -3),
    "=IPMT(0.1,0,36,8000)": XlError.NUM,               # period 0
    "=IPMT(0.1,3,2,8000)": XlError.NUM,                # period beyond nper
    "=PPMT(0.1,-1,3,8000)": XlError.NUM,
    "=IPMT(0.1,1,3,8000)": -800.0,                     # first period: -pv*rate
    "=DB(0,10,4,1)": 0.0,                              # nothing to depreciate
    "=DDB(0,10,4,1,2)": 0.0,
    "=DDB(1,10,4,1,2)": 0.0,                           # salvage above cost: nothing to lose
    "=DDB(23.89,34.78,4,3,2)": 0.0,
    "=DB(0,0,0,0)": XlError.NUM,                       # no life
    "=DDB(0,0,0,0)": XlError.NUM,
    "=PMT(A1,A2,A3)": -100 * 0.1 / (1 - 1.1 ** -3),   # the same through cell references
    "=IPMT(A1,1,A2,A3*80)": -800.0,
    "=DB(A3,10,4,1)": 100 * (1 - round((10 / 100) ** (1 / 4), 3)),
    "=PMT(A4,A2,A3)": XlError.NUM,
    "=NPER(0,3,100,23,1)": -41.0,                      # -(100+23)/3
    "=NPER(0,0,100)": XlError.NUM,
    "=_xlfn.RRI(2,3,0)": -1.0,                         # (0/3)^(1/2) - 1
    "=_xlfn.RRI(2,3,12)": 1.0,                         # (12/3)^(1/2) - 1
    "=DISC(39472,39614,97.975,100,5)": XlError.NUM,   # basis 5
    # CUMPRINC over periods 3..10 (end-of-period payments) is the fall of the balance from the
    # end of period 2 to the end of period 10; CUMIPMT the rest of the eight payments. Fractional
    # bounds count the whole periods inside them (2.5..10.7: periods 3..10).
    "=CUMPRINC(0.0083,36,8000,3,10,0)": _fv(0.0083, 2, 8000, 36) - _fv(0.0083, 10, 8000, 36),
    "=CUMPRINC(0.0083,36,8000,2.5,10.7,0)": _fv(0.0083, 2, 8000, 36) - _fv(0.0083, 10, 8000, 36),
    "=CUMIPMT(0.0083,36,8000,3,10,0)":
        8 * _pmt(0.0083, 8000, 36) - (_fv(0.0083, 2, 8000, 36) - _fv(0.0083, 10, 8000, 36)),
    # At 70% a period the principal is a tiny remainder of each payment: exact to the last digits.
    "=CUMPRINC(0.7,36,8000,2,10,0)": _exact_principal(0.7, 36, 8000, 2, 10),
    "=CUMIPMT(0.01,36,8000,3,10,1.2)": XlError.NUM,     # type must be 0 or 1
    "=CUMIPMT(0.01,36,8000,TRUE,10,0)": XlError.VALUE,
    "=CUMPRINC(0.1,2,8000,1,10,1)": XlError.NUM,       # beyond nper
    "=CUMPRINC(0,9,300,3,10,1)": XlError.NUM,          # rate 0
    # RATE over two periods: 8000(1+r)² = 200(1+r)(2+r) with payments in advance, so
    # 7800r = -7600; in arrears 8000r² + 15800r + 7600 = 0, whose root nearer the guess is taken.
    "=RATE(2,-200,8000,0,1)": -7600 / 7800,
    "=RATE(2,-200,8000)": (-15800 + (15800 ** 2 - 4 * 8000 * 7600) ** 0.5) / 16000,
    "=RATE(1,-100,90)": 1 / 9,
    "=RATE(10,-1200,2000,0,1)": XlError.NUM,          # Newton's method runs to -1
    "=RATE(0,-100,90)": XlError.NUM,
    # ODDFPRICE truncates the frequency: 2.3 prices as 2.
    "=ODDFPRICE(DATE(2020,3,17),DATE(2030,3,1),DATE(2020,1,15),DATE(2021,3,1),0.075,0.067,120,2.3,2)"
    "=ODDFPRICE(DATE(2020,3,17),DATE(2030,3,1),DATE(2020,1,15),DATE(2021,3,1),0.075,0.067,120,2,2)":
        True,
}
CELLS = {"A1": 0.1, "A2": 3, "A3": 100, "A4": -3}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("fin") / "fin.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_financial_check(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)


def test_checks_are_installed_once():
    from roi_xl.engine.function_table import get_functions

    excel_functions.install()
    before = get_functions()["PMT"]
    excel_functions.install()
    assert get_functions()["PMT"] is before
