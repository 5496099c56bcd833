"""Period-over-period and year-over-year changes of one figure, for any number of clients.

Period over period compares a period with the client's previous one (by start date); year over
year with the client's period that started exactly a year earlier (none: blank). Changes are
absolute and relative; the relative change is divided by the size of the earlier value, so an
ROI going from -20% to -10% is a rise (+50%), not a fall; an earlier value of 0 gives a blank.

The same SQL runs over the history database or over summary files the batch wrote
(`roi-xl recalc --summary x.parquet`, with the local or the Dask executor).
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import HistoryError
from .store import FIGURES, cleaned, connect

METRICS = {name.upper(): name for name in FIGURES}
COLUMNS = ("client", "period_start", "period_end", "value", "previous", "change", "change_pct",
           "year_ago", "yoy_change", "yoy_pct")

# r is read twice (the periods, and the same periods a year back): MATERIALIZED computes it once,
# which halves the query over the database (bench/history_bench.py).
_QUERY = """
WITH r AS MATERIALIZED (
    SELECT client, period_start, period_end, {metric} AS value FROM {source}
    {where}
)
SELECT r.client, r.period_start, r.period_end, r.value,
       LAG(r.value) OVER w AS previous,
       r.value - previous AS change,
       CASE WHEN previous <> 0 THEN (r.value - previous) / abs(previous) END AS change_pct,
       y.value AS year_ago,
       r.value - y.value AS yoy_change,
       CASE WHEN y.value <> 0 THEN (r.value - y.value) / abs(y.value) END AS yoy_pct
FROM r LEFT JOIN r AS y
  ON y.client = r.client AND y.period_start = CAST(r.period_start - INTERVAL 1 YEAR AS DATE)
WINDOW w AS (PARTITION BY r.client ORDER BY r.period_start, r.period_end)
ORDER BY r.client, r.period_start, r.period_end
"""

def metric_column(name: str) -> str:
    column = METRICS.get(name.strip().upper().replace("-", "_").replace(" ", "_"))
    if column is None:
        raise HistoryError(f"no figure {name!r}; choose one of {', '.join(METRICS)}")
    return column


def _reader(files: list[str]) -> str:
    suffixes = {Path(f).suffix.lower() for f in files}
    quoted = "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"
    if suffixes <= {".parquet", ".pq"}:
        return f"read_parquet({quoted}, union_by_name = true)"
    if suffixes == {".csv"}:
        return f"read_csv({quoted}, union_by_name = true, all_varchar = true)"
    if suffixes == {".json"}:
        return f"read_json({quoted}, union_by_name = true)"
    raise HistoryError("summary files must all be .parquet, .csv or .json")


def trend(*, history: str | os.PathLike | None = None, summaries: list[str] | None = None,
          metric: str = "ROI", clients: list[str] | None = None):
    """The trend table (pandas, COLUMNS) from the database `history` or the summary files."""
    column = metric_column(metric)
    if (history is None) == (not summaries):
        raise HistoryError("give either a history database or summary files")
    import duckdb

    con = connect(history, read_only=True) if history is not None else duckdb.connect()
    try:
        if history is None:
            reader = _reader(summaries or [])
            present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()}
            if not {"status", "client", "period_start"} <= present:
                raise HistoryError("not roi-xl summary files (they need the status, client and "
                                   "period_start columns)")
            con.execute(f"CREATE TEMP VIEW summaries AS SELECT * FROM ({cleaned(reader, present)}) "
                        "WHERE client IS NOT NULL AND period_start IS NOT NULL")
            source = "summaries"
        else:
            source = "results"
        where = "WHERE client IN (SELECT unnest($clients))" if clients else ""
        sql = _QUERY.format(metric=column, source=source, where=where)
        params = {"clients": list(clients)} if clients else {}
        return con.execute(sql, params).df()
    except duckdb.Error as exc:
        raise HistoryError(f"cannot read the results ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()
