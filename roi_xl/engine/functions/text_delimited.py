"""TEXTBEFORE / TEXTAFTER / TEXTSPLIT as Excel does them.

TEXTSPLIT: an omitted col_delimiter splits by rows only, and with no row_delimiter either the
call is #VALUE! (formulas saw the omitted argument as the text "0" and split on zeros).

TEXTBEFORE / TEXTAFTER; formulas 1.3.4 differs in several ways:

- instance_num is rounded down (-1.2 is the 2nd match from the end), not truncated;
- match_end makes the end of the text (the start, for a negative instance) count as one more
  delimiter, instead of appending the delimiter to the text;
- instance_num 0 is #VALUE!, and so is a given instance_num beyond the matches the text's length
  allows (len(text) - len(delimiter) + 1, Excel's "greater than the length of text" for a
  one-character delimiter): TEXTAFTER("del","deli",1) is #VALUE!, TEXTAFTER("del","deli") #N/A;
- if_not_found is only looked at when nothing is found (an error there is otherwise harmless),
  and a blank if_not_found gives "".
"""
from __future__ import annotations

import functools
import math
import re

import schedula as sh
from formulas.functions import Error, flatten, get_error, return_2d_func, wrap_ufunc
from formulas.functions import XlError as FormulasError
from formulas.functions import text as _text

from ._args import OMITTED_MARKER

VALUE = Error.errors["#VALUE!"]
NA = Error.errors["#N/A"]


def _number(v) -> float:
    if v is sh.EMPTY:
        return 0.0
    if isinstance(v, str) and not isinstance(v, FormulasError):
        return float(v)  # ValueError: #VALUE! from the wrapper
    return float(v)


def _matches(text: str, delimiters: tuple, ignore_case: bool, from_end: bool) -> list:
    """(start, end) of non-overlapping matches, in search order (from the end when from_end)."""
    flags = re.IGNORECASE if ignore_case else 0
    longest_first = sorted(set(delimiters), key=len, reverse=True)
    if not from_end:
        pattern = re.compile("|".join(map(re.escape, longest_first)), flags)
        return [m.span() for m in pattern.finditer(text)]
    pattern = re.compile("|".join(re.escape(d[::-1]) for d in longest_first), flags)
    n = len(text)
    return [(n - m.end(), n - m.start()) for m in pattern.finditer(text[::-1])]


def xtextafterbefore(after, text, delimiter, instance_num=None, match_mode=0, match_end=0,
                     if_not_found=NA):
    text = _text._str("" if text is sh.EMPTY else text)
    instance = 1 if instance_num is None else math.floor(_number(instance_num))
    mode, end = _number(match_mode), _number(match_end)
    if mode not in (0, 1) or end not in (0, 1):
        return VALUE
    delimiters = tuple(_text._str(d) for d in flatten(delimiter, None, True))
    if not delimiters or any(not d for d in delimiters):
        return VALUE
    room = len(text) - min(map(len, delimiters)) + 1
    if instance == 0 or (instance_num is not None and abs(instance) > room):
        return VALUE
    found = _matches(text, delimiters, bool(mode), instance < 0)
    if end and len(found) == abs(instance) - 1:
        found.append((0, 0) if instance < 0 else (len(text), len(text)))
    if len(found) < abs(instance):
        if isinstance(if_not_found, FormulasError):
            return if_not_found
        value = next(iter(flatten(if_not_found, None)), "")
        return "" if value is sh.EMPTY else value
    start, stop = found[abs(instance) - 1]
    return text[stop:] if after else text[:start]


def _errors(text, delimiter, instance_num=None, match_mode=0, match_end=0, if_not_found=NA):
    return get_error(text, delimiter, instance_num, match_mode, match_end)


def _omitted(v) -> bool:
    return v is None or (isinstance(v, str) and v == OMITTED_MARKER)


def xtextsplit(text, col_delimiter, row_delimiter=None, ignore_empty=False, match_mode=0, pad_with=NA):
    if _omitted(col_delimiter):
        if _omitted(row_delimiter):
            return VALUE
        rows = _text.xtextsplit(text, row_delimiter, None, ignore_empty, match_mode, pad_with)
        return rows if isinstance(rows, FormulasError) else [[row[0]] for row in zip(*rows)]
    row_delimiter = None if _omitted(row_delimiter) else row_delimiter
    return _text.xtextsplit(text, col_delimiter, row_delimiter, ignore_empty, match_mode, pad_with)


REPLACEMENTS = dict.fromkeys(("TEXTSPLIT", "_XLFN.TEXTSPLIT"), wrap_ufunc(
    xtextsplit, input_parser=lambda *a: a, args_parser=lambda *a: a, excluded={1, 2, 5},
    return_func=return_2d_func, check_nan=False))
for _after, _names in ((True, ("TEXTAFTER", "_XLFN.TEXTAFTER")),
                       (False, ("TEXTBEFORE", "_XLFN.TEXTBEFORE"))):
    _fn = wrap_ufunc(functools.partial(xtextafterbefore, _after), input_parser=lambda *a: a,
                     args_parser=lambda *a: a, check_error=_errors, excluded={1, 5},
                     check_nan=False)
    REPLACEMENTS.update(dict.fromkeys(_names, _fn))
