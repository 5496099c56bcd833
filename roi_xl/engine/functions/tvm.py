"""The time-value-of-money functions PV, FV, PMT, NPER, RATE, IPMT, PPMT, CUMIPMT, CUMPRINC from
Excel's own equation (formulas 1.3.4 went through numpy_financial and missed Excel's edge rules):

    pv·(1+rate)^nper + pmt·(1+rate·type)·((1+rate)^nper − 1)/rate + fv = 0
    (rate = 0: pv + pmt·nper + fv = 0)

Excel's rules kept here: any non-zero type means payments at the start of each period; PMT is
#NUM! for a rate of -1 or below and for nper 0, while PV and FV compute with such rates (a zero
growth factor is #DIV/0!, a non-real power #NUM!); IPMT and PPMT take a fractional period from 1
up to (not including) nper + 1; CUMIPMT and CUMPRINC need rate, nper and pv above zero, type 0 or
1 exactly, and count the whole periods from start rounded up to end rounded down; RATE is Newton's
method from the guess, #NUM! when it does not converge or reaches -1 (numpy_financial kept going
to roots Excel never reports)."""
from __future__ import annotations

import math

from formulas.functions import wrap_func

from ._args import DIV0, NUM, VALUE, Fail, elementwise, raise_first_error, to_number


def _numbers(*args) -> list[float]:
    raise_first_error(args)
    return [to_number(v) for v in args]


def _growth(rate: float, nper: float) -> float:
    """(1+rate)^nper: a zero base to a negative power is #DIV/0!, a negative base to a
    fractional power #NUM!."""
    base = 1.0 + rate
    if base == 0 and nper < 0:
        raise Fail(DIV0)
    if base < 0 and nper != math.floor(nper):
        raise Fail(NUM)
    return base ** nper


def _fv(rate, nper, pmt, pv, due):
    if rate == 0:
        return -(pv + pmt * nper)
    g = _growth(rate, nper)
    return -(pv * g + pmt * (1 + rate * due) * (g - 1) / rate)


def _pmt(rate, nper, pv, fv, due):
    if rate <= -1 or nper == 0:
        raise Fail(NUM)
    if rate == 0:
        return -(pv + fv) / nper
    g = _growth(rate, nper)
    return -(pv * g + fv) * rate / ((1 + rate * due) * (g - 1))


def _due(kind: float) -> int:
    return 1 if kind else 0


def fv(rate, nper, pmt, pv=0.0, kind=0.0):
    rate, nper, pmt, pv, kind = _numbers(rate, nper, pmt, pv, kind)
    return _fv(rate, nper, pmt, pv, _due(kind))


def pv(rate, nper, pmt, fv=0.0, kind=0.0):
    rate, nper, pmt, fv, kind = _numbers(rate, nper, pmt, fv, kind)
    if rate == 0:
        return -(fv + pmt * nper)
    g = _growth(rate, nper)
    if g == 0:
        raise Fail(DIV0)
    return -(fv + pmt * (1 + rate * _due(kind)) * (g - 1) / rate) / g


def pmt(rate, nper, pv, fv=0.0, kind=0.0):
    rate, nper, pv, fv, kind = _numbers(rate, nper, pv, fv, kind)
    return _pmt(rate, nper, pv, fv, _due(kind))


def nper(rate, pmt, pv, fv=0.0, kind=0.0):
    rate, pmt, pv, fv, kind = _numbers(rate, pmt, pv, fv, kind)
    if rate < -1:
        raise Fail(NUM)
    if rate == 0:
        if pmt == 0:
            raise Fail(NUM)
        return -(pv + fv) / pmt
    annuity = pmt * (1 + rate * _due(kind))
    ratio = (annuity - fv * rate) / (annuity + pv * rate)
    if ratio <= 0 or rate == -1:
        raise Fail(NUM)
    return math.log(ratio) / math.log(1 + rate)


