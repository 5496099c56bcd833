"""Errors the engine reports about a whole workbook (cell-level problems are Excel error values)."""
from ..errors import WorkbookError  # noqa: F401 - defined where light modules can use it


class CircularReferenceError(WorkbookError):
    def __init__(self, cells: list[str]):
        shown = ", ".join(cells[:8]) + (f" and {len(cells) - 8} more" if len(cells) > 8 else "")
        super().__init__(f"circular reference among {shown}")
        self.cells = cells
