"""Write the measurement-plan workbook from `spec` with openpyxl.

`build_workbook(plan)` returns an openpyxl Workbook: the empty template when `plan` is None,
a filled client workbook otherwise (the examples). `write_workbook(wb, path)` saves it
deterministically: fixed document timestamps and zip entry dates, so the same plan always gives
the same bytes.
"""
from __future__ import annotations

import datetime as _dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.writer.excel import ExcelWriter

from . import spec
from .charts import add_charts, chart_data_sheet

FIXED_TIME = _dt.datetime(2025, 1, 1, 0, 0, 0)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
_MIN_DATE = 36526     # 2000-01-01
_MAX_DATE = 73051     # 2099-12-31


@dataclass
class PlanInputs:
    """A client's plan as data: Start/Summary input fields by key, table rows by table name."""
    fields: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


# ------------------------------------------------------------------ styles

def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT_FILL = _fill(spec.INPUT_FILL)
_COMPUTED_FILL = _fill(spec.COMPUTED_FILL)
_HEADER_FILL = _fill(spec.HEADER_FILL)
_SECTION_FILL = _fill(spec.SECTION_FILL)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_TITLE_FONT = Font(bold=True, size=16, color=spec.HEADER_FILL)
_SECTION_FONT = Font(bold=True, size=12, color=spec.HEADER_FILL)
_INTRO_FONT = Font(italic=True, color="595959")
_UNLOCKED = Protection(locked=False)


def _number_format(fmt: str, currency: str) -> str:
    return spec.currency_format(currency) if fmt == "money" else spec.FORMATS[fmt]


def _style(cell, kind: str, fmt: str, currency: str) -> None:
    cell.number_format = _number_format(fmt, currency)
    cell.border = _BORDER
    if kind == spec.INPUT:
        cell.fill = _INPUT_FILL
        cell.protection = _UNLOCKED
    else:
        cell.fill = _COMPUTED_FILL


# Text columns this wide (definitions, sources, notes), and every text typed freely rather than
# picked from a list (an audience, an owner), wrap inside their cells: a printed cell is not cut.
_LONG_TEXT_WIDTH = 30
_WRAPPED = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")    # a list row's other cells line up with its wrapped text


def _wraps(col: spec.Column) -> bool:
    typed = not col.validation or col.validation in spec.SUGGESTION_LISTS   # a tool not listed
    return col.fmt == "text" and (col.width >= _LONG_TEXT_WIDTH or typed)


def _header(cell, text: str) -> None:
    cell.value = text
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.border = _BORDER
    cell.alignment = Alignment(wrap_text=True, vertical="center")


# ------------------------------------------------------------------ validation

class _Validations:
    """One DataValidation per rule and sheet, its ranges gathered as cells are declared."""

    def __init__(self):
        self._by_sheet: dict[str, dict[tuple, DataValidation]] = {}

    def add(self, ws, rule: str | None, cells: str, prompt: str = "") -> None:
        if not rule:
            return
        rules = self._by_sheet.setdefault(ws.title, {})
        key = (rule, prompt)
        dv = rules.get(key)
        if dv is None:
            dv = _validation(rule, prompt)
            rules[key] = dv
            ws.add_data_validation(dv)
        dv.add(cells)


def _validation(rule: str, prompt: str) -> DataValidation:
    kw: dict[str, Any] = dict(allow_blank=True, showErrorMessage=True, errorStyle="stop")
    if rule.startswith("ref:"):
        dv = DataValidation(type="list", formula1=rule[4:], **kw)
        dv.error = "Pick one from the list (it comes from another sheet)."
    elif rule in spec.LISTS:
        values = spec.LISTS[rule]
        if rule in spec.SUGGESTION_LISTS:
            kw.update(showErrorMessage=False)
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', **kw)
        dv.error = "Pick one of: " + ", ".join(values)
    elif rule == "date":
        dv = DataValidation(type="date", operator="between", formula1=str(_MIN_DATE),
                            formula2=str(_MAX_DATE), **kw)
        dv.error = "A date between 2000 and 2099."
    elif rule == "fraction":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", **kw)
        dv.error = "A share between 0% and 100%."
    elif rule == "fraction2":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="10", **kw)
        dv.error = "A percentage between 0% and 1000%."
    elif rule == "nonneg":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", **kw)
        dv.error = "A number, 0 or more."
    elif rule == "number":
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+15",
                            formula2="1E+15", **kw)
        dv.error = "A number."
    else:
        raise ValueError(f"unknown validation rule {rule!r}")
    dv.errorTitle = "roi-xl"
    if prompt:
        dv.prompt = prompt
        dv.showInputMessage = True
    return dv


# ------------------------------------------------------------------ sheets

