"""`roi-xl recalc`: the run over many workbooks, from the inputs to the report.

`run` finds the inputs (files), hands one Task per workbook to an executor (executors: in-process,
a local process pool or Dask), moves each finished output from the staging folder into the output
folder, reports progress and failures in input order (report), and writes the summary table
(roi_xl.summary) and the history rows (roi_xl.history.record). Ctrl-C and SIGTERM stop it cleanly.
"""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExecutorError, HistoryError, InputError, SummaryError, UsageError
from .files import (
    BACKUP_PREFIX,
    empty_folders,
    find_workbooks,
    keep_original,
    make_staging,
    remove_staging,
    remove_stale_staging,
    same_file,
)
from .report import Reporter, printable
from .work import FileResult, Options, Task

if TYPE_CHECKING:
    from ..xlsx.guard import Limits

DEFAULT_TIMEOUT = 300.0              # seconds one workbook may take in a batch (--timeout)


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
        from ..summary import summary_format

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
    through (roi_xl.xlsx.guard). An output that would land on its own input is refused unless
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
        from ..memory import default_budget

        max_memory = default_budget(jobs)
    options = Options(values_only=values_only, summary=summary_path is not None or history is not None,
                      debug=debug,
                      limits=limits, plan_cache=plan_cache, max_memory=max_memory or None)
    over_inputs = {p for p in paths if same_file(p, out_dir / p.name)}
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
        remove_stale_staging(out_dir)
        try:
            staging = make_staging(out_dir)
        except OSError as exc:
            print(printable(f"roi-xl recalc: {out_dir}: cannot write in the output folder "
                            f"({exc.strerror or exc})"), file=stderr)
            return 2
        tasks: list[Task] = []
        seen: dict[str, Path] = {}
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
                            keep_original(final, backups)
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
        remove_staging(staging)
        code = 128 + exc.signum if isinstance(exc, Interrupted) else 130
        print(f"roi-xl recalc: interrupted; {len(results)} of {len(paths) + len(empty)} inputs done, "
              "no partial output left", file=stderr)
        return code
    except ExecutorError as exc:
        if reporter is not None:
            reporter.close()
        remove_staging(staging)
        print(printable(f"roi-xl recalc: {exc}"), file=stderr)
        return 2
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        remove_staging(staging)
    reporter.close()

    ordered = [results[i] for i in sorted(results)]
    failures = sum(1 for r in ordered if not r.ok)
    summary_failed = False
    if summary_path is not None:
        from .. import summary as summary_table

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
    from ..history.record import record

    try:
        messages = record(results, history)
    except HistoryError as exc:
        print(printable(f"roi-xl recalc: {exc}"), file=stderr)
        return False
    for line in messages:
        print(printable(line), file=stderr)
    return True


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _ignore_signals() -> None:
    if _main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)
