"""Broken and hostile inputs (tests/support/hostile_corpus.py): each recalculates with the right Excel errors
or fails with one line naming the file and the cause; a batch over all of them carries on; no input
is ever written to; the limits that protect the machine can be raised; a killed run loses nothing."""
from __future__ import annotations

import hashlib
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

from roi_xl.batch.work import Options, process
from roi_xl.engine import ModelCache
from roi_xl.errors import UnsafeWorkbook, WorkbookError
from roi_xl.xlsx import guard
from roi_xl.xlsx.guard import Limits

from tests.support import hostile_corpus
from tests.support.batch_books import distinct_books
from tests.support.cell_values import cached as _cached
from tests.support.cell_values import shown as _shown

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    return hostile_corpus.build(folder)


def _readable(path: Path) -> bool:
    try:
        with open(path, "rb"):
            return True
    except PermissionError:
        return False
    except OSError:
        return True


def _expected(case) -> tuple[bool, str | None]:
    """(ok, cause): a file we cannot make unreadable (tests running as root) simply recalculates."""
    if case.name == "no-permission.xlsx" and _readable(case.path):
        return True, None
    return case.ok, case.fails


def _sha256(paths) -> dict[Path, str]:
    out = {}
    for p in paths:
        if p.is_file() and _readable(p):
            out[p] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def recalc_cli(*args, cwd: Path, timeout=300, pythonpath: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (pythonpath, str(ROOT)) if p)}
    return subprocess.run([sys.executable, "-m", "roi_xl.cli", "recalc", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


# --------------------------------------------------------------------------- each case


def test_the_corpus_covers_the_issue(corpus):
    names = {c.name for c in corpus}
    assert len(corpus) >= 30, len(corpus)
    assert sum(c.ok for c in corpus) >= 8 and sum(not c.ok for c in corpus) >= 25
    for must in ("empty.xlsx", "truncated.xlsx", "zip-of-text.xlsx", "csv-renamed.xlsx",
                 "binary.xlsb", "billion-laughs.xlsx", "xxe-file.xlsx", "zip-bomb.xlsx",
                 "declared-4gb.xlsx", "million-cells.xlsx", "external-link-url.xlsx", "macros.xlsm",
                 "circular.xlsx", "unknown-function.xlsx", "formula-8000-chars.xlsx",
                 "wrong-types.xlsx", "sheet-names.xlsx", "no-permission.xlsx", "a-folder.xlsx",
                 "missing.xlsx", "decoy-letter-case.xlsx", "decoy-percent-escape.xlsx",
                 "decoy-dot-segments.xlsx", "decoy-content-types.xlsx", "array-over-the-sheet.xlsx",
                 "wildcard-backtracking.xlsx", "string-doubling.xlsx", "shared-string-missing.xlsx",
                 "format-missing.xlsx", "text-in-a-number-cell.xlsx", "add-in.xlam",
                 "unreadable-formula.xlsx", "xlm-macro-sheet.xlsm", "strict-open-xml.xlsx",
                 "mod-limits.xlsx", "iterative-converges.xlsx", "iterative-one-pass.xlsx",
                 "iterative-ten-passes.xlsx", "iterative-needs-formulas.xlsx",
                 "recursive-lambda.xlsx", "recursive-lambda-reading-cells.xlsx", "last-column.xlsx"):
        assert must in names
    if hostile_corpus.find_soffice() is not None:
        assert {"real.xls", "real.ods", "real-xls-renamed.xlsx"} <= names
    assert "encrypted.xlsx" in names  # msoffcrypto-tool is a test dependency


def test_each_case_in_process(corpus, tmp_path, monkeypatch):
    """process() (the batch's per-workbook work) on every case: the right values in the cells, or
    one plain line; and roi_xl.recalc() raises WorkbookError with the same cause."""
    import roi_xl

    monkeypatch.chdir(hostile_corpus.work_dir(corpus[0].path.parent))  # a neighbour.xlsx is here
    before = _sha256(c.path for c in corpus)
    cache, problems = ModelCache(), []
    for case in corpus:
        ok, cause = _expected(case)
        out = tmp_path / case.name
        result = process(case.path, out, cache, Options(keep_values=True))
        if not ok:
            if result.ok or cause not in result.error or "\n" in result.error \
                    or "Traceback" in result.error or out.exists():
                problems.append(f"{case.name}: expected to fail with {cause!r}, got {result}")
            with pytest.raises(WorkbookError) as raised:
                roi_xl.recalc(case.path)
            if cause not in str(raised.value):
                problems.append(f"{case.name}: recalc() raised {raised.value!r}")
            continue
        if not result.ok:
            problems.append(f"{case.name}: failed: {result.error}")
            continue
        computed = {k: _shown(v) for k, v in result.values.items()}
        cached = _cached(out)
        for ref, value in case.values.items():
            if computed.get(ref) != value or cached.get(ref) != value:
                problems.append(f"{case.name}: {ref} computed {computed.get(ref)!r}, "
                                f"written {cached.get(ref)!r}, expected {value!r}")
        if case.warning and not any(case.warning in w for w in result.warnings):
            problems.append(f"{case.name}: no warning with {case.warning!r}: {result.warnings}")
        unknown = [w for w in result.warnings if "unknown function" in w and case.name != "unknown-function.xlsx"]
        if unknown:
            problems.append(f"{case.name}: {unknown}")
        with zipfile.ZipFile(case.path) as zin, zipfile.ZipFile(out) as zout:
            for member in case.keep_members:
                if zin.read(member) != zout.read(member):
                    problems.append(f"{case.name}: {member} changed in the output")
    assert not problems, "\n".join(problems)
    assert _sha256(c.path for c in corpus) == before


def test_a_file_without_read_permission(corpus, monkeypatch, tmp_path):
    case = next(c for c in corpus if c.name == "no-permission.xlsx")
    if _readable(case.path):
        # Running as root: chmod 000 does not stop reading. Simulate the refusal the kernel
        # would give any other user, where the guard opens the file.
        def denied(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(case.path))

        monkeypatch.setattr(guard, "open", denied, raising=False)
    result = process(case.path, tmp_path / "out.xlsx", ModelCache(), Options())
    assert not result.ok
    assert result.error == "permission denied: the file cannot be opened for reading"


def test_the_guard_runs_before_any_reader(corpus, monkeypatch, tmp_path):
    """A refused file never reaches openpyxl or the engine (whichever reader process() uses)."""
    from roi_xl.engine import fastpath, workbook

    def no_reader(*args, **kwargs):
        raise AssertionError("a reader opened a refused file")

    monkeypatch.setattr(workbook, "load_workbook", no_reader)   # openpyxl, for formulas
    monkeypatch.setattr(fastpath, "_compute", no_reader)        # the fast path and its reader, after the guard
    for name in ("billion-laughs.xlsx", "zip-bomb.xlsx", "million-cells.xlsx", "declared-4gb.xlsx",
                 "formula-8600-chars.xlsx", "xxe-network.xlsx"):
        case = next(c for c in corpus if c.name == name)
        result = process(case.path, tmp_path / name, ModelCache(), Options())
        assert not result.ok and case.fails in result.error, result


def test_openpyxl_parses_through_defusedxml():
    """openpyxl picks defusedxml up when it is importable (openpyxl.xml.DEFUSEDXML) and then parses
    sheets with defusedxml's iterparse; the guard refuses DTDs before that anyway."""
    import openpyxl.xml
    import openpyxl.xml.functions as xml_functions

    assert openpyxl.xml.DEFUSEDXML is True
    assert xml_functions.iterparse.__module__.startswith("defusedxml")



def test_wildcards_take_linear_time(corpus, tmp_path):
    """COUNTIF, SUMIF, SEARCH, MATCH, VLOOKUP and XLOOKUP with 25 "*a" then "*b" against 40 a's:
    a backtracking regex never finished; the time-out is the failure signal, not a measurement."""
    case = next(c for c in corpus if c.name == "wildcard-backtracking.xlsx")
    out = tmp_path / "out"
    run = recalc_cli(case.path, "--out", out, "--timeout", "0", cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    cached = _cached(out / case.name)
    assert {ref: cached.get(ref) for ref in case.values} == case.values


@pytest.mark.parametrize("name", ["string-doubling.xlsx", "mod-limits.xlsx", "last-column.xlsx"])
def test_excel_rules_hold_on_both_engine_paths(corpus, name):
    """The plan (the engine of record) and the formulas model give the corpus's values: each
    rule is defined once and both paths call it. Texts stop at Excel's 32,767 characters (the
    plan's own `&`; the formulas model's `&`, CONCAT, REPT...), MOD's quotient limit, cells in the
    last column."""
    from roi_xl.engine import fastpath

    from tests.support.two_paths import formulas_values

    case = next(c for c in corpus if c.name == name)
    plan = fastpath.compute(case.path, ModelCache())
    assert plan.fast, plan.note
    reference = formulas_values(case.path)
    for ref, expected in case.values.items():
        sheet, cell = ref.split("!")
        assert _shown(plan.cells[(sheet, cell)]) == expected, ref
        assert _shown(reference[(sheet, cell)]) == expected, ref


# --------------------------------------------------------------------------- limits


def test_each_limit_has_a_clear_message_and_can_be_raised(tmp_path):
    book = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 301):                          # 600 cells, a 2.4 MB sheet
        ws.cell(r, 1, r)
        ws.cell(r, 2, os.urandom(4000).hex())      # compresses about 2:1
    ws["C1"] = "=SUM(A1:A300)+" + "+".join(["1"] * 50)  # 112 characters after the =
    wb.save(book)
    guard.check(book)                                 # the defaults let it through
    refusals = {
        "too many cells: more than 500 (the limit; raise it with --max-cells)": Limits(max_cells=500),
        "formula too long in Sheet!C1: 112 characters (the limit is 100; raise it with "
        "--max-formula-length)": Limits(max_formula_length=100),
        "(the limit is 1.0 MB; raise it with --max-size)": Limits(max_size=2**20),
        "expands": Limits(max_ratio=1.2),
    }
    for message, limits in refusals.items():
        with pytest.raises(UnsafeWorkbook) as refused:
            guard.check(book, limits)
        assert message in str(refused.value)
    src = tmp_path / "in"
    src.mkdir()
    book.rename(src / "book.xlsx")
    out = tmp_path / "out"
    before = _sha256([src / "book.xlsx"])
    low = recalc_cli(src, "--out", out, "--max-cells", "500", "--jobs", "1", cwd=tmp_path)
    assert low.returncode == 1 and f"{src / 'book.xlsx'}: too many cells" in low.stderr
    raised = recalc_cli(src, "--out", out, "--max-cells", "700", "--max-size", "3MB", "--jobs", "1",
                        cwd=tmp_path)
    assert raised.returncode == 0, raised.stderr
    value = openpyxl.load_workbook(out / "book.xlsx", data_only=True).active["C1"].value
    assert value == 300 * 301 / 2 + 50
    tight = recalc_cli(src, "--out", out, "--max-size", "1MB", "--jobs", "1", cwd=tmp_path)
    assert tight.returncode == 1 and "raise it with --max-size" in tight.stderr
    for bad in (["--max-size", "lots"], ["--max-ratio", "0"], ["--timeout", "-1"]):
        assert recalc_cli(src, "--out", out, *bad, cwd=tmp_path).returncode == 2
    assert _sha256([src / "book.xlsx"]) == before


# --------------------------------------------------------------------------- the batch


def test_the_cli_over_the_whole_corpus(corpus, tmp_path):
    """One real `roi-xl recalc` over every case (and good workbooks between them): one line per bad
    file, outputs for the others, a summary with a row each, and no input changed."""
    folder = corpus[0].path.parent
    good = []
    for i in range(3):
        good.append(hostile_corpus._small(tmp_path / f"good-{i}.xlsx"))
    cases = [c for c in corpus if c.cli]
    # the folder is searched for .xlsx/.xlsm files; the others are named, as a user would
    named = [c.path for c in cases if c.path.suffix not in (".xlsx", ".xlsm") or not c.path.is_file()]
    inputs = [good[0], folder, good[1], *named, good[2]]
    before = _sha256([*good, *folder.iterdir()])
    out, summary = tmp_path / "out", tmp_path / "summary.csv"
    run = recalc_cli(*inputs, "--out", out, "--jobs", "2", "--summary", summary,
                     cwd=hostile_corpus.work_dir(folder))
    assert _sha256([*good, *folder.iterdir()]) == before
    inputs = [*good, *(c.path for c in cases)]
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    for case in cases:
        ok, cause = _expected(case)
        mine = [line for line in lines if line.startswith(f"{case.path}: ")]
        if ok:
            assert (out / case.path.name).is_file(), case.name
            assert all(": warning: " in line for line in mine), mine
        else:
            assert len(mine) == 1 and cause in mine[0], (case.name, mine)
            assert not (out / case.path.name).exists()
    for g in good:
        assert openpyxl.load_workbook(out / g.name, data_only=True).active["B1"].value == 42
    # the folder a-folder.xlsx inside the input folder holds no workbook: it gets a line too
    assert f"{folder / 'a-folder.xlsx'}: no .xlsx or .xlsm workbook in this folder" in lines
    inputs.append(folder / "a-folder.xlsx")
    df = pd.read_csv(summary, keep_default_na=False)
    assert len(df) == len(inputs)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        {g.name for g in good} | {c.path.name for c in cases if _expected(c)[0]})
    expected_failures = sum(not _expected(c)[0] for c in cases) + 1
    assert lines[-1].startswith(f"{len(inputs) - expected_failures} of {len(inputs)} workbooks")


def test_debug_shows_tracebacks_only_when_asked(tmp_path):
    bad = tmp_path / "odd.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    plain = recalc_cli(bad, "--out", tmp_path / "o", cwd=tmp_path)
    assert plain.returncode == 1
    assert plain.stderr.splitlines()[0] == f"{bad}: not an Excel workbook: a damaged or truncated zip file"
    assert "Traceback" not in plain.stderr


# --------------------------------------------------------------------------- time limit

_SLOW_HOOK = '''
import time
import roi_xl.batch.executors, roi_xl.batch.work
_process = roi_xl.batch.work.process
def process(path, *args, **kwargs):
    if path.name.startswith("slow"):   # stands for a pathological workbook
        time.sleep(120)
    return _process(path, *args, **kwargs)
roi_xl.batch.work.process = roi_xl.batch.executors.process = process
'''


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_workbook_over_the_time_limit_is_stopped_and_the_rest_go_on(tmp_path, jobs):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_SLOW_HOOK)
    src = tmp_path / "in"
    src.mkdir()
    names = ["a.xlsx", "slow-1.xlsx", "b.xlsx", "slow-2.xlsx", "c.xlsx"]
    for n in names:
        hostile_corpus._small(src / n)
    before = _sha256(src.iterdir())
    started = time.monotonic()
    run = recalc_cli(src, "--out", tmp_path / "out", "--jobs", jobs, "--timeout", "3",
                     cwd=tmp_path, pythonpath=str(hook), timeout=100)
    took = time.monotonic() - started
    assert run.returncode == 1, run.stderr
    assert took < 60, took
    for n in ("slow-1.xlsx", "slow-2.xlsx"):
        assert (f"{src / n}: took longer than the time limit of 3 s for one workbook "
                "(stopped; raise it with --timeout)") in run.stderr.splitlines()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.xlsx", "b.xlsx", "c.xlsx"]
    assert run.stderr.splitlines()[-1].startswith("3 of 5 workbooks recalculated")
    assert _sha256(src.iterdir()) == before


