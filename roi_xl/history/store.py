"""The history database: one row per client and period, replaced when the same plan period is
recalculated again, plus each KPI's attainment for that period.

Rows come from the batch summary (roi_xl.summary): the figures are the ones the batch reports,
not derived again here. A workbook without a client or a period cannot be placed in time and is
left out, with a message.
"""
from __future__ import annotations

import datetime as _dt
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

# (summary column, SQL type) of the results table, after the key.
FIGURES = ("total_cost", "hard_value", "soft_value", "total_value", "roi", "roi_total", "roni",
           "kpi_score", "payback")

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS results (
    client VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    currency VARCHAR,
    {", ".join(f"{c} DOUBLE" for c in FIGURES)},
    file VARCHAR,
    recorded_at TIMESTAMP,
    PRIMARY KEY (client, period_start, period_end)
);
CREATE TABLE IF NOT EXISTS kpi_attainment (
    client VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    kpi VARCHAR NOT NULL,
    name VARCHAR,
    attainment DOUBLE,
    PRIMARY KEY (client, period_start, period_end, kpi)
);
"""


class HistoryError(Exception):
    """The database cannot be opened or written (the message names the file and cause)."""


def connect(path: str | os.PathLike, read_only: bool = False):
    import duckdb

    path = Path(path)
    if read_only and not path.exists():
        raise HistoryError(f"{path}: no such history database")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
        if not read_only:
            con.execute(SCHEMA)
        return con
    except duckdb.Error as exc:
        raise HistoryError(f"{path}: not a history database roi-xl can use "
                           f"({str(exc).splitlines()[0]})") from None


def _number(value) -> float | None:
    """A summary figure as a number; error texts (#DIV/0!) and blanks as NULL."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    return None


def _date(value) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _client(value) -> str | None:
    # the summary quotes text a spreadsheet would take for a formula; the database holds the name
    text = str(value).strip() if value is not None else ""
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        text = text[1:]
    return text or None


def add(path: str | os.PathLike, rows: Iterable[Mapping], kpis: Mapping[str, list] | None = None) -> list[str]:
    """Add summary rows (roi_xl.summary.rows) to the database at `path`, replacing the rows of
    the same client and period; `kpis` maps a row's file to its [(kpi id, name, attainment)].
    Returns one message per row left out."""
    import pandas as pd

    kpis = kpis or {}
    now = _dt.datetime.now().replace(microsecond=0)
    records, attainments, messages = [], [], []
    for row in rows:
        if row.get("status", "ok") != "ok":
            continue
        client, start, end = _client(row.get("client")), _date(row.get("period_start")), _date(row.get("period_end"))
        if not (client and start and end):
            messages.append(f"{row.get('file')}: not added to the history: the plan needs a client "
                            "and a period (Start sheet)")
            continue
        records.append({"client": client, "period_start": start, "period_end": end,
                        "currency": row.get("currency") or None,
                        **{c: _number(row.get(c)) for c in FIGURES},
                        "file": str(row.get("file")), "recorded_at": now})
        for kpi, name, value in kpis.get(str(row.get("file")), ()):
            attainments.append({"client": client, "period_start": start, "period_end": end,
                                "kpi": str(kpi), "name": None if name is None else str(name),
                                "attainment": _number(value)})
    if not records:
        return messages
    frame = pd.DataFrame(records).drop_duplicates(["client", "period_start", "period_end"], keep="last")
    kpi_frame = pd.DataFrame(attainments, columns=["client", "period_start", "period_end", "kpi",
                                                   "name", "attainment"]).drop_duplicates(
        ["client", "period_start", "period_end", "kpi"], keep="last")
    con = connect(path)
    try:
        con.register("new_rows", frame)
        con.register("new_kpis", kpi_frame)
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT OR REPLACE INTO results BY NAME SELECT * FROM new_rows")
        # a period recalculated again replaces its KPIs too (one removed from the plan goes)
        con.execute("""DELETE FROM kpi_attainment k USING new_rows n WHERE k.client = n.client
                       AND k.period_start = n.period_start AND k.period_end = n.period_end""")
        con.execute("INSERT INTO kpi_attainment BY NAME SELECT * FROM new_kpis")
        con.execute("COMMIT")
    except Exception as exc:  # noqa: BLE001 - any database failure is one line about the file
        con.execute("ROLLBACK")
        raise HistoryError(f"{path}: cannot add to the history ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()
    return messages


def kpi_attainments(workbook: str | os.PathLike) -> list[tuple]:
    """(KPI id, KPI, attainment) of each KPI of a recalculated plan, from its cached values."""
    from python_calamine import CalamineWorkbook

    from ..template import spec

    table = spec.KPIS
    cols = [ord(table.letter(k)) - 65 for k in ("id", "kpi", "attainment")]
    sheet = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name(table.sheet).to_python()
    out = []
    for r in range(table.first_row - 1, min(table.last_row, len(sheet))):
        cells = sheet[r]
        kpi_id, name, value = (cells[c] if c < len(cells) else None for c in cols)
        if kpi_id not in (None, ""):
            out.append((kpi_id, name or None, value if value != "" else None))
    return out
