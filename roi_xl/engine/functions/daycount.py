"""Calendar arithmetic of Excel's coupon-bond functions: serial numbers to dates, stepping a coupon
schedule by months, and the day counts of the bases 0-4 (0 US 30/360, 1 actual/actual, 2
actual/360, 3 actual/365, 4 European 30/360) as Excel's bond functions count them."""
from __future__ import annotations

import calendar
import datetime as dt
import math

from ._args import NUM, Fail, to_number

# Serial 1 is 1 Jan 1900; from 1 Mar 1900 on, serials count from 30 Dec 1899 because Excel keeps
# the phantom 29 Feb 1900 (serial 60).
_EPOCH = dt.date(1899, 12, 30)
MAX_SERIAL = 2958465  # 31 Dec 9999


def to_date(serial: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=serial if serial > 60 else serial + 1)


def truncated(value) -> int:
    """A date, frequency or basis argument as Excel reads it: the number, truncated."""
    return math.floor(to_number(value))


def serial(value) -> int:
    """A date argument's day serial; before 1900 or after 9999 is #NUM!."""
    day = truncated(value)
    if not 0 <= day <= MAX_SERIAL:
        raise Fail(NUM)
    return day


def date_of(value) -> dt.date:
    return to_date(serial(value))


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def is_month_end(d: dt.date) -> bool:
    return d.day == last_day(d.year, d.month)


def _is_end_of_february(d: dt.date) -> bool:
    return d.month == 2 and is_month_end(d)


def add_months(d: dt.date, months: int, month_end: bool = False) -> dt.date:
    """d moved by whole months, the day clamped to the target month's length; month_end: the
    target month's last day (a schedule anchored on a month's end stays on month ends)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = last_day(year, month) if month_end else min(d.day, last_day(year, month))
    return dt.date(year, month, day)


def actual(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def _days360(sd: int, sm: int, sy: int, ed: int, em: int, ey: int) -> int:
    return (ey - sy) * 360 + (em - sm) * 30 + (ed - sd)


def days360_us(start: dt.date, end: dt.date, adjust_both: bool = False) -> int:
    """US (NASD) 30/360 as the coupon functions count it: a start on the 31st or on the last day
    of February counts as the 30th; an end on the 31st counts as the 30th when the start is
    the 30th or later, and an end on the last of February as the 30th when the start is too.
    adjust_both applies both end rules unconditionally (a full coupon period's length)."""
    sd, ed = start.day, end.day
    if _is_end_of_february(end) and (_is_end_of_february(start) or adjust_both):
        ed = 30
    if ed == 31 and (sd >= 30 or adjust_both):
        ed = 30
    if sd == 31 or _is_end_of_february(start):
        sd = 30
    return _days360(sd, start.month, start.year, ed, end.month, end.year)


def days360_eu(start: dt.date, end: dt.date) -> int:
    """European 30/360: the 31st of either date counts as the 30th."""
    return _days360(min(start.day, 30), start.month, start.year,
                    min(end.day, 30), end.month, end.year)


def accrued_days(start: dt.date, end: dt.date, basis: int) -> int:
    """The days of interest from start to end: 30/360 for bases 0 and 4, actual days otherwise."""
    if basis == 0:
        return days360_us(start, end)
    if basis == 4:
        return days360_eu(start, end)
    return actual(start, end)


def _contains_leap_day(start: dt.date, end: dt.date) -> bool:
    """Whether a 29 February lies in [start, end]."""
    for year in range(start.year, end.year + 1):
        if calendar.isleap(year) and start <= dt.date(year, 2, 29) <= end:
            return True
    return False


def year_length(start: dt.date, end: dt.date, basis: int) -> float:
    """The days of a year for YEARFRAC-style fractions (start <= end). Actual/actual: within a
    year, 366 when the span holds a 29 February (or lies in one leap year), else 365; over a
    longer span, the average length of the calendar years it touches."""
    if basis == 1:
        within_a_year = start.year == end.year or (
            end.year == start.year + 1 and (end.month, end.day) <= (start.month, start.day))
        if within_a_year:
            leap = (start.year == end.year and calendar.isleap(start.year)) or \
                _contains_leap_day(start, end)
            return 366.0 if leap else 365.0
        days = actual(dt.date(start.year, 1, 1), dt.date(end.year + 1, 1, 1))
        return days / (end.year - start.year + 1)
    return 365.0 if basis == 3 else 360.0


def coupon_period(settlement: dt.date, maturity: dt.date, frequency: int
                  ) -> tuple[dt.date, dt.date, int]:
    """(previous coupon date, next coupon date, coupons left) of a bond settling before maturity:
    the schedule steps back from maturity by 12/frequency months, on month ends when maturity
    is a month's last day."""
    months, month_end = 12 // frequency, is_month_end(maturity)
    following, previous, coupons = maturity, add_months(maturity, -months, month_end), 1
    while previous > settlement:
        following, previous = previous, add_months(previous, -months, month_end)
        coupons += 1
    return previous, following, coupons
