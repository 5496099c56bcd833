"""One export file -> the rows it contributes, each with its date, channel and measures, and a
message for every row left out (totals, notes, duplicates, text in a number column, another
currency, a date outside the plan's period)."""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError, NotANumber
from . import values
from .layouts import MEASURES, Layout, channel_of, column_index, find_header, normal
from .reader import RawExport, read_export


@dataclass
class Row:
    line: int                       # 1-based line (CSV) or row (XLSX) in the file
    date: _dt.date | None
    channel: str
    measures: dict[str, float]      # MEASURES found in this row
    columns: dict[str, float]       # every numeric column by its header (lower case)


@dataclass
class Export:
    path: Path
    layout: Layout
    currency: str | None
    rows: list[Row] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # "line 7: why"
    totals: int = 0                                     # totals and notes lines left out
    headers: list[str] = field(default_factory=list)


_TOTAL = re.compile(r"^\s*(total|totals|grand total|summe|gesamt|totale|total général)\b", re.I)
_PREAMBLE_DATE = re.compile(r"(start date|report start|end date|report end)\s*[:,]\s*(.+)", re.I)
_RANGE = re.compile(r"^\s*(.+?)\s+[-–]\s+(.+?)\s*$")


def parse_export(path: str | Path, period: tuple[_dt.date, _dt.date] | None,
                 currency: str | None, **limits) -> Export:
    """Read and check one export. ExportError for a file that cannot be used at all."""
    path = Path(path)
    raw = read_export(path, **limits)
    found = find_header(raw.rows)
    if found is None:
        raise ExportError("not an export layout roi-xl knows (Meta Ads Manager, LinkedIn Campaign "
                          "Manager, TikTok Ads Manager, Google Ads, Google Analytics 4); columns "
                          f"seen: {_seen(raw)}")
    at, layout = found
    headers = [normal(h) for h in raw.rows[at]]
    cols = {key: column_index(headers, names) for key, names in layout.columns.items()}
    export = Export(path, layout, _header_currency(layout, headers), headers=headers)
    measures = [m for m in MEASURES if cols.get(m) is not None]
    if not measures:
        raise ExportError(f"a {layout.tool} export without any figure roi-xl imports; "
                          f"columns seen: {', '.join(h for h in headers if h)}")
    if export.currency and currency and export.currency != currency:
        raise ExportError(f"amounts in {export.currency}, the plan's currency is {currency}: "
                          "nothing imported from it (amounts are not converted)")
    if layout.channel is None and cols.get("channel") is None:
        raise ExportError(f"a {layout.tool} export without a source or channel column, so no "
                          "social network can be told apart; export it by session source / medium")
    body = raw.rows[at + 1:]
    labels = {i for i in (cols.get(k) for k in ("date", "date_end", "campaign", "channel", "currency"))
              if i is not None}
    numeric = [i for i, h in enumerate(headers) if h and i not in labels]
    date_col = cols.get("date")
    read = _Reading(
        layout, cols, headers, labels, {i for i in (cols[m] for m in measures) if i is not None},
        decimal=values.decimal_mark(r[i] for r in body for i in numeric if i < len(r)),
        order=values.date_order(r[date_col] for r in body if date_col is not None and date_col < len(r)))
    read.file_date = _preamble_date(raw.rows[:at], read.order)
    seen: dict[tuple, int] = {}
    ended = False
    for n, cells in enumerate(body, start=at + 2):
        filled = [c for c in cells if c is not None and str(c).strip() != ""]
        if not filled:
            continue
        unlabelled = _blank(cells[0]) and 0 in {cols.get(k) for k in ("date", "campaign", "channel")}
        if _TOTAL.match(str(filled[0])) or unlabelled or (len(filled) == 1 and len(headers) > 1) or ended:
            export.totals += 1    # totals rows, and notes under the table: not data
            ended = ended or len(filled) == 1
            continue
        key = tuple(str(c) for c in cells)
        if key in seen:
            export.skipped.append(f"line {n}: duplicate of line {seen[key]}")
            continue
        seen[key] = n
        row = read.row(cells, n, export.currency, period, currency)
        if isinstance(row, Row):
            export.rows.append(row)
        else:
            export.skipped.append(f"line {n}: {row}")
    return export


