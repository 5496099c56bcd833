"""`roi-xl history add` and `roi-xl trend`: their parsers and what they run (add_workbooks recalculates
plans with the batch's one-workbook work, then record adds them)."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ..batch.report import printable


def add_history_parsers(sub) -> None:
    p = sub.add_parser("history", help="keep plans' results over time in a history database")
    hsub = p.add_subparsers(dest="history_command", required=True)
    a = hsub.add_parser("add", help="recalculate plans and add their results to the history",
                        description="Recalculate each plan and add its summary row (client, period, "
                                    "currency, costs, values, ROI, RONI, KPI score, each KPI's "
                                    "attainment) to the history; the same client and period "
                                    "replaces its earlier row. The plans are only read.")
    a.add_argument("inputs", nargs="+", metavar="PLAN", help="workbook files, folders or glob patterns")
    a.add_argument("--history", required=True, type=Path, metavar="FILE",
                   help="the history database (DuckDB; made if missing)")
    a.set_defaults(run=_cmd_history_add)

    t = sub.add_parser("trend", help="period-over-period and year-over-year changes per client",
                       description="Changes of one figure from each client's previous period and "
                                   "from the period a year earlier, absolute and relative.")
    src = t.add_mutually_exclusive_group(required=True)
    src.add_argument("--history", type=Path, metavar="FILE", help="the history database")
    src.add_argument("--summaries", nargs="+", metavar="FILE",
                     help="summary files of `roi-xl recalc --summary` (.parquet, .csv or .json)")
    t.add_argument("--client", action="append", metavar="NAME", help="only this client (repeatable)")
    t.add_argument("--metric", default="ROI", metavar="NAME",
                   help="ROI (default), ROI_TOTAL, RONI, KPI_SCORE, TOTAL_COST, TOTAL_VALUE, "
                        "HARD_VALUE, SOFT_VALUE or PAYBACK")
    t.add_argument("--out", type=Path, metavar="FILE", help="write the table as .csv or .parquet")
    t.add_argument("--charts", type=Path, metavar="DIR", help="write one PNG chart per client here")
    t.set_defaults(run=_cmd_trend)


def _cmd_history_add(args: argparse.Namespace) -> int:
    from ..batch.files import find_workbooks
    from ..errors import HistoryError

    paths = find_workbooks(args.inputs)
    if not paths:
        print(printable("roi-xl history add: no .xlsx or .xlsm workbook in " + ", ".join(args.inputs)),
              file=sys.stderr)
        return 2
    try:
        added, messages = add_workbooks(paths, args.history)
    except HistoryError as exc:
        print(printable(f"roi-xl history add: {exc}"), file=sys.stderr)
        return 2
    for line in messages:
        print(printable(line), file=sys.stderr)
    print(printable(f"{added} of {len(paths)} plans added to {args.history}"))
    return 0 if added == len(paths) else 1


def add_workbooks(paths: list[Path], history: str | os.PathLike) -> tuple[int, list[str]]:
    """Recalculate each workbook (into a temporary copy) and add it; (rows added, messages)."""
    from ..batch.work import Options, process
    from ..engine import ModelCache
    from .record import record

    cache, results, messages = ModelCache(), [], []
    with tempfile.TemporaryDirectory(prefix="roi-xl-history-") as tmp:
        for i, path in enumerate(paths):
            r = process(Path(path), Path(tmp) / f"{i}.xlsx", cache, Options(summary=True))
            if r.ok:
                results.append(r)
            else:
                messages.append(r.error_line())
        messages += record(results, history)
    added = len(results) - sum(1 for m in messages if "not added to the history" in m)
    return added, messages


def _cmd_trend(args: argparse.Namespace) -> int:
    from ..errors import HistoryError
    from .trend import metric_column, trend

    try:
        column = metric_column(args.metric)
        table = trend(history=args.history, summaries=args.summaries, metric=args.metric,
                      clients=args.client)
        if args.out is not None:
            _write_table(table, args.out)
    except HistoryError as exc:
        print(printable(f"roi-xl trend: {exc}"), file=sys.stderr)
        return 2
    except OSError as exc:
        print(printable(f"roi-xl trend: {args.out}: cannot write it ({exc.strerror or exc})"),
              file=sys.stderr)
        return 1
    if table.empty:
        print("roi-xl trend: no results" + (" for " + ", ".join(args.client) if args.client else ""),
              file=sys.stderr)
        return 1
    if args.charts is not None:
        from .chart import charts

        written = charts(table, column, args.charts)
        print(printable(f"{len(written)} charts written to {args.charts}"), file=sys.stderr)
    if args.out is None:
        print(_terminal(table, column))
    return 0


def _write_table(table, path: Path) -> None:
    from ..atomic import replacing
    from ..errors import HistoryError

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise HistoryError(f"{path}: the table's suffix must be .csv or .parquet")
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        if suffix == ".csv":
            from ..summary import escape

            table.map(escape).to_csv(tmp, index=False)  # a client "=..." stays text in Excel
        else:
            table.to_parquet(tmp, index=False)


def _terminal(table, metric: str) -> str:
    """The table for people: percentages as %, changes signed, blanks as '-'."""
    percent = metric in ("roi", "roi_total", "roni", "kpi_score")

    def figure(x, signed=False):
        if x is None or x != x:
            return "-"
        sign = "+" if signed else ""
        return f"{x * 100:{sign},.1f}%" if percent else f"{x:{sign},.2f}"

    def pct(x):
        return "-" if x is None or x != x else f"{x * 100:+,.1f}%"

    shown = table.assign(
        client=table["client"].map(printable),
        period_start=table["period_start"].astype(str).str[:10],
        period_end=table["period_end"].astype(str).str[:10],
        value=table["value"].map(figure), previous=table["previous"].map(figure),
        change=table["change"].map(lambda x: figure(x, True)), change_pct=table["change_pct"].map(pct),
        year_ago=table["year_ago"].map(figure),
        yoy_change=table["yoy_change"].map(lambda x: figure(x, True)), yoy_pct=table["yoy_pct"].map(pct))
    shown.columns = ["client", "from", "to", metric.upper(), "previous", "change", "change %",
                     "year ago", "YoY change", "YoY %"]
    return shown.to_string(index=False)
