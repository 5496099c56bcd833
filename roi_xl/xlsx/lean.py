"""Lean sheets: a big sheet part read row by row, its plain rows never parsed, the edited rows put back.

A big sheet holds mostly plain rows: numbers and shared strings, or nothing at all (a sheet may
list every row to give it a height or a style, a million empty rows around a few cells). Their tree
took about 0.5 KB a cell (a million values: 0.9 GB) for nothing the writer or the engine's facts
read. `lean_sheet` reads a big part's plain rows straight from its bytes (`plain_cells`: one regex
that accepts only the plain form, every byte of the row understood) and leaves out of the bytes to
parse everything but the rows that need the tree: rows with a formula, an inline string, a hidden
row, anything written another way. `rows_into` puts the rows a writer edited back among the
original bytes, so the rows the tree lacks are kept byte for byte.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..references import IN_SHEET

__all__ = ["LeanSheet", "lean_sheet", "plain_cells", "rows_into"]

# A row with no cell that nothing reads (not hidden), written as Excel and openpyxl write one, its
# number first: <row r="9" ht="15" customHeight="1"/>. Dropped in one pass, before the rows are read.
_EMPTY_ROW = re.compile(rb'<row r="\d+"(?: (?!hidden=)[^\s=>/"]+="[^"]*")*\s*(?:/>|>\s*</row>)')
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
_LEAN_FROM = 1 << 20  # parts smaller than this are parsed whole
_STRETCH = 1 << 16  # bytes of rows told empty at once

# A plain cell: its reference, style, a type that needs no tree (not a formula's "str", not
# "inlineStr") and its value's text with no markup, entity or character XML refuses.
_TEXT = rb'[^<&\x00-\x08\x0b\x0c\x0e-\x1f]*'
_CELL_FORM = (rb'<c r="(%s)"(?: s="([0-9]{1,9})")?(?: t="(n|s|b|e|d)")?\s*'
              rb'(?:/>|>(?:(<v>)(' + _TEXT + rb')</v>)?</c>)')
_CELL = re.compile(_CELL_FORM % rb"[A-Za-z]{1,3}[0-9]{1,7}")  # a row _PLAIN_OR_KEPT found plain
# A plain row: numbered first, not hidden, no namespace declared, nothing but plain cells inside
# the sheet (a cell past XFD1048576 is the tree's, whose reader refuses it); or else a row the tree
# keeps (group 1: its number), up to its end: a row inside it is never taken for a plain one (a
# nested row, not the sheet's, is the tree's to see or not).
_PLAIN_OR_KEPT = (
    rb'<row r="[0-9]+"(?: (?!xmlns|hidden=|r=)[A-Za-z_][\w.:\-]*="[^"<&]*")*\s*>(?:\s*'
    + re.sub(rb"\((?!\?)", b"(?:", _CELL_FORM % IN_SHEET.encode()) + rb')*\s*</row>'
    rb'|<row r="([0-9]+)"(?:[^>"]|"[^"]*")*?(?:/>|>.*?</row>)')


@functools.cache
def _plain_or_kept() -> re.Pattern[bytes]:  # compiled on first use (~5 ms): only big parts need it
    return re.compile(_PLAIN_OR_KEPT, re.DOTALL)


@dataclass
class LeanSheet:
    """A big sheet part split for reading: `data`, the bytes to parse (the part without its plain
    and empty rows); `rows`, in document order, each plain row holding cells as the (start, end) of
    its bytes in `source` (read them with plain_cells) and each row `data` keeps as its number."""
    data: bytes
    source: bytes
    rows: list[tuple[int, int] | bytes]


def lean_sheet(data: bytes) -> LeanSheet | None:
    """A big sheet part without the rows read from its bytes, or None to parse it whole.

    Only when every row is numbered (the writer finds the rows it edited by their number), the
    part holds one plain `<sheetData>` and nothing in it hides markup (comments, CDATA,
    processing instructions), and when at least half the bytes need no tree. Hidden rows stay in
    the tree (SUBTOTAL reads them), as do rows with formulas (the writer edits them)."""
    if len(data) < _LEAN_FROM:
        return None
    start, end = data.find(b"<sheetData>"), data.rfind(b"</sheetData>")
    if start < 0 or end < start or data.find(b"sheetData", 0, start) >= 0 \
            or data.find(b"sheetData", end + len(b"</sheetData")) >= 0:
        return None
    source = _without_empty_rows(data, start + len(b"<sheetData>"), end)
    if source is None:
        return None
    start, end = source.find(b"<sheetData>") + len(b"<sheetData>"), source.find(b"</sheetData>")
    pieces: list[bytes] = [source[:start]]
    rows: list[tuple[int, int] | bytes] = []
    pos = start
    half, kept_bytes = len(data) // 2, 0  # past half the part kept, it is parsed whole: stop looking
    for m in _plain_or_kept().finditer(source, start, end):
        kept = m.group(1)
        if kept is not None:
            rows.append(kept)
            kept_bytes += m.end() - m.start()
            if kept_bytes >= half:
                return None
            continue
        pieces.append(source[pos:m.start()])
        pos = m.end()
        if source.find(b"<c", m.start(), pos) >= 0:
            rows.append((m.start(), pos))
    pieces.append(source[pos:])
    lean = b"".join(pieces)
    return LeanSheet(lean, source, rows) if len(lean) < len(data) // 2 else None


def _without_empty_rows(data: bytes, start: int, end: int) -> bytes | None:
    """`data` without the empty rows of its sheetData's inside (data[start:end]); None when a row
    there is not numbered first, or markup is hidden there (a comment, CDATA, a processing
    instruction, another sheetData). It is taken in stretches of 64 KB that end where a row
    starts: one that holds nothing but self-closing rows (each "<" a row's start, each ">" closing
    one, no hidden row) goes whole, told by counting alone, no row visited (a million such rows
    took a second by regex); in the others _EMPTY_ROW finds them. `data` itself when nothing goes."""
    view = memoryview(data)
    pieces: list[bytes | memoryview] = [view[:start]]
    changed = False
    pos = start
    while pos < end:
        stop = data.find(b'<row r="', min(pos + _STRETCH, end), end)
        stop = end if stop < 0 else stop
        tags = data.count(b"<", pos, stop)
        if (tags and tags == data.count(b'<row r="', pos, stop) == data.count(b"/>", pos, stop)
                == data.count(b">", pos, stop) and data.find(b"hidden", pos, stop) < 0):
            changed = True
        elif (data.find(b"<!", pos, stop) >= 0 or data.find(b"<?", pos, stop) >= 0
              or data.find(b"sheetData", pos, stop) >= 0
              or data.count(b"<row", pos, stop) != data.count(b'<row r="', pos, stop)):
            return None
        elif _EMPTY_ROW.search(data, pos, stop) is not None:
            pieces.append(_EMPTY_ROW.sub(b"", view[pos:stop]))
            changed = True
        else:
            pieces.append(view[pos:stop])
        pos = stop
    pieces.append(view[end:])
    return b"".join(pieces) if changed else data


def plain_cells(sheet: LeanSheet, row: tuple[int, int]) -> list[tuple[bytes, bytes, bytes, bytes, bytes]]:
    """A plain row's cells: (reference, style, type, b"<v>" or b"" when it has no value, value text)."""
    return _CELL.findall(sheet.source, row[0], row[1])


