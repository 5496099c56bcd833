"""A workbook read for recalculation: its cells, its formulas and their fingerprint."""
from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from formulas.excel.xlreader import load_workbook
from lxml import etree
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from ..errors import first_line
from ..excel import address
from .bind import bind_catalogue, is_known, is_ours
from .errors import WorkbookError
from .layout import Layout
from .names import promote, scoped_names
from .prepare import Cell, Context, prepare
from .rewrite import formula_text, rewrite
from .sheet_info import name_sheets, sheet_numbers
from .subtotal import sheet_rows
from .tables import rewrite_structured, tables_of
from .whole_refs import clip_name_target, used_ranges

# The name every workbook is loaded under, so node ids (and compiled models) do not depend on
# the file's own name: client workbooks made from one template share one compiled model.
BOOK_NAME = "ROI.XLSX"


@dataclass
class LoadedWorkbook:
    path: Path
    book: object                      # openpyxl Workbook, formulas already rewritten
    formulas: dict[tuple[str, str], str] = field(default_factory=dict)  # original text
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""

    def sheet(self, upper_name: str):
        return self.book[self._by_upper[upper_name]]

    def sheet_name(self, upper_name: str) -> str:
        return self._by_upper[upper_name]

    def __post_init__(self):
        self._by_upper = {name.upper(): name for name in self.book.sheetnames}


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
        raise WorkbookError("damaged workbook: a cell refers to a shared text or a format that "
                            "is not in the file") from exc
    except (ValueError, TypeError, AttributeError) as exc:  # a cell value or address out of bounds
        # openpyxl wraps what it met ("Unable to read workbook: could not read worksheets from
        # <path>"): the wrapped error says what is wrong
        inner = exc.__cause__ or exc.__context__ or exc
        raise WorkbookError(f"damaged workbook: {first_line(inner)}") from exc
    for ws in book.worksheets:  # openpyxl reads such a cell, then refuses to look it up
        if ws._cells and (ws.max_row > 1_048_576 or ws.max_column > 16_384):
            row, col = max(ws._cells, key=lambda rc: (rc[0] > 1_048_576 or rc[1] > 16_384, rc))
            raise WorkbookError(f"damaged workbook: a cell lies outside the sheet, "
                                f"{address(ws.title, get_column_letter(col) + str(row))} (the last "
                                "cell of a sheet is XFD1048576)")
    loaded = LoadedWorkbook(path=path, book=book)
    for name in _macro_sheets(path):  # openpyxl reads one as a worksheet
        if name in book.sheetnames:
            book.remove(book[name])
            loaded.warnings.append(f"sheet {name!r} is an Excel 4.0 macro sheet: it is not "
                                   "recalculated (macros never run; its cells keep their values)")
    loaded.__post_init__()  # sheet names by upper case, without those
    digest = hashlib.sha256()
    names = list(_defined_names(book))  # as in the file, before sheet-scoped ones are promoted
    # A defined name may hold a LAMBDA and be called like a function (=Double(A1)): not unknown.
    name_calls = {entry.partition("@")[0].upper() for entry, _ in names}

    def known(name: str) -> bool:  # a LET or LAMBDA parameter may hold a LAMBDA too (_xlpm.f(5))
        return is_known(name) or name in name_calls or name.startswith("_XLPM.")
    tables = tables_of(book)
    for table in sorted(tables.values(), key=lambda t: t.name.upper()):
        digest.update(("\x05" + table.fingerprint()).encode())
    used = used_ranges(book)
    scoped = scoped_names(book)
    rows = sheet_rows(book)
    for sheet, info in rows.items():  # SUBTOTAL's rewriting depends on them
        if info.hidden:
            digest.update(f"\x06{sheet}\x00{info.fingerprint()}".encode())
    layout = Layout(book, names={entry.partition("@")[0].upper() for entry, _ in names
                                 if entry.endswith("@None")})
    context = Context(tables, scoped, layout, rows, sheet_numbers(book), name_sheets(book), used)
    promote(book, scoped, lambda target, sheet: clip_name_target(
        rewrite_structured(target, "", 0, 0, tables), used))
    for ws in book.worksheets:
        digest.update(b"\x01sheet\x00" + ws.title.encode())
        constants = []
        for (row, col), cell in sorted(ws._cells.items()):
            if cell.data_type == "f":
                text = formula_text(cell.value)
                if text is None:
                    continue
                coord = cell.coordinate
                if text == "=":  # openpyxl's reading of a shared formula whose master cell is missing
                    loaded.warnings.append(f"{address(ws.title, coord)}: a shared formula without its "
                                           "first cell, which holds its text (the cell gets #VALUE!)")
                    cell.value = text = "=#VALUE!"
                loaded.formulas[(ws.title, coord)] = text
                ref = cell.value.ref if isinstance(cell.value, ArrayFormula) else ""
                digest.update(f"\x02{coord}\x00{ref}\x00{text}".encode())
                plain = prepare(text, context, Cell(ws.title, row, col, isinstance(cell.value, ArrayFormula)))
                result = rewrite(plain, is_ours, known)  # then bound to formulas' names
                for name in result.unknown:
                    loaded.warnings.append(
                        f"{address(ws.title, coord)}: unknown function {name} (the cell gets #NAME?)")
                if result.formula != text:
                    if isinstance(cell.value, ArrayFormula):
                        cell.value.text = result.formula
                    else:
                        cell.value = result.formula
            elif cell.value is not None:
                # formulas compiles a typed error (#N/A) into the model, as a formula of its own
                constants.append(cell.coordinate + (f"={cell.value}" if cell.data_type == "e" else ""))
        # Which cells hold constants shapes the model (each is an input node); their values do not,
        # but for errors.
        digest.update(("\x03" + ",".join(constants)).encode())
    for name, value in names:
        digest.update(f"\x04{name}\x00{value}".encode())
    # The constants an INDIRECT's text was read from (layout.py) shape the model too.
    digest.update(("\x07" + "\x00".join(layout.read)).encode())
    loaded.fingerprint = digest.hexdigest()
    return loaded


def _defined_names(book):
    names = book.defined_names
    items = names.values() if isinstance(names, dict) else names.definedName
    for n in sorted(items, key=lambda n: (n.name, str(n.localSheetId))):
        yield f"{n.name}@{n.localSheetId}", n.value
    for ws in book.worksheets:
        for n in getattr(ws, "defined_names", {}).values():
            yield f"{n.name}@{ws.title}", n.value


def _macro_sheets(path: Path) -> set[str]:
    from .writeback import package

    with zipfile.ZipFile(path) as zf:
        return package(zf).macro_sheets
