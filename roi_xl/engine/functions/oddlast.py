"""ODDLPRICE and ODDLYIELD: bonds with an odd last coupon period, by Excel's documented formula
(formulas 1.3.4 counted the odd period as a year fraction, off for long odd periods under bases
1-3). With c = 100 × rate / frequency and the quasi-coupon periods stepping from last_interest to
maturity by 12/frequency months,

    ODDLPRICE = (redemption + c·ΣDCᵢ/NLᵢ) / (1 + ΣDSCᵢ/NLᵢ · yld/frequency) − c·ΣAᵢ/NLᵢ

where, in quasi-coupon period i, DCᵢ counts its days up to maturity, Aᵢ its days before settlement,
DSCᵢ its days from settlement to maturity, and NLᵢ is its normal length: 360/frequency under the
30/360 bases (0, 4), its actual days under bases 1-3 (measured on Excel). ODDLYIELD solves the
same equation for yld."""
from __future__ import annotations

import datetime as dt

from formulas.functions import wrap_func

from . import daycount as dc
from ._args import NUM, Fail, elementwise, raise_first_error, to_number


def _sums(last: dt.date, settlement: dt.date, maturity: dt.date, frequency: int,
          basis: int) -> tuple[float, float, float]:
    """(ΣDCᵢ/NLᵢ, ΣAᵢ/NLᵢ, ΣDSCᵢ/NLᵢ) over the odd period's quasi-coupon periods."""
    months = 12 // frequency
    month_end = dc.is_month_end(last)
    counted = accrued = remaining = 0.0
    start, k = last, 1
    while start < maturity:
        end = dc.add_months(last, k * months, month_end)
        normal = 360.0 / frequency if basis in (0, 4) else dc.actual(start, end)
        counted += dc.accrued_days(start, min(end, maturity), basis) / normal
        if settlement > start:
            accrued += dc.accrued_days(start, min(end, settlement), basis) / normal
        if min(end, maturity) > max(start, settlement):
            remaining += dc.accrued_days(max(start, settlement), min(end, maturity), basis) / normal
        start, k = end, k + 1
    return counted, accrued, remaining


def _odd_last(settlement, maturity, last_interest, rate, third, redemption, frequency, basis):
    """Checked arguments: (dates..., rate, the price or yield, redemption, frequency, basis)."""
    raise_first_error((settlement, maturity, last_interest, rate, third, redemption, frequency,
                       basis))
    settle, mature, last = (dc.date_of(d) for d in (settlement, maturity, last_interest))
    rate, third, redemption = to_number(rate), to_number(third), to_number(redemption)
    frequency, basis = dc.truncated(frequency), dc.truncated(basis)
    if frequency not in (1, 2, 4) or not 0 <= basis <= 4 or rate < 0 or redemption <= 0:
        raise Fail(NUM)
    if not last < settle < mature:
        raise Fail(NUM)
    return settle, mature, last, rate, third, redemption, frequency, basis


def oddlprice(settlement, maturity, last_interest, rate, yld, redemption, frequency, basis=0.0):
    settle, mature, last, rate, yld, redemption, frequency, basis = _odd_last(
        settlement, maturity, last_interest, rate, yld, redemption, frequency, basis)
    if yld < 0:
        raise Fail(NUM)
    counted, accrued, remaining = _sums(last, settle, mature, frequency, basis)
    coupon = 100 * rate / frequency
    return (redemption + coupon * counted) / (1 + remaining * yld / frequency) - coupon * accrued


def oddlyield(settlement, maturity, last_interest, rate, pr, redemption, frequency, basis=0.0):
    settle, mature, last, rate, pr, redemption, frequency, basis = _odd_last(
        settlement, maturity, last_interest, rate, pr, redemption, frequency, basis)
    if pr <= 0:
        raise Fail(NUM)
    counted, accrued, remaining = _sums(last, settle, mature, frequency, basis)
    coupon = 100 * rate / frequency
    dirty = pr + coupon * accrued
    return ((redemption + coupon * counted) / dirty - 1) * frequency / remaining


REPLACEMENTS = {"ODDLPRICE": wrap_func(elementwise(oddlprice)),
                "ODDLYIELD": wrap_func(elementwise(oddlyield))}
