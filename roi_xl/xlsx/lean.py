"""Lean sheets: a big sheet part read without its empty rows, and the edited rows put back.

A sheet may list every row of the sheet to give it a height or a style: a million empty rows
around a few cells cost a tree of 0.9 GB and seconds, for nothing a reader needs. `lean_sheet`
drops them from the bytes before parsing; `rows_into` puts the rows a writer edited back among the
original bytes, so the empty rows are kept byte for byte.
"""
from __future__ import annotations

import re

__all__ = ["lean_sheet", "rows_into"]

# A row with no cell that nothing reads (not hidden), written as Excel and openpyxl write one, its
# number first: <row r="9" ht="15" customHeight="1"/>. Anything else stays in the tree.
_EMPTY_ROW = re.compile(rb'<row r="\d+"(?: (?!hidden=)[^\s=>/"]+="[^"]*")*\s*(?:/>|>\s*</row>)')
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
_LEAN_FROM = 1 << 20  # parts smaller than this are parsed whole


def lean_sheet(data: bytes) -> bytes | None:
    """A big sheet part's bytes without its empty rows, or None to parse it whole.

    A sheet may list every row of the sheet to give it a height or a style, a million empty rows
    around a few cells: their tree took 0.9 GB and seconds, for nothing the engine reads (hidden
    rows are kept: SUBTOTAL reads them). Only when every row is numbered (a tree without some rows
    would count unnumbered ones wrong). The writer puts the edited rows back among the original
    bytes (rows_into), so the empty rows are kept byte for byte."""
    if len(data) < _LEAN_FROM:
        return None
    if data.count(b"<row") - data.count(b"<rowBreaks") != data.count(b'<row r="'):
        return None
    lean = _EMPTY_ROW.sub(b"", data)
    return lean if len(lean) < len(data) // 2 else None


def rows_into(original: bytes, start: int, end: int, inner: bytes) -> bytes | None:
    """The original sheetData's inside (original[start:end]) with each row the lean tree kept
    replaced by its edited serialisation (`inner`, lxml's); None when a row is not found as it was.
    The kept rows are found by their number in order (bytes.find: the empty rows between them are
    copied, not visited)."""
    pieces: list[bytes] = []
    pos = start
    for m in _ROW_NUMBER.finditer(inner):
        at = original.find(m.group(0), pos, end)
        if at < 0:
            return None
        new_end, old_end = _row_end(inner, m.start(), len(inner)), _row_end(original, at, end)
        if new_end < 0 or old_end < 0:
            return None
        pieces += [original[pos:at], inner[m.start():new_end]]
        pos = old_end
    pieces.append(original[pos:end])
    return b"".join(pieces)


def _row_end(data: bytes, start: int, end: int) -> int:
    """Where the row element opening at data[start] ends (-1: it does not)."""
    tag_end = data.find(b">", start, end) + 1
    if tag_end <= 0:
        return -1
    if data[tag_end - 2:tag_end] == b"/>":
        return tag_end
    close = data.find(b"</row>", tag_end, end)
    return close + 6 if close >= 0 else -1

