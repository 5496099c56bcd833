"""Coercions between text and numbers, one rule each way, installed into `formulas` too.

Number to text: the `&` operator and every text function that reads a number.

formulas 1.3.4 writes a number with Python's repr (=""&(0.1+0.2) gave "0.30000000000000004", ""&1/3
"0.3333333333333333"); Excel writes 15 significant digits (numfmt.number_text). formulas' operator
`&` and its text functions (CONCATENATE, CONCAT, TEXTJOIN, LEN, LEFT, MID, FIND, ...) all call one
helper, `formulas.functions.text._str` (operators.py holds its own reference), so installing ours in
both places changes all of them; fastcalc's `&` calls value_text too, so the fast path agrees.

Text to number: text_number.text_to_number. formulas reads text as a number in `_text2num` (float(),
then dateutil's lenient parser: "M1" became a date-time of the current year, "1,000" a miss), which its
function families import by name, and as a date in `date._text2datetime` (YEAR("..."), HOUR("..."),
EDATE's text start...). Both are replaced, in formulas.functions and in every family module already
imported; a family imported later binds the replacement from formulas.functions.
"""
from __future__ import annotations

import numpy as np

from .numfmt import number_text
from .text_number import datetime_parts, text_to_number

# Excel's longest text (a cell holds 32,767 characters): a text result beyond it is #VALUE! (Microsoft
# documents it for CONCAT, TEXTJOIN and REPT; `&`, CONCATENATE, SUBSTITUTE, REPLACE do the same).
# Checked before a result is built, where it could grow beyond any bound (SUBSTITUTE, joins).
MAX_TEXT = 32_767


def joined(texts, delimiter: str = "") -> str | None:
    """The texts joined; None as soon as they outgrow a cell (a range may hold a million)."""
    out, length = [], -len(delimiter)
    for text in texts:
        length += len(delimiter) + len(text)
        if length > MAX_TEXT:
            return None
        out.append(text)
    return delimiter.join(out)


def value_text(value) -> str:
    """A cell value as text the way Excel coerces it: TRUE/FALSE, numbers by number_text, text as is."""
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (float, int, np.number)):
        return number_text(float(value))
    return str(value)


def formulas_text2num(value):
    """formulas' `_text2num` by the engine's rule: a text's number, else the value unchanged."""
    from formulas.functions import Array
    from formulas.functions import XlError as FormulasError

    if isinstance(value, Array) and not value.shape:
        value = value.tolist()
    if isinstance(value, str) and not isinstance(value, FormulasError):
        number = text_to_number(value)
        return value if number is None else number
    return value


def formulas_text2datetime(text):
    """formulas' `_text2datetime`: (year, month, day, hour, minute, second), AssertionError if none."""
    parts = datetime_parts(text) if isinstance(text, str) else None
    assert parts is not None, "not a date or time"
    return parts


def install() -> None:
    """Make formulas' `&` and text functions use value_text, and its text-to-number readings
    text_number's (idempotent)."""
    import sys

    import formulas.functions as functions
    from formulas.functions import date, operators, text

    text._str = value_text
    operators._str = value_text
    functions._text2num = formulas_text2num
    functions._text2num_vectorize.cache_clear()  # an np.vectorize of the old one, made on first use
    date._text2datetime = formulas_text2datetime
    for name, module in list(sys.modules.items()):
        if name.startswith("formulas.functions.") and hasattr(module, "_text2num"):
            setattr(module, "_text2num", formulas_text2num)  # noqa: B010 - a module found at run time
