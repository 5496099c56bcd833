"""The fast reader: a workbook's sheets, constants and formulas straight from its zip, without openpyxl.

A batch of client workbooks made from one template differs only in their constants. For those,
the full load (openpyxl builds every cell, style and table object: ~70 ms) is wasted work once the
formulas are compiled. This reader reads a sheet part's cells from its bytes when every byte of its
sheetData is in a form cell_scan knows (the usual sheet), else parses the part with lxml
(package.parse: no entities, no network, libxml2's size limits; big parts a chunk at a time without
their empty rows, part_stream.read_lean), and returns:

* a `Book`: each sheet's constant cells, as the formulas path sees them (engine/bind.py's
  `input_value`): numbers as float (int when written without '.' or exponent, as openpyxl reads
  them, kept exactly as stored), shared and inline strings, booleans, errors as `XlError`, ISO
  dates as serial numbers. Dates stored as numbers stay numbers, as formulas' reader keeps them.
  Also the cells' styles, the defined names, the formula cells and each sheet part's bytes and
  tree when one was parsed, which the writer edits without parsing them again;
* `KeyParts`: the raw material of the engine's formula key (engine/fastbook.py): every `<f>`
  element with its attributes, the defined names and table parts as canonical XML, calcPr.

Measured on generated client workbooks (10 sheets, ~500 constants, 460 formulas), all at one
moment on a busy machine: this reader 29 ms, openpyxl's full load 172 ms, its read-only mode 157 ms,
python-calamine 10 ms for the values alone (no formula text, its own conversions). See bench/README.md.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from lxml import etree

from roi_xl.errors import FastReadError, cell_outside_sheet, missing_shared_text
from roi_xl.excel import XlError, address, date_to_serial
from roi_xl.references import IN_SHEET, outside_sheet

from .cell_scan import Scanned, scan, unescape
from .input_zip import InputZip, open_again
from .lean import LeanSheet, plain_cells, row_cells
from .package import MAIN, Package, parse
from .part_stream import SourcePart, read_lean

__all__ = ["Book", "FormulaXml", "KeyParts", "SheetKeyParts", "read", "cached_formula_values",
           "HIDDEN_ROW_NUMBERS", "FILTERS", "SHEET_FILTER"]

_C, _F, _V, _IS, _T, _R = (f"{{{MAIN}}}{t}" for t in ("c", "f", "v", "is", "t", "r"))
_NS = {"m": MAIN}
# Only cells holding something (XPath runs in libxml2: the many styled blank cells cost nothing).
_FILLED = etree.XPath("m:sheetData/m:row/m:c[m:v or m:f or m:is]", namespaces=_NS)
_UNREFERENCED = etree.XPath("boolean(m:sheetData/m:row/m:c[not(@r)])", namespaces=_NS)
# A worksheet's hidden rows' numbers, its filters, its filter's range when it filters by criteria:
# what the engine's facts read of the trees.
HIDDEN_ROW_NUMBERS = etree.XPath("m:sheetData/m:row[@hidden='1' or @hidden='true']/@r", namespaces=_NS)
FILTERS = etree.XPath("m:autoFilter", namespaces=_NS)
SHEET_FILTER = etree.XPath("m:autoFilter[@ref and m:filterColumn]/@ref", namespaces=_NS)
# A sheet's relationship to a table part (the table's own XML holds no sheet name).
_TABLE_REL = re.compile(rb'<Relationship\b[^>]*Type="[^"]*/table"[^>]*>')
_HEX = re.compile(r"_x([0-9a-fA-F]{4})_")
_in_sheet = re.compile(IN_SHEET).fullmatch  # the common case, before outside_sheet's closer look


# One formula: (cell, its t, ref and si attributes, its text), each "" when absent.
FormulaXml = tuple[str, str, str, str, str]


@dataclass
class Book:
    """A workbook as the fast reader read it (engine/fastbook.FastBook adds the formula key)."""
    path: Path
    sheets: list[str]                                   # names in workbook order
    values: dict[str, dict[str, object]] = field(default_factory=dict)  # sheet -> {"B7": value}
    # Each sheet's filled cells' style ids (sheet -> {"B7": "3"}), read with the cells from a tree or
    # plain rows; from a part cell_scan read, from its bytes on first use (styles_of): only the
    # summary's named figures read them (number_format), and a dict entry a styled cell cost ~50 bytes.
    styles: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    names: list[tuple[str, str | None, str]] = field(default_factory=list)  # (name, localSheetId, text)
    # Each sheet's formulas in document order, as SheetKeyParts.formulas holds them (the same lists).
    formulas: dict[str, list[FormulaXml]] = field(default_factory=dict, repr=False)
    # Each sheet part's bytes (a big lean one's: where it is, part_stream.SourcePart) and parsed
    # tree, handed on to the writer (writer.write_values' `parsed`) so that it does not read and
    # parse them a second time; no tree for a part whose cells were read from its bytes
    # (cell_scan): the writer parses it if it edits it.
    parts: dict[str, tuple[bytes | SourcePart, etree._ElementTree | None]] = field(default_factory=dict,
                                                                                   repr=False)
    # Each sheet part's hidden rows' numbers (HIDDEN_ROW_NUMBERS) and a root holding its elements
    # other than the rows (FILTERS, SHEET_FILTER): what the engine's facts read of the part.
    outline: dict[str, tuple[list[str], etree._Element]] = field(default_factory=dict, repr=False)
    lean: set[str] = field(default_factory=set)  # parts whose tree lacks the empty rows (lean_sheet)
    opened: InputZip | None = field(default=None, repr=False)  # the zip it was read from, while open

    def number_format(self, sheet: str, coord: str) -> str:
        """The number format code of a cell ("General" when it has none); styles are read on
        first use only (the summary's date columns need them)."""
        style = self.styles_of(sheet).get(coord)
        if style is None:
            return "General"
        if self._formats is None:
            with open_again(self.opened, self.path) as zf:
                self._formats = _cell_formats(zf)
        index = int(style)
        return self._formats[index] if 0 <= index < len(self._formats) else "General"

    _formats: list[str] | None = None

    def styles_of(self, sheet: str) -> dict[str, str]:
        """The style id of each of a sheet's filled cells ({"B7": "3"}; none for a blank cell)."""
        styles = self.styles.get(sheet)
        if styles is None:
            part = dict(zip(self.sheets, self.parts)).get(sheet)  # both in the sheets' order
            data = self.parts[part][0] if part is not None else b""
            styles = self.styles[sheet] = _scanned_styles(data) if isinstance(data, bytes) else {}
        return styles

    @property
    def formula_cells(self) -> list[tuple[str, str]]:
        """(sheet, "B7") of each formula cell, in document order (made on demand: a list of its own
        cost 64 bytes a formula for a name the engine never reads)."""
        return [(sheet, formula[0]) for sheet, formulas in self.formulas.items() for formula in formulas]


@dataclass
class SheetKeyParts:
    """What of one sheet decides its formulas: its name, its relationships to table parts (as
    stored), its formulas and its filled cells in document order, and its part's member name."""
    name: str
    part: str
    table_rels: list[bytes] = field(default_factory=list)
    formulas: list[FormulaXml] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)


