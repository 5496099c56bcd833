"""The history database: one row per client and period, replaced when the same plan period is
recalculated again, plus each KPI's attainment for that period.

The key (client, period start, period end) is kept by deleting a period's rows before adding
them again, in one transaction, rather than by a PRIMARY KEY: DuckDB's index made loading
360,000 rows four times slower (bench/history_bench.py), and only this module writes.

Rows come from the batch summary (roi_xl.summary): the figures are the ones the batch reports,
not derived again here. A workbook without a client or a period cannot be placed in time and is
left out, with a message.
"""
from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from pathlib import Path

from ..errors import HistoryError

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
    recorded_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS kpi_attainment (
    client VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    kpi VARCHAR NOT NULL,
    name VARCHAR,
    attainment DOUBLE
);
"""


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
        # not a DuckDB file, another process writing it, a folder...: DuckDB's first line says which
        raise HistoryError(f"{path}: cannot open the history database ({str(exc).splitlines()[0]})") from None


def _numbers(column):
    """Summary figures as numbers; error texts (#DIV/0!), bools and blanks as NULL."""
    import pandas as pd

    if column.dtype == bool:
        return pd.Series(float("nan"), index=column.index)
    if column.dtype == object:
        column = column.where(~column.map(lambda v: isinstance(v, bool)), None)
    return pd.to_numeric(column, errors="coerce").where(lambda x: x.abs() != float("inf"))


KEY = ("client", "period_start", "period_end")


def cleaned(source: str, columns, keep: str = "") -> str:
    """SQL giving the results table's columns from summary rows in `source` (a table, or a
    read_parquet/read_csv call over the batch's summary files) that has `columns`: the rows of
    workbooks recalculated without error, ISO dates as DATE, figures that are error texts as
    NULL, and client names without the quote the summary puts before text a spreadsheet would
    take for a formula. `keep`: more of the source's columns to select. The database is loaded,
    and `trend` reads summary files, through this one definition."""
    def col(name: str, sql: str, kind: str) -> str:
        return f"CAST({sql.format(c=name) if name in columns else 'NULL'} AS {kind})"

    name = col("client", "NULLIF(trim(CAST({c} AS VARCHAR)), '')", "VARCHAR")
    date = "TRY_CAST(CAST({c} AS VARCHAR)[:10] AS DATE)"
    quoted = f"{name}[1] = chr(39) AND {name}[2] IN ('=', '+', '-', '@', chr(9), chr(13))"
    select = [f"CASE WHEN {quoted} THEN {name}[2:] ELSE {name} END AS client",
              f"{col('period_start', date, 'DATE')} AS period_start",
              f"{col('period_end', date, 'DATE')} AS period_end",
              f"""{col('currency', "NULLIF(CAST({c} AS VARCHAR), '')", 'VARCHAR')} AS currency""",
              *(f"{col(c, 'TRY_CAST({c} AS DOUBLE)', 'DOUBLE')} AS {c}" for c in FIGURES),
              f"{col('file', 'CAST({c} AS VARCHAR)', 'VARCHAR')} AS file"]
    where = "coalesce(CAST(status AS VARCHAR), 'ok') = 'ok'" if "status" in columns else "TRUE"
    return f"SELECT {', '.join(select + ([keep] if keep else []))} FROM {source} WHERE {where}"


_UNPLACED = "client IS NULL OR period_start IS NULL OR period_end IS NULL"


def _arrow(frame):
    """The frame as an Arrow table when pyarrow is there: DuckDB scans Arrow strings several times
    faster than pandas' Python objects (a third of loading 360,000 rows)."""
    try:
        import pyarrow as pa
    except ImportError:
        return frame
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except pa.ArrowException:  # a column mixing types: DuckDB reads the pandas frame too
        return frame


def add(path: str | os.PathLike, rows, kpis: Mapping[str, list] | None = None) -> list[str]:
    """Add summary rows (roi_xl.summary.rows: dicts, or a DataFrame of its columns) to the
    database at `path`, replacing the rows of the same client and period (the last one wins
    within `rows`); `kpis` maps a row's file to its [(kpi id, name, attainment)]. Returns one
    message per row left out."""
    import pandas as pd

    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if frame.empty:
        return []
    # figures may mix numbers and error texts in one object column: numbers before DuckDB sees them
    used = [c for c in ("status", *KEY, "currency", *FIGURES, "file") if c in frame]
    frame = frame[used].assign(**{c: _numbers(frame[c]) for c in FIGURES if c in frame},
                               _n=range(len(frame)))
    kpi_frame = pd.DataFrame([(str(f), str(k), None if n is None else str(n), v)
                              for f, items in (kpis or {}).items() for k, n, v in items],
                             columns=["file", "kpi", "name", "attainment"])
    kpi_frame["attainment"] = _numbers(kpi_frame["attainment"].astype(object))
    con = connect(path)
    try:
        con.register("incoming", _arrow(frame))
        con.register("incoming_kpis", kpi_frame)
        con.execute(f"CREATE TEMP TABLE cleaned_rows AS {cleaned('incoming', set(frame.columns), keep='_n')}")
        messages = [f"{f}: not added to the history: the plan needs a client and a period (Start sheet)"
                    for (f,) in con.execute(f"SELECT file FROM cleaned_rows WHERE {_UNPLACED} ORDER BY _n").fetchall()]
        key = ", ".join(KEY)
        twice = con.execute(f"SELECT count(*) FROM (SELECT 1 FROM cleaned_rows GROUP BY {key} "
                            "HAVING count(*) > 1)").fetchone()[0]
        # the last row of a client and period wins; the window only when there is one to drop
        last = f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _n DESC) = 1" if twice else ""
        con.execute(f"CREATE TEMP VIEW new_rows AS SELECT * EXCLUDE (_n) FROM cleaned_rows "
                    f"WHERE NOT ({_UNPLACED}) {last}")
        con.execute("BEGIN TRANSACTION")
        # the same client and period replaces its row and its KPIs (one removed from the plan goes)
        for table in ("results", "kpi_attainment"):
            con.execute(f"DELETE FROM {table} t USING new_rows n WHERE "
                        + " AND ".join(f"t.{k} = n.{k}" for k in KEY))
        con.execute("INSERT INTO results BY NAME SELECT *, $now AS recorded_at FROM new_rows",
                    {"now": _dt.datetime.now().replace(microsecond=0)})
        con.execute("""INSERT INTO kpi_attainment BY NAME
                       SELECT n.client, n.period_start, n.period_end, k.kpi, k.name, k.attainment
                       FROM incoming_kpis k JOIN new_rows n USING (file)""")
        con.execute("COMMIT")
    except Exception as exc:  # noqa: BLE001 - any database failure is one line about the file
        try:
            con.execute("ROLLBACK")
        except Exception:  # noqa: BLE001 - it failed before the transaction began
            pass
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
