"""The history database and `roi-xl trend`: real DuckDB files, trends checked against pandas
computing the same changes directly, and real `roi-xl recalc --history` runs (local and Dask)."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from roi_xl import summary
from roi_xl.errors import HistoryError
from roi_xl.history.chart import file_name
from roi_xl.history.store import add, connect
from roi_xl.history.trend import trend

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "workbook_templates" / "examples").glob("*.xlsx"))


def _month(start: dt.date, k: int) -> dt.date:
    y, m = divmod(start.month - 1 + k, 12)
    return dt.date(start.year + y, m + 1, 1)


def generated(clients: int = 40, periods: int = 30, seed: int = 7) -> pd.DataFrame:
    """Monthly results per client, some months missing, some figures 0 or negative."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(clients):
        for k in range(periods):
            if rng.random() < 0.1:
                continue  # a month never recalculated
            start = _month(dt.date(2023, 1, 1), k)
            roi = float(rng.choice([0.0, rng.normal(0.4, 0.8)], p=[0.05, 0.95]))
            rows.append({"file": f"c{c}-{k}.xlsx", "status": "ok", "client": f"Client {c:03d}",
                         "currency": "EUR", "period_start": start.isoformat(),
                         "period_end": (_month(start, 1) - dt.timedelta(days=1)).isoformat(),
                         "total_cost": float(rng.uniform(1000, 9000)), "roi": roi})
    return pd.DataFrame(rows)


