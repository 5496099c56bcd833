"""Reading a workbook's formula key and constant values straight from its zip, without openpyxl.

A batch of client workbooks made from one template differs only in their constants. For those,
the full load (openpyxl builds every cell, style and table object: ~70 ms) is wasted work once the
formulas are compiled. This reader parses the sheet parts with lxml (safe parser: no entities, no
network, libxml2's size limits) and returns:

* `key`: a digest of everything that decides the formula model: sheet names in order, every `<f>`
  element (cell, text and its t/ref/si attributes, so shared formulas are covered) and the defined
  names. Constants are left out on purpose: the fast evaluator reads a missing constant as a blank,
  so one compiled plan serves every workbook of a template, however many rows each client filled.
* `values`: each sheet's constant cells, as the formulas path sees them (`bind.input_value`):
  numbers as float (int when written without '.' or exponent, as openpyxl reads them, kept exactly
  as stored), shared and inline strings, booleans, errors as `XlError`, ISO dates
  as serial numbers. Dates stored as numbers stay numbers, as formulas' reader keeps them.

Measured on generated client workbooks (10 sheets, ~500 constants, 460 formulas), all at one
moment on a busy machine: this reader 29 ms, openpyxl's full load 172 ms, its read-only mode 157 ms,
python-calamine 10 ms for the values alone (no formula text, its own conversions). See bench/README.md.
"""
from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import FastReadError
from ..excel import XlError, date_to_serial
from ..references import range_boundaries
from .facts import BookFacts, Name
from .iteration import Iteration, settings
from .prepare import CONSTANTS, FILLED_EXTENT, HIDDEN_ROWS, what_it_reads
from .tables import TableDef
from .writeback import _Package, _parse, _relationships, lean_sheet

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_F, _V, _IS, _T, _R = (f"{{{_MAIN}}}{t}" for t in ("f", "v", "is", "t", "r"))
_NS = {"m": _MAIN}
# Only cells holding something (XPath runs in libxml2: the many styled blank cells cost nothing).
_FILLED = etree.XPath("m:sheetData/m:row/m:c[m:v or m:f or m:is]", namespaces=_NS)
_UNREFERENCED = etree.XPath("boolean(m:sheetData/m:row/m:c[not(@r)])", namespaces=_NS)
_HIDDEN_ROWS = etree.XPath("m:sheetData/m:row[@hidden='1' or @hidden='true']/@r", namespaces=_NS)
_FILTERS = etree.XPath("m:autoFilter", namespaces=_NS)
# A sheet's relationship to a table part (the table's own XML holds no sheet name).
_TABLE_REL = re.compile(rb'<Relationship\b[^>]*Type="[^"]*/table"[^>]*>')
_HEX = re.compile(r"_x([0-9a-fA-F]{4})_")


@dataclass
class FastBook:
    path: Path
    key: str
    sheets: list[str]                                   # names in workbook order
    values: dict[str, dict[str, object]] = field(default_factory=dict)  # sheet -> {"B7": value}
    styles: dict[str, dict[str, str]] = field(default_factory=dict)   # sheet -> {"B7": style id}
    names: list[tuple[str, str | None, str]] = field(default_factory=list)  # (name, localSheetId, text)
    formula_cells: list[tuple[str, str]] = field(default_factory=list)     # (sheet, "B7")
    # Each sheet part's bytes and parsed tree, handed on to the writer (writeback.write_values'
    # `parsed`) so that it does not read and parse them a second time.
    parts: dict[str, tuple[bytes, object]] = field(default_factory=dict, repr=False)
    iteration: Iteration | None = None   # the workbook enables iterative calculation (calcPr)
    lean: set[str] = field(default_factory=set)  # parts whose tree lacks the empty rows (lean_sheet)

    def number_format(self, sheet: str, coord: str) -> str:
        """The number format code of a cell ("General" when it has none); styles are read on
        first use only (the summary's date columns need them)."""
        style = self.styles.get(sheet, {}).get(coord)
        if style is None:
            return "General"
        if self._formats is None:
            self._formats = _cell_formats(self.path)
        index = int(style)
        return self._formats[index] if 0 <= index < len(self._formats) else "General"

    _formats: list[str] | None = None


def _text_content(node) -> str:
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


