"""VALUE (and the number TEXT reads from a text) as Excel reads numbers typed as text.

Excel accepts a sign or parentheses for a negative, a currency symbol before or after the number,
thousands separators in groups of three, a decimal point, an exponent and a trailing percent
("40%" is 0.4, "$1,234.5" 1234.5, "(12)" -12, "23€" 23); formulas' VALUE takes only what Python's
float() takes, then hands everything else to a lenient date parser ("12,34" became a date).
Text that looks like a number but breaks these rules ("12,34") is #VALUE!; so is an impossible
date in digits ("30/2/2010", US order m/d/y); a time alone is a fraction of a day (formulas dated
it today); other text is still tried as a date or time by formulas' parser.
"""
from __future__ import annotations

import datetime as _dt
import math
import re

import schedula as sh
from formulas.errors import FoundError
from formulas.functions import Error, XlError, wrap_ufunc
from formulas.functions import date as _date
from formulas.functions import text as _text

VALUE = Error.errors["#VALUE!"]

_CURRENCY = "$€£¥"
_NUMBER = re.compile(
    r"^(?P<open>\()?\s*(?P<sign>[+-])?\s*(?:[" + _CURRENCY + r"]\s*)?(?P<sign2>[+-])?"
    r"(?P<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?P<exp>[eE][+-]?\d+)?"
    r"\s*(?:[" + _CURRENCY + r"]\s*)?(?P<pct>%)?\s*(?P<close>\))?$")
_NUMBER_LIKE = re.compile(r"^\s*[+-]?[\d,]*\d,[\d,]*(?:\.\d*)?\s*%?\s*$")  # digits and commas


def parse_number(text: str) -> float | None:
    """The number a text spells the way Excel reads it, or None."""
    m = _NUMBER.match(text.strip())
    if not m or bool(m.group("open")) != bool(m.group("close")) or (m.group("sign") and m.group("sign2")):
        return None
    value = float(m.group("digits").replace(",", "") + (m.group("exp") or ""))
    if m.group("pct"):
        value /= 100
    negative = (m.group("sign") or m.group("sign2")) == "-"
    if m.group("open"):
        if m.group("sign") or m.group("sign2"):
            return None
        negative = True
    return -value if negative else value


_TIME = re.compile(r"^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?\s*([AaPp][Mm]?)?\s*$")


def parse_time(text: str) -> float | None:
    """A time of day alone ("12:30", "1:05:30 PM") as a fraction of a day; formulas dates it today."""
    m = _TIME.match(text)
    if not m:
        return None
    hour, minute, second = int(m.group(1)), int(m.group(2)), float(m.group(3) or 0)
    if m.group(4):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m.group(4)[0] in "Pp" else 0)
    if minute > 59 or second >= 60:
        return None
    return (hour * 3600 + minute * 60 + second) / 86400


_NUMERIC_DATE = re.compile(r"^\s*(\d{1,4})([-/])(\d{1,2})\2(\d{1,4})\s*$")


def parse_numeric_date(text: str) -> float | None:
    """m/d/y, m-d-y or y/m/d in digits, checked (dateutil rolled "30/2/2010" into March); a
    two-digit year is 1930..2029 as in Excel. Returns None for other texts, #VALUE! as NaN."""
    m = _NUMERIC_DATE.match(text)
    if not m:
        return None
    a, _, b, c = m.groups()
    if len(a) > 2:
        year, month, day = int(a), int(b), int(c)
    elif len(c) in (1, 2, 4):
        month, day, year = int(a), int(b), int(c)
        if len(c) <= 2:
            year += 2000 if year < 30 else 1900
    else:
        return math.nan
    if (year, month, day) == (1900, 2, 29):
        return 60.0  # Excel's phantom leap day
    try:
        _dt.date(year, month, day)
    except ValueError:
        return math.nan
    if not 1900 <= year <= 9999:
        return math.nan
    return float(_date.xdate(year, month, day))


def value_of_text(text: str):
    """A text as a number (Excel's reading, then a date or time), or the text itself."""
    number = parse_number(text)
    if number is None:
        number = parse_time(text)
    if number is None:
        number = parse_numeric_date(text)
    if number is not None:
        return text if math.isnan(number) else number
    if not text.strip() or _NUMBER_LIKE.match(text):
        return text
    try:
        return _text.xvalue(text)
    except (ValueError, TypeError, AssertionError, OverflowError, FoundError):  # FoundError: out of range
        return text


def xvalue(value):
    if value is sh.EMPTY:
        return 0.0
    if isinstance(value, XlError):
        return value
    if isinstance(value, bool):
        return VALUE
    if isinstance(value, str):
        number = value_of_text(value)
        return VALUE if isinstance(number, str) else float(number)
    return float(value)


REPLACEMENTS = {"VALUE": wrap_ufunc(xvalue, input_parser=lambda *a: a, args_parser=lambda *a: a)}