@dataclass
class KeyParts:
    """What the fast reader saw that may decide a workbook's formulas, for the engine's key:
    calcPr's attributes (None: no calcPr), each defined name as canonical XML (in order), each
    table part's member and bytes (by member name), and each sheet's `SheetKeyParts` (in order)."""
    calc: dict[str, str] | None = None
    names: list[tuple[str, bytes]] = field(default_factory=list)
    tables: list[tuple[str, bytes]] = field(default_factory=list)
    sheets: list[SheetKeyParts] = field(default_factory=list)


def _text_content(node: etree._Element) -> str:
    """openpyxl's Text.content: the plain <t> and every run's <t>, phonetic runs left out."""
    parts = []
    for child in node:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            t = child.find(_T)
            if t is not None and t.text is not None:
                parts.append(t.text)
    return "".join(parts)


def _shared_strings(zf: zipfile.ZipFile, pkg: Package) -> list[str]:
    target = next((t for _rel, kind, t in pkg.rels if kind.endswith("/sharedStrings")), None)
    member = pkg.names.get(target) if target else None
    if member is None:
        return []
    root = parse(zf.read(member), member).getroot()
    out = []
    for si in root:
        if not isinstance(si.tag, str):
            continue
        text = _text_content(si)
        if "_x" in text:  # as formulas' reader decodes them
            text = _HEX.sub(lambda m: chr(int(m.group(1), 16)), text)
        out.append(text.replace("x005F_", ""))
    return out


