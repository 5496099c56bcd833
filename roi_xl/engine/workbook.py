"""A workbook read for recalculation: its cells, its formulas and their fingerprint."""
from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formulas.excel.xlreader import load_workbook
from formulas.tokens.operand import XlError as FormulasError
from lxml import etree
from openpyxl.formula.translate import TranslatorError
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from ..errors import WorkbookError, cell_outside_sheet, first_line, missing_shared_text, unmovable_shared_formula
from ..excel import XlError, address
from ..references import MAX_COL, MAX_ROW, column_letters
from .bind import bind_catalogue, input_value
from .facts import BookFacts, Name
from .iteration import Iteration, settings
from .prepare import Prepared, prepare_book
from .tables import tables_of

# The name every workbook is loaded under, so node ids (and compiled models) do not depend on
# the file's own name: client workbooks made from one template share one compiled model.
BOOK_NAME = "ROI.XLSX"


@dataclass
class LoadedWorkbook:
    path: Path
    book: Any                         # openpyxl Workbook, formulas already rewritten
    formulas: dict[tuple[str, str], str] = field(default_factory=dict)  # original text
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""
    iteration: Iteration | None = None  # iterative calculation enabled (iteration.py)

    def sheet(self, upper_name: str):
        return self.book[self._by_upper[upper_name]]

    def sheet_name(self, upper_name: str) -> str:
        return self._by_upper[upper_name]

    def __post_init__(self):
        self._by_upper = {name.upper(): name for name in self.book.sheetnames}


def defined_texts(loaded: LoadedWorkbook) -> dict[str, str]:
    """The workbook-level defined names and their formula texts, as the formulas model reads them."""
    names: Any = loaded.book.defined_names  # openpyxl's: a dict, or a list of them (older versions)
    items = names.items() if hasattr(names, "items") else ((n.name, n) for n in names.definedName)
    return {name: defined.value for name, defined in items}


def load(path: str | Path) -> LoadedWorkbook:
    """Read a workbook, rewrite its formulas for `formulas`, and fingerprint them."""
    path = Path(path)
    bind_catalogue()
    try:
        # An open file, not its name: openpyxl refuses a name not ending .xlsx/.xlsm/.xltx/.xltm
        # (an add-in, .xlam, is a workbook like any other; the guard has checked its content).
        with open(path, "rb") as fh:
            book = load_workbook(fh, data_only=False)
    except zipfile.BadZipFile as exc:
        raise WorkbookError(f"not an Excel workbook (not a valid zip file): {exc}") from exc
    except (KeyError, OSError) as exc:
        raise WorkbookError(f"cannot read workbook: {exc}") from exc
    except (SyntaxError, etree.XMLSyntaxError, zlib.error) as exc:  # ElementTree's ParseError is one
        raise WorkbookError(f"not an Excel workbook: damaged XML inside ({exc})") from exc
    except IndexError as exc:  # openpyxl indexes the shared strings and styles a cell names
        raise missing_shared_text() from exc
    except LookupError as exc:  # an XML declaration naming an encoding Python does not know
        raise WorkbookError(f"not an Excel workbook: damaged XML inside ({first_line(exc)})") from exc
    except TranslatorError as exc:  # a shared formula's cell where its formula cannot be moved
        raise unmovable_shared_formula(exc) from exc
    except (TypeError, AttributeError) as exc:  # openpyxl tripped over a part Excel never writes so
        # (a chartsheet without its drawing): Python's words would mean nothing to the user
        raise WorkbookError("damaged workbook: a part is not as Excel writes it (run with --debug for "
                            "the details)") from exc
    except ValueError as exc:  # a cell value or address out of bounds
        # openpyxl wraps what it met ("Unable to read workbook: could not read worksheets from
        # <path>"): the wrapped error says what is wrong
        inner = exc.__cause__ or exc.__context__ or exc
        raise WorkbookError(f"damaged workbook: {_cast_words(first_line(inner))}") from exc
    for ws in book.worksheets:  # openpyxl reads such a cell, then refuses to look it up
        if ws._cells and (ws.max_row > MAX_ROW or ws.max_column > MAX_COL):
            row, col = max(ws._cells, key=lambda rc: (rc[0] > MAX_ROW or rc[1] > MAX_COL, rc))
            raise cell_outside_sheet(address(ws.title, column_letters(col) + str(row)))
    loaded = LoadedWorkbook(path=path, book=book)
    for name in _macro_sheets(path):  # openpyxl reads one as a worksheet
        if name in book.sheetnames:
            book.remove(book[name])
            loaded.warnings.append(f"sheet {name!r} is an Excel 4.0 macro sheet: it is not "
                                   "recalculated (macros never run; its cells keep their values)")
    loaded.__post_init__()  # sheet names by upper case, without those
    facts = openpyxl_facts(book)
    prepared = prepare_book(facts)
    loaded.warnings.extend(prepared.warnings)
    loaded.formulas = prepared.original
    for (title, coord), text in prepared.formulas.items():  # what formulas will evaluate
        cell = book[title][coord]
        if isinstance(cell.value, ArrayFormula):
            cell.value.text = text
        elif cell.value != text:
            cell.value = text
    for name, target in prepared.names.items():
        if name in book.defined_names:
            book.defined_names[name].value = target
        else:
            book.defined_names[name] = DefinedName(name, attr_text=target)
    calc = getattr(book, "calculation", None)
    if calc is not None:
        loaded.iteration = settings(calc.iterate, calc.iterateCount, calc.iterateDelta)
    loaded.fingerprint = _fingerprint(facts, prepared, loaded.iteration)
    return loaded