def _title(ws, sheet: spec.Sheet) -> None:
    if sheet.title:
        ws["A1"] = sheet.title
        ws["A1"].font = _TITLE_FONT
        ws.row_dimensions[1].height = 24
    if sheet.intro:
        ws["A2"] = sheet.intro
        ws["A2"].font = _INTRO_FONT


# Column widths (characters) an A4 portrait page holds at 100%: wider sheets print landscape.
_PORTRAIT_WIDTH = 95


def _page(ws, sheet: spec.Sheet, one_page: bool = False) -> None:
    landscape = sheet.landscape
    if landscape is None:
        landscape = sum(d.width or 8.43 for d in ws.column_dimensions.values()) > _PORTRAIT_WIDTH
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    if sheet.tab_color:
        ws.sheet_properties.tabColor = sheet.tab_color


def _write_table(ws, table: spec.Table, rows: Sequence[Mapping[str, Any]], currency: str,
                 validations: _Validations) -> None:
    if len(rows) > table.rows:
        raise ValueError(f"{table.name}: {len(rows)} rows, room for {table.rows}")
    if table.title:
        cell = ws.cell(row=table.header_row - 1, column=table.first_col, value=table.title)
        cell.font = _SECTION_FONT
    for i, col in enumerate(table.columns):
        c = table.first_col + i
        letter = get_column_letter(c)
        _header(ws.cell(row=table.header_row, column=c), col.header)
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(current, col.width)
        for r in range(table.first_row, table.last_row + 1):
            cell = ws.cell(row=r, column=c)
            _style(cell, col.kind, col.fmt, currency)
            # a long definition shows whole (the row grows), not cut
            cell.alignment = _WRAPPED if _wraps(col) else _TOP
            if col.kind == spec.COMPUTED and col.formula is not None:
                i = r - table.first_row
                cell.value = (col.formula(r, i) if callable(col.formula)
                              else col.formula.format(r=r, i=i))
        if col.kind == spec.INPUT:
            validations.add(ws, col.validation, f"{letter}{table.first_row}:{letter}{table.last_row}",
                            col.help)
    keys = set(table.input_keys)
    for offset, row in enumerate(rows):
        unknown = set(row) - keys
        if unknown:
            raise KeyError(f"{table.name}: not input columns: {sorted(unknown)}")
        lines = 1
        for key, value in row.items():
            i = [col.key for col in table.columns].index(key)
            ws.cell(row=table.first_row + offset, column=table.first_col + i, value=value)
            col = table.columns[i]
            if isinstance(value, str) and _wraps(col):
                lines = max(lines, wrapped_lines(value, col.width))
        if lines > 1:  # a written row keeps the height it was given: make it fit its wrapped text
            dims = ws.row_dimensions[table.first_row + offset]
            dims.height = max(dims.height or 15, 15 * lines)
    xl = XlTable(displayName=table.name, ref=table.ref)
    xl.tableStyleInfo = TableStyleInfo(name=table.style, showFirstColumn=False,
                                       showLastColumn=False, showRowStripes=False,
                                       showColumnStripes=False)
    ws.add_table(xl)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines a wrapped header takes in a column `width` characters wide (bold text and the
    cell's margins: two characters less a line, erring on the tall side), breaking between words."""
    room, lines, used = max(1, int(width) - 2), 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + len(word)
        while used > room:           # a word longer than the column breaks inside
            lines, used = lines + 1, used - room
    return lines


def _fit_header_rows(ws, tables: Sequence[spec.Table]) -> None:
    """Header rows tall enough for their wrapped headers (neither application grows a row that a
    program wrote; a clipped 'Social cost per contact' is what a reader would see)."""
    for table in tables:
        lines = max(wrapped_lines(col.header, ws.column_dimensions[get_column_letter(
            table.first_col + i)].width or 8.43) for i, col in enumerate(table.columns))
        if lines > 1:
            ws.row_dimensions[table.header_row].height = 15 * lines


def _write_fields(ws, fields: Sequence[spec.Field], values: Mapping[str, Any], currency: str,
                  validations: _Validations, wb: Workbook, note_col: int = 3) -> None:
    for f in fields:
        label = ws.cell(row=f.row, column=1, value=f.label)
        label.border = _BORDER
        cell = ws.cell(row=f.row, column=2)
        _style(cell, f.kind, f.fmt, currency)
        if f.kind == spec.COMPUTED:
            cell.value = f.formula
        else:
            value = values.get(f.key, f.default) if f.key else f.default
            cell.value = value
            validations.add(ws, f.validation, f"B{f.row}")
        if f.note:
            ws.cell(row=f.row, column=note_col, value=f.note).font = _INTRO_FONT
        if f.name:
            wb.defined_names[f.name] = DefinedName(
                f.name, attr_text=f"{spec.quote(ws.title)}!$B${f.row}")


def _start(ws, sheet: spec.Sheet, plan: PlanInputs, currency: str, validations, wb) -> None:
    _title(ws, sheet)
    for row, heading in spec.START_SECTIONS:
        ws.cell(row=row, column=1, value=heading).font = _SECTION_FONT
    values = dict(plan.fields)
    values.setdefault("currency", currency)
    _write_fields(ws, sheet.fields, values, currency, validations, wb)
    widths = {"A": 30, "B": 22, "C": 60}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    for f in sheet.fields:  # a long note wraps within column C, the page's edge
        lines = wrapped_lines(f.note, widths["C"]) if f.note else 1
        if lines > 1:
            ws.cell(row=f.row, column=3).alignment = _WRAPPED
            ws.row_dimensions[f.row].height = 15 * lines
    row = spec.INSTRUCTIONS_ROW
    ws.cell(row=row - 1, column=1, value="How to fill in this plan").font = _SECTION_FONT
    for r, line in enumerate(spec.INSTRUCTIONS, start=row):
        # across the three columns, wrapped: printed whole within the page, not run off its edge
        ws.cell(row=r, column=1, value=line).alignment = _WRAPPED
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(widths))
        lines = wrapped_lines(line, sum(widths.values()))
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines
    legend = row + len(spec.INSTRUCTIONS) + 1
    ws.cell(row=legend, column=1, value="Input: type here").fill = _INPUT_FILL
    ws.cell(row=legend + 1, column=1, value="Calculated: do not type over").fill = _COMPUTED_FILL
    ws.print_area = f"A1:{list(widths)[-1]}{legend + 1}"
    ws.freeze_panes = "A3"


