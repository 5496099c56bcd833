"""Excel's criteria test (COUNTIF(S), SUMIF(S), AVERAGEIF(S), MAXIFS, MINIFS), one definition shared by
the engine (excel_functions) and the fast path (fastcalc).

`criterion_test(condition)` gives a test of one cell value, values as formulas holds them (schedula's
EMPTY for a blank cell, FormulasError for errors). The rules, read from the values Excel cached in
the ironcalc conformance workbooks (STATISTICAL/COUNTIF.xlsx, COUNTIFS.xlsx) and Microsoft's COUNTIF page:

- A criterion is an optional operator (=, <>, <, <=, >, >=) and a value; a criterion that is not text
  (a number, TRUE/FALSE, an error) is "=" that value; a blank criterion cell is the number 0.
- The value is a number when the text reads as one (text_number: "1,000", "5%", a date; not the code "M1"),
  TRUE/FALSE a boolean, "#N/A" etc. an error, else text.
- Comparisons only meet values of the criterion's kind: "<=23" counts numbers, never text, booleans or
  blanks; "<b" compares texts case-insensitively. Equality with a number also counts numeric text ("23"
  matches the text '23'), but "<>23" only leaves out the numbers 23.
- "<>x" is the complement of "=x": it counts blanks and every value that does not match.
- Text equality is case-insensitive over the whole text with wildcards ? * and ~ escapes.
- "" counts blank cells and empty texts, "=" only blank cells, "<>" every cell that is not blank.
"""
from __future__ import annotations

import functools
import operator
import re

import numpy as np
import schedula as sh
from formulas.functions import XlError as FormulasError
from formulas.tokens.operand import Error

from .text_number import text_to_number

_OPERATORS = ("<=", ">=", "<>", "<", ">", "=")
_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_WILDCARD = re.compile(r"[?*~]")
_EMPTY_TYPE = type(sh.EMPTY)


def _fold(text: str) -> str:
    """Lower case, one character for one (as a case-insensitive regex compares): "?" stays one."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


class Wildcard:
    """Excel's wildcard text (`?` one character, `*` any run, `~` before ?, * or ~ the character
    itself), matched case-insensitively with no backtracking: the pattern is cut at each `*` into
    pieces without one, each a regex without quantifiers, and each piece is found leftmost after
    the one before (leftmost is never worse for the pieces that follow). A match costs at most
    len(text) x len(pattern) steps, however the stars are placed: "*a*a*a...*b" against "aaa...!"
    took exponential time as the regex ".*a.*a.*a....*b".

    `prefix` also admits any text after the pattern (the D-functions' criteria)."""

    def __init__(self, pattern: str, prefix: bool = False):
        pieces, piece, i = [], [], 0
        while i < len(pattern):
            ch = pattern[i]
            if ch == "~" and i + 1 < len(pattern) and pattern[i + 1] in "?*~":
                piece.append(re.escape(_fold(pattern[i + 1])))
                i += 2
                continue
            if ch == "*":
                pieces.append(piece)
                piece = []
            else:
                piece.append("." if ch == "?" else re.escape(_fold(ch)))
            i += 1
        pieces.append(piece)
        if prefix:
            pieces.append([])
        self._pieces = [(re.compile("".join(p), re.DOTALL), len(p)) for p in pieces]

    def fullmatch(self, text: str) -> bool:
        """Does the whole of `text` match?"""
        text = _fold(text)
        pieces = self._pieces
        (first, first_len), (last, last_len) = pieces[0], pieces[-1]
        if len(pieces) == 1:
            return first.fullmatch(text) is not None
        end = len(text) - last_len
        if end < first_len or first.match(text) is None or last.match(text, end) is None:
            return False
        return self._rest(text, first_len, end) is not None

    def search(self, text: str, start: int = 0) -> int | None:
        """Where the first match starts at or after `start` (SEARCH), or None."""
        text = _fold(text)
        first, first_len = self._pieces[0]
        found = first.search(text, start)
        if found is None:
            return None
        # The pieces after the first, each leftmost, fit after this start if after any later one.
        return found.start() if self._rest(text, found.start() + first_len, len(text),
                                           last=True) is not None else None

    def _rest(self, text: str, pos: int, end: int, last: bool = False) -> int | None:
        """Find the middle pieces (and the last one too, when `last`) leftmost, in order,
        within text[pos:end]; where the last one found ends, or None."""
        for piece, length in self._pieces[1:None if last else -1]:
            found = piece.search(text, pos, end)
            if found is None:
                return None
            pos = found.start() + length
        return pos


def _is_blank(value) -> bool:
    # formulas' EMPTY is a str token: compare by type too, so the text "empty" stays text
    return value is None or value is sh.EMPTY or (type(value) is _EMPTY_TYPE and value == sh.EMPTY)


# The kinds of the classes most cells hold, found without the checks below (a criterion tests every
# cell of its range).
_PLAIN_KINDS = {float: "number", int: "number", str: "text", bool: "bool"}


def _kind(value) -> str:
    """blank, error, bool, number or text."""
    kind = _PLAIN_KINDS.get(value.__class__)
    if kind is not None:
        return kind
    if _is_blank(value):
        return "blank"
    if isinstance(value, FormulasError):
        return "error"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, float, np.number)):
        return "number"
    return "text"