def _shared_strings(zf: zipfile.ZipFile, pkg: _Package) -> list[str]:
    target = next((t for _rel, kind, t in pkg.rels if kind.endswith("/sharedStrings")), None)
    member = pkg.names.get(target) if target else None
    if member is None:
        return []
    root = _parse(zf.read(member), member).getroot()
    out = []
    for si in root:
        if not isinstance(si.tag, str):
            continue
        text = _text_content(si)
        if "_x" in text:  # as formulas' reader decodes them
            text = _HEX.sub(lambda m: chr(int(m.group(1), 16)), text)
        out.append(text.replace("x005F_", ""))
    return out


def _cell_formats(path: Path) -> list[str]:
    """Number format code of each cell style (cellXfs), as openpyxl resolves them."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    with zipfile.ZipFile(path) as zf:
        pkg = _Package(zf)
        target = next((t for _rel, kind, t in pkg.rels if kind.endswith("/styles")), None)
        member = pkg.names.get(target) if target else None
        if member is None:
            return []
        root = _parse(zf.read(member), member).getroot()
    custom = {}
    for fmt in root.iter(f"{{{_MAIN}}}numFmt"):
        try:
            custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode") or "General"
        except (TypeError, ValueError):
            continue
    out = []
    xfs = root.find(f"{{{_MAIN}}}cellXfs")
    for xf in (xfs if xfs is not None else ()):
        if not isinstance(xf.tag, str):
            continue
        try:
            fid = int(xf.get("numFmtId", "0"))
        except ValueError:
            fid = 0
        out.append(custom.get(fid) or BUILTIN_FORMATS.get(fid, "General"))
    return out


def _number(text: str):
    if "." in text or "E" in text or "e" in text:
        return float(text)  # as stored, as bind.input_value keeps it
    return int(text)


def _iso_date(text: str) -> float:
    from openpyxl.utils.datetime import from_ISO8601

    return date_to_serial(from_ISO8601(text))


# What load()'s steps read for a formula (prepare.what_it_reads). Cached by text: the workbooks of
# one template repeat the same formulas, and masking the quoted parts of each was most of this
# reader's time.
_what_it_reads = functools.lru_cache(maxsize=65_536)(what_it_reads)


def read(path: str | Path) -> FastBook:
    """The workbook's formula key and constants; FastReadError when it needs the full load."""
    path = Path(path)
    digest = hashlib.sha256()
    with zipfile.ZipFile(path) as zf:
        try:
            pkg = _Package(zf)
        except (ValueError, KeyError) as exc:
            raise FastReadError(str(exc)) from exc
        book = FastBook(path, "", list(pkg.sheets))
        wb_root = _parse(zf.read(pkg.workbook), pkg.workbook).getroot()
        book.iteration = _iteration(wb_root)
        if book.iteration is not None:  # the plan iterates circular references: part of the key
            digest.update(b"\x0a" + repr(book.iteration).encode())
        # Excel's own names (_xlnm.Print_Area, Print_Titles, _FilterDatabase) change with how a client's
        # copy is printed or filtered: they are part of the key only when a formula names them.
        builtin: list[tuple[str, bytes]] = []
        for node in wb_root.iter(f"{{{_MAIN}}}definedName"):
            name = node.get("name") or ""
            if name.lower().startswith("_xlnm."):
                builtin.append((name[6:].upper(), etree.tostring(node, method="c14n")))
            else:
                digest.update(b"\x04" + etree.tostring(node, method="c14n"))
            book.names.append((name, node.get("localSheetId"), node.text or ""))
        formula_texts: list[str] = []
        strings = None
        # What load() rewrites formulas by besides their text (prepare.STEPS): the tables'
        # definitions always; each sheet's filled extent when a formula holds a whole column or
        # row (they are clipped to it); hidden rows and filters when one calls SUBTOTAL or AGGREGATE;
        # the constants when one reads a text of them (INDIRECT, CELL).
        for member in sorted(zf.namelist()):
            if member.startswith("xl/tables/") and member.endswith(".xml"):
                digest.update(b"\x05" + member.encode() + b"\x00" + zf.read(member))
        reads: frozenset[str] = frozenset()
        filled_by_sheet: list[list[str]] = []
        for name, part in pkg.sheets.items():
            digest.update(b"\x01sheet\x00" + name.encode())
            rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
            if rels in zf.NameToInfo:
                for rel in _TABLE_REL.findall(zf.read(rels)):
                    digest.update(b"\x05" + rel)
            data = zf.read(part)
            lean = lean_sheet(data)
            tree = _parse(data if lean is None else lean, part)
            book.parts[part] = (data, tree)
            if lean is not None:
                book.lean.add(part)
            root = tree.getroot()
            filled: list[str] = []
            filled_by_sheet.append(filled)
            if etree.QName(root).localname != "worksheet":
                raise FastReadError(f"{name}: not a worksheet")
            if _UNREFERENCED(root):
                raise FastReadError(f"{name}: cells without a reference")
            values: dict[str, object] = {}
            styles: dict[str, str] = {}
            book.values[name] = values
            book.styles[name] = styles
            for c in _FILLED(root):
                ref = c.get("r").upper()
                filled.append(ref)
                style = c.get("s")
                if style is not None:
                    styles[ref] = style
                f = v = inline = None
                for child in c:
                    tag = child.tag
                    if tag == _F:
                        f = child
                    elif tag == _V:
                        v = child.text
                    elif tag == _IS:
                        inline = child
                if f is not None:
                    if f.get("t") == "dataTable":
                        raise FastReadError("data table formulas")
                    book.formula_cells.append((name, ref))
                    digest.update(f"\x02{ref}\x00{f.get('t', '')}\x00{f.get('ref', '')}\x00"
                                  f"{f.get('si', '')}\x00{f.text or ''}".encode())
                    reads |= _what_it_reads(f.text or "")
                    if builtin:
                        formula_texts.append(f.text or "")
                    continue
                kind = c.get("t", "n")
                if kind == "inlineStr":
                    if inline is not None:
                        values[ref] = _text_content(inline)
                    continue
                if not v:
                    continue
                if kind == "n":
                    values[ref] = _number(v)
                elif kind == "s":
                    if strings is None:
                        strings = _shared_strings(zf, pkg)
                    values[ref] = strings[int(v)]
                elif kind == "str":
                    values[ref] = v
                elif kind == "b":
                    values[ref] = bool(int(v))
                elif kind == "e":
                    values[ref] = XlError.from_code(v) or XlError.VALUE
                elif kind == "d":
                    values[ref] = _iso_date(v)
                else:
                    raise FastReadError(f"{name}!{ref}: unknown cell type {kind!r}")
        # A name's whole columns are clipped too (workbook.load); Excel's own names (print titles:
        # $4:$4) are not referenced by formulas.
        whole = FILLED_EXTENT in reads or any(
            FILLED_EXTENT in what_it_reads(text) for name, _, text in book.names if not name.startswith("_xlnm."))
        subtotal, indirect = HIDDEN_ROWS in reads, CONSTANTS in reads
        for (name, part), filled in zip(pkg.sheets.items(), filled_by_sheet):
            if subtotal:
                root = book.parts[part][1].getroot()
                digest.update(b"\x07" + name.encode() + b"\x00" + ",".join(_HIDDEN_ROWS(root)).encode()
                              + b"".join(etree.tostring(f, method="c14n") for f in _FILTERS(root)))
            if whole:
                digest.update(b"\x08" + ",".join(filled).encode())
    if builtin:  # every formula's and other name's text, searched once for each of Excel's names
        mentioned = "\x00".join(formula_texts + [text for name, _, text in book.names
                                                 if not name.lower().startswith("_xlnm.")]).upper()
        for bare, node in builtin:
            if bare in mentioned:
                digest.update(b"\x04" + node)
    if indirect:  # load() reads INDIRECT's and CELL's texts from the constants (engine.layout)
        digest.update(b"\x09" + repr(sorted((name, sorted(v.items(), key=repr))
                                             for name, v in book.values.items())).encode())
    book.key = digest.hexdigest()
    return book