def _summary(ws, sheet: spec.Sheet, plan: PlanInputs, currency: str, validations, wb,
             kpi_rows: int) -> None:
    _title(ws, sheet)
    for row, heading, (b, c) in spec.SUMMARY_SECTIONS:
        for col, text in ((1, heading), (2, b), (3, c)):
            _header(ws.cell(row=row, column=col), text)
    _write_fields(ws, sheet.fields, plan.fields, currency, validations, wb, note_col=4)
    total_cost = f"$B${spec.TOTAL_COST_ROW}"
    total_value = f"$B${spec.TOTAL_VALUE_ROW}"
    shares = [(r, total_cost) for r in range(spec.CATEGORY_FIRST, spec.CATEGORY_LAST + 2)]
    shares += [(r, total_value) for r in range(spec.VALUE_FIRST, spec.VALUE_SOURCES_LAST + 1)]
    for r, total in shares:
        cell = ws.cell(row=r, column=3, value=f'=IFERROR(B{r}/{total},"")')
        _style(cell, spec.COMPUTED, "percent", currency)
    for r in (spec.TOTAL_COST_ROW, spec.SOFT_ROW, spec.TOTAL_VALUE_ROW, spec.ROI_ROW,
              spec.ROI_TOTAL_ROW, spec.RONI_ROW):
        ws.cell(row=r, column=1).font = Font(bold=True)
        ws.cell(row=r, column=2).font = Font(bold=True)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 44
    ws.freeze_panes = "A3"
    add_charts(ws, wb, currency, kpi_rows)


def _conditional_formats(wb) -> None:
    red = _fill(spec.RED_FILL)
    k = spec.KPIS
    first, last = k.first_row, k.last_row
    tac, status, kid = k.letter("tactics"), k.letter("status"), k.letter("id")
    ws = wb[k.sheet]
    ws.conditional_formatting.add(
        f"{tac}{first}:{tac}{last}",
        FormulaRule(formula=[f'AND(${kid}{first}<>"",${tac}{first}<2)'], fill=red,
                    font=Font(bold=True, color="9C0006"), stopIfTrue=True))
    for word, rgb in (("GREEN", spec.GREEN_FILL), ("AMBER", spec.AMBER_FILL),
                      ("RED", spec.RED_FILL)):
        ws.conditional_formatting.add(
            f"{status}{first}:{status}{last}",
            FormulaRule(formula=[f'${status}{first}="{word}"'], fill=_fill(rgb)))
    o = spec.OBJECTIVES
    col = o.letter("kpis")
    wb[o.sheet].conditional_formatting.add(
        f"{col}{o.first_row}:{col}{o.last_row}",
        FormulaRule(formula=[f'AND($A{o.first_row}<>"",${col}{o.first_row}<1)'], fill=red))
    m = spec.METRICS
    col = m.letter("used_by")
    wb[m.sheet].conditional_formatting.add(
        f"{col}{m.first_row}:{col}{m.last_row}",
        FormulaRule(formula=[f'AND($A{m.first_row}<>"",${col}{m.first_row}<1)'],
                    fill=_fill(spec.AMBER_FILL)))
    s = wb["Summary"]
    roi = f"B{spec.ROI_ROW}"
    s.conditional_formatting.add(f"{roi}:B{spec.ROI_TOTAL_ROW}", FormulaRule(
        formula=[f'AND(ISNUMBER({roi}),{roi}<0)'], font=Font(bold=True, color="C00000")))


