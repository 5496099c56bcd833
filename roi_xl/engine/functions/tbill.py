"""TBILLEQ, TBILLPRICE, TBILLYIELD as Excel computes them. formulas 1.3.4 turned an error argument
into #VALUE! instead of passing it on, and counted a 366-day bill's bond-equivalent yield over a
365-day year where Excel counts that leap year as the year.

A bill runs from settlement to maturity, at most one year later (else #NUM!); DSM is its days."""
from __future__ import annotations

import math

from formulas.functions import wrap_func

from . import daycount as dc
from ._args import NUM, VALUE, Fail, elementwise, raise_first_error, to_number


def _bill(settlement, maturity, third) -> tuple[int, float]:
    """(DSM, the third argument as a number) after Excel's checks."""
    raise_first_error((settlement, maturity, third))
    if any(isinstance(v, bool) for v in (settlement, maturity, third)):
        raise Fail(VALUE)
    start, end = dc.date_of(settlement), dc.date_of(maturity)
    number = to_number(third)
    if not start < end <= dc.add_months(start, 12):
        raise Fail(NUM)
    return dc.actual(start, end), number


def tbillprice(settlement, maturity, discount):
    dsm, discount = _bill(settlement, maturity, discount)
    if not 0 < discount <= 1:
        raise Fail(NUM)
    price = 100 * (1 - discount * dsm / 360)
    if price < 0:
        raise Fail(NUM)
    return price


def tbilleq(settlement, maturity, discount):
    """365·d/(360 − d·DSM) up to half a year; beyond, the bond-equivalent yield solving
    (1 + y/2)·(1 + y·(t − 1/2))·price = 100 with t = DSM/365 (1 for a 366-day bill)."""
    dsm, discount = _bill(settlement, maturity, discount)
    if not 0 < discount <= 1:
        raise Fail(NUM)
    if dsm <= 182:
        result = 365 * discount / (360 - discount * dsm)
    else:
        t = 1.0 if dsm == 366 else dsm / 365
        price = 1 - discount * dsm / 360
        result = (math.sqrt(t * t - (2 * t - 1) * (1 - 1 / price)) - t) / (t - 0.5)
    if result < 0:
        raise Fail(NUM)
    return result


def tbillyield(settlement, maturity, pr):
    dsm, pr = _bill(settlement, maturity, pr)
    if pr <= 0:
        raise Fail(NUM)
    return (100 - pr) / pr * 360 / dsm


REPLACEMENTS = {"TBILLEQ": wrap_func(elementwise(tbilleq)),
                "TBILLPRICE": wrap_func(elementwise(tbillprice)),
                "TBILLYIELD": wrap_func(elementwise(tbillyield))}