# --------------------------------------------------------------------------- nothing lost


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_killed_outright_leaves_no_half_written_workbook(tmp_path, jobs):
    inputs = distinct_books(tmp_path / "in", 24)
    before = _sha256(inputs)
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "roi_xl.cli", "recalc", str(tmp_path / "in"),
                             "--out", str(out), "--jobs", str(jobs)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    deadline = time.monotonic() + 90
    while len([p for p in out.iterdir() if p.suffix == ".xlsx"]) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, "no output appeared"
        time.sleep(0.005)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)                     # no clean-up at all
    proc.wait(timeout=30)
    deadline = time.monotonic() + 60                     # orphaned workers stop by themselves
    while any(Path(f"/proc/{w}").exists() and "Z" not in _state(w) for w in workers):
        assert time.monotonic() < deadline, "a worker outlived the killed run"
        time.sleep(0.05)
    finished = sorted(p for p in out.iterdir() if p.suffix == ".xlsx")
    assert 2 <= len(finished) < 24, "the run was not interrupted"
    for p in finished:                                   # every workbook there is whole
        with zipfile.ZipFile(p) as z:
            assert z.testzip() is None
        openpyxl.load_workbook(p)
    again = recalc_cli(tmp_path / "in", "--out", out, "--jobs", "2", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in inputs]  # staging gone too
    for i, p in enumerate(inputs):
        ws = openpyxl.load_workbook(out / p.name, data_only=True).active
        assert ws["C1"].value == pytest.approx((10 + i - 2) / 2 * (i + 1))
    assert _sha256(inputs) == before


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "gone"