def _glossary(ws, sheet: spec.Sheet) -> None:
    _title(ws, sheet)
    widths = (28, 66)
    for c, (header, width) in enumerate(zip(("Term", "What it means"), widths), start=1):
        _header(ws.cell(row=spec.HEADER_ROW, column=c), header)
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, (term, text) in enumerate(spec.GLOSSARY, start=spec.HEADER_ROW + 1):
        ws.cell(row=r, column=1, value=term).font = Font(bold=True)
        ws.cell(row=r, column=2, value=text)
        for c in (1, 2):
            ws.cell(row=r, column=c).alignment = _WRAPPED
            ws.cell(row=r, column=c).border = _BORDER
        ws.row_dimensions[r].height = 15 * max(wrapped_lines(text, widths[1]),
                                               wrapped_lines(term, widths[0]))


def _xlwings(ws) -> None:
    for i, (key, value) in enumerate(spec.XLWINGS_CONF, start=1):
        ws.cell(row=i, column=1, value=key)
        ws.cell(row=i, column=2, value=value)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 24
    ws.sheet_properties.tabColor = "808080"


# ------------------------------------------------------------------ the workbook

def build_workbook(plan: PlanInputs | None = None, *, client: str | None = None,
                   currency: str | None = None, start: _dt.date | None = None,
                   end: _dt.date | None = None) -> Workbook:
    """The measurement plan as an openpyxl Workbook: empty, or filled with `plan`.

    client, currency, start and end override the plan's Start fields.
    """
    plan = PlanInputs(dict(plan.fields), dict(plan.tables)) if plan else PlanInputs()
    for key, value in (("client", client), ("currency", currency), ("start", start),
                       ("end", end)):
        if value is not None:
            plan.fields[key] = value
    currency = str(plan.fields.get("currency") or "EUR").upper()
    plan.fields["currency"] = currency
    unknown = set(plan.tables) - set(spec.TABLES)
    if unknown:
        raise KeyError(f"unknown tables {sorted(unknown)}")

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "roi-xl"
    wb.properties.title = "Social-media measurement plan"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "roi-xl"
    validations = _Validations()
    for sheet in spec.SHEETS:
        wb.create_sheet(sheet.name)
    # The KPI chart covers an example's own KPIs, and the whole table in the empty template.
    kpi_rows = len(plan.tables.get(spec.KPIS.name, ())) or spec.KPIS.rows
    for sheet in spec.SHEETS:
        ws = wb[sheet.name]
        if sheet.name == "Start":
            _start(ws, sheet, plan, currency, validations, wb)
            _page(ws, sheet, one_page=True)   # a fixed form: one page whatever is typed in it
        elif sheet.name == "Summary":
            _summary(ws, sheet, plan, currency, validations, wb, kpi_rows)
            _page(ws, sheet, one_page=True)
        elif sheet.name == "Glossary":
            _glossary(ws, sheet)
            _page(ws, sheet)
        elif sheet.name == spec.CHART_SHEET:
            chart_data_sheet(ws, spec.KPIS.rows)
        elif sheet.name == spec.XLWINGS_SHEET:
            _xlwings(ws)
            # Settings for the Excel add-in, not part of the plan: hidden, so it is never printed
            # (xlwings finds it by name, hidden or not: ThisWorkbook.Sheets("xlwings.conf")).
            ws.sheet_state = "hidden"
        else:
            _title(ws, sheet)
            for table in sheet.tables:
                _write_table(ws, table, plan.tables.get(table.name, ()), currency, validations)
            _fit_header_rows(ws, sheet.tables)
            ws.freeze_panes = sheet.freeze
            _page(ws, sheet)
            # No print area: one in the file could not follow a user's rows (it is fixed), and it
            # would make LibreOffice print pages of empty input rows it otherwise leaves out.
            # `roi-xl report` prints the rows filled in.
            if len(sheet.tables) == 1:  # the header over every page's rows
                ws.print_title_rows = f"{spec.HEADER_ROW}:{spec.HEADER_ROW}"
    _conditional_formats(wb)
    wb.active = 0
    return wb


def normalize_zip(data: bytes) -> bytes:
    """The same xlsx with every zip entry dated `_ZIP_TIME`, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save `wb` to `path` deterministically."""
    buffer = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook would stamp the current time as "modified".
    wb.properties.modified = FIXED_TIME
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    path = Path(path)
    path.write_bytes(normalize_zip(buffer.getvalue()))
    return path


def write_plan(path: str | Path, plan: PlanInputs | None = None, **start: Any) -> Path:
    """Build and save a plan (the template when plan is None); start: client, currency, start, end."""
    return write_workbook(build_workbook(plan, **start), path)