def pandas_trend(frame: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The trend computed directly: shift within each client, and a merge a year back."""
    df = frame.assign(period_start=pd.to_datetime(frame["period_start"]),
                      period_end=pd.to_datetime(frame["period_end"]), value=frame[metric])
    df = df.sort_values(["client", "period_start"])[["client", "period_start", "period_end", "value"]]
    df["previous"] = df.groupby("client")["value"].shift(1)
    df["change"] = df["value"] - df["previous"]
    df["change_pct"] = (df["change"] / df["previous"].abs()).where(df["previous"] != 0)
    back = df[["client", "period_start", "value"]].rename(columns={"value": "year_ago"})
    back["period_start"] = back["period_start"] + pd.DateOffset(years=1)
    df = df.merge(back, on=["client", "period_start"], how="left")
    df["yoy_change"] = df["value"] - df["year_ago"]
    df["yoy_pct"] = (df["yoy_change"] / df["year_ago"].abs()).where(df["year_ago"] != 0)
    return df.reset_index(drop=True)


def _same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    ours = ours.assign(period_start=pd.to_datetime(ours["period_start"]),
                       period_end=pd.to_datetime(ours["period_end"]))
    pd.testing.assert_frame_equal(ours.reset_index(drop=True), theirs[list(ours.columns)],
                                  check_dtype=False, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("metric", ["roi", "total_cost"])
def test_trend_over_a_generated_history_matches_pandas(tmp_path, metric):
    frame = generated()
    db = tmp_path / "history.duckdb"
    assert add(db, frame.to_dict("records")) == []
    table = trend(history=db, metric=metric)
    expected = pandas_trend(frame, metric)
    assert len(table) == len(frame)
    assert expected["year_ago"].notna().sum() > 100
    assert metric != "roi" or (expected["previous"] == 0).any()  # the blank % of a 0 is covered
    _same(table, expected)


def test_trend_over_summary_files_is_the_same_query(tmp_path):
    frame = generated(clients=5, periods=26)
    frame["roi"] = frame["roi"].astype(object)
    frame.loc[3, "roi"] = "#DIV/0!"           # a figure that was an error: blank in the trend
    failed = dict(frame.iloc[0], status="failed", client="Ghost")
    frame = pd.concat([frame, pd.DataFrame([failed])], ignore_index=True)
    summary._for_parquet(frame).to_parquet(tmp_path / "a.parquet", index=False)
    frame.to_csv(tmp_path / "a.csv", index=False)
    db = tmp_path / "h.duckdb"
    add(db, frame.to_dict("records"))
    from_db = trend(history=db)
    assert "Ghost" not in set(from_db["client"]) and from_db["value"].isna().sum() == 1
    for files in ([str(tmp_path / "a.parquet")], [str(tmp_path / "a.csv")]):
        pd.testing.assert_frame_equal(trend(summaries=files), from_db, check_dtype=False)


def test_the_same_client_and_period_replaces_its_row_and_kpis(tmp_path):
    db = tmp_path / "h.duckdb"
    row = {"file": "a.xlsx", "status": "ok", "client": "'=Acme", "period_start": "2025-01-01",
           "period_end": "2025-03-31", "currency": "EUR", "roi": 0.5, "kpi_score": "#N/A"}
    add(db, [row], {"a.xlsx": [("K1", "Leads", 0.9), ("K2", "Clicks", 1.1)]})
    add(db, [dict(row, roi=0.75)], {"a.xlsx": [("K1", "Leads", 1.2)]})
    assert add(db, [dict(row, client=None)]) == [
        "a.xlsx: not added to the history: the plan needs a client and a period (Start sheet)"]
    con = connect(db, read_only=True)
    assert con.execute("SELECT client, roi, kpi_score FROM results").fetchall() == [("=Acme", 0.75, None)]
    assert con.execute("SELECT kpi, attainment FROM kpi_attainment").fetchall() == [("K1", 1.2)]
    con.close()


def test_a_file_that_is_not_a_database_is_one_clear_error(tmp_path):
    bad = tmp_path / "h.duckdb"
    bad.write_text("not a database")
    with pytest.raises(HistoryError, match=r"h\.duckdb: cannot open the history database"):
        add(bad, [{"file": "a", "client": "A", "period_start": "2025-01-01", "period_end": "2025-01-31"}])
    assert bad.read_text() == "not a database"
    with pytest.raises(HistoryError, match="no such history database"):
        trend(history=tmp_path / "missing.duckdb")


def test_client_names_become_safe_chart_file_names():
    assert file_name("../../etc/passwd") == "etc_passwd.png"
    assert file_name("Nomada Footwear (online shop)") == "Nomada Footwear _online shop.png"
    assert file_name("\x1b[31m") == "31m.png"


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "roi_xl.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_recalc_history_keeps_the_summary_figures_and_each_kpi(tmp_path):
    db, out = tmp_path / "h.duckdb", tmp_path / "out"
    for _ in range(2):  # recalculating the same plans again replaces their rows
        run = _cli("recalc", *EXAMPLES, "--out", out, "--history", db, "--summary", tmp_path / "s.csv")
        assert run.returncode == 0, run.stderr
    con = connect(db, read_only=True)
    rows = con.execute("SELECT client, roi, total_cost FROM results ORDER BY client").df()
    kpis = con.execute("SELECT client, kpi, attainment FROM kpi_attainment ORDER BY client, kpi").df()
    con.close()
    csv = pd.read_csv(tmp_path / "s.csv").sort_values("client").reset_index(drop=True)
    assert len(rows) == 3
    pd.testing.assert_frame_equal(rows, csv[["client", "roi", "total_cost"]], check_dtype=False)
    # each KPI's attainment as the recalculated workbook shows it (read with openpyxl)
    book = openpyxl.load_workbook(out / "retail_ecommerce.xlsx", data_only=True)
    client = book["Start"]["B4"].value
    ws = book["KPIs"]
    expected = {ws[f"A{r}"].value: ws[f"L{r}"].value for r in range(5, 55) if ws[f"A{r}"].value}
    ours = kpis[kpis["client"] == client]
    assert len(expected) >= 3
    assert dict(zip(ours["kpi"], ours["attainment"].where(ours["attainment"].notna(), None))) == \
        pytest.approx({k: (None if v in ("", None) else v) for k, v in expected.items()})


def test_history_add_and_trend_commands(tmp_path):
    from roi_xl.xlsx.writer import write_inputs

    db, plan = tmp_path / "h.duckdb", EXAMPLES[0]
    # the same plan a year later: period moved a year on, 1,000 more on its first cost row
    ws = openpyxl.load_workbook(plan)["Costs"]
    amount, allocation = ws["F5"].value or 0, ws["G5"].value
    start, end = (openpyxl.load_workbook(plan)["Start"][c].value for c in ("B6", "B7"))
    serial = lambda d: (d.date() - dt.date(1899, 12, 30)).days  # noqa: E731
    later = tmp_path / "later.xlsx"
    write_inputs(plan, later, {("Start", "B6"): serial(start.replace(year=start.year + 1)),
                               ("Start", "B7"): serial(end.replace(year=end.year + 1)),
                               ("Costs", "F5"): amount + 1000})
    run = _cli("history", "add", plan, later, "--history", db)
    assert run.returncode == 0 and "2 of 2 plans added" in run.stdout, run.stderr
    run = _cli("trend", "--history", db, "--metric", "total_cost", "--out", tmp_path / "t.csv",
               "--charts", tmp_path / "charts")
    assert run.returncode == 0, run.stderr
    table = pd.read_csv(tmp_path / "t.csv")
    assert list(table.columns) == ["client", "period_start", "period_end", "value", "previous",
                                   "change", "change_pct", "year_ago", "yoy_change", "yoy_pct"]
    assert len(table) == 2 and table["previous"].isna().tolist() == [True, False]
    delta = 1000 * (1 if allocation is None else allocation)
    assert table["change"][1] == pytest.approx(delta) and table["yoy_change"][1] == pytest.approx(delta)
    assert table["yoy_pct"][1] == pytest.approx(delta / table["value"][0])
    run = _cli("trend", "--history", db, "--metric", "TOTAL_COST")
    assert f"+{delta:,.2f}" in run.stdout  # the terminal table
    from PIL import Image

    charts = list((tmp_path / "charts").glob("*.png"))
    assert len(charts) == 1 and Image.open(charts[0]).size == (800, 400)
    run = _cli("trend", "--history", db, "--metric", "nonsense")
    assert run.returncode == 2 and "no figure 'nonsense'" in run.stderr


def test_trend_over_parquet_summaries_of_a_dask_batch(tmp_path):
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local.duckdb"
    assert _cli("recalc", *EXAMPLES, "--out", tmp_path / "a", "--history", local).returncode == 0
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        from roi_xl.batch.command import run

        code = run([str(p) for p in EXAMPLES], tmp_path / "b", executor="dask",
                   scheduler=cluster.scheduler_address, summary=tmp_path / "dask.parquet", bar=False)
    assert code == 0
    pd.testing.assert_frame_equal(trend(summaries=[str(tmp_path / "dask.parquet")]),
                                  trend(history=local), check_dtype=False)
