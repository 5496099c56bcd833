"""Recalculating many workbooks: finding them, one file's work, the batch run and its report.

The per-workbook work (`process`) reads the workbook, takes its compiled model from a ModelCache
(compiled once per formula fingerprint), evaluates and writes the values. `run` drives it over a
list of inputs with an executor (roi_xl.executors: in-process, a local process pool or Dask), moves
each finished output into the output folder, reports progress and failures in input order and
writes the summary table (roi_xl.summary).

Nothing partial is ever left in the output folder: workers write into a private staging folder
inside it (`.roi-xl-staging-<pid>-<random>`), and only whole outputs are moved out of it, with an
atomic rename. The staging folder goes at the end, interrupted or not; one left by a run that was
killed outright is removed by the next run once its process is gone (known by the mark file inside
it: a folder of the user's that merely has such a name stays).

Every line printed goes through `printable`: a file, sheet or link name cannot print a line of its own.
"""
from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import pid_alive
from .errors import ExecutorError, InputError, UsageError

if TYPE_CHECKING:  # the engine (formulas, numpy, scipy) loads in seconds: not for usage errors
    from .engine import ModelCache
    from .guard import Limits

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
STAGING_PREFIX = ".roi-xl-staging-"
BACKUP_PREFIX = "roi-xl-originals-"  # inputs replaced with --replace-inputs are kept in here
DEFAULT_TIMEOUT = 300.0              # seconds one workbook may take in a batch (--timeout)


def _is_workbook(path: Path) -> bool:
    # Excel's lock files (~$Book.xlsx) sit beside open workbooks and are not workbooks.
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not path.name.startswith("~$")


def find_workbooks(inputs: list[str], exclude: Path | None = None) -> list[Path]:
    """Files as given, folders searched recursively, glob patterns expanded; in a stable order.

    A file named explicitly is kept whatever its type, so that it gets its own error line.
    Workbooks found by searching inside `exclude` (the output folder) are left out.
    """
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            # the output folder given as an input is searched too (its files are then refused
            # as outputs over inputs, unless inputs are to be replaced)
            inside_out = exclude is not None and (path.resolve() == exclude.resolve()
                                                  or _inside(path, exclude))
            skip = None if inside_out else exclude
            found.extend(p for p in _search(path) if not _inside(p, skip))
        elif glob.has_magic(item):
            matches = sorted(Path(p) for p in glob.glob(item, recursive=True))
            hits = [p for p in matches if p.is_file() and _is_workbook(p)]
            for p in matches:
                if p.is_dir():
                    hits.extend(_search(p))
            hits = [p for p in hits if not _inside(p, exclude)]
            if not hits:
                raise InputError(f"{item}: no .xlsx or .xlsm workbook matches")
            found.extend(hits)
        else:
            found.append(path)  # a missing or odd file reports its own error
    unique: dict[Path, None] = {}
    for p in found:
        unique.setdefault(p, None)
    return list(unique)


def empty_folders(inputs: list[str], exclude: Path | None = None) -> list[Path]:
    """Folders given as inputs, and folders inside them (hidden ones aside), holding no workbook at
    any depth: each gets a line, rather than nothing at all."""
    empty: list[Path] = []
    for item in inputs:
        folder = Path(item)
        if not folder.is_dir() or glob.has_magic(item):
            continue
        holding = {d for p in _search(folder) for d in p.parents}
        for sub in sorted((folder, *(d for d in folder.rglob("*") if d.is_dir()))):
            parts = sub.relative_to(folder).parts
            if sub in holding or _inside(sub, exclude) or (exclude is not None and _same_file(sub, exclude)) \
                    or any(part.startswith(".") or part.startswith(BACKUP_PREFIX) for part in parts) \
                    or sub in empty or any(e in sub.parents for e in empty):
                continue
            empty.append(sub)
    return empty


def _search(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and _is_workbook(p)
                  and not any(part.startswith((STAGING_PREFIX, BACKUP_PREFIX))
                              for part in p.relative_to(folder).parts))


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and folder.resolve() in path.resolve().parents


# --------------------------------------------------------------------------- one workbook

@dataclass
class FileResult:
    path: Path
    output: Path | None
    ok: bool
    error: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    values: dict | None = None  # sheet-qualified address -> value, when asked for
    formulas: int = 0           # formula cells (and spilled cells) computed
    named: dict = field(default_factory=dict)  # summary column -> value (roi_xl.summary)
    traceback: str = ""         # with --debug: where the failure came from, printed as it is

    def error_line(self) -> str:
        return f"{self.path}: {self.error}"


