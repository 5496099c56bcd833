"""Text read as a number the way Excel (en-US) reads it, and only that way: the one rule behind VALUE,
DATEVALUE, TIMEVALUE, the arithmetic operators, number arguments of functions, the criteria of
COUNTIF/SUMIF/... and the D-functions, and the compiled plan.

`text_to_number(text)` gives a float or None (the text is no number: #VALUE! where a number is needed,
plain text in a criterion). It accepts:

- numbers: digits with thousands separators in groups of three ("1,000"), a decimal point, an
  exponent ("1e-5"), a sign before or after ("-5", "5-") or parentheses for a negative ("(12)"), a
  dollar or euro sign before or after ("$5", "23€"), a trailing percent ("40%" is 0.4, not with
  parentheses or a currency), a whole number and a fraction ("1 1/2"), spaces (not tabs) around;
  ASCII digits only ("١٢" is text); past Excel's largest number ("1e309") no number, below its smallest
  ("1e-320") 0;
- times: "h:mm", "h:mm:ss", "h:mm:ss.000", "mm:ss.0", "h:", with AM/PM ("6:45 PM", "6 PM", not "6 P");
  the first field runs past its unit ("25:00" is 1 day 1 hour); spaces around (Excel: TIMEVALUE(" 1:30 ")
  is 0.0625);
- dates: ISO "2024-01-30" (also "2024-01-30T10:00"), US "1/30/2024", "1-30-24", "1/30", "2024/1/30",
  "24-1-30" (a first number that cannot be a month is a year), month names ("30-Jan-2024", "30-Jan",
  "Jan 30, 2024", "Sept 5", "January 2024", "Jan-08"), each optionally followed by a time; two-digit
  years 00-29 are 2000-2029 and 30-99 1930-1999; years 1900 to 9999, with Excel's phantom 29 Feb 1900
  (serial 60). A date takes no spaces around it: Excel-saved workbooks give #VALUE! for
  FLOOR(x, " 2024-01-10 "), INT(" 2024-01-10 ") and MROUND(" 2024-01-10 ", 7).

Where no Excel evidence decides a form, the rule follows LibreOffice (en-US); the differential test
(tests/conformance/test_text_corpus_libreoffice.py) lists every remaining difference with Excel's evidence.

Nothing else is a number: codes such as "M1", "Q1", "W3" or "K10" stay text (formulas' reader took
them for date-times of the current year), and so do "inf", "nan", "1_000" that Python's float reads.

Excel itself depends on today's date for a date written without a year: "1/30", "30-Jan" and
"Jan 30" fall in the current year, and "Jan 08" is 8 January of this year while "Jan 45" (no such
day) is 1 January 1945; "Feb 29" is 29 February in a leap year, else 1 February 2029. `_today`
is the clock (tests replace it).

Only the standard library: the function face (roi_xl's own functions) may run where numpy cannot.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re

_CURRENCY = "$€"  # "$" en-US's own; "€" read by Excel in any locale (VALUE("23€") is 23 in an en-GB book)
_NUMBER = re.compile(
    r"(?P<open>\()? *(?P<sign>[+-])? *(?P<cur>[" + _CURRENCY + r"] *)?(?P<sign2>[+-])?"
    r"(?P<digits>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)(?P<exp>[eE][+-]?[0-9]+)?"
    r" *(?P<cur2>[" + _CURRENCY + r"] *)?(?P<pct>%)? *(?P<trail>[+-])? *(?P<close>\))?")
_FRACTION = re.compile(r"(?P<sign>[+-])?(?P<whole>[0-9]+) +(?P<num>[0-9]+)/(?P<den>[0-9]+)")
_SMALLEST = 2.2250738585072014e-308  # below it Excel stores 0 (its smallest positive number, 2.2251E-308)

_AMPM = r" *(?P<ampm>[AaPp][Mm])"
_TIME = re.compile(
    r"(?P<h>[0-9]{1,4}):(?P<m>[0-9]{1,2})(?::(?P<s>[0-9]{1,2}(?:\.[0-9]*)?))?(?:" + _AMPM + r")?"
    r"|(?P<h2>[0-9]{1,2})" + _AMPM.replace("ampm", "ampm2") +
    r"|(?P<mm>[0-9]{1,4}):(?P<ss>[0-9]{1,2}\.[0-9]*)"
    r"|(?P<h3>[0-9]{1,2}):")

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_SEP = r"(?: *[-/] *| +)"
_DASH = r" *[-/] *"  # between a day and the month after it: "30-Jan-2024" (not "30 Jan 2024")
_DATES = [  # (kind, pattern); _ymd turns a match into (year, month, day)
    ("numeric3", re.compile(r"(?P<a>[0-9]{1,4})(?P<s>[-/])(?P<b>[0-9]{1,2})(?P=s)(?P<c>[0-9]{1,4})")),
    ("numeric2", re.compile(r"(?P<a>[0-9]{1,2})[-/](?P<b>[0-9]{1,2})")),
    ("day_mon_year", re.compile(r"(?P<d>[0-9]{1,2})" + _DASH + _MON + _DASH + r"(?P<y>[0-9]{1,4})", re.I)),
    ("day_mon", re.compile(r"(?P<d>[0-9]{1,2})" + _DASH + _MON, re.I)),
    ("mon_day_year", re.compile(_MON + _SEP + r"(?P<d>[0-9]{1,2})(?: *, *|" + _SEP + r")(?P<y>[0-9]{1,4})",
                                re.I)),
    ("mon_n", re.compile(_MON + _SEP + r"(?P<n>[0-9]{1,4})", re.I)),
]
_DATE_TIME_SEP = re.compile(r" +")
_ISO_TIME_SEP = re.compile(r"[Tt]")  # "2024-01-30T10:00", after a year-first date only
_LONGEST = 1024  # longer than any number, time or date (and the regexes need not look)


def _today() -> _dt.date:
    """The clock Excel's year-less dates read (replaced in tests)."""
    return _dt.date.today()