@dataclass
class _Reading:
    """How one export's rows are read: its layout, which column is what, its number and date style."""
    layout: Layout
    cols: dict[str, int | None]
    headers: list[str]
    labels: set[int]           # date, campaign, channel, currency columns: not figures
    measures: set[int]         # columns of MEASURES: text there skips the row
    decimal: str
    order: str
    file_date: _dt.date | None = None

    def cell(self, cells, key):
        i = self.cols.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    def row(self, cells, n, file_currency, period, currency) -> Row | str:
        """The row's figures, or why it is left out."""
        cell, layout = self.cell, self.layout
        row_currency = str(cell(cells, "currency") or "").strip().upper() or file_currency
        if row_currency and currency and row_currency != currency:
            return f"currency {row_currency}, the plan's is {currency} (not converted)"
        day, date_col = self.file_date, self.cols.get("date")
        if date_col is not None:
            try:
                day = values.date(cell(cells, "date"), self.order)
            except ValueError:
                return f"{self.headers[date_col]!r} is not a date: {printable(cell(cells, 'date'))}"
        if day is not None and period is not None and not period[0] <= day <= period[1]:
            return (f"date {day.isoformat()} is outside the plan's period "
                    f"{period[0].isoformat()} to {period[1].isoformat()}")
        channel = layout.channel
        if self.cols.get("channel") is not None:
            # a platform or source column names the network; the tool's own channel otherwise
            channel = channel_of(cell(cells, "channel")) or channel
        if channel is None:
            return f"not a social-network source: {printable(cell(cells, 'channel'))}"
        numbers: dict[str, float] = {}
        for i, header in enumerate(self.headers):
            if not header or i >= len(cells) or i in self.labels:
                continue
            try:
                x = values.number(cells[i], self.decimal)
            except NotANumber:
                if i in self.measures:
                    return f"{header!r} is not a number: {printable(cells[i])}"
                continue  # a text column the plan does not use (campaign status, objective...)
            if x is not None:
                numbers[header] = x
        measures = {m: numbers.get(self.headers[col], 0.0) for m in MEASURES
                    if (col := self.cols.get(m)) is not None}
        return Row(n, day, channel, measures, numbers)


def _blank(cell) -> bool:
    return cell is None or str(cell).strip() == ""


def _header_currency(layout: Layout, headers: list[str]) -> str | None:
    if layout.currency_in_header:
        for h in headers:
            m = re.match(layout.currency_in_header, h)
            if m:
                return m.group(1).upper()
    return None


def _preamble_date(lines: list[list[object]], order: str) -> _dt.date | None:
    """The report's first day from the lines above the header (GA4 '# Start date: 20250301',
    LinkedIn 'Report Start: ...', Google Ads 'March 1, 2025 - March 31, 2025')."""
    for cells in lines:
        text = " ".join(str(c) for c in cells if c is not None).lstrip("#").strip()
        m = _PREAMBLE_DATE.search(text)
        if m and m.group(1).lower() in ("start date", "report start"):
            try:
                return values.date(m.group(2).strip(), order)
            except ValueError:
                pass
        m = _RANGE.match(text)
        if m:
            try:
                return values.date(m.group(1), order)
            except ValueError:
                pass
    return None


def _seen(raw: RawExport) -> str:
    rows = [r for r in raw.rows[:30] if sum(1 for c in r if c not in (None, "")) > 1]
    return ", ".join(printable(c) for c in rows[0] if c not in (None, "")) if rows else "none"


def printable(value) -> str:
    """A cell's text quoted for a message: control characters escaped, long text cut."""
    from ..batch.report import printable as one_line

    text = one_line(value if value is not None else "")
    return "'" + text[:60] + ("..." if len(text) > 60 else "") + "'"
