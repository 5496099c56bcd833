"""The error a whole workbook fails with (cell-level problems are Excel error values instead).

Kept out of the engine package so that the file checks (roi_xl.xlsx.guard) and the command line can
use it without loading the engine (formulas, numpy), which takes about a second.
"""


class WorkbookError(Exception):
    """A workbook that cannot be recalculated; the message says why in plain words."""


class OutOfMemory(WorkbookError):
    """Recalculating the workbook needed more memory than the process may use (roi_xl.memory)."""


def first_line(exc: BaseException) -> str:
    """An exception's message as one plain line (its type's name when it has none)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
