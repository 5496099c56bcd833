"""A plan's print copy: what `roi-xl report` hands LibreOffice to print.

A template keeps room for 50 KPIs, 100 cost lines and twelve value tables, most of them empty in
any one plan. The copy prints only what was filled in and puts the Summary first:

* the unfilled rows of every list are hidden, and a value table with no row filled is hidden
  whole (its title and header too); a sheet whose lists are all empty is not printed;
* the KPI chart's rows of unfilled KPIs are hidden: a chart plots visible cells only, so it shows
  exactly the filled KPIs however many rows its range covers;
* the Summary becomes the first sheet.

Only the copy changes, by editing its XML: the computed values it carries stay as they are (an
openpyxl round trip would drop them, and LibreOffice cannot compute roi-xl's functions).
"""
from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from lxml import etree

from ..errors import NotAPlan
from ..references import cell_box
from ..xlsx.package import package
from . import spec

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def print_copy(src: str | Path, dst: str | Path) -> Path:
    """Write to `dst` the copy of plan `src` that prints compactly, Summary first."""
    hidden_rows, hidden_sheets = _unused(Path(src))
    with zipfile.ZipFile(src) as zin:
        pkg = package(zin)
        edits = {pkg.sheets[name]: _hide_rows(zin.read(pkg.sheets[name]), rows)
                 for name, rows in hidden_rows.items() if rows and name in pkg.sheets}
        edits[pkg.workbook] = _reorder(zin.read(pkg.workbook), hidden_sheets)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info, edits.get(info.filename) or zin.read(info.filename))
    dst = Path(dst)
    dst.write_bytes(buffer.getvalue())
    return dst


def _unused(path: Path) -> tuple[dict[str, set[int]], set[str]]:
    """Rows to hide by sheet, and the sheets with nothing filled in."""
    with warnings.catch_warnings():   # openpyxl's notes on parts it skips are not the user's concern
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, data_only=True)
    try:
        missing = [name for name in ("Summary", spec.KPIS.sheet) if name not in wb.sheetnames]
        if missing:
            raise NotAPlan(f"not a measurement plan made from the roi-xl template (no {missing[0]} "
                           "sheet)")
        rows: dict[str, set[int]] = {}
        empty_sheets = set()
        filled: dict[str, list[int]] = {}   # table name -> its filled rows, 0 for its first
        for sheet in spec.SHEETS:
            if sheet.tables and sheet.name in wb.sheetnames:
                rows[sheet.name] = _unused_rows(wb[sheet.name], sheet.tables, filled)
                if not any(filled[t.name] for t in sheet.tables):
                    empty_sheets.add(sheet.name)
        kpis = set(filled[spec.KPIS.name])
        rows[spec.CHART_SHEET] = {spec.CHART_FIRST_ROW + i for i in range(spec.KPIS.rows)
                                  if i not in kpis}
        return rows, empty_sheets
    finally:
        wb.close()


def _unused_rows(ws, tables: tuple[spec.Table, ...], filled: dict[str, list[int]]) -> set[int]:
    """A sheet's rows to hide: its lists' unfilled rows, and on a sheet of several lists (Value)
    an unfilled one whole, its title and the gap below it too. Records each list's filled rows."""
    hide: set[int] = set()
    placed = [(table, *_table_rows(ws, table)) for table in tables]
    for k, (table, header, first, last) in enumerate(placed):
        rows = _filled_rows(ws, table, header, first, last)
        filled[table.name] = sorted(r - first for r in rows)
        if rows or len(placed) == 1:
            hide.update(r for r in range(first, last + 1) if r not in rows)
            continue
        top = header - (1 if table.title else 0)
        if k + 1 < len(placed):
            below, below_header = placed[k + 1][0], placed[k + 1][1]
            last = below_header - (1 if below.title else 0) - 1
        hide.update(range(top, last + 1))
    return hide


def _table_rows(ws, table: spec.Table) -> tuple[int, int, int]:
    """Header, first and last data row of a list, where the workbook has it (a user may have
    resized it), else where the template put it."""
    found = ws.tables.get(table.name)
    if found is None:
        return table.header_row, table.first_row, table.last_row
    _, top, _, bottom = cell_box(found.ref)
    return top, top + 1, bottom - (1 if found.totalsRowCount else 0)


def _filled_rows(ws, table: spec.Table, header: int, first: int, last: int) -> set[int]:
    """Data rows with at least one input cell filled in."""
    columns = {str(ws.cell(row=header, column=c).value or "").strip().lower(): c
               for c in range(table.first_col, ws.max_column + 1)}
    inputs = [columns[c.header.lower()] for c in table.columns
              if c.kind == spec.INPUT and c.header.lower() in columns]
    return {r for r in range(first, last + 1)
            if any(_filled(ws.cell(row=r, column=c).value) for c in inputs)}


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _q(tag: str) -> str:
    return f"{{{_MAIN}}}{tag}"


def _hide_rows(data: bytes, rows: Iterable[int]) -> bytes:
    tree = etree.fromstring(data, _PARSER)
    sheet_data = tree.find(_q("sheetData"))
    existing = {int(row.get("r")): row for row in sheet_data.iter(_q("row"))}
    for r in sorted(set(rows)):
        row = existing.get(r)
        if row is None:  # a row with no cell has no element: give it one, in order
            row = etree.Element(_q("row"), r=str(r))
            later = [n for n in existing if n > r]
            if later:
                existing[min(later)].addprevious(row)
            else:
                sheet_data.append(row)
            existing[r] = row
        row.set("hidden", "1")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def _reorder(data: bytes, hidden: set[str]) -> bytes:
    """The workbook part with the Summary first and the `hidden` sheets hidden; sheet-scoped names
    (print areas, print titles) keep their sheet, which they name by position."""
    tree = etree.fromstring(data, _PARSER)
    sheets = tree.find(_q("sheets"))
    old = list(sheets)
    summary = next(s for s in old if s.get("name") == "Summary")
    new = [summary] + [s for s in old if s is not summary]
    position = {old.index(s): i for i, s in enumerate(new)}
    for s in new:
        sheets.remove(s)
        sheets.append(s)
        if s.get("name") in hidden:
            s.set("state", "hidden")
    names = tree.find(_q("definedNames"))
    for name in names if names is not None else ():
        if name.get("localSheetId") is not None:
            name.set("localSheetId", str(position[int(name.get("localSheetId"))]))
    for view in tree.iter(_q("workbookView")):
        view.set("activeTab", "0")
        view.set("firstSheet", "0")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
