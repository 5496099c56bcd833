"""Text functions `formulas` 1.3.4 gets wrong, replaced inside formulas' own wrappers:

- UNICHAR: a surrogate half is #N/A; HYPERLINK gives its friendly name (or link), never follows it.
- CHAR / CODE: Excel for Windows maps 128..255 through Windows-1252 (CHAR(128) is "€"), formulas
  through Mac Roman; bytes 1252 leaves undefined (129, 141, 143, 144, 157) are their own code point.
- REPT, CONCAT, CONCATENATE, TEXTJOIN (excel_functions), SUBSTITUTE, REPLACE, REGEXREPLACE,
  ARRAYTOTEXT: a result longer than Excel's 32,767 characters is #VALUE!, not a giant text (found
  before it is built).
- TEXT: Excel's number formats (sections, conditions, placeholders, dates and times), see
  `engine.numfmt`; formulas' own parser raises on most codes.
- SEARCH: `?` is any one character, `*` any run, `~` escapes them (a `~` before anything else,
  or last, is dropped: SEARCH("~d","My dear") is 4); case-insensitive; start_num must lie in
  1..len(within)+1.
- SUBSTITUTE: an empty old_text leaves the text as it is (formulas inserted new_text everywhere).
- EXACT: a number is compared as Excel's text of it, 15 significant digits (=1/3 equals
  0.333333333333333).
- REGEXTEST finds the pattern anywhere (formulas anchored it at the start); REGEXREPLACE reads
  `$1`/`${name}`/`$$` in the replacement and replaces every match (occurrence 0), only the nth
  (occurrence n) or the nth from the end (occurrence -n), not the first n.
"""
from __future__ import annotations

import math
import re

import numpy as np
from formulas.functions import (
    Error,
    flatten,
    get_error,
    is_not_empty,
    raise_errors,
    replace_empty,
    wrap_func,
    wrap_ufunc,
)
from formulas.functions import text as _text

from ...errors import FormatError
from .. import numfmt
from ..criteria import Wildcard
from ..text_coercion import MAX_TEXT, joined
from ._args import elementwise, raise_first_error
from .text_value import value_of_text

VALUE = Error.errors["#VALUE!"]


