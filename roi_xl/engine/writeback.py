"""Write computed values back into the user's own workbook, leaving everything else as it was.

openpyxl's load-and-save loses charts' styles, shapes, `x14` conditional formats, dynamic-array
metadata and every cached value, so the output is made from the input zip instead:

* every member is copied with the same name, order, compression type and uncompressed bytes;
* only the sheet parts that hold a listed cell are edited, with lxml (ElementTree would rename
  the namespace prefixes that `mc:Ignorable` names), and in them only the listed cells change:
  their cached value `<v>` and its type `t`; `<f>` stays unless ``values_only`` freezes the
  formulas. The new `<sheetData>` is spliced into the original bytes, so the XML declaration,
  the root start tag and everything outside the cells stay byte for byte;
* `xl/calcChain.xml` is dropped with its relationship and its content-type override (Excel
  rebuilds it; a stale one makes it "repair" the file). Those two parts change only by that.

String results are written inline as formula strings (``t="str"``), so `sharedStrings.xml` is
never touched. The output is written to a temporary file beside ``dst`` and moved into place.
"""
from __future__ import annotations

import bisect
import functools
import math
import numbers
import os
import posixpath
import re
import struct
import zipfile
from collections.abc import Collection, Iterable, Mapping
from html import unescape
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from roi_xl.atomic import replacing
from roi_xl.excel import XlError
from roi_xl.references import MAX_COL, MAX_ROW, column_index, column_letters

__all__ = ["write_values", "write_inputs", "sheet_parts", "part_key", "format_number", "error_text", "MAX_ROW",
           "MAX_COL"]

_XML_NS = "http://www.w3.org/XML/1998/namespace"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"  # Strict Open XML's namespace

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_RANGE_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?$")

# Errors that files store as themselves. #SPILL! and #CALC! are "rich" errors: Excel writes them
# as t="e" <v>#VALUE!</v> plus value metadata (xl/metadata.xml, richData), and older readers see
# #VALUE!. Writing "#SPILL!" into <v> is not a value Excel's loader knows, so they go as #VALUE!.
_FILE_ERRORS = {
    XlError.NULL: "#NULL!", XlError.DIV0: "#DIV/0!", XlError.VALUE: "#VALUE!",
    XlError.REF: "#REF!", XlError.NAME: "#NAME?", XlError.NUM: "#NUM!", XlError.NA: "#N/A",
    XlError.GETTING_DATA: "#GETTING_DATA", XlError.SPILL: "#VALUE!", XlError.CALC: "#VALUE!",
}

# Characters XML 1.0 cannot carry (a lone surrogate half among them); Excel writes them (and a literal
# "_xHHHH_") escaped as _xHHHH_.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_X_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


# --------------------------------------------------------------------------- parsing

def _parser() -> etree.XMLParser:
    # defusedxml-safe: no entity expansion, no network, libxml2's size limits kept.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, dtd_validation=False, remove_blank_text=False,
                           strip_cdata=False, remove_comments=False, remove_pis=False)


def _parse(data: bytes, part: str) -> etree._ElementTree:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{part}: not well-formed XML ({exc})") from exc
    tree = root.getroottree()
    if tree.docinfo.doctype:
        raise ValueError(f"{part}: a DTD is not allowed in an Office Open XML part")
    return tree


_SHEETDATA_OPEN = re.compile(rb"<((?:[A-Za-z_][\w.\-]*:)?sheetData)(?=[\s/>])")
_DIMENSION_REF = re.compile(rb"""<(?:[A-Za-z_][\w.\-]*:)?dimension\s[^>]*?\bref\s*=\s*(["'])(.*?)\1""")
_DECL = re.compile(rb"^(\xef\xbb\xbf)?<\?xml[^>]*\?>(\s*)")