def read_number(text: str) -> float | None:
    """A number as Excel reads one typed as text (no dates, no times), or None."""
    text = text.strip(" ")
    m = _NUMBER.fullmatch(text)
    if m:
        signs = [g for g in (m.group("sign"), m.group("sign2"), m.group("trail")) if g]
        if (bool(m.group("open")) != bool(m.group("close")) or len(signs) > 1
                or (m.group("cur") and m.group("cur2"))
                or (m.group("pct") and (m.group("open") or m.group("cur") or m.group("cur2")))):
            return None
        exponent = int((m.group("exp") or "e0")[1:]) - (2 if m.group("pct") else 0)
        value = float(f"{m.group('digits').replace(',', '')}e{exponent}")  # "23.123%" is 0.23123 exactly
        if value == float("inf"):
            return None  # past Excel's largest number (9.99999999999999E+307)
        if value < _SMALLEST:
            value = 0.0
        if m.group("open"):
            if signs:
                return None
            return -value
        return -value if signs == ["-"] else value
    m = _FRACTION.fullmatch(text)
    if m and int(m.group("den")):
        value = int(m.group("whole")) + int(m.group("num")) / int(m.group("den"))
        return -value if m.group("sign") == "-" else value
    return None


def read_time(text: str) -> float | None:
    """A time of day as a fraction of a day (past 1 for "25:00"), or None."""
    seconds = _seconds(text)
    return None if seconds is None else seconds / 86400


def _seconds(text: str) -> float | None:
    """A time text's seconds since midnight (past 86,400 for "25:00"), or None."""
    m = _TIME.fullmatch(text.strip(" "))
    if not m:
        return None
    if m.group("h3") is not None:  # "1:" is one o'clock
        hour, minute, second, ampm = int(m.group("h3")), 0, 0.0, None
    elif m.group("mm") is not None:  # minutes and seconds with a decimal: "1:30.5"
        hour, minute, second, ampm = 0, int(m.group("mm")), float(m.group("ss")), None
    elif m.group("h2") is not None:
        hour, minute, second, ampm = int(m.group("h2")), 0, 0.0, m.group("ampm2")
    else:
        hour, minute, second, ampm = int(m.group("h")), int(m.group("m")), float(m.group("s") or 0), m.group("ampm")
    if ampm:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if ampm[0] in "Pp" else 0)
    # the first field runs past its unit ("25:00", "61:27.5" minutes); minutes past 59 only after a
    # zero hour ("0:61" is 61 minutes), as LibreOffice reads them
    minutes_first = m.group("mm") is not None or (m.group("h") is not None and hour == 0)
    if (minute > 59 and not minutes_first) or second >= 60 or hour > 9999:
        return None
    return hour * 3600 + minute * 60 + second


def _year(digits: str) -> int | None:
    year = int(digits)
    if len(digits) <= 2:
        return year + (2000 if year < 30 else 1900)
    return year if len(digits) == 4 else None


def _days_in(year: int, month: int) -> int:
    return 29 if (year, month) == (1900, 2) else calendar.monthrange(year, month)[1]


def _month_and_number(month: int, n: str) -> tuple[int, int, int] | None:
    """A month and one number: its day in the current year when it can be one, else its year
    ("1/0" is no date: year 2000 is written "1/00")."""
    this_year = _today().year
    if len(n) <= 2 and 1 <= int(n) <= _days_in(this_year, month):
        return this_year, month, int(n)
    year = _year(n) if n != "0" else None
    return None if year is None else (year, month, 1)