def _operand(text: str):
    """The criterion text after its operator, as Excel reads it: (kind, value)."""
    number = text_to_number(text)
    if number is not None:
        return "number", number
    if text.upper() in ("TRUE", "FALSE"):
        return "bool", text.upper() == "TRUE"
    if text.upper() in Error.errors:
        return "error", Error.errors[text.upper()]
    return "text", text


def _equals(kind: str, value):
    """The "=" test for an operand of `kind`."""
    if kind == "number":
        def test(v):
            k = _kind(v)
            if k == "number":
                return float(v) == value
            return k == "text" and text_to_number(v) == value
        return test
    if kind == "bool":
        return lambda v: _kind(v) == "bool" and bool(v) == value
    if kind == "error":
        return lambda v: _kind(v) == "error" and v == value
    if _WILDCARD.search(value):
        fullmatch = Wildcard(value).fullmatch
        return lambda v: _kind(v) == "text" and fullmatch(v)
    wanted = value.casefold()
    return lambda v: _kind(v) == "text" and v.casefold() == wanted


def _compares(op: str, kind: str, value):
    """An ordering test (<, <=, >, >=): only values of the operand's own kind take part."""
    cmp = _COMPARE[op]
    if kind == "number":
        def test(v):
            cls = v.__class__
            if cls is float or cls is int:  # most cells: no need to ask _kind
                return cmp(float(v), value)
            return _kind(v) == "number" and cmp(float(v), value)
        return test
    if kind == "bool":
        return lambda v: _kind(v) == "bool" and cmp(bool(v), value)
    if kind == "text":
        wanted = value.casefold()
        return lambda v: _kind(v) == "text" and cmp(v.casefold(), wanted)
    return lambda v: False


def criterion_test(condition):
    """A test of one cell value against an Excel criterion (see the module docstring)."""
    kind = _kind(condition)
    if kind == "text":
        return _text_criterion(str(condition))
    if kind == "blank":
        return _equals("number", 0.0)
    return _equals(kind, float(condition) if kind == "number" else condition)


@functools.lru_cache(maxsize=4096)
def _text_criterion(condition: str):
    op = next((o for o in _OPERATORS if condition.startswith(o)), "")
    text = condition[len(op):]
    if text == "":
        if op == "":
            return lambda v: _is_blank(v) or (_kind(v) == "text" and v == "")
        if op == "=":
            return _is_blank
        if op == "<>":
            return lambda v: not _is_blank(v)
        return lambda v: False
    kind, value = _operand(text)
    if op in ("", "="):
        return _equals(kind, value)
    if op == "<>":
        if kind == "number":  # "<>23" leaves out the numbers 23 only, not the text '23'
            return lambda v: not (_kind(v) == "number" and float(v) == value)
        equal = _equals(kind, value)
        return lambda v: not equal(v)
    return _compares(op, kind, value)


def numeric_ordering(condition):
    """(comparison, number) when a criterion orders numbers (">425", "<=35"): it picks the cells
    holding a number so compared and nothing else (_compares), which the fast plan answers from
    the range's numbers at once; None for any other criterion."""
    if not isinstance(condition, str) or _kind(condition) != "text":
        return None
    op = next((o for o in _OPERATORS if condition.startswith(o)), "")
    if op not in _COMPARE:
        return None
    kind, value = _operand(condition[len(op):])
    return (_COMPARE[op], value) if kind == "number" else None


def numbers_of(values: list) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the numbers among `values` (as criteria tell them: not booleans, not
    numeric text) and those numbers, for numeric_ordering's comparison."""
    found = [(i, float(v)) for i, v in enumerate(values) if _kind(v) == "number"]
    return (np.fromiter((i for i, _ in found), np.int64, len(found)),
            np.fromiter((v for _, v in found), np.float64, len(found)))


def plain_text_equality(condition) -> str | None:
    """The case-folded text a criterion tests cells for equality with, when it is plain text ("alpha",
    "=alpha": no wildcard, not read as a number, boolean or error); else None. Such a test is
    `_kind(v) == "text" and v.casefold() == it`, which the fast plan answers from an index of the range."""
    if not isinstance(condition, str) or _kind(condition) != "text":
        return None
    op = next((o for o in _OPERATORS if condition.startswith(o)), "")
    text = condition[len(op):]
    if op not in ("", "=") or text == "":
        return None
    kind, value = _operand(text)
    if kind != "text" or _WILDCARD.search(value):
        return None
    return value.casefold()