def _start_tag_end(data: bytes, start: int) -> int:
    """Index just past the '>' closing the start tag that begins at `start` (quotes respected)."""
    quote = None
    for i in range(start + 1, len(data)):
        ch = data[i]
        if quote is not None:
            if ch == quote:
                quote = None
        elif ch in (0x22, 0x27):  # " or '
            quote = ch
        elif ch == 0x3E:  # >
            return i + 1
    return -1


_ATTR = re.compile(rb"""([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")


def _attrs(tag: bytes) -> list[tuple[bytes, str]]:
    return sorted((name, unescape(value[1:-1].decode("utf-8", "replace")))
                  for name, value in _ATTR.findall(tag))


def _serialize(tree: etree._ElementTree, original: bytes) -> bytes:
    """The tree as bytes, keeping the original's XML declaration and root start tag byte for byte.

    libxml2 writes a start tag's namespace declarations before its attributes; Excel interleaves
    them (`xmlns:mc=.. mc:Ignorable=.. xmlns:x14ac=..`). The root start tag is never edited here,
    so the original one is put back: parts then differ from the original only where they were edited.
    """
    encoding = tree.docinfo.encoding or "UTF-8"
    m = _DECL.match(original)
    start = m.end() if m else 0
    # Only when nothing but whitespace sits between the declaration and the root element can the
    # original prolog be reused; lxml re-emits top-level comments and PIs itself.
    if not (original[start:start + 1] == b"<" and original[start:start + 2] not in (b"<!", b"<?")
            and encoding.upper().replace("-", "") == "UTF8"):
        return etree.tostring(tree, encoding=encoding, xml_declaration=m is not None,
                              standalone=tree.docinfo.standalone)
    body = etree.tostring(tree, encoding=encoding, xml_declaration=False)
    old_end = _start_tag_end(original, start)
    new_end = _start_tag_end(body, 0)
    if old_end > 0 and new_end > 0:
        old_tag, new_tag = original[start:old_end], body[:new_end]
        if old_tag.endswith(b"/>") == new_tag.endswith(b"/>") and _attrs(old_tag) == _attrs(new_tag):
            body = old_tag + body[new_end:]
    return original[:start] + body


# --------------------------------------------------------------------------- package structure

def part_key(name: str) -> str:
    """The one name a part is known by, whichever way it is written: OPC compares part names
    ignoring letter case, after %-escapes are decoded and without "." or ".." segments. The
    readers here look members up by it, and the guard refuses a package where two members share
    one (a small decoy beside the part another reader, openpyxl, opens by its exact name)."""
    return posixpath.normpath("/" + unquote(name.replace("\\", "/"))).lstrip("/").lower()


class _Names:
    """Zip member names, looked up by their part_key."""

    def __init__(self, zf: zipfile.ZipFile):
        self.members = zf.namelist()
        self._by_key = {}
        for name in self.members:
            self._by_key.setdefault(part_key(name), name)

    def get(self, part: str) -> str | None:
        return self._by_key.get(part_key(part))


def _resolve(source_part: str, target: str) -> str:
    """A relationship target as a part name (no leading slash; look it up with _Names.get)."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    base = posixpath.dirname(source_part)
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")


def _rels_part(part: str) -> str:
    head, tail = posixpath.split(part)
    return posixpath.join(head, "_rels", tail + ".rels")


def _relationships(zf: zipfile.ZipFile, names: _Names, source_part: str):
    """(element, type, target member) of each internal relationship of `source_part`."""
    rels = names.get(_rels_part(source_part))
    if rels is None:
        return None, []
    tree = _parse(zf.read(rels), rels)
    out = []
    for rel in tree.getroot():
        if not isinstance(rel.tag, str) or etree.QName(rel).localname != "Relationship":
            continue
        if (rel.get("TargetMode") or "Internal") != "Internal" or rel.get("Target") is None:
            continue
        out.append((rel, rel.get("Type") or "", _resolve(source_part, rel.get("Target"))))
    return (rels, tree), out


def _workbook_part(zf: zipfile.ZipFile, names: _Names) -> str:
    _, rels = _relationships(zf, names, "")
    for _rel, rel_type, target in rels:
        if rel_type.endswith("/officeDocument") and names.get(target):
            return names.get(target)
    fallback = names.get("xl/workbook.xml")
    if fallback is None:
        raise ValueError("not a spreadsheet package: no workbook part")
    return fallback


def _r_id(element) -> str | None:
    for key, value in element.attrib.items():
        qn = etree.QName(key)
        if qn.localname == "id" and (qn.namespace or "").endswith("relationships"):
            return value
    return None


class _Package:
    """What the writer needs to know about a package: member names, the workbook part and its
    relationships (read once)."""

    def __init__(self, zf: zipfile.ZipFile):
        self.names = _Names(zf)
        self.workbook = _workbook_part(zf, self.names)
        self.rels_file, self.rels = _relationships(zf, self.names, self.workbook)
        by_id = {rel.get("Id"): target for rel, _type, target in self.rels}
        kinds = {rel.get("Id"): rel_type for rel, rel_type, _target in self.rels}
        root = _parse(zf.read(self.workbook), self.workbook).getroot()
        self.strict = etree.QName(root).namespace == STRICT_MAIN
        self.sheets: dict[str, str] = {}
        self.macro_sheets: set[str] = set()  # Excel 4.0 macro sheets: never computed
        for sheets in root:
            if not isinstance(sheets.tag, str) or etree.QName(sheets).localname != "sheets":
                continue
            for sheet in sheets:
                if not isinstance(sheet.tag, str) or etree.QName(sheet).localname != "sheet":
                    continue
                target = by_id.get(_r_id(sheet))
                member = self.names.get(target) if target else None
                if member is not None:
                    self.sheets[sheet.get("name")] = member
                    if kinds.get(_r_id(sheet), "").lower().endswith(("/xlmacrosheet",
                                                                      "/xlintlmacrosheet")):
                        self.macro_sheets.add(sheet.get("name"))


def package(zf: zipfile.ZipFile) -> _Package:
    """The package's workbook part, sheets (and which are macro sheets) and relationships."""
    return _Package(zf)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its part, in the workbook's sheet order.

    Read from the workbook part (found through `_rels/.rels`) and its relationships; targets may
    be relative or absolute. Chartsheets and dialog sheets are listed too: check the part.
    """
    return _Package(zf).sheets


# --------------------------------------------------------------------------- values

def format_number(x) -> str | None:
    """A number as a cell's <v> text: the shortest text that reads back as the same double
    ("15", "0.1", "1E-5", "1.5E+300"); None for NaN and infinities, which Excel cannot hold."""
    if type(x) is float and math.isfinite(x) and x != 0 and not x.is_integer():
        text = repr(x)
        if "e" not in text:
            return text
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        x = int(x)
        if abs(x) < 2 ** 53:
            return str(x)
    try:
        x = float(x)
    except OverflowError:
        return None
    if not math.isfinite(x):
        return None
    if x == 0:
        return "0"  # also -0.0, which Excel does not have
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    text = repr(x)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if mantissa.endswith(".0"):
            mantissa = mantissa[:-2]
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}E{sign}{int(exponent.lstrip('+-'))}"
    elif text.endswith(".0"):
        text = text[:-2]
    return text


def error_text(err) -> str:
    """The text a file stores for an Excel error (see _FILE_ERRORS for #SPILL! and #CALC!)."""
    code = err if isinstance(err, XlError) else XlError.from_code(str(err))
    if code is None:
        raise ValueError(f"not an Excel error: {err!r}")
    return _FILE_ERRORS[code]


def _is_formulas_error(value) -> bool:
    # `formulas` has its own XlError (a str subclass); accept it so the engine can pass results on.
    cls = type(value)
    return (cls.__name__ == "XlError" and cls.__module__.startswith("formulas")
            and XlError.from_code(str(value)) is not None)


def _is_bool(value) -> bool:
    return isinstance(value, bool) or (type(value).__module__ == "numpy"
                                       and type(value).__name__ in ("bool_", "bool"))


def _escape_text(text: str) -> str:
    if "_x" not in text and text.isprintable():
        return text
    text = _X_ESCAPE.sub(r"_x005F_\1", text)
    return _XML_INVALID.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _encode(value) -> tuple[str | None, str | None]:
    """(t attribute, <v> text) for a value; (None, None) for a blank result."""
    if value is None:
        return None, None
    cls = type(value)  # fast paths for the common exact types; the general checks follow
    if cls is float or cls is int:
        text = format_number(value)
        return ("e", "#NUM!") if text is None else (None, text)
    if cls is bool:
        return "b", "1" if value else "0"
    if cls is str:
        return "str", _escape_text(value)
    if isinstance(value, XlError):
        return "e", _FILE_ERRORS[value]
    if _is_formulas_error(value):
        return "e", _FILE_ERRORS[XlError.from_code(str(value))]
    if _is_bool(value):
        return "b", "1" if value else "0"
    if isinstance(value, str):
        return "str", _escape_text(value)
    if isinstance(value, numbers.Real):
        text = format_number(value)
        return ("e", "#NUM!") if text is None else (None, text)
    raise TypeError(f"cannot write a {type(value).__name__} as a cell value: {value!r}")


@functools.lru_cache(maxsize=1 << 16)
def _column_of(ref: str) -> int:
    """Column number of a cell reference found in a sheet ("AB12" -> 28). Any number of letters:
    an r attribute is whatever the file holds (references.column_index refuses past ZZZ)."""
    n = 0
    for ch in ref.rstrip("0123456789").lstrip("$").rstrip("$").upper():
        n = n * 26 + (ord(ch) - 64)
    return n


@functools.lru_cache(maxsize=1 << 16)
def _parse_ref(ref: str) -> tuple[int, int]:
    """(row, column) of "B7" (also "$B$7", "b7"). Cached: a batch repeats the same cells."""
    m = _CELL_REF.match(ref.strip()) if isinstance(ref, str) else None
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    col, row = column_index(m.group(1)), int(m.group(2))
    if not (1 <= col <= MAX_COL and 1 <= row <= MAX_ROW):
        raise ValueError(f"cell reference outside the sheet: {ref!r}")
    return row, col


def _plan(values: Mapping[tuple[str, str], object]) -> dict[str, dict[tuple[int, int], tuple]]:
    """sheet -> {(row, col): (t, text, value)}, every key and value checked before any I/O."""
    plan: dict[str, dict[tuple[int, int], tuple]] = {}
    for key, value in values.items():
        try:
            sheet, ref = key
        except (TypeError, ValueError):
            raise ValueError(f"keys are (sheet, cell) pairs, not {key!r}") from None
        if not isinstance(ref, str):
            raise ValueError(f"not a cell reference: {ref!r}")
        row, col = _parse_ref(ref)
        t, text = _encode(value)
        plan.setdefault(sheet, {})[(row, col)] = (t, text, value)
    return plan


# --------------------------------------------------------------------------- sheet edits

def _truthy(value: str | None) -> bool:
    return value in ("1", "true", "on")


class _Sheet:
    """One worksheet part's tree and the edits made to it."""

    def __init__(self, data: bytes, part: str, tree: etree._ElementTree | None = None, lean: bool = False):
        self.part = part
        self.lean = lean  # the tree lacks the part's empty rows (lean_sheet)
        self.tree = _parse(data, part) if tree is None else tree
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
        self._col_styles = None

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

    def apply(self, cells: dict[tuple[int, int], tuple], values_only: bool,
              inputs: bool = False) -> None:
        rows = self._rows()
        row_order = sorted(rows)
        by_row: dict[int, list[int]] = {}
        for row, col in cells:
            by_row.setdefault(row, []).append(col)
        for row_num in sorted(by_row):
            row_el = rows.get(row_num)
            if row_el is None:
                if self.lean:  # the row may be one of those the lean tree lacks
                    raise _NeedsWholeTree
                row_el = self._new_row(rows, row_order, row_num)
            existing = self._cells(row_el)
            col_order = None
            for col in sorted(by_row[row_num]):
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
        if spliced is None and self.lean:
            raise _NeedsWholeTree
        return spliced if spliced is not None else _serialize(self.tree, original)

    def _splice(self, original: bytes) -> bytes | None:
        if (self.tree.docinfo.encoding or "UTF-8").upper().replace("-", "") != "UTF8":
            return None
        starts = list(_SHEETDATA_OPEN.finditer(original))
        if len(starts) != 1:
            return None
        start = starts[0].start()
        qname = starts[0].group(1)
        tag_end = _start_tag_end(original, start)
        if tag_end < 0:
            return None
        old_tag = original[start:tag_end]
        closes = list(re.finditer(rb"</" + re.escape(qname) + rb"\s*>", original))
        if old_tag.endswith(b"/>"):
            if closes:
                return None
            end, open_tag = tag_end, old_tag[:-2].rstrip() + b">"
        else:
            if len(closes) != 1 or closes[0].start() < tag_end:
                return None
            end, open_tag = closes[0].end(), old_tag
        frag = etree.tostring(self.sheet_data, encoding="UTF-8", with_tail=False)
        frag_tag_end = _start_tag_end(frag, 0)
        if frag[:frag_tag_end].endswith(b"/>"):
            inner = b""
        else:
            inner = frag[frag_tag_end:frag.rindex(b"</")]
        if self.lean:  # the edited rows in place among the original's, empty ones and all
            if old_tag.endswith(b"/>"):
                return None
            inner = _rows_into(original, tag_end, closes[0].start(), inner)
            if inner is None:
                return None
        if not inner and old_tag.endswith(b"/>"):
            new = old_tag
        else:
            new = open_tag + inner + b"</" + qname + b">"
        head, tail = original[:start], original[end:]
        if self.dimension_changed:
            dims = list(_DIMENSION_REF.finditer(head))
            if len(dims) != 1:
                return None
            d = dims[0]
            ref = self.root.find(self._q("dimension")).get("ref").encode("ascii")
            head = head[:d.start(2)] + ref + head[d.end(2):]
        return head + new + tail


# --------------------------------------------------------------------------- lean trees

class _NeedsWholeTree(Exception):
    """An edit a lean tree cannot make alone: the writer parses the whole part instead."""


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
    bytes (_rows_into), so the empty rows are kept byte for byte."""
    if len(data) < _LEAN_FROM:
        return None
    if data.count(b"<row") - data.count(b"<rowBreaks") != data.count(b'<row r="'):
        return None
    lean = _EMPTY_ROW.sub(b"", data)
    return lean if len(lean) < len(data) // 2 else None


def _rows_into(original: bytes, start: int, end: int, inner: bytes) -> bytes | None:
    """The original sheetData's inside (original[start:end]) with each row the lean tree kept
    replaced by its edited serialisation (`inner`, lxml's); None when a row is not found as it was.
    The kept rows are found by their number in order (bytes.find: the empty rows between them are
    copied, not visited)."""
    pieces, pos = [], start
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


# --------------------------------------------------------------------------- calcChain

def _calc_chain_edits(zf: zipfile.ZipFile, pkg: _Package) -> tuple[set[str], dict[str, bytes]]:
    """The calcChain members to drop and the re-serialised parts that referred to them."""
    names, wb = pkg.names, pkg.workbook
    drop: set[str] = set()
    edits: dict[str, bytes] = {}
    doomed = [(rel, target) for rel, rel_type, target in pkg.rels if rel_type.endswith("/calcChain")]
    for _rel, target in doomed:
        member = names.get(target)
        if member:
            drop.add(member)
    conventional = names.get(posixpath.join(posixpath.dirname(wb), "calcChain.xml"))
    if conventional:
        drop.add(conventional)
    if doomed:
        member, tree = pkg.rels_file
        for rel, _target in doomed:
            rel.getparent().remove(rel)
        edits[member] = _without_elements(zf.read(member), tree, "Relationship",
                                          lambda a: a.get("Type", "").endswith("/calcChain"))
    ct = names.get("[Content_Types].xml")
    if drop and ct:
        original = zf.read(ct)
        tree = _parse(original, ct)
        dropped = {"/" + d.lower() for d in drop}
        removed = False
        for el in list(tree.getroot()):
            if (isinstance(el.tag, str) and etree.QName(el).localname == "Override"
                    and (el.get("PartName") or "").lower() in dropped):
                el.getparent().remove(el)
                removed = True
        if removed:
            edits[ct] = _without_elements(original, tree, "Override",
                                          lambda a: a.get("PartName", "").lower() in dropped)
    return drop, edits


def _without_elements(original: bytes, edited: etree._ElementTree, local_name: str, doomed) -> bytes:
    """`original` with the empty elements `local_name` whose attributes satisfy `doomed` cut out
    of the bytes, so nothing else moves; checked against the edited tree, else that tree written."""
    pattern = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?" + local_name.encode()
                         + rb"(?=[\s/>])[^>]*?(?:/>|>\s*</(?:[A-Za-z_][\w.\-]*:)?" + local_name.encode() + rb"\s*>)")
    pieces, last = [], 0
    for m in pattern.finditer(original):
        attrs = {name.decode("utf-8", "replace"): value for name, value in _attrs(m.group(0))}
        if doomed(attrs):
            pieces.append(original[last:m.start()])
            last = m.end()
    cut = b"".join(pieces) + original[last:]
    try:
        if etree.tostring(etree.fromstring(cut, _parser()), method="c14n") == \
                etree.tostring(edited.getroot(), method="c14n"):
            return cut
    except etree.XMLSyntaxError:
        pass
    return _serialize(edited, original)


# --------------------------------------------------------------------------- writing

def _same_file(src: Path, dst: Path) -> bool:
    if src.resolve() == dst.resolve():
        return True
    try:
        return os.path.samefile(src, dst)
    except OSError:
        return False


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    out.compress_type = info.compress_type
    out.comment = info.comment
    out.external_attr = info.external_attr
    out.internal_attr = info.internal_attr
    out.create_system = info.create_system
    return out


def _stored_bytes(zin: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """A member's data exactly as stored (still compressed), or None when it cannot be copied so
    (encrypted, or a local header that does not match the directory)."""
    if info.flag_bits & 0x1 or zin.fp is None:
        return None
    zin.fp.seek(info.header_offset)
    header = zin.fp.read(zipfile.sizeFileHeader)
    if len(header) != zipfile.sizeFileHeader:
        return None
    fields = struct.unpack(zipfile.structFileHeader, header)
    if fields[zipfile._FH_SIGNATURE] != zipfile.stringFileHeader:
        return None
    skip = fields[zipfile._FH_FILENAME_LENGTH] + fields[zipfile._FH_EXTRA_FIELD_LENGTH]
    zin.fp.seek(info.header_offset + zipfile.sizeFileHeader + skip)
    data = zin.fp.read(info.compress_size)
    return data if len(data) == info.compress_size else None


def _copy_stored(zout: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> None:
    """Append a member's stored bytes as they are: no decompressing and compressing again (most
    of a workbook's members are copied unchanged, and that was most of the writing time)."""
    out = _copy_info(info)
    out.flag_bits = info.flag_bits & 0x800  # UTF-8 names; sizes are in the header, no descriptor
    out.CRC, out.compress_size, out.file_size = info.CRC, info.compress_size, info.file_size
    out.header_offset = zout.fp.tell()
    zout.fp.write(out.FileHeader(None))
    zout.fp.write(data)
    zout.filelist.append(out)
    zout.NameToInfo[out.filename] = out
    zout.start_dir = zout.fp.tell()
    zout._didModify = True


def _write_zip(zin: zipfile.ZipFile, fh, replaced: Mapping[str, bytes], drop: Iterable[str]) -> None:
    drop = set(drop)
    with zipfile.ZipFile(fh, "w", allowZip64=True) as zout:
        zout.comment = zin.comment
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = replaced.get(info.filename)
            if data is None:
                stored = _stored_bytes(zin, info)
                if stored is not None:
                    _copy_stored(zout, info, stored)
                    continue
                data = zin.read(info)
            zout.writestr(_copy_info(info), data, compress_type=info.compress_type)


def write_values(src: str | os.PathLike, dst: str | os.PathLike,
                 values: Mapping[tuple[str, str], object], *, values_only: bool = False,
                 parsed: Mapping[str, tuple[bytes, etree._ElementTree]] | None = None,
                 lean: Collection[str] = ()) -> None:
    """Write a copy of `src` at `dst` with the listed cells' cached values set.

    `values` maps (sheet name as in the workbook, cell like "B7") to a number, bool, str, None
    (a blank result) or an `XlError`. NaN and infinities become #NUM!. A listed cell that has no
    `<c>` yet (a spilled cell, say) is created in order, inheriting its row's or column's style.
    Formulas stay; with `values_only=True` every formula of each edited sheet is removed instead,
    so readers without the add-in see plain values (strings then go inline, t="inlineStr").
    `xl/calcChain.xml` is dropped. `src` is only read; `dst` appears whole or not at all.
    `parsed` may hold sheet parts already read from `src` (member -> (bytes, tree parsed by this
    module's parser)); their trees are edited in place. Those of the parts in `lean` were parsed
    from `lean_sheet`'s bytes: the empty rows they lack are kept from the original bytes.
    """
    _write(src, dst, values, values_only=values_only, parsed=parsed, lean=lean)


def write_inputs(src: str | os.PathLike, dst: str | os.PathLike,
                 values: Mapping[tuple[str, str], object]) -> None:
    """Write a copy of `src` at `dst` with the listed input cells set to what a user would type:
    a number, a bool, a text (an inline string, never a formula, whatever it starts with) or
    None (cleared). A listed cell holding a formula is refused (ValueError) before anything is
    written. Everything else is kept as `write_values` keeps it."""
    _write(src, dst, values, inputs=True)


def _write(src, dst, values, *, values_only: bool = False, inputs: bool = False,
           parsed: Mapping[str, tuple[bytes, etree._ElementTree]] | None = None,
           lean: Collection[str] = ()) -> None:
    src, dst = Path(src), Path(dst)
    if _same_file(src, dst):
        raise ValueError(f"refusing to write over the source workbook: {dst}")
    plan = _plan(values)
    with zipfile.ZipFile(src, "r") as zin:
        pkg = _Package(zin)
        parts = pkg.sheets
        unknown = [s for s in plan if s not in parts]
        if unknown:
            raise KeyError(f"no sheet named {', '.join(map(repr, unknown))} in {src.name} "
                           f"(sheets: {', '.join(map(repr, parts))})")
        replaced: dict[str, bytes] = {}
        for sheet, cells in plan.items():
            part = parts[sheet]
            original, tree = (parsed or {}).get(part) or (zin.read(part), None)
            try:
                edited = _Sheet(original, part, tree, lean=tree is not None and part in lean)
                edited.apply(cells, values_only, inputs)
                replaced[part] = edited.to_bytes(original)
            except _NeedsWholeTree:  # an edit among the rows the lean tree lacks: the whole part
                edited = _Sheet(original, part)
                edited.apply(cells, values_only, inputs)
                replaced[part] = edited.to_bytes(original)
        drop, edits = _calc_chain_edits(zin, pkg)
        overlap = set(edits) & set(replaced)
        if overlap:  # cannot happen for real packages; refuse rather than lose an edit
            raise ValueError(f"part edited twice: {sorted(overlap)}")
        replaced.update(edits)

        with replacing(dst) as tmp, open(tmp, "wb") as fh:
            _write_zip(zin, fh, replaced, drop)
