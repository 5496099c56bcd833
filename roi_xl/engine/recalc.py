"""`recalc`: what users call from scripts and their own pytest tests."""
from __future__ import annotations

from pathlib import Path

from ..errors import WorkbookError
from ..excel import address
from ..xlsx.guard import Limits
from .cache import ModelCache
from .fastpath import compute

_DEFAULT_CACHE = ModelCache()


class Results(dict):
    """Computed values keyed by sheet-qualified address ("Summary!B4", "'My Sheet'!C2").

    Values are floats, strings, bools or `roi_xl.XlError`. `cells` holds the same values keyed
    by (sheet, cell) and `warnings` what the engine noticed (unknown functions...).
    """

    def __init__(self, cells: dict[tuple[str, str], object], warnings: list[str], path: Path):
        super().__init__((address(s, c), v) for (s, c), v in cells.items())
        self.cells = cells
        self.warnings = warnings
        self.path = path

    def to_frame(self):
        """One row per formula cell: sheet, cell, address, value (and its Python type)."""
        import pandas as pd

        rows = [{"sheet": s, "cell": c, "address": address(s, c), "value": v,
                 "type": type(v).__name__} for (s, c), v in self.cells.items()]
        return pd.DataFrame(rows, columns=["sheet", "cell", "address", "value", "type"])


def recalc(path: str | Path, out_path: str | Path | None = None, *,
           cache: ModelCache | None = None, limits: Limits = Limits(),
           timeout: float | None = None) -> Results:
    """Recalculate a workbook; optionally write a copy carrying the computed values.

    The input file is never written to. `out_path` gets the input's bytes with every formula
    cell's cached value filled in and nothing else changed. Raises `WorkbookError` (with a plain
    message) for a workbook that cannot be recalculated, or that `limits` refuse (see
    roi_xl.xlsx.guard: not a workbook, unsafe XML, zip bomb, too many cells, formula too long).

    `timeout`: seconds the work may take. It then runs in a child process (forked where the
    platform allows, so it starts with this one's compiled models), which is killed once the time
    is up: a `WorkbookError` says so, and no output is left (a temporary file a killed write left
    is removed by the next write of that output).
    """
    path = Path(path)
    if timeout:
        return _in_child(path, out_path, cache or _DEFAULT_CACHE, limits, timeout)
    return _recalc(path, out_path, cache or _DEFAULT_CACHE, limits)


def _recalc(path: Path, out_path, cache: ModelCache, limits: Limits) -> Results:
    computed = compute(path, cache, limits=limits)
    try:
        if out_path is not None:
            computed.write(path, Path(out_path))
    finally:
        computed.close()
    return Results(computed.cells, computed.warnings, path)


def _in_child(path: Path, out_path, cache: ModelCache, limits: Limits, timeout: float) -> Results:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, path, out_path, cache, limits), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise WorkbookError(f"took longer than the time limit of {timeout:g} s (stopped)")
        kind, payload = receive.recv()
    except EOFError:
        raise WorkbookError("the process recalculating it died (out of memory, or a crash)") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if kind == "error":
        raise WorkbookError(payload)
    if kind == "oserror":  # the output could not be written: as without a time limit
        raise OSError(*payload)
    cells, warnings = payload
    return Results(cells, warnings, path)


def _child(send, path: Path, out_path, cache: ModelCache, limits: Limits) -> None:
    try:
        results = _recalc(path, out_path, cache, limits)
        send.send(("ok", (results.cells, results.warnings)))
    except WorkbookError as exc:
        send.send(("error", str(exc)))
    except OSError as exc:
        send.send(("oserror", (exc.errno, exc.strerror, exc.filename)))
    except Exception as exc:  # noqa: BLE001 - an unwritable output, a value that does not pickle
        send.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()
