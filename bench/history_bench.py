"""History at scale (issue 17): 10,000 clients x 36 monthly periods loaded into the history
database and a trend query answered, and the same query over Parquet summaries written by Dask.

    python bench/history_bench.py [--clients 10000] [--periods 36] [--rounds 5] [--dir DIR]

Measured, each the median (and min) over --rounds, in this process after one warm-up (imports
and DuckDB's start are not counted):
- load: `roi_xl.history.store.add` of the whole summary table (a DataFrame with the batch
  summary's columns: ISO dates, text client names) into a new database file;
- trend, all clients: `roi_xl.history.trend.trend(history=db, metric="ROI")`, every client's
  period-over-period and year-over-year changes into a pandas DataFrame;
- trend, one client: the same with `clients=[...]`;
- trend over Parquet: the same query over the summary table written by `dask.dataframe.to_parquet`
  in 8 parts (what a Dask batch's workers would leave), `trend(summaries=[DIR/*.parquet])`;
- load + trend: the two together, the issue's "load and answer in under a second".
Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def summaries(clients: int, periods: int, seed: int = 1):
    """The batch summary's columns for clients x monthly periods, figures at random."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n = clients * periods
    starts = pd.date_range("2023-01-01", periods=periods, freq="MS")
    start = np.tile(starts.values, clients)
    end = (pd.DatetimeIndex(start) + pd.offsets.MonthEnd(0))
    cost = rng.uniform(1_000, 50_000, n)
    hard = cost * rng.uniform(0.2, 3.0, n)
    soft = cost * rng.uniform(0.0, 1.0, n)
    return pd.DataFrame({
        "file": [f"plans/client{c:05d}-{k:02d}.xlsx" for c in range(clients) for k in range(periods)],
        "status": "ok",
        "client": np.repeat([f"Client {c:05d}" for c in range(clients)], periods),
        "currency": "EUR",
        "period_start": pd.DatetimeIndex(start).strftime("%Y-%m-%d"),
        "period_end": end.strftime("%Y-%m-%d"),
        "total_cost": cost, "hard_value": hard, "soft_value": soft, "total_value": hard + soft,
        "roi": (hard - cost) / cost, "roi_total": (hard + soft - cost) / cost,
        "roni": rng.normal(0.2, 0.5, n), "kpi_score": rng.uniform(0.5, 1.3, n),
        "payback": rng.uniform(0.5, 6, n)})


def timed(fn, rounds: int) -> tuple[float, float]:
    fn()  # warm-up
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=10_000)
    p.add_argument("--periods", type=int, default=36)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--dir", type=Path, default=None)
    args = p.parse_args(argv)

    import dask.dataframe as dd

    from roi_xl.history.store import add
    from roi_xl.history.trend import trend

    folder = Path(args.dir or tempfile.mkdtemp(prefix="roi-history-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    frame = summaries(args.clients, args.periods)
    parquet = folder / "summaries"
    dd.from_pandas(frame, npartitions=8).to_parquet(parquet, write_index=False, overwrite=True)
    files = sorted(str(f) for f in parquet.glob("*.parquet"))
    db = folder / "history.duckdb"

    def load():
        db.unlink(missing_ok=True)
        add(db, frame)

    def load_and_trend():
        load()
        trend(history=db, metric="ROI")

    load()
    rows = len(trend(history=db, metric="ROI"))
    assert rows == len(frame), (rows, len(frame))
    one = frame["client"].iloc[len(frame) // 2]
    results = [
        ("load into a new database", timed(load, args.rounds)),
        ("trend, all clients (database)", timed(lambda: trend(history=db, metric="ROI"), args.rounds)),
        ("trend, one client (database)", timed(lambda: trend(history=db, metric="ROI", clients=[one]),
                                               args.rounds)),
        ("trend, all clients (Parquet by Dask, 8 parts)",
         timed(lambda: trend(summaries=files, metric="ROI"), args.rounds)),
        ("load + trend, all clients", timed(load_and_trend, args.rounds)),
    ]
    print(f"{args.clients:,} clients x {args.periods} periods = {len(frame):,} rows; "
          f"{os.cpu_count()} cores; {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC\n")
    print("| what | median s | min s |\n|---|---:|---:|")
    for what, (median, low) in results:
        print(f"| {what} | {median:.3f} | {low:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
