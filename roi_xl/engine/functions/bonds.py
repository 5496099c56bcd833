"""PRICE and YIELD of a bond paying periodic coupons, by Excel's documented formula (formulas
1.3.4 measured the coupon period E in actual days under the actual/360 and actual/365 bases,
where Excel takes 360/frequency and 365/frequency, and compounded over a last single period that
Excel discounts simply; it also refused a fractional frequency Excel truncates).

With c = 100·rate/frequency, E the coupon period's length (actual days under basis 1), A the
days from the previous coupon to settlement, DSC = E − A and N the coupons left:

    N = 1:  PRICE = (redemption + c) / (1 + DSC/E · yld/frequency) − c·A/E
    N > 1:  PRICE = redemption / v^(N−1+DSC/E) + Σₖ₌₁..N c / v^(k−1+DSC/E) − c·A/E,  v = 1 + yld/frequency

YIELD inverts PRICE: in closed form for N = 1, by Newton's method otherwise."""
from __future__ import annotations

import math

from formulas.functions import wrap_func

from . import daycount as dc
from ._args import NUM, VALUE, Fail, elementwise, raise_first_error, to_number


def _bond(settlement, maturity, rate, fourth, redemption, frequency, basis):
    """(A/E, DSC/E, N, rate, the price or yield, redemption, frequency) after Excel's checks."""
    raise_first_error((settlement, maturity, rate, fourth, redemption, frequency, basis))
    if isinstance(settlement, bool) or isinstance(maturity, bool):
        raise Fail(VALUE)
    settle, mature = dc.date_of(settlement), dc.date_of(maturity)
    rate, fourth, redemption = to_number(rate), to_number(fourth), to_number(redemption)
    frequency, basis = dc.truncated(frequency), dc.truncated(basis)
    if settle >= mature or frequency not in (1, 2, 4) or not 0 <= basis <= 4 or rate < 0 \
            or redemption <= 0:
        raise Fail(NUM)
    previous, following, coupons = dc.coupon_period(settle, mature, frequency)
    if basis == 1:
        period = dc.actual(previous, following)
    else:
        period = (365.0 if basis == 3 else 360.0) / frequency
    accrued = dc.accrued_days(previous, settle, basis) / period
    return accrued, 1 - accrued, coupons, rate, fourth, redemption, frequency


def _price(accrued, to_next, coupons, rate, yld, redemption, frequency) -> float:
    coupon = 100 * rate / frequency
    if coupons == 1:
        return (redemption + coupon) / (1 + to_next * yld / frequency) - coupon * accrued
    v = 1 + yld / frequency
    value = redemption / v ** (coupons - 1 + to_next)
    value += sum(coupon / v ** (k - 1 + to_next) for k in range(1, coupons + 1))
    return value - coupon * accrued


def price(settlement, maturity, rate, yld, redemption, frequency, basis=0.0):
    terms = _bond(settlement, maturity, rate, yld, redemption, frequency, basis)
    if terms[4] < 0:
        raise Fail(NUM)
    return _price(*terms)


def yield_(settlement, maturity, rate, pr, redemption, frequency, basis=0.0):
    accrued, to_next, coupons, rate, pr, redemption, frequency = _bond(
        settlement, maturity, rate, pr, redemption, frequency, basis)
    if pr <= 0:
        raise Fail(NUM)
    if coupons == 1:
        paid = pr / 100 + accrued * rate / frequency
        return (redemption / 100 + rate / frequency - paid) / paid * frequency / to_next
    terms = (accrued, to_next, coupons, rate)
    yld, step = 0.05, 1e-7
    for _ in range(100):
        gap = _price(*terms, yld, redemption, frequency) - pr
        slope = (_price(*terms, yld + step, redemption, frequency) - gap - pr) / step
        if slope == 0 or not math.isfinite(slope):
            break
        change = gap / slope
        yld -= change
        if abs(change) <= 1e-14 * max(1.0, abs(yld)):
            return yld
    raise Fail(NUM)


REPLACEMENTS = {"PRICE": wrap_func(elementwise(price)),
                "YIELD": wrap_func(elementwise(yield_))}
