"""A workbook read by the fast reader (roi_xl.xlsx.read), with its formula key and its facts.

* `read`: the fast reader's `Book` and `key`, a digest of everything that decides the formula model:
  sheet names in order, every `<f>` element (cell, text and its t/ref/si attributes, so shared
  formulas are covered) and the defined names. Constants are left out on purpose: the fast
  evaluator reads a missing constant as a blank, so one compiled plan serves every workbook of a
  template, however many rows each client filled. What a rewrite step reads beyond the formulas
  (prepare.what_they_read) is added only when some formula makes the step read it.
* `facts`: what the rewrite steps read of the workbook (facts.py), from the trees the reader parsed.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path

from lxml import etree

from ..errors import FastReadError, unmovable_shared_formula
from ..references import cell_box
from ..xlsx.input_zip import InputZip, open_again
from ..xlsx.package import MAIN, parse, relationships
from ..xlsx.read import FILTERS, SHEET_FILTER, Book, FormulaXml
from ..xlsx.read import read as read_xml
from .facts import BookFacts, Name
from .iteration import Iteration, settings
from .prepare import CONSTANTS, FILLED_EXTENT, HIDDEN_ROWS, what_they_read
from .shared_formulas import Shared
from .tables import TableDef


@dataclass
class FastBook(Book):
    """The fast reader's Book, with the formula key and the iterative calculation it enables."""
    key: str = ""
    iteration: Iteration | None = None   # the workbook enables iterative calculation (calcPr)


_DIGESTED = 4096  # formulas joined for one digest update
_TEXT = itemgetter(4)  # a FormulaXml's text


def read(source: str | Path | InputZip) -> FastBook:
    """The workbook's formula key and constants; FastReadError when it needs the full load. `source`:
    the file, or the zip it is open as (xlsx.read.read's)."""
    book, parts = read_xml(source, FastBook)
    digest = hashlib.sha256()
    calc = parts.calc
    if calc is not None:
        book.iteration = settings(calc.get("iterate"), calc.get("iterateCount"), calc.get("iterateDelta"))
    if book.iteration is not None:  # the plan iterates circular references: part of the key
        digest.update(b"\x0a" + repr(book.iteration).encode())
    # Excel's own names (_xlnm.Print_Area, Print_Titles, _FilterDatabase) change with how a client's
    # copy is printed or filtered: they are part of the key only when a formula names them.
    builtin: list[tuple[str, bytes]] = []
    for name, node in parts.names:
        if name.lower().startswith("_xlnm."):
            builtin.append((name[6:].upper(), node))
        else:
            digest.update(b"\x04" + node)
    formula_texts: list[str] = []
    # What load() rewrites formulas by besides their text (prepare.STEPS): the tables'
    # definitions always; each sheet's filled extent when a formula holds a whole column or
    # row (they are clipped to it); hidden rows and filters when one calls SUBTOTAL or AGGREGATE;
    # the constants when one reads a text of them (INDIRECT, CELL).
    for member, data in parts.tables:
        digest.update(b"\x05" + member.encode() + b"\x00" + data)
    for sheet in parts.sheets:
        digest.update(b"\x01sheet\x00" + sheet.name.encode())
        for rel in sheet.table_rels:
            digest.update(b"\x05" + rel)
        # each formula as "\x02" then its five texts joined by "\x00", a few thousand an update (the
        # digest of the bytes joined is that of the updates one by one): one update a sheet held
        # its whole text twice over (str, then bytes)
        formulas = sheet.formulas
        for at in range(0, len(formulas), _DIGESTED):
            digest.update(("\x02" + "\x02".join(map("\x00".join, formulas[at:at + _DIGESTED]))).encode())
        if builtin:
            formula_texts += [formula[4] for formula in sheet.formulas]
    reads = what_they_read(map(_TEXT, chain.from_iterable(sheet.formulas for sheet in parts.sheets)))
    # A name's whole columns are clipped too (workbook.load); Excel's own names (print titles:
    # $4:$4) are not referenced by formulas.
    whole = FILLED_EXTENT in reads or FILLED_EXTENT in what_they_read(
        text for name, _, text in book.names if not name.startswith("_xlnm."))
    subtotal, indirect = HIDDEN_ROWS in reads, CONSTANTS in reads
    for sheet in parts.sheets:
        if subtotal:
            hidden, root = book.outline[sheet.part]
            digest.update(b"\x07" + sheet.name.encode() + b"\x00" + ",".join(hidden).encode()
                          + b"".join(etree.tostring(f, method="c14n") for f in FILTERS(root)))
        if whole:
            digest.update(b"\x08" + ",".join(sheet.filled).encode())
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


