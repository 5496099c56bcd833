"""One workbook's work: recalculate it into its output and say how that went (a FileResult), never
raising for a bad file. The executors run it; nothing here knows of the others.

`process` reads the workbook, takes its compiled model from a ModelCache (compiled once per formula
fingerprint), evaluates and writes the values.
"""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutOfMemory, WorkbookError, first_line

if TYPE_CHECKING:  # the engine (formulas, numpy, scipy) loads in seconds: not for usage errors
    from ..engine import ModelCache
    from ..xlsx.guard import Limits


@dataclass
class Task:
    """One workbook of a batch, as the executors get it."""
    index: int
    path: Path
    staged: Path   # where the worker writes the output, inside the staging folder


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
    limits: Limits | None = None  # what one workbook may cost (roi_xl.xlsx.guard; None: the defaults)
    plan_cache: bool = False    # keep translated plans on disk between runs (engine/plan_store.py)
    max_memory: int | None = None  # bytes each worker process may use (roi_xl.memory; None: no cap)


def warm_up() -> None:
    """Do the one-off start-up work (formulas' patches, our catalogue in its function table) so
    that forked workers inherit it done. The function families themselves load in each worker when
    a workbook first uses one (engine/function_table.py): preloading them all here would import
    scipy, about a second, for batches that mostly never call a statistical function."""
    from ..engine.bind import bind_catalogue
    from ..xlsx import writer  # noqa: F401

    bind_catalogue()


def process(path: Path, output: Path | None, cache: ModelCache, options: Options = Options()) -> FileResult:
    """Recalculate one workbook into `output` (None: compute only); never raises for a bad file."""
    from ..engine.fastpath import compute
    from ..engine.plan_store import PlanStore
    from ..excel import address

    start = time.perf_counter()
    path = Path(path)
    try:
        computed = compute(path, cache, limits=options.limits,
                           store=PlanStore() if options.plan_cache else None)
        try:
            cells = computed.cells
            if output is not None:
                computed.write(path, output, options.values_only)
            named = computed.named() if options.summary else {}
        finally:
            computed.close()
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
    from ..memory import size_text

    budget = f" (the limit is {size_text(options.max_memory)} per workbook; raise it with " \
             "--max-memory)" if options.max_memory else ""
    return FileResult(path, None, False, f"ran out of memory while recalculating it{budget}", seconds)


def _traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)).rstrip()