def xchar(number):
    n = math.trunc(number)
    if not 1 <= n <= 255:
        return VALUE
    try:
        return bytes([n]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(n)


def xunichar(number):
    """UNICHAR: #VALUE! outside 1..0x10FFFF, #N/A for a lone surrogate half (Microsoft's page);
    formulas returned the half itself, which no file can hold."""
    n = math.trunc(number)
    if not 1 <= n <= 0x10FFFF:
        return VALUE
    return Error.errors["#N/A"] if 0xD800 <= n <= 0xDFFF else chr(n)


def xhyperlink(link_location, friendly_name=None):
    """HYPERLINK's value: the friendly name when given, else the link (the link is not followed)."""
    return link_location if friendly_name is None else friendly_name


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
    find = _drop_lone_tildes(find)
    at = Wildcard(find).search(within, start - 1)
    return VALUE if at is None else float(at + 1)


def _drop_lone_tildes(find: str) -> str:
    out, i = [], 0
    while i < len(find):
        if find[i] == "~":
            if find[i + 1:i + 2] in ("?", "*", "~"):
                out.append(find[i:i + 2])
                i += 2
            else:
                i += 1
            continue
        out.append(find[i])
        i += 1
    return "".join(out)


def xsubstitute(text, old_text, new_text, instance_num=None):
    old = _text._str(old_text)
    if old == "":
        if instance_num is not None and (isinstance(instance_num, (bool, str)) or instance_num < 1):
            return VALUE
        return _text._str(text)
    times = 1 if instance_num is not None else _text._str(text).count(old)
    if len(_text._str(text)) + times * (len(_text._str(new_text)) - len(old)) > MAX_TEXT:
        return VALUE
    return _text.xsubstitute(text, old_text, new_text, instance_num)


def xconcat(text, *args):
    values = list(flatten((text,) + args, is_not_empty))
    raise_errors(values)
    result = joined(map(_text._str, values))
    return VALUE if result is None else result


def xreplace(old_text, start_num, num_chars, new_text):
    result = _text.xreplace(old_text, start_num, num_chars, new_text)
    return VALUE if isinstance(result, str) and len(result) > MAX_TEXT else result


def xarraytotext(array, format_type=0):
    """formulas' ARRAYTOTEXT, joined with text_coercion.joined: concise "a, b" (0) or strict
    "{a,b;c,d}" (1, texts quoted); #VALUE! past a cell's length or for another format."""
    strict = math.trunc(float(replace_empty(format_type)))
    if strict not in (0, 1):
        return VALUE
    rows = np.atleast_2d(np.asarray(array, object))
    if not strict:
        result = joined((_text._xvaluetotext(v, 0) for v in flatten(rows, None)), ", ")
    else:
        lines = [joined((_text._xvaluetotext(v, 1) for v in row), ",") for row in rows]
        inner = None if None in lines else joined(lines, ";")
        result = "{" + inner + "}" if inner else None
    return VALUE if result is None or len(result) > MAX_TEXT else result


def xexact(text1, text2):
    return _text._str(text1) == _text._str(text2)


def _regex(text, pattern, case_sensitivity):
    return _text._xregex(text, pattern, case_sensitivity)


def xregextest(text, pattern, case_sensitivity=0):
    rx, text = _regex(text, pattern, case_sensitivity)
    return rx.search(text) is not None


_GROUP = re.compile(r"\$(?:(\d+)|\{(\w+)\}|(\$))")


def _expand(replacement: str, m: re.Match) -> str:
    def group(ref: re.Match) -> str:
        if ref.group(3):
            return "$"
        try:
            return m.group(int(ref.group(1)) if ref.group(1) else ref.group(2)) or ""
        except IndexError:  # no such group: the text stays
            return ref.group(0)
    return _GROUP.sub(group, replacement)


def xregexreplace(text, pattern, replacement, occurrence=0, case_sensitivity=0):
    rx, text = _regex(text, pattern, case_sensitivity)
    replacement = _text._str(replacement)
    n = math.trunc(float(replace_empty(occurrence)))
    matches = list(rx.finditer(text))
    if n == 0:
        chosen = matches
    else:
        chosen = [matches[n - 1 if n > 0 else n]] if abs(n) <= len(matches) else []
    out, last, length = [], 0, len(text)
    for m in chosen:
        piece = _expand(replacement, m)
        length += len(piece) - (m.end() - m.start())
        if length > MAX_TEXT:
            return VALUE
        out += [text[last:m.start()], piece]
        last = m.end()
    return "".join(out) + text[last:]


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
            number = value_of_text(value)
            if isinstance(number, str):
                return numfmt.format_text(value, code)
            value = number
        return numfmt.format_number(float(value), code)
    except FormatError:
        return VALUE


def _text_call(value, format_text):
    """TEXT as formulas' wrap_ufunc ran it, as an element-wise core: the first error value is the
    result, a ValueError or TypeError #VALUE!."""
    raise_first_error((value, format_text))
    try:
        return xtext(value, format_text)
    except (ValueError, TypeError):
        return VALUE


REPLACEMENTS = {
    "TEXT": wrap_func(elementwise(_text_call)),
    "REPT": wrap_ufunc(xrept, **_text._kw0),
    "CHAR": wrap_ufunc(xchar),
    "CODE": wrap_ufunc(xcode, **_text._kw0),
    "UNICHAR": wrap_ufunc(xunichar),
    "_XLFN.UNICHAR": wrap_ufunc(xunichar),
    "HYPERLINK": wrap_ufunc(xhyperlink, input_parser=lambda *a: a,
                            args_parser=lambda *a: (replace_empty(v) for v in a)),
    "SEARCH": wrap_ufunc(xsearch, **_text._kw0),
    "SEARCHB": wrap_ufunc(xsearch, **_text._kw0),
    "SUBSTITUTE": wrap_ufunc(xsubstitute, input_parser=lambda *a: a,
                             args_parser=lambda *a: (replace_empty(v, "") for v in a)),
    "EXACT": wrap_ufunc(xexact, input_parser=lambda *a: a,
                        args_parser=lambda *a: (replace_empty(v, "") for v in a)),
    "CONCAT": wrap_func(xconcat),
    "_XLFN.CONCAT": wrap_func(xconcat),
    "CONCATENATE": wrap_ufunc(xconcat, **_text._kw0),
    "_XLFN.CONCATENATE": wrap_ufunc(xconcat, **_text._kw0),
    "REPLACE": wrap_ufunc(xreplace, **_text._kw0),
    "REPLACEB": wrap_ufunc(xreplace, **_text._kw0),
    "ARRAYTOTEXT": wrap_ufunc(xarraytotext, input_parser=lambda *a: a, args_parser=lambda *a: a,
                              check_error=lambda a, format_type=0: get_error(format_type), excluded={0}),
    "_XLFN.ARRAYTOTEXT": None,
    "REGEXTEST": wrap_ufunc(xregextest, check_nan=False, **_text._kw0),
    "_XLFN.REGEXTEST": None,
    "REGEXREPLACE": wrap_ufunc(xregexreplace, check_nan=False, **_text._kw0),
    "_XLFN.REGEXREPLACE": None,
}
REPLACEMENTS["_XLFN.ARRAYTOTEXT"] = REPLACEMENTS["ARRAYTOTEXT"]
REPLACEMENTS["_XLFN.REGEXTEST"] = REPLACEMENTS["REGEXTEST"]
REPLACEMENTS["_XLFN.REGEXREPLACE"] = REPLACEMENTS["REGEXREPLACE"]
