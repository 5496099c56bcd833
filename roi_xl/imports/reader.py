"""Read an export file (CSV or XLSX) into rows of cells, whatever quirks the tool wrote it with.

Ad platforms write CSV in UTF-8 with or without a BOM, UTF-16 with tabs (Google Ads' "CSV for
Excel"), or a Windows code page; with `,`, `;` (locales with a decimal comma) or tabs; with title
and date-range lines above the header and notes below the data. This module only turns bytes
into rows; finding the header is `layouts`' job, reading numbers and dates `values`' job.
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExportError

MAX_BYTES = 50 * 1024 * 1024   # an export of a quarter's daily campaign rows is a few MB
MAX_ROWS = 200_000


@dataclass
class RawExport:
    rows: list[list[object]]   # cells: str from CSV; str, float, datetime or None from XLSX
    encoding: str = ""
    separator: str = ""


def read_export(path: str | Path, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> RawExport:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExportError(f"cannot read it ({exc.strerror or exc})") from None
    if size > max_bytes:
        raise ExportError(f"too large ({size:,} bytes; the limit is {max_bytes:,})")
    if size == 0:
        raise ExportError("empty file")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, max_rows)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExportError("an old binary .xls file: export as CSV or .xlsx")
    return _read_csv(path.read_bytes(), max_rows)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOMs first, then UTF-16 without a BOM (every other byte NUL), UTF-8,
    else Windows-1252 (what Excel on Windows saves "CSV" as)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, "replace"), name
    sample = data[:4000]
    if sample and sample.count(0) > len(sample) // 4:
        name = "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
        return data.decode(name, "replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace"), "cp1252"


def _separator(lines: list[str]) -> str:
    """The separator that splits the most of the first lines into the same several fields."""
    best, best_score = ",", -1
    for sep in ("\t", ";", ","):
        counts = [len(next(csv.reader([line], delimiter=sep))) for line in lines if line.strip()]
        score = max((counts.count(n) * n for n in set(counts) if n > 1), default=0)
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_csv(data: bytes, max_rows: int) -> RawExport:
    if b"\x00" in data[:4000] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and data[:4000].count(0) <= len(data[:4000]) // 4:
        raise ExportError("binary data, not a CSV or XLSX export")
    text, encoding = decode(data)
    lines = text.splitlines()[:40]
    sep = _separator(lines)
    rows: list[list[object]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
        rows.append(list[object](row))
        if len(rows) > max_rows:
            raise ExportError(f"more than {max_rows:,} rows")
    return RawExport(rows, encoding, sep)


def _read_xlsx(path: Path, max_rows: int) -> RawExport:
    import pandas as pd

    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
        if total > 20 * MAX_BYTES:
            raise ExportError(f"an .xlsx that unpacks to {total:,} bytes")
        frame = pd.read_excel(path, sheet_name=0, header=None, engine="calamine", nrows=max_rows + 1)
    except ExportError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is one line about this file
        raise ExportError(f"not a readable .xlsx ({type(exc).__name__})") from None
    if len(frame) > max_rows:
        raise ExportError(f"more than {max_rows:,} rows")
    rows = [[None if isinstance(v, float) and v != v else v for v in row]
            for row in frame.itertuples(index=False, name=None)]
    return RawExport(rows, "xlsx", "")
