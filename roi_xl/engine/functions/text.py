"""Text functions `formulas` 1.3.4 gets wrong, replaced inside formulas' own wrappers:

- CHAR / CODE: Excel for Windows maps 128..255 through Windows-1252 (CHAR(128) is "€"), formulas
  through Mac Roman; bytes 1252 leaves undefined (129, 141, 143, 144, 157) are their own code point.
- REPT: a result longer than Excel's 32,767 characters is #VALUE!, not a giant text.
- TEXT: Excel's number formats (sections, conditions, placeholders, dates and times), see
  `engine.numfmt`; formulas' own parser raises on most codes.
- SEARCH: `?` is any one character, `*` any run, `~` escapes them (a final lone `~` is ignored);
  case-insensitive; start_num must lie in 1..len(within)+1.
"""
from __future__ import annotations

import math

import numpy as np
from formulas.functions import Error, _text2num, replace_empty, wrap_ufunc
from formulas.functions import text as _text

from .. import numfmt
from ..criteria import wildcard_regex as _wildcard_regex

VALUE = Error.errors["#VALUE!"]


def xchar(number):
    n = math.trunc(number)
    if not 1 <= n <= 255:
        return VALUE
    try:
        return bytes([n]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(n)


def xcode(character):
    text = _text._str(character)
    if not text:
        return VALUE
    try:
        return float(text[0].encode("cp1252")[0])
    except UnicodeEncodeError:
        return 63.0  # Excel shows a character outside its code page as "?"


def xsearch(find_text, within_text, start_num=1):
    find, within = _text._str(find_text), _text._str(within_text)
    start = math.trunc(start_num)
    if not 1 <= start <= len(within) + 1:
        return VALUE
    if find.endswith("~") and not find.endswith("~~"):
        find = find[:-1]
    match = _wildcard_regex(find).search(within, start - 1)
    return VALUE if match is None else float(match.start() + 1)


MAX_TEXT = 32_767  # Excel's longest text in a cell


def xrept(text, number_times):
    text, n = _text._str(text), math.trunc(float(replace_empty(number_times)))
    if n < 0 or len(text) * n > MAX_TEXT:
        return VALUE
    return text * n


def xtext(value, format_text):
    code = _text._str(replace_empty(format_text, ""))
    value = replace_empty(value)
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).upper()
    try:
        if isinstance(value, str):
            number = _text2num(value.strip()) if value.strip() else value
            if isinstance(number, str):
                return numfmt.format_text(value, code)
            value = number
        return numfmt.format_number(float(value), code)
    except numfmt.FormatError:
        return VALUE


REPLACEMENTS = {
    "TEXT": wrap_ufunc(xtext, input_parser=lambda *a: a, args_parser=lambda *a: a),
    "REPT": wrap_ufunc(xrept, **_text._kw0),
    "CHAR": wrap_ufunc(xchar),
    "CODE": wrap_ufunc(xcode, **_text._kw0),
    "SEARCH": wrap_ufunc(xsearch, **_text._kw0),
    "SEARCHB": wrap_ufunc(xsearch, **_text._kw0),
}
