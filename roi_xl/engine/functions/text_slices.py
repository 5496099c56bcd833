"""LEFT, RIGHT, MID, LEN, UPPER, LOWER as the engine's own element-wise cores (issue 12).

formulas 1.3.4 supplies them through its `wrap_ufunc` (np.vectorize per call); here each is a plain
function of one cell's values (_args.elementwise), so the plan calls it directly
(scalar_calls.direct) and the formulas model calls the same core through the table. Excel's rules:
- the text argument: a number as Excel's General format writes it (text_coercion.value_text:
  LEFT(1/3, 4) is "0.33"), TRUE/FALSE as "TRUE"/"FALSE", a blank as "";
- a count or position (num_chars, start_num): read as a number by the engine's one rule
  (_args.to_number: numeric text, "1,000", dates; a blank 0, TRUE 1), truncated toward zero;
  LEFT/RIGHT's num_chars below 0, MID's start_num below 1 or num_chars below 0 are #VALUE!
  (Microsoft's LEFT, MID pages). formulas read them with int(): "2.5" and "1,000" were #VALUE!;
- the first error value among the arguments, in order, is the result, before any is read (as
  formulas' wrappers did: MID("x", "abc", #N/A) is #N/A).
"""
from __future__ import annotations

import schedula as sh
from formulas.functions import XlError as FormulasError
from formulas.functions import wrap_func

from ..text_coercion import value_text
from ._args import VALUE, Fail, elementwise, raise_first_error, to_number


def text_of(value) -> str:
    """A text argument as Excel reads it: an error is the result, a blank "", a number or boolean
    as Excel writes it."""
    if isinstance(value, FormulasError):
        raise Fail(value)
    if value is sh.EMPTY:
        return ""
    return value if value.__class__ is str else value_text(value)


def _count(n: float, least: int = 0) -> int:
    if n < least:
        raise Fail(VALUE)
    return int(n)


def left(text, num_chars=1.0):
    raise_first_error((text, num_chars))
    text = text_of(text)
    return text[:_count(to_number(num_chars))]


def right(text, num_chars=1.0):
    raise_first_error((text, num_chars))
    text = text_of(text)
    n = _count(to_number(num_chars))
    return text[len(text) - n:] if n < len(text) else text


def mid(text, start_num, num_chars):
    raise_first_error((text, start_num, num_chars))
    text, start, count = text_of(text), to_number(start_num), to_number(num_chars)
    first = _count(start, 1) - 1
    return text[first:first + _count(count)]


def length(text) -> int:
    return len(text_of(text))  # an int, as formulas' LEN gave


def upper(text) -> str:
    return text_of(text).upper()


def lower(text) -> str:
    return text_of(text).lower()


REPLACEMENTS = {
    "LEFT": wrap_func(elementwise(left)),
    "RIGHT": wrap_func(elementwise(right)),
    "MID": wrap_func(elementwise(mid)),
    "LEN": wrap_func(elementwise(length)),
    "UPPER": wrap_func(elementwise(upper)),
    "LOWER": wrap_func(elementwise(lower)),
}
