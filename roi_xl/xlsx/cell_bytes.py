"""Listed formula cells' values written straight into the bytes of a `<sheetData>`: a sheet part's
own bytes (`write_part`), or lxml's serialisation of its edited tree (`write_cells`).

Setting `<v>` and `t` element by element costs ~5 us a cell in lxml (a proxy for the cell and each
child, a new element moved into place); a sheet of 100,000 formulas spent half a second there, and as
long again parsing and serialising the part. The usual formula cell is `<c r="B7" s="3" t="str">
<f>..</f><v>..</v></c>`: for those the new bytes are written here as SheetEdit's tree edit makes the
cell (`<v>` after `<f>` with the text escaped as lxml escapes it; `t` after r and s, or gone; vm, the
old value's metadata, gone). Anything else, or anything not as plain as that (a cell without r, a
reference not in its row, a listed cell written another way or missing), gives None and the tree is
edited instead.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from roi_xl.references import column_letters

__all__ = ["write_cells", "write_part"]

_ROW_OR_CELL = re.compile(
    rb'<row(?=[\s/>])(?: r="([0-9]{1,7})")?'                                   # 1 row number
    rb'|(<c r="([A-Z]{1,3}([0-9]{1,7}))"(?: s="[0-9]{1,9}")?)'                  # 2 kept 3 ref 4 row
    rb'(?: t="(?:n|str|b|e)")?( cm="[0-9]{1,9}")?(?: vm="[0-9]{1,9}")?>'       # 5 cm kept, vm dropped
    rb'(<f(?:\s[^>]*)?(?:/>|>[^<]*</f>))(?:<v>[^<]*</v>|<v/>)?</c>'            # 6 the formula, kept
    rb'|<c(?=[\s/>])(?: r="([A-Z]{1,3}([0-9]{1,7}))")?')                       # 7 any other cell, 8 row
_DONE = (b"", b"")


def _text_bytes(text: str) -> bytes:
    """Character data as lxml writes it: &, <, > and carriage returns escaped."""
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return text.encode("utf-8")


Edits = dict[bytes, tuple[bytes, bytes]]  # b"B7" -> (its new t attribute, its new <v> and end tag)
# One cell's edit, as the writer plans it: (t attribute, <v> text or None, the value itself).
CellEdit = tuple[str | None, str | None, object]


def _wanted(cells: Iterable[tuple[bytes, CellEdit]]) -> Edits:
    """The listed cells' new bytes by reference, each distinct (t, text) encoded once."""
    encoded: dict[tuple[str | None, str | None], tuple[bytes, bytes]] = {}
    want: Edits = {}
    for ref, (t, text, _value) in cells:
        edit = encoded.get((t, text))
        if edit is None:  # the new type attribute, the new <v> and end tag
            edit = encoded[(t, text)] = (
                b' t="' + t.encode("ascii") + b'"' if t else b"",
                b"</c>" if text is None else b"<v>" + _text_bytes(text) + b"</v></c>")
        want[ref] = edit
    return want


def _named(cells: Mapping[tuple[int, int], CellEdit]) -> Iterator[tuple[bytes, CellEdit]]:
    """(b"B7", edit) for each ((7, 2), edit)."""
    letters: dict[int, bytes] = {}
    for (row_num, col), edit in cells.items():
        name = letters.get(col)
        if name is None:
            name = letters[col] = column_letters(col).encode("ascii")
        yield b"%b%d" % (name, row_num), edit


def write_cells(fragment: bytes, cells: Mapping[tuple[int, int], CellEdit]) -> bytes | None:
    """`fragment` (lxml's bytes of a sheetData in the default namespace) with each listed cell
    ((row, column) -> (t, <v> text or None, value)) given that value and type; None when one is
    not plainly there."""
    want = _wanted(_named(cells))
    found = 0
    row: bytes | None = None
    out = bytearray()  # grown in place: a list of pieces held ~60 MB for a sheet of 50,000 formulas
    view = memoryview(fragment)
    pos = 0
    for m in _ROW_OR_CELL.finditer(fragment):
        row_number, kept, ref, in_row, array, formula, other, other_row = m.groups()
        if kept is not None:
            if in_row != row:  # a cell out of its row: the tree knows which one the writer edits
                return None
            edit = want.get(ref)
            if edit is not None:
                if edit is _DONE:  # the same cell twice: so does the tree
                    return None
                want[ref] = _DONE
                found += 1
                out += view[pos:m.start()]
                out += kept
                out += edit[0]
                if array:
                    out += array
                out += b">"
                out += formula
                out += edit[1]
                pos = m.end()
        elif other_row is not None:  # a cell written another way: listed, it needs the tree
            if other_row != row or other in want:
                return None
        elif m.group(0)[1] == 0x72:  # <row
            if row_number is None:  # a row numbered by counting
                return None
            row = row_number
        else:  # a cell numbered by counting
            return None
    if found != len(want):
        return None
    out += view[pos:]
    return bytes(out)


