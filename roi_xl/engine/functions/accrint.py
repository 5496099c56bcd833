"""ACCRINT and ACCRINTM as Excel computes them (formulas 1.3.4 missed most of the conformance
suite's ACCRINT cases and counted actual/actual years as an average even within a year).

The accrued interest is par × rate / frequency × the number of coupon periods accrued, counted on
the quasi-coupon schedule that steps back from first_interest by 12/frequency months (on month
ends when first_interest is a month's last day):

- the settlement's own period contributes the days from its start (or the issue, if later) to
  settlement over the length of the regular period that ends at first_interest. The period
  starts at the coupon date before first_interest, or, when settlement lies beyond
  first_interest and calc_method is TRUE, at the last coupon date before settlement; a
  settlement before that start makes the contribution negative, as in Excel;
- every earlier whole period back to the issue counts 1 when calc_method is TRUE (accrue from
  issue) and 0 when FALSE (accrue from first_interest);
- the period the issue falls in counts the days from the issue to its end over its length.

Day counts follow the basis (daycount.py); a stub period's length is its own 30/360 length under
bases 0, 2 and 4, 365/frequency under basis 3, and its actual length under basis 1.
"""
from __future__ import annotations

import datetime as dt

from formulas.functions import wrap_func

from . import daycount as dc
from ._args import NUM, Fail, elementwise, raise_first_error, to_number


def _regular_length(start: dt.date, end: dt.date, frequency: int, basis: int) -> float:
    """The length, in the basis's days, of a whole coupon period."""
    if basis == 1:
        return dc.actual(start, end)
    return (365.0 if basis == 3 else 360.0) / frequency


def _stub_length(start: dt.date, end: dt.date, frequency: int, basis: int) -> float:
    """The length of the coupon period the issue falls in."""
    if basis == 0:
        return dc.days360_us(start, end, adjust_both=True)
    if basis == 2:
        return dc.days360_us(start, end)
    if basis == 4:
        return dc.days360_eu(start, end)
    return _regular_length(start, end, frequency, basis)


def accrued_periods(issue: dt.date, first_interest: dt.date, settlement: dt.date,
                    frequency: int, basis: int, from_issue: bool) -> float:
    """The coupon periods of interest accrued at settlement (ACCRINT / (par × rate / frequency))."""
    months = 12 // frequency
    month_end = dc.is_month_end(first_interest)

    def back(d: dt.date) -> dt.date:
        return dc.add_months(d, -months, month_end)

    regular_start = back(first_interest)
    start = regular_start
    if from_issue and settlement > first_interest:
        start = first_interest
        while (following := dc.add_months(start, months, month_end)) < settlement:
            start = following
    periods = (dc.accrued_days(max(issue, start), settlement, basis)
               / _regular_length(regular_start, first_interest, frequency, basis))
    end = start
    while end > issue:
        begin = back(end)
        if begin >= issue:
            periods += 1.0 if from_issue else 0.0
        else:
            periods += (dc.accrued_days(issue, end, basis)
                        / _stub_length(begin, end, frequency, basis))
        end = begin
    return periods


def accrint(issue, first_interest, settlement, rate, par, frequency, basis=0.0,
            calc_method=True):
    raise_first_error((issue, first_interest, settlement, rate, par, frequency, basis, calc_method))
    issue_d, first_d, settle_d = dc.date_of(issue), dc.date_of(first_interest), dc.date_of(settlement)
    rate, par = to_number(rate), to_number(par)
    frequency, basis = dc.truncated(frequency), dc.truncated(basis)
    from_issue = bool(to_number(calc_method))
    if rate <= 0 or par <= 0 or frequency not in (1, 2, 4) or not 0 <= basis <= 4:
        raise Fail(NUM)
    if issue_d >= settle_d:
        raise Fail(NUM)
    periods = accrued_periods(issue_d, first_d, settle_d, frequency, basis, from_issue)
    return par * rate / frequency * periods


def accrintm(issue, settlement, rate, par=1000.0, basis=0.0):
    """Interest accrued to maturity: par × rate × the year fraction from issue to settlement."""
    raise_first_error((issue, settlement, rate, par, basis))
    issue_d, settle_d = dc.date_of(issue), dc.date_of(settlement)
    rate, par, basis = to_number(rate), to_number(par), dc.truncated(basis)
    if rate <= 0 or par <= 0 or not 0 <= basis <= 4 or issue_d >= settle_d:
        raise Fail(NUM)
    return par * rate * dc.accrued_days(issue_d, settle_d, basis) / dc.year_length(
        issue_d, settle_d, basis)


REPLACEMENTS = {"ACCRINT": wrap_func(elementwise(accrint)),
                "ACCRINTM": wrap_func(elementwise(accrintm))}
