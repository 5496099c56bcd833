"""Numbers and dates as export tools write them.

Numbers: "1,234.56", "1.234,56", "1 234,56", "€1,234.56", "12.5%", "--" (Google Ads' none) and
"" are all read; which mark is the decimal one is decided once per file (`decimal_mark`), since
"1,234" alone is a thousand in one locale and one-point-two in another. Dates: ISO, GA4's
20250301, day-first or month-first with / . or -, and "Mar 1, 2025"; day-first or month-first
is decided once per column (`date_order`).
"""
from __future__ import annotations

import datetime as _dt
import re

from ..errors import NotANumber

_BLANK = {"", "-", "--", "—", "n/a", "N/A"}   # tools' ways of writing "no value"
_CURRENCY_MARKS = re.compile(r"[€$£¥₹\s\u00a0\u202f']|[A-Z]{3}$|^[A-Z]{3}")
_COMMA_DECIMAL = re.compile(r"^-?[\d.\s\u00a0\u202f']*\d,\d{1,2}$|\.\d{3},\d")
_POINT_DECIMAL = re.compile(r"^-?[\d,]*\d\.\d{1,2}$|,\d{3}\.\d")


def decimal_mark(texts) -> str:
    """"," when the file's numbers use a decimal comma ("1.234,56", "12,5"), else "."."""
    comma = point = 0
    for text in texts:
        if isinstance(text, str):
            t = text.strip().rstrip("%")
            comma += bool(_COMMA_DECIMAL.search(t))
            point += bool(_POINT_DECIMAL.search(t))
    return "," if comma > point else "."


def number(value, decimal: str = ".") -> float | None:
    """A cell as a number; None for a blank; NotANumber for text that is not one."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, (int, float)):
        return None if value != value else float(value)
    text = str(value).strip()
    if text in _BLANK:
        return None
    percent = text.endswith("%")
    t = _CURRENCY_MARKS.sub("", text.rstrip("%"))
    negative = t.startswith("(") and t.endswith(")")  # accounting negatives
    t = t.strip("()")
    if decimal == ",":
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", "")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", t):
        raise NotANumber(text)
    x = float(t)
    x = -x if negative else x
    return x / 100 if percent else x


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_NAMED = re.compile(r"^(?:[A-Za-z]+,\s*)?([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$")
_NAMED_DAY_FIRST = re.compile(r"^(\d{1,2})\.?\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")


def date_order(texts) -> str:
    """"dmy" or "mdy" for a column of d/m/y-looking dates: a first part over 12 means day first,
    a second part over 12 month first; when nothing tells, "." separators mean day first, "/"
    month first (US tools' default)."""
    dots = slashes = 0
    for text in texts:
        m = _NUMERIC.match(str(text).strip()) if text is not None else None
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            return "dmy"
        if b > 12 >= a:
            return "mdy"
        dots += "." in text
        slashes += "/" in text
    return "dmy" if dots > slashes else "mdy"


def date(value, order: str = "mdy") -> _dt.date | None:
    """A cell as a date; None for a blank; ValueError for text that is not one."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    if text in _BLANK:
        return None
    for pattern, parts in ((_ISO, (1, 2, 3)), (_COMPACT, (1, 2, 3))):
        m = pattern.match(text)
        if m:
            return _dt.date(*(int(m.group(i)) for i in parts))
    m = _NUMERIC.match(text)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y += 2000 if y < 100 else 0
        return _dt.date(y, b, a) if order == "dmy" else _dt.date(y, a, b)
    m = _NAMED.match(text)
    if m and m.group(1).lower() in _MONTHS:
        return _dt.date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    m = _NAMED_DAY_FIRST.match(text)
    if m and m.group(2).lower() in _MONTHS:
        return _dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    raise ValueError(f"not a date: {text!r}")