def _iteration(wb_root) -> Iteration | None:
    calc = wb_root.find(f"{{{_MAIN}}}calcPr")
    if calc is None:
        return None
    return settings(calc.get("iterate"), calc.get("iterateCount"), calc.get("iterateDelta"))


def cached_formula_values(book: FastBook) -> dict[str, dict[str, object]]:
    """The values the file holds for its formula cells (what was computed last): where iterative
    calculation starts from. Read only for a workbook whose plan iterates."""
    out: dict[str, dict[str, object]] = {}
    for name, (_data, tree) in zip(book.sheets, book.parts.values()):  # both in the sheets' order
        cached = out[name] = {}
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


_FORMULA_CELLS = etree.XPath("m:sheetData/m:row/m:c[m:f]", namespaces=_NS)
_SHEET_FILTER = etree.XPath("m:autoFilter[@ref and m:filterColumn]/@ref", namespaces=_NS)
# Excel's own names openpyxl sets apart (print areas and titles, filters): never read by formulas.
_PRINT_NAMES = ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase")
_RESERVED = re.compile(r"^_xlnm\.(?:Print_Area|Print_Titles|Criteria|_FilterDatabase|Extract"
                       r"|Consolidate_Area|Sheet_Title)")


def facts(book: FastBook) -> BookFacts:
    """What the rewrite steps read of the workbook (facts.py), from the trees `read` parsed and the
    workbook's table and name parts, as openpyxl reads them (workbook.openpyxl_facts) but without
    building a cell object: shared formulas are expanded into each cell by openpyxl's Translator
    (imported only when a sheet has one), names are scoped and Excel's own set apart alike.
    FastReadError when a table's range is not one."""
    out = BookFacts(list(book.sheets), constants=book.values)
    with zipfile.ZipFile(book.path) as zf:
        pkg = _Package(zf)
        wb_root = _parse(zf.read(pkg.workbook), pkg.workbook).getroot()
        _names(wb_root, out)
        for name, part in pkg.sheets.items():
            root = book.parts[part][1].getroot()
            _formulas(root, name, out)
            hidden = {int(r) for r in _HIDDEN_ROWS(root) if r.isdigit()}
            if hidden:
                out.hidden_rows[name] = hidden
            filters = list(_SHEET_FILTER(root))
            for _rel, kind, target in _relationships(zf, pkg.names, part)[1]:
                member = pkg.names.get(target) if kind.endswith("/table") else None
                if member is not None:
                    table, table_filter = _table(_parse(zf.read(member), member).getroot(), name)
                    out.tables[table.name.upper()] = table
                    filters += table_filter
            if filters:
                out.filters[name] = filters
    return out


