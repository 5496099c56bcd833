"""Editing one worksheet part: listed cells given a value, the rest of the part kept byte for byte.

`SheetEdit` holds a sheet part's tree (parsed whole, or lean: without its empty rows) and applies a
writer's plan to it: each listed cell's cached value `<v>` and type `t` set (a missing `<c>` or
`<row>` created in order, with its row's or column's style; spans and `<dimension>` widened), or
every formula removed (`values_only`), or an input typed (`inputs`: never over a formula). Only
`<sheetData>` (and `<dimension ref>`) change, so `to_bytes` splices the new sheetData into the
original bytes; a lean tree's edited rows go back among the original rows (lean.rows_into).
"""
from __future__ import annotations

import bisect
import functools
import re
import zipfile
from collections.abc import Iterator

from lxml import etree

from roi_xl.errors import NeedsWholeTree
from roi_xl.references import column_index, column_letters

from .cell_bytes import CellEdit, write_cells
from .lean import rows_into
from .package import parse
from .part_stream import SourcePart, spliced
from .splice import serialize, start_tag_end

__all__ = ["SheetEdit", "CellEdit"]

_XML_NS = "http://www.w3.org/XML/1998/namespace"
_RANGE_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?$")
_SHEETDATA_OPEN = re.compile(rb"<((?:[A-Za-z_][\w.\-]*:)?sheetData)(?=[\s/>])")
_DIMENSION_REF = re.compile(rb"""<(?:[A-Za-z_][\w.\-]*:)?dimension\s[^>]*?\bref\s*=\s*(["'])(.*?)\1""")

def _matches_at(pattern: re.Pattern[bytes], data: bytes, needle: bytes) -> list[re.Match[bytes]]:
    """pattern.finditer(data) for a pattern whose every match holds `needle` after at most a tag's
    "<" and prefix: only the few places bytes.find finds it are tried (a regex walking a 40 MB part
    took half a second)."""
    out: list[re.Match[bytes]] = []
    at = data.find(needle)
    while at >= 0:
        lt = data.rfind(b"<", 0, at + 1)
        m = pattern.match(data, lt) if lt >= 0 else None
        if m is not None and m.start() <= at < m.end() and (not out or m.start() >= out[-1].end()):
            out.append(m)
        at = data.find(needle, at + 1)
    return out


@functools.lru_cache(maxsize=1 << 16)
def _column_of(ref: str) -> int:
    """Column number of a cell reference found in a sheet ("AB12" -> 28). Any number of letters:
    an r attribute is whatever the file holds (references.column_index refuses past ZZZ)."""
    n = 0
    for ch in ref.rstrip("0123456789").lstrip("$").rstrip("$").upper():
        n = n * 26 + (ord(ch) - 64)
    return n



def _truthy(value: str | None) -> bool:
    return value in ("1", "true", "on")