def test_an_output_over_its_input_is_refused_unless_asked(tmp_path):
    src = tmp_path / "clients"
    src.mkdir()
    books = [hostile_corpus._small(src / f"{n}.xlsx") for n in ("a", "b")]
    (src / "broken.xlsx").write_bytes(b"junk")
    before = _sha256([*books, src / "broken.xlsx"])
    for args in ([src, "--out", src], [books[0], "--out", src]):
        refused = recalc_cli(*args, cwd=tmp_path)
        assert refused.returncode == 2
        assert "would replace the input" in refused.stderr and "--replace-inputs" in refused.stderr
        assert _sha256([*books, src / "broken.xlsx"]) == before
        assert sorted(p.name for p in src.iterdir()) == ["a.xlsx", "b.xlsx", "broken.xlsx"]

    run = recalc_cli(src, "--out", src, "--replace-inputs", cwd=tmp_path)
    assert run.returncode == 1                             # broken.xlsx fails, and is left alone
    m = re.search(r"kept, unchanged, in (\S+)$", run.stderr, re.M)
    assert m, run.stderr
    backups = Path(m.group(1))
    assert backups.parent == src and backups.name.startswith("roi-xl-originals-")
    assert sorted(p.name for p in backups.iterdir()) == ["a.xlsx", "b.xlsx"]
    assert _sha256(backups.iterdir()) == {backups / p.name: h for p, h in before.items()
                                          if p.name != "broken.xlsx"}
    assert hashlib.sha256((src / "broken.xlsx").read_bytes()).hexdigest() == before[src / "broken.xlsx"]
    for b in books:
        assert openpyxl.load_workbook(b, data_only=True).active["B1"].value == 42
    # the originals folder is not searched as input next time
    again = recalc_cli(src / "a.xlsx", src / "b.xlsx", "--out", tmp_path / "elsewhere", cwd=tmp_path)
    assert again.returncode == 0
    searched = recalc_cli(src, "--out", tmp_path / "o2", cwd=tmp_path)
    failed = [line for line in searched.stderr.splitlines() if line.startswith(str(src))]
    assert len(failed) == 1 and failed[0].startswith(f"{src / 'broken.xlsx'}: "), searched.stderr
    assert sorted(p.name for p in (tmp_path / "o2").iterdir()) == ["a.xlsx", "b.xlsx"]


