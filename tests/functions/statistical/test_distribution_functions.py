"""Distributions, GAMMALN, T.TEST, PROB and FREQUENCY (roi_xl/engine/functions/distributions.py).
Expected values worked by hand from the definitions Excel documents (series and closed forms
computed here in another way than the engine does), or Excel's documented argument rules."""
from __future__ import annotations

import math
from decimal import Decimal, getcontext

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases


def _normal_lower_tail(x: float) -> float:
    """Phi(-x) for large x by the asymptotic series phi(x)/x * (1 - 1/x^2 + 3/x^4 - 15/x^6 ...)."""
    phi = math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
    terms, term = [], 1.0
    for k in range(1, 20):  # the terms still shrink for x >= 9
        terms.append(term)
        term *= -(2 * k - 1) / (x * x)
    return phi / x * math.fsum(terms)


def _lgamma_near_1(x: float) -> float:
    """ln Gamma(x) for x = 1 + e from the series -gamma*e + sum (-1)^k zeta(k) e^k / k, in
    40-digit decimals with zeta(k) summed directly."""
    getcontext().prec = 40
    e = Decimal(x) - 1
    euler = Decimal("0.5772156649015328606065120900824024310422")
    total = -euler * e
    for k in range(2, 8):
        zeta = sum(Decimal(1) / Decimal(n) ** k for n in range(1, 2000)) + Decimal(1999) ** (1 - k) / (k - 1)
        total += (-1) ** k * zeta * e ** k / k
    return float(total)


def _binom(n, k, p):
    return math.comb(n, k) * p ** k * (1 - p) ** (n - k)


DATA = [1, 7, 23, 12, 13, 90, 8, 78, 24, 16, 3, 4, 9, 7.7, 8.5]
CELLS = {**{f"A{i}": v for i, v in enumerate(DATA, 1)},
         **{f"B{i}": v for i, v in enumerate([10, 20, 15, 5], 1)},
         "C1": 5, "C2": 5, "D1": "a", "D2": "b",
         **{f"E{i}": v for i, v in enumerate([1, 2, 3, 4, 5, 6], 1)},
         **{f"F{i}": v for i, v in enumerate([2, 1, 5, 3, 9, 4], 1)}}
CASES = {
    "=_xlfn.NORM.S.DIST(-10,TRUE)": _normal_lower_tail(10.0),
    "=_xlfn.NORM.DIST(0,40,1.5,TRUE)": _normal_lower_tail(40 / 1.5),
    "=NORMSDIST(-9)": _normal_lower_tail(9.0),
    "=_xlfn.NORM.DIST(1,0,1,FALSE)": math.exp(-0.5) / math.sqrt(2 * math.pi),
    "=_xlfn.NORM.S.INV(_xlfn.NORM.S.DIST(-10,TRUE))": -10.0,
    "=_xlfn.EXPON.DIST(0.00001,0.00001,TRUE)": 1e-10 - 1e-20 / 2 + 1e-30 / 6,  # 1 - e^-t, t = 1e-10
    "=_xlfn.POISSON.DIST(0.2,3,FALSE)": math.exp(-3),                       # x truncated to 0
    "=_xlfn.POISSON.DIST(2.999999,5,FALSE)": 12.5 * math.exp(-5),
    "=POISSON(2.5,5,TRUE)": math.exp(-5) * (1 + 5 + 12.5),
    "=_xlfn.POISSON.DIST(-0.000001,5,TRUE)": XlError.NUM,
    "=_xlfn.BINOM.DIST.RANGE(10,0.000001,2,3)": _binom(10, 2, 1e-6) + _binom(10, 3, 1e-6),
    "=_xlfn.BINOM.DIST.RANGE(10,0.3,5,3)": XlError.NUM,                     # s2 below s
    "=_xlfn.BINOM.DIST.RANGE(10,0.3,5,5)": _binom(10, 5, 0.3),
    "=_xlfn.BINOM.DIST.RANGE(10,0.3,2)": _binom(10, 2, 0.3),
    "=_xlfn.BINOM.DIST(10000000000,1E+30,0.3,TRUE)": XlError.NUM,
    "=_xlfn.BINOM.INV(10,1,0.8)": XlError.NUM,
    "=_xlfn.BINOM.INV(10,0.5,0.5)": 5.0,
    "=_xlfn.NEGBINOM.DIST(2,10,1,TRUE)": XlError.NUM,
    "=_xlfn.NEGBINOM.DIST(2,10,0,TRUE)": XlError.NUM,
    "=_xlfn.NEGBINOM.DIST(0,1,0.5,FALSE)": 0.5,
    "=NEGBINOMDIST(1,1,0.5)": 0.25,
    "=GAMMALN(1.0000001)": _lgamma_near_1(1.0000001),
    "=_xlfn.GAMMALN.PRECISE(0.9999999)": _lgamma_near_1(0.9999999),
    "=GAMMALN(2.0000001)": math.log1p(1e-7) + _lgamma_near_1(1.0000001),   # Gamma(2+e) = (1+e)Gamma(1+e)
    "=GAMMALN(5)": math.log(24),
    "=GAMMALN(0)": XlError.NUM,
    "=_xlfn.T.TEST(E1:E6,F1:F6,2.2,3.3)=_xlfn.T.TEST(E1:E6,F1:F6,2,3)": True,  # truncated
    "=_xlfn.T.TEST(E1:E6,F1:F6,2,4)": XlError.NUM,
    "=PROB(D1:D2,D1:D2,1)": XlError.DIV0,                                   # no numeric pair
    "=PROB(E1:E2,{0.25;0.75},2)": 0.75,
    # bins 10, 20, 15, 5 in that order: (5,10], (15,20], (10,15], <=5, above 20
    "=INDEX(FREQUENCY(A1:A15,B1:B4),1)": 5.0,
    "=INDEX(FREQUENCY(A1:A15,B1:B4),2)": 1.0,
    "=INDEX(FREQUENCY(A1:A15,B1:B4),3)": 2.0,
    "=INDEX(FREQUENCY(A1:A15,B1:B4),4)": 3.0,
    "=INDEX(FREQUENCY(A1:A15,B1:B4),5)": 4.0,
    "=INDEX(FREQUENCY(A1:A15,C1:C2),1)": 3.0,                               # a repeated bin counts once
    "=INDEX(FREQUENCY(A1:A15,C1:C2),2)": 0.0,
    "=INDEX(FREQUENCY(A1:A15,C1:C2),3)": 12.0,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("dist") / "dist.xlsx", CELLS, CASES)


@pytest.mark.parametrize("formula", list(CASES))
def test_distribution_functions(results, formula):
    assert_excel_value(results[formula], CASES[formula], formula, rel=1e-9)
