"""The batch summary: one row per workbook, written as CSV, JSON or Parquet through pandas.

Every row has the file, its output, status (ok/failed), error, warnings (a count) and seconds.
Workbooks made from the measurement-plan template also give the figures behind their workbook-level
defined names (Client, TotalCost, ROI...): a name pointing at a formula cell gives the value just
computed, one pointing at an input cell the value stored in the workbook.

Text cells that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage
return) are prefixed with a single quote, so a client called "=HYPERLINK(...)" stays text when
someone opens the CSV in Excel. Numbers are left alone. Error values appear as their text
("#DIV/0!"), dates as ISO strings.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .atomic import replacing
from .errors import SummaryError

# (defined name in the workbook, column in the summary), in column order.
NAMED_FIELDS: tuple[tuple[str, str], ...] = (
    ("Client", "client"),
    ("Currency", "currency"),
    ("PeriodStart", "period_start"),
    ("PeriodEnd", "period_end"),
    ("TotalCost", "total_cost"),
    ("HardValue", "hard_value"),
    ("SoftValue", "soft_value"),
    ("TotalValue", "total_value"),
    ("ROI", "roi"),
    ("ROITotal", "roi_total"),
    ("RONI", "roni"),
    ("KPIScore", "kpi_score"),
    ("Payback", "payback"),
)

BASE_COLUMNS = ("file", "output", "status", "error", "warnings", "seconds")
COLUMNS = BASE_COLUMNS + tuple(column for _name, column in NAMED_FIELDS)

FORMATS = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".pq": "parquet"}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)


def summary_format(path: str | os.PathLike) -> str:
    """"csv", "json" or "parquet" from the file's suffix; SummaryError for anything else, or for
    Parquet when no Parquet engine (pyarrow) is installed."""
    suffix = Path(path).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise SummaryError(f"{path}: the summary's suffix must be .csv, .json or .parquet")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            try:
                import fastparquet  # noqa: F401
            except ImportError:
                raise SummaryError(f"{path}: writing Parquet needs pyarrow "
                                   "(pip install 'roi-xl[parquet]')") from None
    return fmt


# --------------------------------------------------------------------------- reading named cells

def _serial_to_iso(serial: float) -> str:
    moment = _EXCEL_EPOCH + _dt.timedelta(days=float(serial))
    moment = moment.replace(microsecond=0) + _dt.timedelta(seconds=round(moment.microsecond / 1e6))
    if moment.time() == _dt.time(0):
        return moment.date().isoformat()
    return moment.isoformat()


def plain_value(value, date_format: bool = False):
    """A cell value as the summary holds it: float, bool, str (errors as their text, dates ISO)
    or None."""
    if value is None:
        return None
    if isinstance(value, bool) or type(value).__name__ in ("bool_",):
        return bool(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time(0) else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, _dt.time):
        return value.isoformat()
    if isinstance(value, (int, float)) or type(value).__module__ == "numpy":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        if not math.isfinite(number):
            return "#NUM!"
        if date_format and 0 <= number < 2_958_466:  # up to 9999-12-31
            return _serial_to_iso(number)
        return number
    return str(value)  # text, and error values (roi_xl's XlError and formulas' print as text)


def _is_date_format(cell) -> bool:
    from .engine.numfmt import is_date_format  # the engine's reading of format codes (TEXT's)

    return is_date_format(cell.number_format)


def read_named(book, computed: Mapping[tuple[str, str], object]) -> dict[str, object]:
    """The summary's named figures of a loaded workbook (openpyxl), by summary column.

    Only workbook-level names pointing at a single cell count; names are matched ignoring case.
    A formula cell's value comes from `computed` ((sheet, "B7") -> value), any other cell's from
    the workbook; a number shown with a date format becomes an ISO date.
    """
    names = book.defined_names
    items = names.items() if hasattr(names, "items") else ((n.name, n) for n in names.definedName)
    by_upper = {name.upper(): defined for name, defined in items}
    sheets = {name.upper(): name for name in book.sheetnames}
    out: dict[str, object] = {}
    for name, column in NAMED_FIELDS:
        defined = by_upper.get(name.upper())
        if defined is None:
            continue
        try:
            destinations = list(defined.destinations)
        except Exception:  # noqa: BLE001 - a name that is not a reference is not a figure
            continue
        if len(destinations) != 1:
            continue
        sheet, ref = destinations[0]
        ref = ref.replace("$", "")
        if ":" in ref:
            first, _, last = ref.partition(":")
            if first != last:
                continue
            ref = first
        sheet = sheets.get(sheet.upper())
        if sheet is None:
            continue
        cell = book[sheet][ref]
        if (sheet, ref) in computed:
            value = computed[(sheet, ref)]
        elif cell.data_type == "f":
            value = None  # a formula the engine did not compute (a data table)
        else:
            value = cell.value
        out[column] = plain_value(value, date_format=_is_date_format(cell))
    return out


# --------------------------------------------------------------------------- the table

def escape(value):
    """Text a spreadsheet would take for a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _utf8(value):
    """A file name's bytes that are not UTF-8 (lone surrogates in Python) as \\xNN: the table is UTF-8."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return value


def rows(results: Iterable) -> list[dict[str, object]]:
    """One row per FileResult (roi_xl.batch.work), in the order given."""
    out = []
    for r in results:
        row = {
            "file": str(r.path),
            "output": str(r.output) if r.output is not None else None,
            "status": "ok" if r.ok else "failed",
            "error": r.error or None,
            "warnings": len(r.warnings),
            "seconds": round(float(r.seconds), 4),
        }
        named = getattr(r, "named", None) or {}
        for _name, column in NAMED_FIELDS:
            row[column] = named.get(column)
        out.append({k: escape(_utf8(v)) for k, v in row.items()})
    return out


def frame(results: Iterable):
    import pandas as pd

    return pd.DataFrame(rows(results), columns=list(COLUMNS))


def _for_parquet(df):
    """Parquet columns hold one type: a column mixing numbers and text (an ROI that is #DIV/0!
    in one workbook) is written as text throughout."""
    df = df.copy()
    for column in df.columns:
        if df[column].dtype != object:
            continue
        kinds = {type(v) for v in df[column] if v is not None and not (isinstance(v, float) and math.isnan(v))}
        if len(kinds) > 1:
            df[column] = [None if v is None or (isinstance(v, float) and math.isnan(v)) else
                          (repr(v) if isinstance(v, float) else str(v)) for v in df[column]]
    return df


def write(results: Iterable, path: str | os.PathLike) -> Path:
    """Write the summary table to `path` (format by suffix), atomically."""
    path = Path(path)
    fmt = summary_format(path)
    df = frame(results)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        if fmt == "csv":
            # RFC 4180's CRLF: the csv writer then quotes any field holding a CR or LF (with "\n"
            # alone, a lone CR in a client's name went out bare and split the row in readers)
            df.to_csv(tmp, index=False, lineterminator="\r\n", encoding="utf-8")
        elif fmt == "json":
            # Python's json writes every float exactly (pandas' to_json rounds to 10 digits).
            records = [{k: (None if isinstance(v, float) and math.isnan(v) else v)
                        for k, v in rec.items()} for rec in df.astype(object).to_dict(orient="records")]
            tmp.write_text(json.dumps(records, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                           encoding="utf-8")
        else:
            _for_parquet(df).to_parquet(tmp, index=False)
    return path