def test_summary_cells_that_could_run_as_formulas_are_escaped(tmp_path):
    """OWASP's CSV injection rule: text starting with = + - @ tab or CR gets a leading quote."""
    from roi_xl.batch.work import FileResult
    from roi_xl.summary import write

    hostile = {"=HYPERLINK(\"http://evil.invalid\",\"x\")": "'=HYPERLINK(\"http://evil.invalid\",\"x\")",
               "+1+1": "'+1+1", "-2+3": "'-2+3", "@SUM(A1)": "'@SUM(A1)",
               "\t=1": "'\t=1", "\r=1": "'\r=1", "Acme": "Acme"}
    results = [FileResult(Path(f"{i}.xlsx"), None, True, named={"client": name})
               for i, name in enumerate(hostile)]
    results.append(FileResult(Path("=evil().xlsx"), None, False, "-1 problem"))
    path = write(results, tmp_path / "s.csv")
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert [row["client"] for row in table[: len(hostile)]] == list(hostile.values())
    assert table[-1]["file"] == "'=evil().xlsx" and table[-1]["error"] == "'-1 problem"


# --------------------------------------------------------------------------- around the batch


def test_report_lines_cannot_be_forged(tmp_path):
    """A file name with a newline or an ANSI escape, a name whose bytes are not UTF-8 and an
    external link whose target holds a newline each print as one line, their characters
    escaped; the summary (CSV, UTF-8) holds the non-UTF-8 name as \\xNN."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "evil\nother.xlsx: recalculated \x1b[2J.xlsx").write_bytes(bytes(range(256)))
    latin = os.fsencode(src) + b"/caf\xe9.xlsx"
    with open(latin, "wb") as fh:
        fh.write(hostile_corpus._small(tmp_path / "good.xlsx").read_bytes())
    hostile_corpus._external_link_book(src / "link.xlsx", "file:///C:/a&#10;fake.xlsx: ok")
    out, summary = tmp_path / "out", tmp_path / "summary.csv"
    run = subprocess.run([sys.executable, "-m", "roi_xl.cli", "recalc", src, "--out", out,
                          "--summary", summary, "--jobs", "1"], capture_output=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    err = run.stderr.decode("utf-8")      # it is valid UTF-8: no raw byte of the name
    assert run.returncode == 1 and "Traceback" not in err
    lines = err.splitlines()
    assert f"{src}/evil\\nother.xlsx: recalculated \\x1b[2J.xlsx: not an Excel workbook: not a zip file" \
        in lines
    assert f"{src}/link.xlsx: warning: external link to file:///C:/a\\nfake.xlsx: ok is not followed " \
        "(formulas referring to it get #REF!)" in lines
    assert not any("\x1b" in line or line.startswith("fake.xlsx") for line in lines)
    assert f"{src}/caf\\xe9.xlsx -> {out}/caf\\xe9.xlsx (1 formulas" in run.stdout.decode("utf-8")
    table = pd.read_csv(summary, keep_default_na=False)
    assert f"{src}/caf\\xe9.xlsx" in set(table["file"])
    assert openpyxl.load_workbook(os.fsdecode(os.fsencode(out) + b"/caf\xe9.xlsx"),
                                  data_only=True).active["B1"].value == 42


@pytest.mark.parametrize("where", ["a folder", "under a file"])
def test_a_summary_that_cannot_be_written_is_one_line_and_exit_1(tmp_path, where):
    book = hostile_corpus._small(tmp_path / "book.xlsx")
    summary = tmp_path / "summary.csv"
    if where == "a folder":
        summary.mkdir()
    else:
        (tmp_path / "file.txt").write_text("x")
        summary = tmp_path / "file.txt" / "summary.csv"
    run = recalc_cli(book, "--out", tmp_path / "out", "--summary", summary, cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    told = [line for line in run.stderr.splitlines() if "cannot write the summary" in line]
    assert len(told) == 1 and told[0].startswith(f"roi-xl recalc: cannot write the summary {summary} (")
    assert (tmp_path / "out" / "book.xlsx").is_file()   # the work itself is kept


def test_a_folder_that_yields_no_workbook_gets_a_line(tmp_path):
    src = tmp_path / "clients"
    (src / "archive").mkdir(parents=True)
    (src / "archive" / "notes.txt").write_text("no workbook here")
    hostile_corpus._small(src / "a.xlsx")
    empty = tmp_path / "empty"
    empty.mkdir()
    run = recalc_cli(src, empty, "--out", tmp_path / "out", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    lines = run.stderr.splitlines()
    assert f"{src / 'archive'}: no .xlsx or .xlsm workbook in this folder" in lines
    assert f"{empty}: no .xlsx or .xlsm workbook in this folder" in lines
    assert lines[-1].startswith("1 of 3 workbooks recalculated")
    assert (tmp_path / "out" / "a.xlsx").is_file()


def test_a_users_folder_named_like_the_staging_folder_is_left_alone(tmp_path):
    """Only a folder holding roi-xl's own mark (and only files) is a killed run's staging."""
    out = tmp_path / "out"
    mine = out / ".roi-xl-staging-999999999-abcd"      # the pid is no process
    (mine / "keep").mkdir(parents=True)
    (mine / "keep" / "precious.txt").write_text("the user's")
    (mine / "precious.xlsx").write_text("the user's too")
    marked = out / ".roi-xl-staging-999999998-abcd"
    marked.mkdir()
    (marked / ".roi-xl-staging").write_text("roi-xl recalc staging folder of process 999999998\n")
    (marked / "precious.txt").write_text("a folder holding the mark and a subfolder is not ours")
    (marked / "sub").mkdir()
    book = hostile_corpus._small(tmp_path / "book.xlsx")
    run = recalc_cli(book, "--out", out, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (mine / "keep" / "precious.txt").read_text() == "the user's"
    assert (mine / "precious.xlsx").read_text() == "the user's too"
    assert (marked / "precious.txt").is_file()


def test_the_api_removes_a_temporary_file_a_killed_process_left(tmp_path):
    """roi_xl.recalc writes beside its output and renames; a process killed in between leaves
    its .tmp (named with its pid): the next write of that output removes it."""
    import roi_xl

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()   # a pid now unused
    book = hostile_corpus._small(tmp_path / "book.xlsx")
    out = tmp_path / "out.xlsx"
    orphan = tmp_path / f".out.xlsx.{gone}-0123456789ab.tmp"
    orphan.write_bytes(b"half a workbook")
    alive = tmp_path / f".out.xlsx.{os.getppid()}-0123456789ab.tmp"   # a live process's: kept
    alive.write_bytes(b"being written")
    roi_xl.recalc(book, out)
    assert not orphan.exists() and alive.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["book.xlsx", "out.xlsx", alive.name])


def test_a_cell_outside_the_sheet_is_a_workbook_error(tmp_path):
    """A cell beyond XFD or row 1,048,576 cannot be written back: WorkbookError, not ValueError."""
    import roi_xl

    good = hostile_corpus._small(tmp_path / "good.xlsx")
    for name, rows in (("xfe.xlsx", '<row r="1"><c r="A1"><v>1</v></c><c r="XFE1"><f>A1+1</f></c></row>'),
                       ("row.xlsx", '<row r="1048577"><c r="A1048577"><f>1+1</f></c></row>')):
        path = hostile_corpus._with_part(good, tmp_path / name, "xl/worksheets/sheet1.xml",
                                         hostile_corpus._sheet_xml(rows))
        with pytest.raises(WorkbookError) as raised:
            roi_xl.recalc(path, tmp_path / f"out-{name}")
        assert "outside the sheet" in str(raised.value), raised.value


def _beyond(tmp_path: Path, name: str, cell: str, plain_rows: int) -> Path:
    """A workbook whose sheet holds B1 = A1+1 (A1 = 40), `plain_rows` rows of numbers from row 2
    (enough makes the sheet part big: its plain rows are read from the bytes, xlsx/lean.py), and
    the constant 7 in `cell`, past the sheet's last cell."""
    rows = ['<row r="1"><c r="A1"><v>40</v></c><c r="B1"><f>A1+1</f></c></row>']
    rows += [f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="C{r}" s="0"><v>1.5</v></c></row>'
             for r in range(2, 2 + plain_rows)]
    rows.append(f'<row r="{plain_rows + 2}"><c r="D{plain_rows + 2}"><v>1</v></c><c r="{cell}"><v>7</v></c></row>')
    good = hostile_corpus._small(tmp_path / "good.xlsx")
    return hostile_corpus._with_part(good, tmp_path / name, "xl/worksheets/sheet1.xml",
                                     hostile_corpus._sheet_xml("".join(rows)))