# what Python says when openpyxl reads a cell's <v> as its type (int() for numbers and booleans)
_CAST = re.compile(r"(?:invalid literal for int\(\) with base 10|could not convert string to float): (.*)$")


def _cast_words(text: str) -> str:
    """openpyxl's failure to read a number (a cell's value, a boolean's 0 or 1, the row of a cell's
    reference), in the user's words."""
    m = _CAST.match(text)
    return f"the file holds {m.group(1)} where a number belongs (a cell's value or reference)" if m else text


def _fingerprint(facts: BookFacts, prepared: Prepared, iteration: Iteration | None = None) -> str:
    """What decides the formulas model built from the workbook (model.ModelCache's key)."""
    digest = hashlib.sha256()
    if iteration is not None:  # the model iterates its circular references, and how far
        digest.update(f"\x08{iteration.count}\x00{iteration.delta!r}".encode())
    for table in sorted(facts.tables.values(), key=lambda t: t.name.upper()):
        digest.update(("\x05" + table.fingerprint()).encode())
    for sheet in facts.sheets:
        hidden = facts.hidden_rows.get(sheet)
        if hidden:  # SUBTOTAL's rewriting depends on them, and on the filters
            digest.update(f"\x06{sheet}\x00{sorted(hidden)}\x00{facts.filters.get(sheet)}".encode())
    by_sheet: dict[str, list[str]] = {sheet: [] for sheet in facts.sheets}
    for (sheet, coord), text in prepared.original.items():
        by_sheet[sheet].append(f"\x02{coord}\x00{facts.arrays.get((sheet, coord), '')}\x00{text}")
    for sheet in facts.sheets:
        digest.update(b"\x01sheet\x00" + sheet.encode())
        digest.update("".join(by_sheet[sheet]).encode())
        # Which cells hold constants shapes the model (each is an input node); their values do
        # not, but for errors (formulas compiles a typed error into the model, as a formula).
        digest.update(("\x03" + ",".join(coord + (f"={value}" if isinstance(value, (XlError, FormulasError)) else "")
                                            for coord, value in facts.constants[sheet].items())).encode())
    for n in facts.names:
        digest.update(f"\x04{n.name}@{n.sheet}\x00{n.text}".encode())
    # The constants an INDIRECT's text was read from (layout.py) shape the model too.
    digest.update(("\x07" + "\x00".join(prepared.read)).encode())
    return digest.hexdigest()


def openpyxl_facts(book) -> BookFacts:
    """What the rewrite steps read (facts.py), from openpyxl's workbook (macro sheets removed)."""
    facts = BookFacts([ws.title for ws in book.worksheets])
    for ws in book.worksheets:
        constants = facts.constants[ws.title] = {}
        for _, cell in sorted(ws._cells.items()):
            if cell.data_type == "f":
                text = formula_text(cell.value)
                if text is None:
                    continue
                facts.formulas[(ws.title, cell.coordinate)] = text
                if isinstance(cell.value, ArrayFormula):
                    facts.arrays[(ws.title, cell.coordinate)] = cell.value.ref
            elif cell.value is not None:
                constants[cell.coordinate] = input_value(cell)
        hidden = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        if hidden:
            facts.hidden_rows[ws.title] = hidden
        filters = [f.ref for f in [ws.auto_filter] + [t.autoFilter for t in ws.tables.values()]
                   if f is not None and f.ref and f.filterColumn]
        if filters:
            facts.filters[ws.title] = filters
    facts.tables = tables_of(book)
    names = book.defined_names
    items = names.values() if isinstance(names, dict) else names.definedName
    for n in sorted(items, key=lambda n: (n.name, str(n.localSheetId))):
        facts.names.append(Name(n.name, None, n.value or "", bool(n.hidden)))
    for ws in book.worksheets:
        for n in getattr(ws, "defined_names", {}).values():
            facts.names.append(Name(n.name, ws.title, n.value or "", bool(n.hidden)))
    return facts


def formula_text(value) -> str | None:
    """The formula text of an openpyxl cell value: a plain or array formula's text, else None."""
    if isinstance(value, ArrayFormula):
        return value.text
    if isinstance(value, DataTableFormula):
        return None
    return value if isinstance(value, str) else None


def _macro_sheets(path: Path) -> set[str]:
    from ..xlsx.package import package

    with zipfile.ZipFile(path) as zf:
        return package(zf).macro_sheets