# A formula cell in the forms cell_scan reads: 1 its reference, 2 its other attributes, 3 the formula
# (its attributes as cell_scan takes them), then its old value, if any.
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)>(<f(?: [a-zA-Z0-9:]+="[^"<&]*")*[ \t\r\n]*(?:/>|>[^<]*</f>))'
    rb'(?:<v/>|<v>[^<]*</v>)?</c>')
# A formula cell's other attributes in cell_scan's order: 1 s, kept before the new t, 2 cm, kept
# after it, 3 ph and the space before ">", kept last; t and vm (the old value's metadata) go.
_CELL_ATTRS = re.compile(rb'((?: s="[0-9]{1,9}")?)(?: t="(?:n|s|b|e|str|d|inlineStr)")?((?: cm="[0-9]{1,9}")?)'
                         rb'(?: vm="[0-9]{1,9}")?((?: ph="[01]")?[ \t\r\n]*)')
# Each row's number and each cell's reference, in order: b'w r="7"', b'c r="B7"'.
_ROW_OR_REF = re.compile(rb'<(?:ro)?(w r="[0-9]{1,7}"|c r="[A-Z]{1,3}[0-9]{1,7}")')
_LETTERS = bytes(range(0x41, 0x5b))
# Those, the letters taken out: every cell's number its row's (the row never written with a 0 first).
_IN_THEIR_ROWS = re.compile(rb'(?:w r="([1-9][0-9]*)"(?:c r="\1")*+)*+')
_DECLARED = re.compile(rb'<\?xml[^>]*?encoding=["\']([A-Za-z0-9._-]*)')


def write_part(data: bytes, cells: Mapping[str, CellEdit]) -> bytes | None:
    """A sheet part's own bytes `data` with each listed formula cell ("B7", as writer.by_reference
    writes it, -> (t, <v> text or None, value)) given that value and type, every other byte kept;
    None when a listed cell is not plainly there, or the cell its reference names may not be the one
    the tree edit finds.

    `data` must be a part cell_scan.scan accepted: its sheetData holds rows of cells in the forms it
    knows and nothing else (no comment, CDATA, namespace declaration, character reference...), so
    every `<c r=` there starts a cell of a row. What is checked here is what the scan does not
    promise: the tree edits the last row of a number and in it the last cell of a column, whatever
    its r says, so every row's number must be there once and every cell's reference be in its row,
    once; one pass over the references (C's, not a Python step a cell) makes sure of both."""
    start, end = data.find(b"<sheetData>"), data.rfind(b"</sheetData>")
    if start < 0 or end < start or data.count(b"sheetData") != 2 or not _utf8(data, start):
        return None
    inner = start + len(b"<sheetData>")
    refs = _ROW_OR_REF.findall(data, inner, end)
    if len(set(refs)) != len(refs) or _IN_THEIR_ROWS.fullmatch(b"".join(refs).translate(None, _LETTERS)) is None:
        return None
    want = _wanted(zip("\n".join(cells).encode("ascii").split(b"\n"), cells.values()))
    # The bytes between a cell's reference and its formula, by its other attributes and new t.
    middles: dict[tuple[bytes, bytes], bytes | None] = {}
    found = 0
    out = bytearray()
    view = memoryview(data)
    pos = 0
    for m in _FORMULA_CELL.finditer(data, inner, end):
        ref, attrs, formula = m.groups()
        edit = want.get(ref)
        if edit is None:
            continue
        middle = middles.get((attrs, edit[0]), b"")
        if middle == b"":
            a = _CELL_ATTRS.fullmatch(attrs)
            middle = middles[(attrs, edit[0])] = (
                None if a is None else b'"' + a.group(1) + edit[0] + a.group(2) + a.group(3) + b">")
        if middle is None or edit is _DONE:
            return None
        want[ref] = _DONE
        found += 1
        out += view[pos:m.end(1)]
        out += middle
        out += formula
        out += edit[1]
        pos = m.end()
    if found != len(want):
        return None
    out += view[pos:]
    return bytes(out)


def _utf8(data: bytes, start: int) -> bool:
    """Whether the part is UTF-8 as its declaration (before `start`) says: the new text is."""
    m = _DECLARED.match(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0, start)
    return not data.startswith((b"\xff\xfe", b"\xfe\xff")) and (
        m is None or m.group(1).upper().replace(b"-", b"") == b"UTF8")
