"""Listed formula cells' values written straight into lxml's serialisation of a `<sheetData>`.

Setting `<v>` and `t` element by element costs ~5 us a cell in lxml (a proxy for the cell and each
child, a new element moved into place); a sheet of 100,000 formulas spent half a second there. The
usual formula cell comes out of lxml as `<c r="B7" s="3" t="str"><f>..</f><v>..</v></c>`: for
those the new bytes are written here, as lxml would write the edited cell (SheetEdit's tree edit:
`<v>` after `<f>` with the text escaped as lxml escapes it, `t` after r and s, or gone). Anything
else, or anything not as plain as that (a cell without r, a reference not in its row, a listed
cell written another way or missing), gives None and the tree is edited instead.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from roi_xl.references import column_letters

__all__ = ["write_cells"]

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


def write_cells(fragment: bytes, cells: Mapping[tuple[int, int], tuple[str | None, str | None, object]]
                ) -> bytes | None:
    """`fragment` (lxml's bytes of a sheetData in the default namespace) with each listed cell
    ((row, column) -> (t, <v> text or None, value)) given that value and type; None when one is
    not plainly there."""
    letters: dict[int, bytes] = {}
    encoded: dict[tuple[str | None, str | None], tuple[bytes, bytes]] = {}
    want: dict[bytes, tuple[bytes, bytes]] = {}
    for (row_num, col), (t, text, _value) in cells.items():
        name = letters.get(col)
        if name is None:
            name = letters[col] = column_letters(col).encode("ascii")
        edit = encoded.get((t, text))
        if edit is None:  # the new type attribute, the new <v> and end tag
            edit = encoded[(t, text)] = (
                b' t="' + t.encode("ascii") + b'"' if t else b"",
                b"</c>" if text is None else b"<v>" + _text_bytes(text) + b"</v></c>")
        want[b"%b%d" % (name, row_num)] = edit
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
