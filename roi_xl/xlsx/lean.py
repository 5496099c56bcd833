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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from roi_xl.errors import NeedsWholeTree

from ..references import IN_SHEET

__all__ = ["LeanSheet", "LeanReader", "empty_rows", "empty_stretches", "lean_sheet", "plain_cells", "row_cells",
           "rows_into"]

# A row with no cell that nothing reads (not hidden), written as Excel and openpyxl write one, its
# number first: <row r="9" ht="15" customHeight="1"/>. Dropped in one pass, before the rows are read.
_EMPTY_ROW = re.compile(rb'<row r="\d+"(?: (?!hidden=)[^\s=>/"]+="[^"]*")*\s*(?:/>|>\s*</row>)')
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
_LEAN_FROM = 1 << 20  # parts smaller than this are parsed whole
_STRETCH = 1 << 16  # bytes of rows told empty at once
_MOSTLY_KEPT = 0.9  # share of the rows' bytes read so far that LeanReader._mostly_kept tells

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
    its bytes in `source` (the plain rows' bytes one after another: read them with plain_cells) and
    each row `data` keeps as its number; `inside`, where the sheetData's inside starts and ends in
    the part (the writer puts the edited rows back there)."""
    data: bytes
    source: bytes | bytearray
    rows: list[tuple[int, int] | bytes]
    inside: tuple[int, int] = (0, 0)


def lean_sheet(data: bytes) -> LeanSheet | None:
    """A big sheet part without the rows read from its bytes, or None to parse it whole (LeanReader
    fed the whole part at once)."""
    reader = LeanReader(len(data))
    return reader.finish() if reader.feed(data) else None


class LeanReader:
    """lean_sheet for a part fed in pieces of any size (part_stream inflates it a chunk at a time),
    keeping only the bytes to parse and the plain rows that hold cells: memory does not grow with
    the empty rows. `size` is the part's length. With `take`, the plain rows with cells that come
    before any row the tree keeps are handed to it as they are met (take(data, start, end): the
    row is data[start:end]) rather than kept: the rows of a sheet of values are never held (29 MB
    for a million values); the reader of the part discards what it took if it is then refused.

    Only when every row is numbered (the writer finds the rows it edited by their number), the
    part holds one plain `<sheetData>` and nothing in it hides markup (comments, CDATA,
    processing instructions), and when at least half the bytes need no tree. Hidden rows stay in
    the tree (SUBTOTAL reads them), as do rows with formulas (the writer edits them).

    The sheetData's inside is taken in stretches of 64 KB that end where a row starts: one that
    holds nothing but self-closing rows goes whole, told by counting alone, no row visited (a
    million such rows took a second by regex); in the others _EMPTY_ROW finds the empty rows, then
    _plain_or_kept the plain rows (read from their bytes) and the rows the tree keeps. No row spans two stretches."""

    def __init__(self, size: int, take: Callable[[bytes, int, int], None] | None = None, dense: bool = False):
        self.size, self.take = size, take
        # a part that deflates no better than cells do (part_stream.lean_reader): refused after its first
        # chunk when that chunk's rows nearly all go to the tree (most likely a sheet of formulas,
        # to be read whole), rather than after half the part
        self.dense = dense
        self.buf = b""               # bytes fed and not yet taken
        self.taken = 0               # bytes of the part before buf
        self.state = "head" if size >= _LEAN_FROM else "refused"
        self.lean: list[bytes] = []  # the bytes to parse
        self.lean_size = 0
        self.plain = bytearray()  # the plain rows with cells, one after another (grown in place)
        self.rows: list[tuple[int, int] | bytes] = []
        self.inside = (0, 0)
        self.head = 0  # bytes to parse before the sheetData's inside
        self.known: list[tuple[int, int]] = []  # stretches of the part told empty (feed's `empty`)

    def feed(self, chunk: bytes, empty: Iterable[tuple[int, int]] = ()) -> bool:
        """Take the part's next bytes; False once it is known not to be lean (feed no more).
        `empty`: stretches of the part (start and end offsets) its reader found to hold nothing
        but empty rows (empty_stretches), which are not tested again."""
        for start, end in empty:
            if self.known and self.known[-1][1] == start:  # one stretch after another: one
                start = self.known.pop()[0]
            self.known.append((start, end))
        fed = self._feed(chunk)
        if self.dense:  # its first chunk only
            self.dense = False
            if fed and self._mostly_kept():
                return self._refuse()
        return fed

    def _feed(self, chunk: bytes) -> bool:
        if self.state == "refused":
            return False
        searched = max(len(self.buf) - len(b"sheetData"), 0)  # bytes found without "sheetData"
        buf = self.buf + chunk if self.buf else chunk
        if self.state == "head":
            at = buf.find(b"sheetData")
            if at < 0 or len(buf) < at + 10:
                self.buf = buf
                return self._keep(len(buf))
            if buf[at - 1:at + 10] != b"<sheetData>" or at < 1:
                return self._refuse()
            self._add(buf[:at + 10])
            self.head = self.lean_size
            self.taken += at + 10
            self.inside = (self.taken, 0)
            buf, self.state, searched = buf[at + 10:], "inside", 0
        if self.state == "inside":
            # memchr finds a byte 10 times faster than find a word: no "D", no "sheetData"
            at = buf.find(b"sheetData", searched) if buf.find(b"D", searched) >= 0 else -1
            stop = len(buf) if at < 0 else at - 2
            if at >= 0 and (at < 2 or buf[stop:at + 10] != b"</sheetData>"):
                if len(buf) < at + 10:  # its end not fed yet
                    self.buf = buf
                    return True
                return self._refuse()
            pos = 0
            while True:  # the stretches that end where a row starts, the last one at the inside's end
                cut = buf.find(b'<row r="', min(pos + _STRETCH, stop), stop)
                if cut < 0:
                    if at < 0:
                        break
                    cut = stop
                if not self._stretch(buf, pos, cut):
                    return self._refuse()
                pos = cut
                if pos == stop:
                    break
            self.taken += pos
            buf = buf[pos:]
            if at >= 0:
                self.inside, self.state = (self.inside[0], self.taken), "tail"
        self.buf = buf
        return self._keep(len(buf)) if self.state == "tail" else True

    def _mostly_kept(self) -> bool:
        """Whether the rows read so far (a stretch at least) nearly all went to the bytes to parse:
        rows with formulas, most likely all the way."""
        seen = (self.taken if self.state == "inside" else self.inside[1]) - self.inside[0]
        return self.state in ("inside", "tail") and seen >= _STRETCH and \
            self.lean_size - self.head > seen * _MOSTLY_KEPT

    def finish(self) -> LeanSheet | None:
        """The lean part once every byte was fed; None to parse it whole."""
        tail = self.buf
        if self.state != "tail" or tail.find(b"sheetData", len(b"</sheetData")) >= 0:
            return None
        self._add(tail)
        if not self._keep(0):
            return None
        return LeanSheet(b"".join(self.lean), self.plain, self.rows, self.inside)

    def _keep(self, more: int) -> bool:
        """Whether the bytes to parse (with `more` to come) are still under half the part's."""
        return self.lean_size + more < self.size // 2 or self._refuse()

    def _refuse(self) -> bool:
        self.state, self.buf, self.lean, self.plain, self.rows = "refused", b"", [], bytearray(), []
        return False

    def _add(self, piece: bytes) -> None:
        if piece:
            self.lean.append(piece)
            self.lean_size += len(piece)

    def _known(self, start: int, end: int) -> bool:
        """Whether the part's bytes start:end lie in a stretch told empty (those before are dropped)."""
        known = self.known
        while known and known[0][1] < end:
            if known[0][1] <= start:
                known.pop(0)
            else:
                return False
        return bool(known) and known[0][0] <= start

    def _stretch(self, data: bytes, pos: int, stop: int) -> bool:
        """Take data[pos:stop], a stretch of rows; False when a row there is not numbered first, or
        markup is hidden there (a comment, CDATA, a processing instruction)."""
        if self._known(self.taken + pos, self.taken + stop) or empty_rows(data, pos, stop):
            return True
        if (data.find(b"<!", pos, stop) >= 0 or data.find(b"<?", pos, stop) >= 0
                or data.count(b"<row", pos, stop) != data.count(b'<row r="', pos, stop)):
            return False
        if _EMPTY_ROW.search(data, pos, stop) is not None:
            data = _EMPTY_ROW.sub(b"", data[pos:stop])
            pos, stop = 0, len(data)
        for m in _plain_or_kept().finditer(data, pos, stop):
            kept = m.group(1)
            if kept is not None:
                self.rows.append(kept)
                continue
            self._add(data[pos:m.start()])
            pos = m.end()
            if data.find(b"<c", m.start(), pos) >= 0:
                if self.take is not None and not self.rows:  # no row kept yet: read it now
                    self.take(data, m.start(), pos)
                    continue
                at = len(self.plain)
                self.plain += memoryview(data)[m.start():pos]
                self.rows.append((at, len(self.plain)))
        self._add(data[pos:stop])
        return self._keep(0)


def empty_rows(data: bytes, pos: int, stop: int) -> bool:
    """Whether data[pos:stop] holds nothing but empty rows, one after another, none hidden: each "<"
    a row's start and each ">" closing one ("/>" then a row's start between two, the first and last
    checked alone; a row written with spaces around it is left to _EMPTY_ROW). So no cell, formula,
    comment, CDATA or other markup starts there: nothing in it for the guard to count."""
    first = data.find(b"<", pos + 1, stop)  # a row of cells fails on its second tag, before any count
    if first >= 0 and not data.startswith(b'/><row r="', first - 2, stop):
        return False
    tags = data.count(b"<", pos, stop)
    return bool(tags and tags - 1 == data.count(b'/><row r="', pos, stop) and tags == data.count(b">", pos, stop)
                and data.startswith(b'<row r="', pos) and data.endswith(b"/>", pos, stop)
                and (data.find(b"d", pos, stop) < 0 or data.find(b"hidden", pos, stop) < 0))  # "d": memchr


def empty_stretches(data: bytes, pos: int, stop: int) -> list[tuple[int, int]]:
    """The stretches of data[pos:stop] that hold nothing but empty rows (empty_rows), cut as
    LeanReader cuts the sheetData's inside: about 64 KB, each starting where a row starts; one
    after another joined."""
    found: list[tuple[int, int]] = []
    start = data.find(b'<row r="', pos, stop)
    while 0 <= start < stop:
        cut = data.find(b'<row r="', min(start + _STRETCH, stop), stop)
        cut = stop if cut < 0 else cut
        if empty_rows(data, start, cut):
            if found and found[-1][1] == start:
                start = found.pop()[0]
            found.append((start, cut))
        start = cut
    return found


def plain_cells(sheet: LeanSheet, row: tuple[int, int]) -> list[tuple[bytes, bytes, bytes, bytes, bytes]]:
    """A plain row's cells: (reference, style, type, b"<v>" or b"" when it has no value, value text)."""
    return row_cells(sheet.source, *row)


def row_cells(data: bytes | bytearray, start: int, end: int) -> list[tuple[bytes, bytes, bytes, bytes, bytes]]:
    """The cells of the plain row data[start:end], as plain_cells gives them."""
    return _CELL.findall(data, start, end)


def rows_into(original: Iterable[bytes], inner: bytes) -> Iterator[bytes]:
    """The original sheetData's inside (`original`, its bytes in pieces of any size) with each row
    the lean tree kept replaced by its edited serialisation (`inner`, lxml's), in pieces;
    NeedsWholeTree when a row is not found as it was. The kept rows are found by their number in order
    (bytes.find: the rows between them are passed on, not visited)."""
    pieces = iter(original)
    buf, pos = b"", 0  # buf[pos:] not yet passed on
    for m in _ROW_NUMBER.finditer(inner):
        new_end = _row_end(inner, m.start(), len(inner))
        if new_end < 0:
            raise NeedsWholeTree(m.group(1).decode())
        needle = m.group(0)
        at = buf.find(needle, pos)
        while at < 0:  # passed on but for a needle's start that may go on in the next piece
            keep = max(len(buf) - len(needle) + 1, pos)
            if keep > pos:
                yield buf[pos:keep]
            buf, pos = buf[keep:] + _next(pieces, needle), 0
            at = buf.find(needle)
        if at > pos:
            yield buf[pos:at]
        old_end = _row_end(buf, at, len(buf))
        while old_end < 0:
            buf, at = buf[at:] + _next(pieces, needle), 0
            old_end = _row_end(buf, at, len(buf))
        yield inner[m.start():new_end]
        pos = old_end
    if pos < len(buf):
        yield buf[pos:]
    yield from pieces


def _next(pieces: Iterator[bytes], needle: bytes) -> bytes:
    piece = next(pieces, None)
    if piece is None:
        raise NeedsWholeTree(needle.decode("ascii", "replace"))
    return piece


def _row_end(data: bytes, start: int, end: int) -> int:
    """Where the row element opening at data[start] ends (-1: it does not)."""
    tag_end = data.find(b">", start, end) + 1
    if tag_end <= 0:
        return -1
    if data[tag_end - 2:tag_end] == b"/>":
        return tag_end
    close = data.find(b"</row>", tag_end, end)
    return close + 6 if close >= 0 else -1

