"""`recalc`: what users call from scripts and their own pytest tests."""
from __future__ import annotations

from pathlib import Path

from ..excel import address
from ..guard import Limits
from .model import ModelCache
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
           cache: ModelCache | None = None, limits: Limits = Limits()) -> Results:
    """Recalculate a workbook; optionally write a copy carrying the computed values.

    The input file is never written to. `out_path` gets the input's bytes with every formula
    cell's cached value filled in and nothing else changed. Raises `WorkbookError` (with a plain
    message) for a workbook that cannot be recalculated, or that `limits` refuse (see
    roi_xl.guard: not a workbook, unsafe XML, zip bomb, too many cells, formula too long).
    """
    path = Path(path)
    computed = compute(path, cache or _DEFAULT_CACHE, limits=limits)
    if out_path is not None:
        computed.write(path, Path(out_path))
    return Results(computed.cells, computed.warnings, path)
