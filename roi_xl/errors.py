"""Every exception roi-xl raises on purpose, in one module.

A cell-level problem is never an exception: it is an Excel error value (roi_xl.excel.XlError) in
the cell. What is left fails a whole workbook, a command's input, or one step that has a slower
way round. The hierarchy (what a caller catches; the module that raises it in brackets):

    RoiXlError                      anything below
    ├── WorkbookError               a workbook that cannot be recalculated; the message says why
    │   ├── UnsafeWorkbook          refused by a check of the guard (xlsx.guard)
    │   ├── CircularReferenceError  formulas that depend on themselves (engine.model)
    │   └── OutOfMemory             over the process's memory budget (engine, memory)
    ├── InputError                  an INPUT argument that names nothing usable: exit code 2 (batch)
    │   └── UsageError              options that cannot work together: exit code 2 (batch.command)
    ├── ExecutorError               the executor cannot run at all: exit code 2 (batch.executors)
    ├── SummaryError                a --summary path in no format we write (summary)
    ├── HistoryError                the history database cannot be opened or written (history)
    ├── OfficeError                 LibreOffice missing, or a conversion that did not finish (office)
    ├── NotAPlan                    a workbook that is not a plan made from the template (template)
    ├── ExportError                 a platform export that cannot be read at all (imports.reader)
    ├── ImportFailed                the plan or the output of an import cannot be used (imports)
    ├── NotANumber (ValueError)     an export's cell that is no number (imports.values)
    ├── OutOfDomain (ValueError)    a measure's input outside its range (measures)
    ├── BadChoice (ValueError)      a choice argument that is none of the allowed words (measures)
    ├── NotReached (LookupError)    a quantity that does not happen within the data (measures)
    ├── ArgumentError               an argument's coercion gives an Excel error (excel, functions)
    ├── FormatError (ValueError)    a TEXT() format code Excel refuses: #VALUE! (engine.numfmt)
    ├── FastReadError               the fast reader declines the file: the full load reads it (xlsx.read)
    ├── Untranslatable              a formula the plan does not translate: the formulas model (engine.fastcalc)
    ├── NeedFormulas                values the plan cannot compute: the formulas model (engine.fastcalc)
    └── NeedsWholeTree              an edit among the rows a lean sheet tree lacks: the whole part (xlsx.sheet_edit)

The measures' errors keep ValueError / LookupError as bases, plain exceptions for callers outside
Excel; the registry maps them to #NUM!, #VALUE! and #N/A. Private signals local to one module stay
there, plain Exceptions nobody outside catches: engine.fastcalc._ValueErr, engine.tables._Bad,
engine.functions.offset._NegativeSize and engine.functions._args.Fail.
So does batch.command.Interrupted, no error but the KeyboardInterrupt a batch's SIGTERM raises.

This module imports nothing of roi-xl's, so the file checks (roi_xl.xlsx.guard) and the command line
can use it without loading the engine (formulas, numpy), which takes about a second.
"""
from __future__ import annotations

from typing import Any


class RoiXlError(Exception):
    """The base of every exception roi-xl raises on purpose."""


# --------------------------------------------------------------------------- a whole workbook

class WorkbookError(RoiXlError):
    """A workbook that cannot be recalculated; the message says why in plain words."""


def cell_outside_sheet(where: str) -> WorkbookError:
    """The refusal of a workbook holding a cell past the sheet's last (`where`: Sheet!XFE1), which
    no reader of ours can place: one sentence for both engines' readers."""
    return WorkbookError(f"damaged workbook: a cell lies outside the sheet, {where} (the last cell "
                         "of a sheet is XFD1048576)")


def missing_shared_text() -> WorkbookError:
    """The refusal of a workbook whose cell names a shared text or a format it does not hold:
    one sentence for both engines' readers."""
    return WorkbookError("damaged workbook: a cell refers to a shared text or a format that is not in the file")


def unmovable_shared_formula(detail: BaseException) -> WorkbookError:
    """The refusal of a workbook whose shared formula cannot be moved to one of its cells (a
    reference moved off the sheet: Excel never writes one): one sentence for both engines' readers."""
    return WorkbookError("damaged workbook: a shared formula cannot be moved to one of its cells "
                         f"({first_line(detail)})")


class UnsafeWorkbook(WorkbookError):
    """A workbook refused by a check of `guard` (not a workbook, unsafe, or over a limit)."""


class CircularReferenceError(WorkbookError):
    """Formulas that depend on themselves; `cells` names them."""

    def __init__(self, cells: list[str]):
        shown = ", ".join(cells[:8]) + (f" and {len(cells) - 8} more" if len(cells) > 8 else "")
        super().__init__(f"circular reference among {shown}")
        self.cells = cells


class OutOfMemory(WorkbookError):
    """Recalculating the workbook needed more memory than the process may use (roi_xl.memory)."""


# --------------------------------------------------------------------------- the commands

class InputError(RoiXlError):
    """An INPUT argument that names nothing usable (a usage error, exit code 2)."""


class UsageError(InputError):
    """Options that cannot work together or an output that cannot be made (exit code 2)."""


class ExecutorError(RoiXlError):
    """The executor cannot run at all (a Dask scheduler that does not answer): exit code 2."""


class SummaryError(RoiXlError):
    """A --summary path that cannot be written in any format we know (a usage error)."""


class HistoryError(RoiXlError):
    """The database cannot be opened or written (the message names the file and cause)."""


class OfficeError(RoiXlError):
    """LibreOffice is missing, or a conversion did not finish; the message says which."""


class NotAPlan(RoiXlError):
    """The workbook is not a measurement plan made from the template."""


class ExportError(RoiXlError):
    """An export that cannot be read at all (the message names the cause, not the file)."""


class ImportFailed(RoiXlError):
    """The plan or the output cannot be used: nothing was written."""


class NotANumber(RoiXlError, ValueError):
    """An export's cell whose text is not a number."""


# --------------------------------------------------------------------------- the math

class OutOfDomain(RoiXlError, ValueError):
    """An input outside the range where the measure means anything (a probability above 1)."""


class BadChoice(RoiXlError, ValueError):
    """A choice argument that is none of the allowed words."""


class NotReached(RoiXlError, LookupError):
    """The quantity asked for does not happen within the data (payback never reached)."""


# --------------------------------------------------------------------------- Excel values

class ArgumentError(RoiXlError):
    """Raised inside coercion to return an Excel error from the argument that caused it;
    `error` is that roi_xl.excel.XlError."""

    def __init__(self, error: Any):
        super().__init__(str(error))
        self.error = error


class FormatError(RoiXlError, ValueError):
    """A code (or a value for it) Excel refuses: TEXT gives #VALUE!."""


# --------------------------------------------------------------------------- the engine's fallbacks

class FastReadError(RoiXlError):
    """The workbook has something the fast reader does not handle; use the full load."""


class Untranslatable(RoiXlError):
    """A formula the translation does not handle (the template uses the formulas path)."""


class NeedFormulas(RoiXlError):
    """A workbook whose values the translation cannot produce (it uses the formulas path)."""


class NeedsWholeTree(RoiXlError):
    """An edit a lean sheet tree cannot make alone: the writer parses the whole part instead."""


def first_line(exc: BaseException) -> str:
    """An exception's message as one plain line (its type's name when it has none)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