@dataclass(frozen=True)
class Options:
    """What each workbook's work does besides recalculating it."""
    values_only: bool = False   # freeze every formula to its value in the output
    summary: bool = False       # read the template's named figures
    debug: bool = False         # full tracebacks for unexpected failures
    keep_values: bool = False   # return every computed value (in-process use)
    limits: Limits | None = None  # what one workbook may cost (roi_xl.guard; None: the defaults)
    plan_cache: bool = False    # keep translated plans on disk between runs (engine/plan_store.py)
    max_memory: int | None = None  # bytes each worker process may use (roi_xl.memory; None: no cap)


def warm_up() -> None:
    """Do the one-off start-up work (formulas' patches, our catalogue in its function table) so
    that forked workers inherit it done. The function families themselves load in each worker when
    a workbook first uses one (engine/function_table.py): preloading them all here would import
    scipy, about a second, for batches that mostly never call a statistical function."""
    from .engine import writeback  # noqa: F401
    from .engine.bind import bind_catalogue

    bind_catalogue()


def process(path: Path, output: Path | None, cache: ModelCache, options: Options = Options()) -> FileResult:
    """Recalculate one workbook into `output` (None: compute only); never raises for a bad file."""
    from .engine.fastpath import compute
    from .engine.plan_store import PlanStore
    from .errors import OutOfMemory, WorkbookError, first_line
    from .excel import address

    start = time.perf_counter()
    path = Path(path)
    try:
        computed = compute(path, cache, limits=options.limits,
                           store=PlanStore() if options.plan_cache else None)
        cells = computed.cells
        if output is not None:
            computed.write(path, output, options.values_only)
        named = computed.named() if options.summary else {}
    except (OutOfMemory, MemoryError):
        return out_of_memory(path, options, time.perf_counter() - start)
    except WorkbookError as exc:
        cause = exc.__cause__
        return FileResult(path, None, False, str(exc), time.perf_counter() - start,
                          traceback=_traceback(cause) if options.debug and cause is not None else "")
    except PermissionError as exc:
        return FileResult(path, None, False, f"permission denied ({exc.strerror or exc})",
                          time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch
        return FileResult(path, None, False, f"unexpected failure: {type(exc).__name__}: {first_line(exc)}",
                          time.perf_counter() - start, traceback=_traceback(exc) if options.debug else "")
    values = {address(s, c): v for (s, c), v in cells.items()} if options.keep_values else None
    warnings = list(computed.warnings)
    if options.debug and computed.note:
        warnings.append(computed.note)
    return FileResult(path, output, True, "", time.perf_counter() - start, warnings,
                      values, len(cells), named)


def out_of_memory(path: Path, options: Options, seconds: float = 0.0) -> FileResult:
    """The failure of a workbook that needed more memory than the worker's budget."""
    from .memory import size_text

    budget = f" (the limit is {size_text(options.max_memory)} per workbook; raise it with " \
             "--max-memory)" if options.max_memory else ""
    return FileResult(path, None, False, f"ran out of memory while recalculating it{budget}", seconds)


def _traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)).rstrip()


def recalc_file(path: Path, out_dir: Path, cache: ModelCache | None = None,
                debug: bool = False, *, values_only: bool = False) -> FileResult:
    """Recalculate one workbook into out_dir/<same name>; never raises for a bad file."""
    from .engine import ModelCache

    return process(Path(path), Path(out_dir) / Path(path).name, cache or ModelCache(),
                   Options(values_only=values_only, debug=debug, keep_values=True))


# --------------------------------------------------------------------------- the report

# Characters that would let a file name, sheet name or link target forge lines of the report:
# C0/C1 controls (newlines, ANSI escapes), line and paragraph separators, bidirectional overrides,
# and the bytes of a file name that are not UTF-8 (os.fsdecode keeps them as lone surrogates).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: object) -> str:
    """`text` as one safe line: every character above escaped (\\n, \\x1b, \\xff for a byte)."""
    def escape(m: re.Match) -> str:
        code = ord(m.group(0))
        if 0xDC80 <= code <= 0xDCFF:  # a byte of the name that is not UTF-8
            return f"\\x{code - 0xDC00:02x}"
        return _NAMED.get(m.group(0)) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return _UNPRINTABLE.sub(escape, str(text))