# Excel's own names openpyxl sets apart (print areas and titles, filters): never read by formulas.
_PRINT_NAMES = ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase")
_RESERVED = re.compile(r"^_xlnm\.(?:Print_Area|Print_Titles|Criteria|_FilterDatabase|Extract"
                       r"|Consolidate_Area|Sheet_Title)")


def facts(book: FastBook) -> BookFacts:
    """What the rewrite steps read of the workbook (facts.py), from the trees `read` parsed and the
    workbook's table and name parts, as openpyxl reads them (workbook.openpyxl_facts) but without
    building a cell object: shared formulas are expanded into each cell as openpyxl's Translator
    does (shared_formulas.py), names are scoped and Excel's own set apart alike. Read through the
    zip `book` was read from while it is open (its package and parts read once), else opened again.
    FastReadError when a table's range is not one."""
    with open_again(book.opened, book.path) as zf:
        return _facts(book, zf)


def _facts(book: FastBook, zf: InputZip) -> BookFacts:
    out = BookFacts(list(book.sheets), constants=book.values)
    pkg = zf.package()
    _names(parse(zf.read(pkg.workbook), pkg.workbook).getroot(), out)
    for name, part in pkg.sheets.items():
        numbers, root = book.outline[part]
        _formulas(book.formulas[name], name, out)
        hidden = {int(r) for r in numbers if r.isdigit()}
        if hidden:
            out.hidden_rows[name] = hidden
        filters = list(SHEET_FILTER(root))
        for _rel, kind, target in relationships(zf, pkg.names, part)[1]:
            member = pkg.names.get(target) if kind.endswith("/table") else None
            if member is not None:
                table, table_filter = _table(parse(zf.read(member), member).getroot(), name)
                out.tables[table.name.upper()] = table
                filters += table_filter
        if filters:
            out.filters[name] = filters
    return out


def _formulas(formulas: list[FormulaXml], sheet: str, out: BookFacts) -> None:
    shared: dict[str, Shared] = {}  # si -> the shared formula of its first cell
    for ref, kind, spans, si, text in formulas:
        text = "=" + text
        if kind == "array":
            out.arrays[(sheet, ref)] = spans
        elif kind == "shared":
            if si in shared:
                try:
                    text = shared[si].at(ref)
                except Exception as exc:
                    # openpyxl's Translator moved it (and is loaded): a reference moved off the
                    # sheet is refused as the formulas path's reader refuses it (workbook.load)
                    from openpyxl.formula.translate import TranslatorError

                    if isinstance(exc, TranslatorError):
                        raise unmovable_shared_formula(exc) from exc
                    raise
            elif text != "=":
                shared[si] = Shared(text, ref)
        out.formulas[(sheet, ref)] = text


def _names(wb_root, out: BookFacts) -> None:
    """The defined names as openpyxl binds them: a sheet's own (localSheetId, its index among all
    sheets) on it, the others on the workbook, the last of two alike winning."""
    workbook: dict[str, Name] = {}
    scoped: dict[tuple[str, str], Name] = {}
    for node in wb_root.iter(f"{{{MAIN}}}definedName"):
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
        min_col, min_row, max_col, max_row = cell_box(root.get("ref") or "")  # a table is a block
        header = int(root.get("headerRowCount", "1"))  # openpyxl's default: one header row
        totals = int(root.get("totalsRowCount") or 0)
    except ValueError as exc:
        raise FastReadError(f"table {root.get('name')!r}: {exc}") from exc
    columns = tuple(c.get("name") for c in root.iter(f"{{{MAIN}}}tableColumn"))
    table = TableDef(root.get("displayName") or root.get("name"), sheet, min_col, min_row, max_col,
                     max_row, header, totals, columns)
    auto = root.find(f"{{{MAIN}}}autoFilter")
    filtered = auto is not None and auto.get("ref") and auto.find(f"{{{MAIN}}}filterColumn") is not None
    return table, [auto.get("ref")] if filtered else []