def _formulas(root, sheet: str, out: BookFacts) -> None:
    shared: dict[str, object] = {}  # si -> Translator of the shared formula's first cell
    for c in _FORMULA_CELLS(root):
        f = c.find(_F)
        raw = c.get("r")
        ref = raw.upper()
        text = "=" + (f.text or "")
        kind = f.get("t")
        if kind == "array":
            out.arrays[(sheet, ref)] = f.get("ref") or ""
        elif kind == "shared":
            si = f.get("si")
            if si in shared:
                text = shared[si].translate_formula(raw)
            elif text != "=":
                from openpyxl.formula.translate import Translator

                shared[si] = Translator(text, raw)
        out.formulas[(sheet, ref)] = text


def _names(wb_root, out: BookFacts) -> None:
    """The defined names as openpyxl binds them: a sheet's own (localSheetId, its index among all
    sheets) on it, the others on the workbook, the last of two alike winning."""
    workbook: dict[str, Name] = {}
    scoped: dict[tuple[str, str], Name] = {}
    for node in wb_root.iter(f"{{{_MAIN}}}definedName"):
        name, local = node.get("name") or "", node.get("localSheetId")
        hidden = (node.get("hidden") or "").strip().lower() in ("1", "true")
        if local is None:
            if name not in _PRINT_NAMES:
                workbook[name] = Name(name, None, node.text or "", hidden)
            continue
        try:
            sheet = out.sheets[int(local)]
        except (ValueError, IndexError):
            continue  # openpyxl warns and drops it
        if not _RESERVED.match(name):
            scoped[(sheet, name)] = Name(name, sheet, node.text or "", hidden)
    out.names = sorted(workbook.values(), key=lambda n: n.name) + list(scoped.values())


def _table(root, sheet: str) -> tuple[TableDef, list[str]]:
    """A table part's definition, and its filter's range when it filters by criteria."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(root.get("ref") or "")
        header = int(root.get("headerRowCount", "1"))  # openpyxl's default: one header row
        totals = int(root.get("totalsRowCount") or 0)
    except ValueError as exc:
        raise FastReadError(f"table {root.get('name')!r}: {exc}") from exc
    columns = tuple(c.get("name") for c in root.iter(f"{{{_MAIN}}}tableColumn"))
    table = TableDef(root.get("displayName") or root.get("name"), sheet, min_col, min_row, max_col,
                     max_row, header, totals, columns)
    auto = root.find(f"{{{_MAIN}}}autoFilter")
    filtered = auto is not None and auto.get("ref") and auto.find(f"{{{_MAIN}}}filterColumn") is not None
    return table, [auto.get("ref")] if filtered else []