def _ymd(kind: str, m: re.Match) -> tuple[int, int, int] | None:
    g = m.groupdict()
    if kind == "numeric3":
        a, b, c = g["a"], g["b"], g["c"]
        if len(a) == 4 or (len(a) == 2 and int(a) > 12 and len(c) <= 2 and g["s"] == "-"):  # "21-09-01"
            year = _year(a)
            return None if year is None else (year, int(b), int(c))
        if len(a) > 2:
            return None
        year = _year(c)
        return None if year is None else (year, int(a), int(b))
    if kind == "numeric2":  # month/day of this year ("1/2024" is no date)
        return _today().year, int(g["a"]), int(g["b"])
    month = _MONTHS[g["mon"].lower()]
    if kind == "mon_n":
        return _month_and_number(month, g["n"])
    if kind == "day_mon":
        return _today().year, month, int(g["d"])
    year = _year(g["y"])
    return None if year is None else (year, month, int(g["d"]))


def date_serial(year: int, month: int, day: int) -> int | None:
    """Excel's serial number of a calendar date (1900 date system), or None outside 1900-9999."""
    if (year, month, day) == (1900, 2, 29):
        return 60  # Excel's phantom leap day
    if not 1900 <= year <= 9999:
        return None
    try:
        days = (_dt.date(year, month, day) - _dt.date(1899, 12, 31)).days
    except ValueError:
        return None
    return days + (days >= 60)


def _date_parts(text: str) -> tuple[tuple[int, int, int], float] | None:
    """A date, optionally followed by a time: ((year, month, day), seconds of its time), or None."""
    for kind, pattern in _DATES:
        m = pattern.match(text)
        if m is None:
            continue
        rest = text[m.end():]
        time = 0.0
        if rest:
            sep = _DATE_TIME_SEP.match(rest)
            if sep is None and kind == "numeric3" and len(m.group("a")) == 4:
                sep = _ISO_TIME_SEP.match(rest)
            seconds = _seconds(rest[sep.end():]) if sep and sep.end() < len(rest) else None
            if seconds is None:
                continue
            time = seconds
        ymd = _ymd(kind, m)
        if ymd is None or date_serial(*ymd) is None:
            return None
        return ymd, time
    return None


def read_date(text: str) -> tuple[int, float] | None:
    """A date, optionally followed by a time: (serial day, fraction of a day), or None."""
    parts = _date_parts(text)
    serial = None if parts is None else date_serial(*parts[0])
    return None if parts is None or serial is None else (serial, parts[1] / 86400)


def _date_or_time(text: str) -> tuple[tuple[int, int, int] | None, float] | None:
    """A date text (with or without a time) or a time text, stripped: (its date or None, seconds)."""
    text = text.strip(" ")
    if len(text) > _LONGEST:
        return None
    parts: tuple[tuple[int, int, int] | None, float] | None = _date_parts(text)
    if parts is None:
        seconds = _seconds(text)
        parts = None if seconds is None else (None, seconds)
    return parts


def datetime_parts(text: str) -> tuple[int, int, int, int, int, float] | None:
    """(year, month, day, hour, minute, second) of a date or time text (stripped), as YEAR("...") or
    HOUR("...") read it; a time alone is on day 0, 0 January 1900. None for other text."""
    parts = _date_or_time(text)
    if parts is None:
        return None
    (year, month, day), seconds = parts[0] or (1900, 1, 0), parts[1]
    hour, rest = divmod(seconds % 86400, 3600)
    minute, second = divmod(rest, 60)
    return year, month, day, int(hour), int(minute), second


@functools.lru_cache(maxsize=65536)
def _cached(text: str, year: int) -> float | None:
    number = read_number(text)
    if number is not None:
        return number
    time = read_time(text)
    if time is not None:
        return time
    if text != text.strip(" "):
        return None  # no spaces around a date (see the module docstring)
    date = read_date(text)
    return None if date is None else date[0] + date[1]


def text_to_number(text: str) -> float | None:
    """Text where Excel wants a number: a number, a time or a date (see the module docstring), else None."""
    if len(text) > _LONGEST:
        return None
    return _cached(text, _today().year)


def date_value(text: str) -> float | None:
    """DATEVALUE's reading: the day of a date text (its time ignored), else None."""
    parts = _date_or_time(text)
    serial = None if parts is None or parts[0] is None else date_serial(*parts[0])
    return None if serial is None else float(serial)


def time_value(text: str) -> float | None:
    """TIMEVALUE's reading: the time of day of a time or date-time text (a date alone is 0), else None."""
    parts = _date_or_time(text)
    return None if parts is None else parts[1] % 86400 / 86400
