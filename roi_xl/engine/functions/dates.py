"""DATE, EDATE, EOMONTH, HOUR, MINUTE, SECOND, DAYS360 and YEARFRAC where `formulas` 1.3.4 departs from Excel.

- DATE: arguments of different sizes spread by Excel's rule (logical.excel_broadcast: #N/A beyond
  an argument's size); a year past 9999 once the months are carried into it is #NUM!, before the
  days are applied (=DATE(9999,13,-1) is #NUM!, formulas gave 30 Dec 9999).
- EDATE, EOMONTH, WORKDAY, WORKDAY.INTL: a result before 1 Jan 1900 or after 31 Dec 9999 is #NUM!
  (formulas read year 1899 as 1899 + 1900 = 3799: WORKDAY(1,-10) was 693949, and a result past
  9999 was #VALUE!); Microsoft: "If start_date plus days yields an invalid date, WORKDAY returns
  the #NUM! error value", and EOMONTH's page says the same of start_date plus months.
- HOUR, MINUTE, SECOND: a serial past the last day, 31 Dec 9999 (2958465), is #NUM! as YEAR's is
  (formulas read the time of any number: HOUR(1E10) was 0).
- DAYS360: a method given as the text "TRUE"/"FALSE" is that logical value; a date with a time
  within half a second of midnight is that midnight's day (=DAYS360(45992.000001, 46000.999999)
  is 9 in Excel, where DAYS floors and gives 8).
- YEARFRAC basis 1 (actual/actual), as Excel computes it: for dates at most a year apart the year
  is 366 days if both fall in one leap year or the span holds a 29 February, else 365; for longer
  spans it is the average length of the calendar years the span touches.
"""
from __future__ import annotations

import calendar
import functools
import math
import types

import schedula as sh
from formulas.functions import XlError as FormulasError
from formulas.functions import date as _date
from formulas.functions import flatten, is_number, raise_errors, wrap_func, wrap_ufunc

from ..rules import text_logical
from ._args import NUM, VALUE
from .logical import excel_broadcast

_HALF_SECOND = 0.5 / 86400


def xdate(year, month, day):
    carried = (year + 1900 if year < 1900 else year) + math.floor((month - 1) / 12)
    if carried > 9999:
        return NUM
    return _date.xdate(year, month, day)


_DATE = wrap_ufunc(xdate, input_parser=lambda *a: map(lambda v: math.floor(float(v)), a))


def _months_on(start_date, months, end_of_month: bool):
    """EDATE's (or EOMONTH's) serial: start_date moved by whole months, #NUM! outside Excel's years
    (counted in months, not with datetime, which stops at year 9999 and fails on huge counts)."""
    (year, month, day), months = _date._xedate(start_date, months)
    shift = 0
    if (year, month, day) == (1900, 1, 0):  # serial 0, "0 Jan 1900": counted from 1 Jan, one day less
        day, shift = 1, 0 if end_of_month else 1
    if abs(months) > 12 * 10_000:  # beyond any year of Excel's whatever the start
        return NUM
    year, month = divmod(year * 12 + month - 1 + int(months), 12)
    last = calendar.monthrange(year, month + 1)[1] if 1 <= year <= 9999 else 31
    serial = _in_excel_years(year, month + 1, last if end_of_month else min(day, last))
    return serial if isinstance(serial, FormulasError) else serial - shift


def xedate(start_date, months):
    return _months_on(start_date, months, end_of_month=False)


def xeomonth(start_date, months):
    return _months_on(start_date, months, end_of_month=True)


def _in_excel_years(year, month, day):
    """formulas' DATE for a day WORKDAY found: a year before 1900 or after 9999 is no date of
    Excel's (#NUM!), not a year 1900 later as DATE reads it."""
    return _date.xdate(year, month, day) if 1900 <= year <= 9999 else NUM


_LAST_SERIAL = 2958465  # 31 Dec 9999