@pytest.mark.parametrize("plain_rows", [0, 30_000])
def test_a_constant_outside_the_sheet_is_refused_by_the_plan_too(tmp_path, monkeypatch, plain_rows):
    """A constant past XFD or row 1,048,576 (issue 19): the plan's reader refuses the workbook with
    the formulas path's sentence, naming the cell, without the full load; in a small sheet part
    and among a big part's plain rows alike. Through the API and the CLI."""
    import roi_xl
    from roi_xl.engine import workbook

    def no_full_load(path):
        raise AssertionError("the full load ran")

    for name, cell in (("xfe.xlsx", "XFE1"), ("row.xlsx", "A1048577"), ("zzz.xlsx", "zzz2"), ("aaaa.xlsx", "AAAA3")):
        path = _beyond(tmp_path, name, cell, plain_rows)
        assert (path.stat().st_size > 100_000) == bool(plain_rows)
        expected = (f"damaged workbook: a cell lies outside the sheet, Sheet!{cell.upper()} "
                    "(the last cell of a sheet is XFD1048576)")
        with pytest.raises(WorkbookError) as by_formulas:
            workbook.load(path)
        if cell != "AAAA3":  # the formulas path's own refusal (openpyxl reads columns up to ZZZ)
            assert str(by_formulas.value) == expected
        else:
            assert str(by_formulas.value).startswith("damaged workbook: 'AAAA' is not a valid column")
        with monkeypatch.context() as m:
            m.setattr(workbook, "load", no_full_load)
            with pytest.raises(WorkbookError) as raised:
                roi_xl.recalc(path, tmp_path / f"out-{name}")
        assert str(raised.value) == expected
        run = recalc_cli(path, "--out", tmp_path / "out", cwd=tmp_path)
        assert run.returncode == 1 and run.stderr.splitlines()[0] == f"{path}: {expected}", run.stderr
    # the same sheets with their last cell in XFD1048576 are read and recalculated
    for cell in ("XFD1048576", "xfd1048576"):
        path = _beyond(tmp_path, "last.xlsx", cell, plain_rows)
        assert roi_xl.recalc(path)["Sheet!B1"] == 41