class Reporter:
    """Progress and per-file lines, in input order whatever order files finish in.

    On a terminal (stderr is a TTY): a tqdm bar (files done, failures, rate, time left) with
    failure and warning lines above it. Otherwise plain lines: one per workbook, the finished
    ones on stdout ("in -> out (n formulas, s)"), failures on stderr as "path: cause".
    """

    def __init__(self, total: int, stdout=None, stderr=None, bar: bool | None = None):
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.total = total
        self.failed = 0
        self.done = 0
        self._next = 0
        self._waiting: dict[int, FileResult] = {}
        if bar is None:
            bar = _isatty(self.stderr)
        self._bar = None
        if bar:
            from tqdm import tqdm

            # a terminal that reports no size (0 x 0: tqdm would then draw nothing) gets 100 x 24
            sized = min(_size(self.stderr)) > 0
            self._bar = tqdm(total=total, file=self.stderr, unit="file", dynamic_ncols=sized,
                             ncols=None if sized else 100, nrows=None if sized else 24,
                             smoothing=0.1, postfix={"failed": 0}, leave=True)
        # Finished-file lines would scroll the bar away on a shared terminal.
        self._ok_lines = self._bar is None or not _isatty(self.stdout)

    def add(self, index: int, result: FileResult) -> None:
        self.done += 1
        if not result.ok:
            self.failed += 1
        if self._bar is not None:
            self._bar.set_postfix({"failed": self.failed}, refresh=False)
            self._bar.update(1)
        self._waiting[index] = result
        while self._next in self._waiting:
            self._emit(self._waiting.pop(self._next))
            self._next += 1

    def _emit(self, result: FileResult) -> None:
        for warning in result.warnings:
            self._err(f"{result.path}: warning: {warning}")
        if result.ok:
            if self._ok_lines:
                print(printable(f"{result.path} -> {result.output} ({result.formulas} formulas, "
                                f"{result.seconds:.2f}s)"), file=self.stdout, flush=True)
        else:
            self._err(result.error_line())
            if result.traceback:  # asked for with --debug: as Python wrote it
                self._err(result.traceback, escape=False)

    def _err(self, line: str, escape: bool = True) -> None:
        line = printable(line) if escape else line
        if self._bar is not None:
            self._bar.write(line, file=self.stderr)
        else:
            print(line, file=self.stderr, flush=True)

    def close(self) -> None:
        for index in sorted(self._waiting):  # after an interruption: what did finish
            self._emit(self._waiting.pop(index))
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _size(stream) -> tuple[int, int]:
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, ValueError, OSError):
        return 0, 0
    return size.columns, size.lines


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- the batch

@dataclass
class Task:
    index: int
    path: Path
    staged: Path   # where the worker writes the output, inside the staging folder


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM during a batch: exit status 128 + the signal number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_PENDING_SIGNALS: list[int] = []


def _raise_interrupted(signum, frame):
    """SIGINT/SIGTERM handler. A signal landing while a weakref finalizer runs (schedula creates
    thousands; the garbage collector runs them at any moment) would have its exception swallowed
    ("Exception ignored in: <finalize object>") and the run would go on: then it is only
    recorded, and raised after the current workbook (_raise_pending)."""
    _PENDING_SIGNALS.append(signum)
    if not _in_finalizer(frame):
        _raise_pending()


def _in_finalizer(frame) -> bool:
    for _ in range(12):
        if frame is None:
            return False
        if frame.f_code.co_filename.endswith("weakref.py"):
            return True
        frame = frame.f_back
    return False


def _raise_pending() -> None:
    if _PENDING_SIGNALS:
        signum = _PENDING_SIGNALS.pop()
        _PENDING_SIGNALS.clear()
        raise KeyboardInterrupt() if signum == signal.SIGINT else Interrupted(signum)


_STAGING_NAME = re.compile(re.escape(STAGING_PREFIX) + r"(\d+)-[0-9a-f]+$")


_STAGING_MARK = ".roi-xl-staging"   # a file inside each staging folder: ours, not the user's


def _make_staging(out_dir: Path) -> Path:
    staging = out_dir / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        (staging / _STAGING_MARK).write_text(f"roi-xl recalc staging folder of process {os.getpid()}\n")
    except OSError:
        staging.rmdir()
        raise
    return staging