def _balance_and_slope(rate, nper, pmt, pv, fv, due) -> tuple[float, float]:
    """The equation's left side at `rate` and its derivative in rate."""
    if rate == 0:
        return pv + pmt * nper + fv, pv * nper + pmt * (nper * (nper - 1) / 2 + due * nper)
    g = (1 + rate) ** nper
    dg = nper * (1 + rate) ** (nper - 1)
    annuity = (g - 1) / rate
    d_annuity = (dg * rate - (g - 1)) / rate ** 2
    value = pv * g + pmt * (1 + rate * due) * annuity + fv
    slope = pv * dg + pmt * (due * annuity + (1 + rate * due) * d_annuity)
    return value, slope


def rate(nper, pmt, pv, fv=0.0, kind=0.0, guess=0.1):
    """Newton's method from the guess, as Excel iterates it; no convergence within 50 steps, or a
    rate of -1 or below, is #NUM!."""
    nper, pmt, pv, fv, kind, r = _numbers(nper, pmt, pv, fv, kind, guess)
    if nper <= 0:
        raise Fail(NUM)
    due = _due(kind)
    for _ in range(50):
        value, slope = _balance_and_slope(r, nper, pmt, pv, fv, due)
        if slope == 0 or not math.isfinite(value) or not math.isfinite(slope):
            raise Fail(NUM)
        step = value / slope
        r -= step
        if r <= -1 or not math.isfinite(r):
            raise Fail(NUM)
        if abs(step) <= 1e-12 * max(1.0, abs(r)):
            return r
    raise Fail(NUM)


def _interest(rate, per, nper, pv, fv, due) -> tuple[float, float]:
    """(interest, payment) of period `per`: the interest on the balance the period starts with."""
    if per < 1 or per >= nper + 1:
        raise Fail(NUM)
    payment = _pmt(rate, nper, pv, fv, due)
    if due and per == 1:
        return 0.0, payment
    interest = _fv(rate, per - 1, payment, pv, due) * rate
    return (interest / (1 + rate) if due else interest), payment


def ipmt(rate, per, nper, pv, fv=0.0, kind=0.0):
    rate, per, nper, pv, fv, kind = _numbers(rate, per, nper, pv, fv, kind)
    return _interest(rate, per, nper, pv, fv, _due(kind))[0]


def ppmt(rate, per, nper, pv, fv=0.0, kind=0.0):
    rate, per, nper, pv, fv, kind = _numbers(rate, per, nper, pv, fv, kind)
    interest, payment = _interest(rate, per, nper, pv, fv, _due(kind))
    return payment - interest


def _principal(rate, per, nper, pv, due) -> float:
    """The principal repaid in period `per` of a loan with no future value, in the closed form
    -pv·rate·(1+rate)^(per-1) / ((1+rate·type)·((1+rate)^nper − 1)) that avoids subtracting the
    interest from a payment of nearly the same size (Excel's totals are exact to the last digits
    where PMT − IPMT loses eight of them)."""
    g = (1 + rate) ** nper
    if due and per == 1:
        return -pv * rate * g / ((1 + rate) * (g - 1))
    return -pv * rate * (1 + rate) ** (per - 1) / ((1 + rate * due) * (g - 1))


def _cumulative(principal: bool):
    def cumulative(rate, nper, pv, start_period, end_period, kind):
        args = (rate, nper, pv, start_period, end_period, kind)
        raise_first_error(args)
        if any(isinstance(v, bool) for v in args):
            raise Fail(VALUE)
        rate, nper, pv, start, end, kind = _numbers(*args)
        if rate <= 0 or nper <= 0 or pv <= 0 or kind not in (0, 1):
            raise Fail(NUM)
        if start < 1 or end < 1 or start > end or end > nper:
            raise Fail(NUM)
        due, total = int(kind), 0.0
        for per in range(math.ceil(start), math.floor(end) + 1):
            if principal:
                total += _principal(rate, per, nper, pv, due)
            else:
                total += _interest(rate, per, nper, pv, 0.0, due)[0]
        return total
    return cumulative


REPLACEMENTS = {name: wrap_func(elementwise(func)) for name, func in {
    "FV": fv, "PV": pv, "PMT": pmt, "NPER": nper, "RATE": rate, "IPMT": ipmt, "PPMT": ppmt,
    "CUMIPMT": _cumulative(False), "CUMPRINC": _cumulative(True)}.items()}