def _cell_formats(zf: InputZip) -> list[str]:
    """Number format code of each cell style (cellXfs), as openpyxl resolves them."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    pkg = zf.package()
    target = next((t for _rel, kind, t in pkg.rels if kind.endswith("/styles")), None)
    member = pkg.names.get(target) if target else None
    if member is None:
        return []
    root = parse(zf.read(member), member).getroot()
    custom = {}
    for fmt in root.iter(f"{{{MAIN}}}numFmt"):
        try:
            custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode") or "General"
        except (TypeError, ValueError):
            continue
    out = []
    xfs = root.find(f"{{{MAIN}}}cellXfs")
    for xf in (xfs if xfs is not None else ()):
        if not isinstance(xf.tag, str):
            continue
        try:
            fid = int(xf.get("numFmtId", "0"))
        except ValueError:
            fid = 0
        out.append(custom.get(fid) or BUILTIN_FORMATS.get(fid, "General"))
    return out


def _scanned_styles(data: bytes) -> dict[str, str]:
    """The style ids of the filled cells of a part cell_scan read, as _Cells.element takes them (the
    last of a cell written twice); {} for a part it did not read."""
    styles: dict[str, str] = {}
    scanned = scan(data)
    for chunk in scanned.chunks() if scanned is not None else ():
        for ref, style, _kind, f, _attrs, _text, has_value, _v, inline, *_rest in chunk:
            if style and (f is not None or has_value is not None or inline is not None):
                styles[ref] = style
    return styles


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)  # as stored, as bind.input_value keeps it
    return int(text)


def _iso_date(text: str) -> float:
    from openpyxl.utils.datetime import from_ISO8601

    return date_to_serial(from_ISO8601(text))


_SHEET_DATA, _ROW = f"{{{MAIN}}}sheetData", f"{{{MAIN}}}row"
_CACHED = 1 << 16  # distinct value texts (and styles) whose conversion is kept for the next cell
_NO_ATTRS = ("", "", "")  # an <f> without t, ref or si


def _kept_rows(root: etree._Element, lean: LeanSheet) -> list[etree._Element] | None:
    """The rows of a lean tree, one for each row lean_sheet left to parse, in order; None when the
    tree is not as the scan took it (another namespace, elements among the rows, other rows)."""
    data = root.find(_SHEET_DATA)
    if root.tag != f"{{{MAIN}}}worksheet" or data is None:
        return None
    rows = [el for el in data if isinstance(el.tag, str)]
    numbers = [row for row in lean.rows if row.__class__ is bytes]
    if len(rows) != len(numbers) or any(el.tag != _ROW or el.get("r", "").encode() != number
                                        for el, number in zip(rows, numbers)):
        return None
    return rows


class _Cells:
    """Each filled cell of a sheet, from its tree or from a plain row's bytes, into the Book's
    values and styles and the key's lists, in document order."""

    def __init__(self, zf: zipfile.ZipFile, pkg: Package, book: Book):
        self.zf, self.pkg, self.book = zf, pkg, book
        self.strings: list[str] | None = None
        self.numbers: dict[bytes, int | float] = {}
        self.styles_seen: dict[bytes, str] = {}
        self.number_texts: dict[str, int | float] = {}  # the same for the cells cell_scan read

    def start(self, sheet: SheetKeyParts, styles: bool = True) -> None:
        """The next sheet's cells, and their styles unless cell_scan reads them (Book.styles_of)."""
        self.name, self.sheet = sheet.name, sheet
        self.values: dict[str, object] = {}
        self.styles: dict[str, str] | None = {} if styles else None
        self.book.values[sheet.name] = self.values
        if self.styles is None:
            self.book.styles.pop(sheet.name, None)  # read again from cell_scan's bytes when asked
        else:
            self.book.styles[sheet.name] = self.styles
        self.book.formulas[sheet.name] = sheet.formulas

    def shared(self, index: str) -> str:
        if self.strings is None:
            self.strings = _shared_strings(self.zf, self.pkg)
        # the index as a count: "-1" (Python's last) or "1.0" names no shared text
        index = index.strip()
        if not (index.isascii() and index.isdigit()) or int(index) >= len(self.strings):
            raise missing_shared_text()
        return self.strings[int(index)]

    def row(self, row: etree._Element) -> None:
        """The cells of a row the tree kept that hold something (those _ROW_FILLED finds): one pass
        over its children costs less than an XPath call a row."""
        element = self.element
        for c in row:
            if c.tag == _C and len(c):
                element(c)

    def element(self, c: etree._Element) -> None:
        """A cell of the tree; one without a value, a formula or an inline string is passed over."""
        f = v = inline = None
        has_value = False
        for child in c:
            tag = child.tag
            if tag == _F:
                f = child if f is None else f  # the first, as Element.find
            elif tag == _V:
                v, has_value = child.text, True
            elif tag == _IS:
                inline = child
        if f is None and not has_value and inline is None:
            return
        ref = c.get("r").upper()
        if _in_sheet(ref) is None:
            if outside_sheet(ref):  # refused as the formulas path does (a plain row holds none: lean.py)
                raise cell_outside_sheet(address(self.name, ref))
            # no cell's name ("$A$1", "1A", "DD"): the formulas path reads it as openpyxl does, or
            # refuses it; kept as it is, its value was lost and its formula broke the plan
            raise FastReadError(f"{self.name}: a cell named {ref!r}")
        self.sheet.filled.append(ref)
        style = c.get("s")
        if style is not None and self.styles is not None:
            self.styles[ref] = style
        if f is not None:
            t = f.get("t", "")
            if t == "dataTable":
                raise FastReadError("data table formulas")
            self.sheet.formulas.append((ref, t, f.get("ref", ""), f.get("si", ""), f.text or ""))
            return
        kind = c.get("t", "n")
        if kind == "inlineStr":
            if inline is not None:
                self.values[ref] = _text_content(inline)
            return
        if not v:
            return
        self.values[ref] = _number(v) if kind == "n" else self.typed(kind, v, ref)

    def typed(self, kind: str, v: str, ref: str) -> object:
        """The value of a cell of type `kind` (not a number) whose <v> holds `v`."""
        if kind == "s":
            return self.shared(v)
        if kind == "str":
            return v
        if kind == "b":
            return bool(int(v))
        if kind == "e":
            return XlError.from_code(v) or XlError.VALUE
        if kind == "d":
            return _iso_date(v)
        raise FastReadError(f"{self.name}!{ref}: unknown cell type {kind!r}")

    def scanned(self, sheet: Scanned) -> bool:
        """The cells cell_scan read from a part's bytes: the same values and formulas as `element`
        makes of them, each distinct number text converted once; False when cell_scan met a chunk
        it does not understand (the sheet's lists then hold the cells before it)."""
        values, filled = self.values, self.sheet.filled
        formulas, attrs = self.sheet.formulas, sheet.formulas
        numbers = self.number_texts
        for chunk in sheet.chunks():
            for (ref, _style, kind, f, f_attrs, f_text, has_value, v, inline, inline_text,
                 _row, _row_attrs, _empty, _row_end, _between) in chunk:
                if f is None and has_value is None and inline is None:  # nothing in it (or a row's
                    continue                                            # start or end): not filled
                filled.append(ref)
                if f is not None:
                    t, spans, si = attrs[f_attrs] if f_attrs else _NO_ATTRS
                    formulas.append((ref, t, spans, si,
                                     (unescape(f_text) if "&" in f_text else f_text) if f_text else ""))
                    continue
                if kind == "inlineStr":
                    if inline is not None:
                        values[ref] = unescape(inline_text or "")  # None: <t/>
                    continue
                if not v:
                    continue
                if not kind or kind == "n":
                    number = numbers.get(v)
                    if number is None:
                        number = _number(v)
                        if len(numbers) < _CACHED:
                            numbers[v] = number
                    values[ref] = number
                    continue
                values[ref] = self.typed(kind, unescape(v), ref)
        return sheet.complete

    def plain_row(self, data: bytes, start: int, end: int) -> None:
        """A plain row, data[start:end], as the lean reader meets it."""
        self.plain(row_cells(data, start, end))

    def plain(self, cells: list[tuple[bytes, bytes, bytes, bytes, bytes]]) -> None:
        """A plain row's cells as lean.plain_cells reads them: the same values as `element` makes
        of them, each distinct number text converted once (and its value shared)."""
        values, styles, filled = self.values, self.styles, self.sheet.filled
        assert styles is not None  # kept for a lean part
        numbers, styles_seen = self.numbers, self.styles_seen
        for raw, style, kind, has_value, v in cells:
            if not has_value:
                continue
            ref = raw.decode().upper()
            filled.append(ref)
            if style:
                text = styles_seen.get(style)
                if text is None:
                    text = style.decode()
                    if len(styles_seen) < _CACHED:
                        styles_seen[style] = text
                styles[ref] = text
            if not v:
                continue
            if not kind or kind == b"n":
                number = numbers.get(v)
                if number is None:
                    number = _number(v.decode())
                    if len(numbers) < _CACHED:
                        numbers[v] = number
                values[ref] = number
            else:  # s, b, e or d: plain_cells takes no other
                values[ref] = self.typed(kind.decode(), v.decode(), ref)