def _remove_stale_staging(out_dir: Path) -> None:
    """Staging folders of runs that were killed outright (their process is gone). Only a folder
    holding our mark and nothing but files is one: a user's folder of the same name stays."""
    try:
        entries = list(out_dir.iterdir())
    except OSError:
        return
    for entry in entries:
        m = _STAGING_NAME.match(entry.name)
        if not m or entry.is_symlink() or not entry.is_dir() or int(m.group(1)) == os.getpid() \
                or pid_alive(int(m.group(1))):
            continue
        try:
            inside = list(entry.iterdir())
        except OSError:
            continue
        if entry / _STAGING_MARK in inside and all(p.is_file() and not p.is_symlink() for p in inside):
            for p in inside:
                p.unlink(missing_ok=True)
            try:
                entry.rmdir()
            except OSError:
                pass


def default_jobs(files: int | None = None) -> int:
    """The machine's cores; with `files`, one worker process per FILES_PER_JOB workbooks at most (a
    worker's start, its imports and the first workbook of each template, costs about as much as
    recalculating a few more workbooks: three workbooks go faster in one process than in three)."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        cores = max(1, os.cpu_count() or 1)
    if files is None:
        return cores
    return max(1, min(cores, files // FILES_PER_JOB))


FILES_PER_JOB = 4


def check_options(*, summary: Path | None, executor: str, scheduler: str | None) -> None:
    """Usage errors found before any work starts (UsageError)."""
    if summary is not None:
        from .errors import SummaryError
        from .summary import summary_format

        try:
            summary_format(summary)
        except SummaryError as exc:
            raise UsageError(str(exc)) from None
    if executor == "dask":
        if not scheduler:
            raise UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UsageError("--executor dask needs Dask: pip install 'roi-xl[dask]'") from None
    elif scheduler:
        raise UsageError("--scheduler goes with --executor dask")


def run(inputs: list[str], out_dir: str | os.PathLike, *, jobs: int | None = None,
        executor: str = "local", scheduler: str | None = None, values_only: bool = False,
        summary: str | os.PathLike | None = None, debug: bool = False,
        timeout: float | None = DEFAULT_TIMEOUT, limits: Limits | None = None,
        replace_inputs: bool = False, plan_cache: bool = True, max_memory: int | None = None,
        history: str | os.PathLike | None = None,
        stdout=None, stderr=None, bar: bool | None = None) -> int:
    """The `roi-xl recalc` command: returns its exit code (0 all ok, 1 some failed, 2 usage,
    130 interrupted by Ctrl-C, 128 + n for another signal).

    `timeout`: seconds one workbook may take (None or 0: no limit); `limits`: what the guard lets
    through (roi_xl.guard). An output that would land on its own input is refused unless
    `replace_inputs`; the originals are then kept in `<out>/roi-xl-originals-<time>/`.
    `plan_cache`: keep translated plans in the user's private cache folder between runs.
    `max_memory`: bytes each worker process may use (None: memory.default_budget for `jobs`; 0:
    no cap); a workbook needing more fails with one line, the others go on.
    `history`: a history database (roi_xl.history) the successful results are added to."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    out_dir = Path(out_dir)
    summary_path = Path(summary) if summary is not None else None
    try:
        check_options(summary=summary_path, executor=executor, scheduler=scheduler)
        paths = find_workbooks(inputs, exclude=out_dir)
        if not paths:
            raise InputError("no .xlsx or .xlsm workbook in " + ", ".join(map(printable, inputs)))
        empty = empty_folders(inputs, exclude=out_dir)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{out_dir}: cannot make the output folder ({exc.strerror or exc})") from None
    except InputError as exc:
        print(printable(f"roi-xl recalc: {exc}"), file=stderr)
        return 2
    jobs = jobs or default_jobs(len(paths))
    if max_memory is None:
        from .memory import default_budget

        max_memory = default_budget(jobs)
    options = Options(values_only=values_only, summary=summary_path is not None or history is not None,
                      debug=debug,
                      limits=limits, plan_cache=plan_cache, max_memory=max_memory or None)
    over_inputs = {p for p in paths if _same_file(p, out_dir / p.name)}
    if over_inputs and not replace_inputs:
        shown = ", ".join(str(p) for p in sorted(over_inputs)[:3])
        more = f" and {len(over_inputs) - 3} more" if len(over_inputs) > 3 else ""
        print(printable(f"roi-xl recalc: the output would replace the input {shown}{more}: choose "
                        "another --out, or pass --replace-inputs to replace inputs (each original is "
                        f"kept in a {BACKUP_PREFIX}<time> folder inside --out)"), file=stderr)
        return 2
    backups = out_dir / f"{BACKUP_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}"
    kept = 0

    started = time.perf_counter()
    results: dict[int, FileResult] = {}
    reporter: Reporter | None = None
    staging: Path | None = None
    previous = {}
    if _main_thread():
        previous = {sig: signal.signal(sig, h) for sig, h in
                    ((signal.SIGINT, _raise_interrupted), (signal.SIGTERM, _raise_interrupted))}
    _PENDING_SIGNALS.clear()
    try:
        _remove_stale_staging(out_dir)
        try:
            staging = _make_staging(out_dir)
        except OSError as exc:
            print(printable(f"roi-xl recalc: {out_dir}: cannot write in the output folder "
                            f"({exc.strerror or exc})"), file=stderr)
            return 2
        tasks, seen = [], {}
        early: list[tuple[int, FileResult]] = [
            (len(paths) + i, FileResult(folder, None, False, "no .xlsx or .xlsm workbook in this folder"))
            for i, folder in enumerate(empty)]
        for index, path in enumerate(paths):
            clash = seen.get(path.name)
            if clash is not None:
                early.append((index, FileResult(
                    path, None, False,
                    f"output name clash: {clash} also writes {out_dir / path.name}")))
                continue
            seen[path.name] = path
            tasks.append(Task(index, path, staging / path.name))

        from . import executors

        reporter = Reporter(len(paths) + len(empty), stdout, stderr, bar)
        for index, result in early:
            results[index] = result
            reporter.add(index, result)
        stream = executors.make(executor, tasks, options, jobs=jobs, scheduler=scheduler,
                                timeout=timeout)
        with stream:
            for index, result in stream:
                _raise_pending()
                if result.ok:
                    final = out_dir / result.path.name
                    try:
                        if result.path in over_inputs:
                            _keep_original(final, backups)
                            kept += 1
                        os.replace(result.output, final)
                        result.output = final
                    except OSError as exc:
                        result = FileResult(result.path, None, False,
                                            f"cannot write {final} ({exc.strerror or exc})",
                                            result.seconds, result.warnings)
                results[index] = result
                reporter.add(index, result)
            _raise_pending()
    except KeyboardInterrupt as exc:
        _ignore_signals()
        if reporter is not None:
            reporter.close()
        _cleanup(staging)
        code = 128 + exc.signum if isinstance(exc, Interrupted) else 130
        print(f"roi-xl recalc: interrupted; {len(results)} of {len(paths) + len(empty)} inputs done, "
              "no partial output left", file=stderr)
        return code
    except ExecutorError as exc:
        if reporter is not None:
            reporter.close()
        _cleanup(staging)
        print(printable(f"roi-xl recalc: {exc}"), file=stderr)
        return 2
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _cleanup(staging)
    reporter.close()

    ordered = [results[i] for i in sorted(results)]
    failures = sum(1 for r in ordered if not r.ok)
    summary_failed = False
    if summary_path is not None:
        from . import summary as summary_table

        try:
            summary_table.write(ordered, summary_path)
        except (OSError, ValueError) as exc:  # a folder, under a file, read-only, a full disk...
            print(printable(f"roi-xl recalc: cannot write the summary {summary_path} "
                            f"({getattr(exc, 'strerror', None) or exc})"), file=stderr)
            summary_failed = True
    if history is not None:
        summary_failed |= not _record_history(ordered, history, stderr)
    elapsed = time.perf_counter() - started
    rate = len(ordered) / elapsed if elapsed > 0 else 0.0
    tail = f", {failures} failed" if failures else ""
    if kept:
        print(printable(f"the {kept} replaced input workbook(s) are kept, unchanged, in {backups}"),
              file=stderr)
    print(printable(f"{len(ordered) - failures} of {len(ordered)} workbooks recalculated into "
                    f"{out_dir}{tail} ({elapsed:.1f}s, {rate:.1f} files/s)"), file=stderr)
    return 0 if failures == 0 and not summary_failed else 1


def _record_history(results: list[FileResult], history, stderr) -> bool:
    """Add the results to the history database; False (said on stderr) when that failed."""
    from .errors import HistoryError
    from .history.record import record

    try:
        messages = record(results, history)
    except HistoryError as exc:
        print(printable(f"roi-xl recalc: {exc}"), file=stderr)
        return False
    for line in messages:
        print(printable(line), file=stderr)
    return True


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _keep_original(path: Path, backups: Path) -> None:
    """Keep the input about to be replaced: a hard link (the very same bytes, no copy) or a copy."""
    backups.mkdir(exist_ok=True)
    kept = backups / path.name
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _ignore_signals() -> None:
    if _main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)


def _cleanup(staging: Path | None) -> None:
    if staging is not None and staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