def xsecond(serial_number, n=2):
    """formulas' HOUR (n=0), MINUTE (1), SECOND (2), a serial past the last day #NUM!."""
    if isinstance(serial_number, (int, float)) and serial_number >= _LAST_SERIAL + 1:
        return NUM
    return _date.xsecond(serial_number, n)


# formulas' own WORKDAY.INTL (weekend masks, holidays), its final date made by the function above:
# the same code with one name bound differently, rather than a copy of it.
_formulas_workday_intl = types.FunctionType(
    _date.xworkday_intl.__code__, {**_date.xworkday_intl.__globals__, "xdate": _in_excel_years},
    "xworkday_intl", _date.xworkday_intl.__defaults__, _date.xworkday_intl.__closure__)


def _xworkday_intl(start_date, days, weekend=1, holidays=()):
    try:
        return _formulas_workday_intl(start_date, days, weekend, holidays)
    except AttributeError:  # numpy's day past year 9999 is a number, not a date with a .year
        return NUM


def xdays360(start_date, end_date, method=False):
    raise_errors(start_date, end_date, method)
    start, end = (_date.xday(_nearest_second(d), slice(0, 3)) for d in (start_date, end_date))
    european = _date._convert2float(text_logical(method))
    return _date.day_count(start, end, 4 if european else 0)


def _nearest_second(serial):
    try:
        return float(serial) + _HALF_SECOND
    except (TypeError, ValueError):
        return serial  # a date as text: formulas' own parser reads it


def xyearfrac(start_date, end_date, basis=0):
    raise_errors(basis, start_date, end_date)
    b = tuple(flatten(basis, None))
    if len(b) != 1 or isinstance(b[0], bool):
        return VALUE
    b = 0 if b[0] is sh.EMPTY else b[0]
    if not is_number(b) or int(b) != 1:
        return _date.xyearfrac(start_date, end_date, basis)
    dates = [tuple(flatten(d, None)) for d in (start_date, end_date)]
    if any(isinstance(d[0], bool) for d in dates):
        return VALUE
    first, last = sorted(_date.xday(*d, slice(0, 3)) for d in dates)
    return _date.day_count(first, last, 1) / _actual_year(first, last)


def _actual_year(first, last) -> float:
    (y1, m1, d1), (y2, m2, d2) = first, last
    if y1 == y2 or (y2 == y1 + 1 and (m1, d1) >= (m2, d2)):  # at most a year apart
        if y1 == y2 and calendar.isleap(y1):
            return 366.0
        holds_feb29 = any(calendar.isleap(y) and first <= (y, 2, 29) <= last for y in range(y1, y2 + 1))
        return 366.0 if holds_feb29 else 365.0
    years = range(y1, y2 + 1)
    return sum(366 if calendar.isleap(y) else 365 for y in years) / len(years)


REPLACEMENTS = {
    "DATE": lambda *args: _DATE(*excel_broadcast(args)),
    "EDATE": wrap_func(xedate),
    "EOMONTH": wrap_func(xeomonth),
    **{name: wrap_ufunc(functools.partial(xsecond, n=n), input_parser=lambda *a: a)
       for n, name in enumerate(("HOUR", "MINUTE", "SECOND"))},
    "DAYS360": wrap_ufunc(xdays360, input_parser=lambda *a: a, check_error=lambda *a: None),
    "YEARFRAC": wrap_func(xyearfrac),
    "WORKDAY.INTL": wrap_ufunc(_xworkday_intl, input_parser=lambda *a: a, check_error=lambda *a: None,
                               args_parser=_date.args_xworkday_intl, excluded={3}),
    "WORKDAY": wrap_ufunc(_xworkday_intl, input_parser=lambda *a: a, check_error=lambda *a: None,
                          args_parser=lambda start_date, days, hdays=(): _date.args_xworkday_intl(
                              start_date, days, 1, hdays, True), excluded={3}),
}
REPLACEMENTS["_XLFN.DAYS360"] = REPLACEMENTS["DAYS360"]