def rows_into(original: bytes, start: int, end: int, inner: bytes) -> list[bytes | memoryview] | None:
    """The original sheetData's inside (original[start:end]) with each row the lean tree kept
    replaced by its edited serialisation (`inner`, lxml's), as pieces to join (the original's as
    views, not copies); None when a row is not found as it was. The kept rows are found by their
    number in order (bytes.find: the rows between them are copied, not visited)."""
    view = memoryview(original)
    pieces: list[bytes | memoryview] = []
    pos = start
    for m in _ROW_NUMBER.finditer(inner):
        at = original.find(m.group(0), pos, end)
        if at < 0:
            return None
        new_end, old_end = _row_end(inner, m.start(), len(inner)), _row_end(original, at, end)
        if new_end < 0 or old_end < 0:
            return None
        pieces += [view[pos:at], inner[m.start():new_end]]
        pos = old_end
    pieces.append(view[pos:end])
    return pieces


def _row_end(data: bytes, start: int, end: int) -> int:
    """Where the row element opening at data[start] ends (-1: it does not)."""
    tag_end = data.find(b">", start, end) + 1
    if tag_end <= 0:
        return -1
    if data[tag_end - 2:tag_end] == b"/>":
        return tag_end
    close = data.find(b"</row>", tag_end, end)
    return close + 6 if close >= 0 else -1