B = TypeVar("B", bound=Book)


def read(source: str | Path | InputZip, book_type: type[B]) -> tuple[B, KeyParts]:
    """The workbook's constants and formulas as a `book_type` (Book or a subclass, whose own fields
    keep their defaults), and what may decide its formulas; FastReadError when it needs the full load.
    `source`: the file, or the zip it is open as (guard.checked's: its package, the parts the guard
    inflated and its big sheet parts' lean split are taken as they are), left open."""
    if isinstance(source, InputZip):
        return _read(source, book_type)
    with InputZip(source) as zf:
        return _read(zf, book_type)


def _read(zf: InputZip, book_type: type[B]) -> tuple[B, KeyParts]:
    key = KeyParts()
    try:
        pkg = zf.package()
    except (ValueError, KeyError) as exc:
        raise FastReadError(str(exc)) from exc
    book = book_type(zf.path, list(pkg.sheets), opened=zf)
    wb_root = parse(zf.read(pkg.workbook), pkg.workbook).getroot()
    calc = wb_root.find(f"{{{MAIN}}}calcPr")
    key.calc = None if calc is None else dict(calc.attrib)
    for node in wb_root.iter(f"{{{MAIN}}}definedName"):
        name = node.get("name") or ""
        key.names.append((name, etree.tostring(node, method="c14n")))
        book.names.append((name, node.get("localSheetId"), node.text or ""))
    for member in sorted(zf.namelist()):
        if member.startswith("xl/tables/") and member.endswith(".xml"):
            key.tables.append((member, zf.read(member)))
    cells = _Cells(zf, pkg, book)
    for name, part in pkg.sheets.items():
        sheet = SheetKeyParts(name, part)
        key.sheets.append(sheet)
        rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        if rels in zf.NameToInfo:
            sheet.table_rels += _TABLE_REL.findall(zf.read(rels))
        cells.start(sheet)
        # a big part a chunk at a time, never held whole: split as the guard counted it, if it did;
        # else streamed here, the plain rows before any the tree keeps read as they come (their
        # bytes not kept), the others once it is parsed
        streamed = zf.leans.pop(part) if part in zf.leans else read_lean(zf, part, cells.plain_row)
        lean = kept = None
        held: bytes | SourcePart
        if streamed is not None:
            lean, held = streamed
            try:
                tree = parse(lean.data, part)
                kept = _kept_rows(tree.getroot(), lean)
            except ValueError:  # not well-formed without the rows taken out: the parse of the
                pass            # whole part says why, if it is not
        if kept is None:  # small, not lean, or not as the scan took it: the whole part
            del sheet.filled[:]  # the plain rows read as they came, if any: all again
            lean, held = None, zf.read(part)
            scanned = scan(held)
            if scanned is not None:  # every cell read from the bytes: no tree until one is needed
                cells.start(sheet, styles=False)
                if cells.scanned(scanned):
                    book.parts[part] = (held, None)
                    book.outline[part] = (scanned.hidden, scanned.skeleton.getroot())
                    continue
                # a chunk cell_scan does not understand: the tree reads the sheet again, from its start
                del sheet.filled[:], sheet.formulas[:]
            tree = parse(held, part)
            cells.start(sheet)
        book.parts[part] = (held, tree)
        root = tree.getroot()
        book.outline[part] = (HIDDEN_ROW_NUMBERS(root), root)
        if etree.QName(root).localname != "worksheet":
            raise FastReadError(f"{name}: not a worksheet")
        if _UNREFERENCED(root):
            raise FastReadError(f"{name}: cells without a reference")
        if lean is None or kept is None:
            for c in _FILLED(root):
                cells.element(c)
            continue
        book.lean.add(part)
        rows = iter(kept)
        for row in lean.rows:  # in document order: a plain row's bytes, or the tree's next row
            if isinstance(row, tuple):
                cells.plain(plain_cells(lean, row))
            else:
                cells.row(next(rows))
    return book, key


def cached_formula_values(book: Book) -> dict[str, dict[str, object]]:
    """The values the file holds for its formula cells (what was computed last): where iterative
    calculation starts from. Read only for a workbook whose plan iterates."""
    out: dict[str, dict[str, object]] = {}
    for name, (data, tree) in zip(book.sheets, book.parts.values()):  # both in the sheets' order
        if tree is None:  # cells read from its bytes (cell_scan): a small part, held as bytes
            assert isinstance(data, bytes)
            tree = parse(data, name)
        cached: dict[str, object] = {}
        out[name] = cached
        for c in _FILLED(tree.getroot()):
            f, v = c.find(_F), c.find(_V)
            if f is None or v is None or not v.text:
                continue
            kind = c.get("t", "n")
            try:
                if kind == "n":
                    cached[c.get("r").upper()] = float(v.text)
                elif kind == "str":
                    cached[c.get("r").upper()] = v.text
                elif kind == "b":
                    cached[c.get("r").upper()] = v.text.strip() in ("1", "true")
                elif kind == "e":
                    cached[c.get("r").upper()] = XlError.from_code(v.text) or XlError.VALUE
            except ValueError:  # a damaged cached value: the cell starts from 0, as a blank
                continue
    return out
