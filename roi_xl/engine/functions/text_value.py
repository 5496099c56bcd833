"""VALUE, DATEVALUE and TIMEVALUE (and the number TEXT reads from a text) by the engine's one reading
of text as a number, roi_xl.engine.text_number.

formulas' VALUE took what Python's float() takes ("inf", "1_000") and handed everything else to a
lenient date parser: "12,34" and the code "M1" became dates of the current year. Its DATEVALUE and
TIMEVALUE used the same parser.
"""
from __future__ import annotations

import schedula as sh
from formulas.functions import Error, XlError, wrap_ufunc

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
        if isinstance(value, XlError):
            return value
        blank = type(value) is _EMPTY  # formulas' blank is a str token
        if isinstance(value, str) and not blank:
            number = read(value)
            return VALUE if number is None else float(number)
        if numbers and not isinstance(value, bool):
            return 0.0 if blank else float(value)
        return VALUE
    return wrap_ufunc(call, input_parser=lambda *a: a, args_parser=lambda *a: a)


REPLACEMENTS = {
    "VALUE": _text_function(text_number.text_to_number, numbers=True),
    "DATEVALUE": _text_function(text_number.date_value, numbers=False),
    "TIMEVALUE": _text_function(text_number.time_value, numbers=False),
}
