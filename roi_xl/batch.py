"""Recalculating many workbooks: finding them, one file's outcome, the per-file error line."""
from __future__ import annotations

import glob
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .engine import ModelCache, WorkbookError, recalc

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class InputError(Exception):
    """An INPUT argument that names nothing usable (a usage error, exit code 2)."""


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
            found.extend(p for p in _search(path) if not _inside(p, exclude))
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


def _search(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and _is_workbook(p))


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and folder.resolve() in path.resolve().parents


@dataclass
class FileResult:
    path: Path
    output: Path | None
    ok: bool
    error: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    values: dict | None = None  # sheet-qualified address -> value, when asked for

    def error_line(self) -> str:
        return f"{self.path}: {self.error}"


def recalc_file(path: Path, out_dir: Path, cache: ModelCache | None = None,
                debug: bool = False) -> FileResult:
    """Recalculate one workbook into out_dir/<same name>; never raises for a bad file."""
    start = time.perf_counter()
    output = out_dir / path.name
    try:
        if not path.exists():
            raise WorkbookError("no such file")
        if path.is_dir():
            raise WorkbookError("is a directory, not a workbook")
        results = recalc(path, output, cache=cache)
    except WorkbookError as exc:
        return FileResult(path, None, False, str(exc), time.perf_counter() - start)
    except PermissionError as exc:
        return FileResult(path, None, False, f"permission denied ({exc.strerror or exc})",
                          time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch
        detail = traceback.format_exc() if debug else f"{type(exc).__name__}: {exc}".splitlines()[0]
        return FileResult(path, None, False, f"unexpected failure: {detail}",
                          time.perf_counter() - start)
    return FileResult(path, output, True, "", time.perf_counter() - start, results.warnings,
                      dict(results))