# --------------------------------------------------------------------------- time and memory


def test_the_api_has_a_time_limit(tmp_path, monkeypatch):
    """roi_xl.recalc(..., timeout=) stops work over the limit (here a computation that sleeps,
    standing for a pathological workbook) with a WorkbookError, and leaves no output."""
    import importlib

    import roi_xl

    recalc_module = importlib.import_module("roi_xl.engine.recalc")
    book = hostile_corpus._small(tmp_path / "book.xlsx")
    assert roi_xl.recalc(book, tmp_path / "quick.xlsx", timeout=120)["Sheet!B1"] == 42
    assert openpyxl.load_workbook(tmp_path / "quick.xlsx", data_only=True).active["B1"].value == 42
    compute = recalc_module.compute

    def slow(*args, **kwargs):
        time.sleep(120)
        return compute(*args, **kwargs)

    monkeypatch.setattr(recalc_module, "compute", slow)   # the forked child runs this one
    started = time.monotonic()
    with pytest.raises(WorkbookError) as raised:
        roi_xl.recalc(book, tmp_path / "slow.xlsx", timeout=2)
    assert time.monotonic() - started < 60
    assert str(raised.value) == "took longer than the time limit of 2 s (stopped)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "quick.xlsx"]


def test_a_workbook_over_the_memory_budget_fails_alone(tmp_path):
    """One array formula over the whole sheet (let past the cell limit on purpose) needs far more
    than a 1.5 GB budget: that workbook fails with one line naming the limit, the next one is
    recalculated by the same batch."""
    good = hostile_corpus._small(tmp_path / "good.xlsx")
    huge = hostile_corpus._array_over_the_sheet(tmp_path / "huge.xlsx", good, "B1:XFD1048576")
    run = recalc_cli(huge, good, "--out", tmp_path / "out", "--max-cells", "100000000000",
                     "--max-memory", "1.5GB", "--jobs", "1", cwd=tmp_path, timeout=600)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"{huge}: ran out of memory while recalculating it (the limit is 1.5 GB per workbook; " \
        "raise it with --max-memory)" in run.stderr.splitlines(), run.stderr
    assert openpyxl.load_workbook(tmp_path / "out" / "good.xlsx", data_only=True).active["B1"].value == 42