class SheetEdit:
    """One worksheet part's tree and the edits made to it: `apply` them, then `to_bytes`.

    `tree` is the part already parsed (by package.parse), else `data` is parsed; `lean`: that tree
    was parsed from lean.lean_sheet's bytes."""

    def __init__(self, data: bytes, part: str, tree: etree._ElementTree | None = None, lean: bool = False):
        self.part = part
        self.lean = lean  # the tree lacks the part's empty rows (lean_sheet)
        self.tree = parse(data, part) if tree is None else tree
        root = self.tree.getroot()
        self.ns = etree.QName(root).namespace
        q = lambda name: f"{{{self.ns}}}{name}" if self.ns else name  # noqa: E731
        self.ROW, self.C, self.F, self.V, self.IS, self.T = (q(n) for n in ("row", "c", "f", "v", "is", "t"))
        self.sheet_data = root.find(q("sheetData"))
        if self.sheet_data is None:
            raise ValueError(f"{part} is not a worksheet (no sheetData): only worksheets hold cell values")
        self.root = root
        self._q = q
        self.created: list[tuple[int, int]] = []
        self.dimension_changed = False
        self.had_cells = next(self.sheet_data.iter(self.C), None) is not None
        self._col_styles: list[tuple[int, int, str]] | None = None  # (min, max, style) of <col>s
        self.pending: dict[tuple[int, int], CellEdit] | None = None  # cached values not yet written

    # -- rows and cells by number; r attributes are optional in the format, so count where missing
    def _rows(self) -> dict[int, etree._Element]:
        rows, prev = {}, 0
        for row in self.sheet_data.iterchildren(self.ROW):
            r = row.get("r")
            prev = int(r) if r else prev + 1
            rows[prev] = row
        return rows

    def _cells(self, row: etree._Element) -> dict[int, etree._Element]:
        cells, prev = {}, 0
        for c in row.iterchildren(self.C):
            r = c.get("r")
            prev = _column_of(r) if r else prev + 1
            cells[prev] = c
        return cells

    @staticmethod
    def _number_all(items: dict[int, etree._Element], make_ref) -> None:
        # Inserting among elements without r would shift their implied positions: pin them first.
        for n, el in items.items():
            if el.get("r") is None:
                el.set("r", make_ref(n))

    def _style_for(self, row_el: etree._Element, col: int) -> str | None:
        """The style a cell created here inherits: the row's, else its column's (Excel's order)."""
        if _truthy(row_el.get("customFormat")) and row_el.get("s") not in (None, "0"):
            return row_el.get("s")
        if self._col_styles is None:
            self._col_styles = []
            cols = self.root.find(self._q("cols"))
            for col_el in (cols if cols is not None else ()):
                if col_el.tag == self._q("col") and col_el.get("style") not in (None, "0"):
                    try:
                        self._col_styles.append((int(col_el.get("min")), int(col_el.get("max")),
                                                 col_el.get("style")))
                    except (TypeError, ValueError):
                        pass
        for lo, hi, style in self._col_styles:
            if lo <= col <= hi:
                return style
        return None

    def apply(self, cells: dict[tuple[int, int], CellEdit], values_only: bool,
              inputs: bool = False) -> None:
        """Make the edits `cells` plans ((row, column) -> CellEdit); with `values_only` remove every
        formula of the sheet; with `inputs` type each value as a user would (ValueError for a cell
        holding a formula). NeedsWholeTree when a lean tree lacks a row to edit. Cached values
        alone are kept for `to_bytes` to write into the serialised cells (cell_bytes), else the tree."""
        if not values_only and not inputs:
            self.pending = cells
            return
        self._apply_tree(cells, values_only, inputs)

    def _apply_pending(self) -> None:
        if self.pending is not None:
            cells, self.pending = self.pending, None
            self._apply_tree(cells, False, False)

    def _apply_tree(self, cells: dict[tuple[int, int], CellEdit], values_only: bool, inputs: bool) -> None:
        rows = self._rows()
        row_order = sorted(rows)
        by_row: dict[int, list[int]] = {}
        for row, col in cells:
            by_row.setdefault(row, []).append(col)
        for row_num in sorted(by_row):
            row_el = rows.get(row_num)
            if row_el is None:
                if self.lean:  # the row may be one of those the lean tree lacks
                    raise NeedsWholeTree
                row_el = self._new_row(rows, row_order, row_num)
            cols = by_row[row_num]
            existing = self._cells(row_el)
            col_order = None
            for col in sorted(cols):
                cell = existing.get(col)
                if cell is None:
                    if col_order is None:
                        col_order = sorted(existing)
                    cell = self._new_cell(row_el, existing, col_order, row_num, col)
                t, text, _value = cells[(row_num, col)]
                if inputs and cell.find(self.F) is not None:
                    raise ValueError(f"{self.part}: {column_letters(col)}{row_num} holds a "
                                     "formula, not an input")
                self._set_value(cell, t, text, inline=values_only or inputs)
        if values_only:
            self._freeze()
        if self.created:
            self._widen_dimension()

    def _new_row(self, rows: dict[int, etree._Element], order: list[int], row_num: int) -> etree._Element:
        self._number_all(rows, str)
        new = self.sheet_data.makeelement(self.ROW, {"r": str(row_num)})
        i = bisect.bisect_right(order, row_num)
        if i < len(order):
            rows[order[i]].addprevious(new)
        else:
            self.sheet_data.append(new)
        order.insert(i, row_num)
        rows[row_num] = new
        return new

    def _new_cell(self, row_el, existing: dict[int, etree._Element], order: list[int], row_num: int, col: int):
        self._number_all(existing, lambda c: f"{column_letters(c)}{row_num}")
        attrib = {"r": f"{column_letters(col)}{row_num}"}
        style = self._style_for(row_el, col)
        if style is not None:
            attrib["s"] = style
        new = row_el.makeelement(self.C, attrib)
        i = bisect.bisect_right(order, col)
        if i < len(order):
            existing[order[i]].addprevious(new)
        else:
            # before a row-level extLst, if any (cells come first in CT_Row)
            tail = [ch for ch in row_el if ch.tag != self.C and isinstance(ch.tag, str)]
            if tail:
                tail[0].addprevious(new)
            else:
                row_el.append(new)
        order.insert(i, col)
        existing[col] = new
        self._widen_spans(row_el, col)
        self.created.append((row_num, col))
        return new

    def _widen_spans(self, row_el, col: int) -> None:
        spans = row_el.get("spans")
        if not spans:
            return
        try:
            ranges = [tuple(int(x) for x in part.split(":")) for part in spans.split()]
        except ValueError:
            return
        if any(lo <= col <= hi for lo, hi in ranges):
            return
        lo = min([col] + [r[0] for r in ranges])
        hi = max([col] + [r[1] for r in ranges])
        row_el.set("spans", f"{lo}:{hi}")

    def _widen_dimension(self) -> None:
        dim = self.root.find(self._q("dimension"))
        if dim is None or not dim.get("ref"):
            return
        m = _RANGE_REF.match(dim.get("ref"))
        if not m:
            return
        r1, c1 = int(m.group(2)), column_index(m.group(1))
        r2, c2 = (int(m.group(4)), column_index(m.group(3))) if m.group(3) else (r1, c1)
        rows = [r for r, _ in self.created]
        cols = [c for _, c in self.created]
        if self.had_cells:
            nr1, nc1 = min([r1] + rows), min([c1] + cols)
            nr2, nc2 = max([r2] + rows), max([c2] + cols)
        else:  # an empty sheet says "A1" with no cell there: the new cells alone count
            nr1, nc1, nr2, nc2 = min(rows), min(cols), max(rows), max(cols)
        if (nr1, nc1, nr2, nc2) == (r1, c1, r2, c2):
            return
        first = f"{column_letters(nc1)}{nr1}"
        last = f"{column_letters(nc2)}{nr2}"
        dim.set("ref", first if first == last else f"{first}:{last}")
        self.dimension_changed = True

    def _set_t(self, cell, t: str | None) -> None:
        current = cell.get("t")
        if current == t:
            return
        if t is None:
            del cell.attrib["t"]
            return
        if current is not None:
            cell.set("t", t)
            return
        # Keep the schema's attribute order r, s, t, cm, vm, ph.
        items = list(cell.attrib.items())
        pos = 0
        while pos < len(items) and items[pos][0] in ("r", "s"):
            pos += 1
        items.insert(pos, ("t", t))
        cell.attrib.clear()
        for key, value in items:
            cell.set(key, value)

    def _set_value(self, cell, t: str | None, text: str | None, inline: bool) -> None:
        f = v = None
        for child in list(cell):  # at most f, v, is, extLst: one pass instead of several finds
            tag = child.tag
            if tag == self.V:
                v = child
            elif tag == self.F:
                f = child
            elif tag == self.IS:
                cell.remove(child)
        # A value's metadata (a rich value such as Excel's own #SPILL!) belongs to the old value.
        if cell.get("vm") is not None:
            del cell.attrib["vm"]
        if text is None:
            if v is not None:
                cell.remove(v)
            self._set_t(cell, None)
            return
        if t == "str" and inline:
            # frozen: a formula string without its formula becomes an inline string
            if v is not None:
                cell.remove(v)
            self._set_inline(cell, text)
            return
        if v is None:
            v = cell.makeelement(self.V, {})
            if f is not None:
                f.addnext(v)
            else:
                cell.insert(0, v)
        v.text = text
        self._set_t(cell, t)

    def _set_inline(self, cell, text: str) -> None:
        is_ = cell.makeelement(self.IS, {})
        t_el = etree.SubElement(is_, self.T)
        t_el.text = text
        if text != text.strip():
            t_el.set(f"{{{_XML_NS}}}space", "preserve")
        f = cell.find(self.F)
        if f is not None:
            f.addnext(is_)
        else:
            cell.insert(0, is_)
        self._set_t(cell, "inlineStr")

    def _freeze(self) -> None:
        """Remove every formula of the sheet (shared and array ones included: a dependent
        `<f t="shared" si=".."/>` without its master is broken), keeping the cached values.
        "str" is the type of a formula's text result (also on the other cells of an array range),
        so with no formula left every such cell becomes an inline string."""
        for row_el in self.sheet_data.iterchildren(self.ROW):
            for cell in row_el.iterchildren(self.C):
                f = cell.find(self.F)
                if f is not None:
                    cell.remove(f)
                    if cell.get("cm") is not None:  # cell metadata = dynamic-array formula flag
                        del cell.attrib["cm"]
                if cell.get("t") == "str":
                    v = cell.find(self.V)
                    text = v.text if v is not None and v.text is not None else ""
                    if v is not None:
                        cell.remove(v)
                    self._set_inline(cell, text)

    def to_bytes(self, original: bytes) -> bytes:
        """The edited part. Only `<sheetData>` (and `<dimension ref>`) can have changed, so the
        new sheetData is spliced into the original bytes and everything around it stays byte for
        byte; when the original's layout is not plain enough to be sure, the whole tree is written."""
        spliced = self._splice(original)
        if spliced is not None:
            return spliced
        self._apply_pending()
        if self.lean:
            raise NeedsWholeTree
        return serialize(self.tree, original)

    def _fragment(self) -> bytes:
        """lxml's bytes of the edited sheetData: the pending values written into them when every
        listed cell is plain there (cell_bytes), else edited in the tree first."""
        frag = etree.tostring(self.sheet_data, encoding="UTF-8", with_tail=False)
        if self.pending is None:
            return frag
        if self.sheet_data.prefix is None:
            written = write_cells(frag, self.pending)
            if written is not None:
                self.pending = None
                return written
        self._apply_pending()
        return etree.tostring(self.sheet_data, encoding="UTF-8", with_tail=False)

    def to_pieces(self, zf: zipfile.ZipFile, source: SourcePart) -> Iterator[bytes]:
        """The edited part of a lean tree whose part the reader streamed (`source`, in `zf`), in
        pieces read again from `zf` (part_stream.spliced), as `to_bytes` would splice it;
        NeedsWholeTree, then or while they come, when it cannot."""
        if not self._utf8():
            raise NeedsWholeTree(self.part)
        return spliced(zf, source, self._head, self._inner())

    def _utf8(self) -> bool:
        return (self.tree.docinfo.encoding or "UTF-8").upper().replace("-", "") == "UTF8"

    def _inner(self) -> bytes:
        """lxml's bytes of the edited sheetData's inside."""
        frag = self._fragment()
        frag_tag_end = start_tag_end(frag, 0)
        return b"" if frag[:frag_tag_end].endswith(b"/>") else frag[frag_tag_end:frag.rindex(b"</")]

    def _head(self, head: bytes) -> bytes | None:
        """The original's bytes before `<sheetData>` with the dimension widened when it was
        (None: no single dimension there to edit)."""
        if not self.dimension_changed:
            return head
        dims = list(_DIMENSION_REF.finditer(head))
        if len(dims) != 1:
            return None
        d = dims[0]
        ref = self.root.find(self._q("dimension")).get("ref").encode("ascii")
        return b"".join([head[:d.start(2)], ref, head[d.end(2):]])

    def _splice(self, original: bytes) -> bytes | None:
        if not self._utf8():
            return None
        starts = _matches_at(_SHEETDATA_OPEN, original, b"sheetData")
        if len(starts) != 1:
            return None
        start = starts[0].start()
        qname = starts[0].group(1)
        tag_end = start_tag_end(original, start)
        if tag_end < 0:
            return None
        old_tag = original[start:tag_end]
        closes = _matches_at(re.compile(rb"</" + re.escape(qname) + rb"\s*>"), original, b"</" + qname)
        if old_tag.endswith(b"/>"):
            if closes:
                return None
            end, open_tag = tag_end, old_tag[:-2].rstrip() + b">"
        else:
            if len(closes) != 1 or closes[0].start() < tag_end:
                return None
            end, open_tag = closes[0].end(), old_tag
        inner = self._inner()
        body: list[bytes] = [inner]
        if self.lean:  # the edited rows in place among the original's, empty ones and all
            if old_tag.endswith(b"/>"):
                return None
            try:
                body = list(rows_into([original[tag_end:closes[0].start()]], inner))
            except NeedsWholeTree:
                return None
        if not any(body) and old_tag.endswith(b"/>"):
            body = [old_tag]
        else:
            body = [open_tag, *body, b"</" + qname + b">"]
        head = self._head(original[:start])
        if head is None:
            return None
        view = memoryview(original)  # the original's tail joined once, not copied on the way
        return b"".join([head, *body, view[end:]])
