"""VALUE, DATEVALUE and TIMEVALUE (and the number TEXT reads from a text) by the engine's one reading
of text as a number, roi_xl.engine.text_number.

formulas' VALUE took what Python's float() takes ("inf", "1_000") and handed everything else to a
lenient date parser: "12,34" and the code "M1" became dates of the current year. Its DATEVALUE and
TIMEVALUE used the same parser.
"""
from __future__ import annotations

import schedula as sh
from formulas.functions import Error, wrap_ufunc
from formulas.functions import XlError as FormulasError

from .. import text_number

VALUE = Error.errors["#VALUE!"]
_EMPTY = type(sh.EMPTY)


def value_of_text(text: str):
    """A text as a number (a number, a time or a date, as Excel reads them), or the text itself."""
    number = text_number.text_to_number(text)
    return text if number is None else number


def _text_function(read, *, numbers: bool):
    """A function of one text argument. VALUE (`numbers`) takes a number as itself and a blank as 0;
    DATEVALUE and TIMEVALUE want text: a number or a blank is #VALUE!. TRUE/FALSE are #VALUE!."""
    def call(value):
        if isinstance(value, FormulasError):
            return value
        blank = type(value) is _EMPTY  # formulas' blank is a str token
        if isinstance(value, str) and not blank:
            number = read(value)
            return VALUE if number is None else float(number)
        if numbers and not isinstance(value, bool):
            return 0.0 if blank else float(value)
        return VALUE
    return wrap_ufunc(call, input_parser=lambda *a: a, args_parser=lambda *a: a)


def numbervalue(text: str, decimal: str = ".", group: str = ",") -> float | None:
    """NUMBERVALUE's reading, by Microsoft's documented rules: spaces anywhere are ignored; the group
    separator is dropped before the decimal separator and refused after it; one decimal separator at
    most; trailing percent signs each divide by 100 ("9%%" is 0.0009); "" is 0. What is left is read
    as a number by text_number's rule (sign, parentheses, exponent), in en-US form."""
    text = text.replace(" ", "")
    if text == "":
        return 0.0
    percents = len(text) - len(text.rstrip("%"))
    text = text[:len(text) - percents]
    whole, point, fraction = text.partition(decimal)
    if decimal in fraction or group in fraction or "%" in text:
        return None
    core = whole.replace(group, "") + ("." if point else "") + fraction
    if "," in core or (core.count(".") > (1 if point else 0)):
        return None
    value = text_number.read_number(core + ("%" if percents else ""))
    return None if value is None else value / 100 ** max(percents - 1, 0)


def _xnumbervalue(text, decimal=".", group=","):
    for arg in (text, decimal, group):
        if isinstance(arg, FormulasError):
            return arg
    separators = []
    for arg in (decimal, group):
        if type(arg) is _EMPTY or isinstance(arg, bool) or not isinstance(arg, str) or arg == "":
            return VALUE  # a separator is a text of at least one character (its first one counts)
        separators.append(arg[0])
    if separators[0] == separators[1]:
        return VALUE
    if type(text) is _EMPTY:
        return 0.0
    if isinstance(text, bool):
        return VALUE
    if not isinstance(text, str):
        return float(text)
    number = numbervalue(text, *separators)
    return VALUE if number is None else number


_NUMBERVALUE = wrap_ufunc(_xnumbervalue, input_parser=lambda *a: a, args_parser=lambda *a: a)

REPLACEMENTS = {
    "NUMBERVALUE": _NUMBERVALUE,
    "_XLFN.NUMBERVALUE": _NUMBERVALUE,
    "VALUE": _text_function(text_number.text_to_number, numbers=True),
    "DATEVALUE": _text_function(text_number.date_value, numbers=False),
    "TIMEVALUE": _text_function(text_number.time_value, numbers=False),
}
