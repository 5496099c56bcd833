"""roi-xl's Excel functions for the xlwings add-in: name this module in xlwings' "UDF Modules".

Every function of `roi_xl.CATALOGUE` is exposed under its Excel name (SOCIAL_ROI, COST_ROLLUP...)
with the catalogue's argument names, argument help, help text and category. There is no list of
functions here: `build` makes one wrapper per catalogue entry, and the module exposes what it
returns. Set-up and what a cell shows: docs/xlwings.md.

How a call travels (xlwings classic add-in, Windows):

* every argument is read as a 2-D list (`ndim=2`), so a range keeps its shape and a single cell
  arrives as ``[[value]]``; error cells arrive as their text (`err_to_str=True`) and are turned
  back into `roi_xl.XlError` before the catalogue sees them; an omitted optional argument
  arrives as None and takes the catalogue's default;
* the catalogue never raises; an `XlError` result goes back to Excel as a true error value
  (a COM VT_ERROR variant) when pywin32 is importable, else as its text (e.g. "#DIV/0!").

On Linux and macOS `xw.func` and `xw.arg` attach nothing, so the functions are plain Python
functions there (tests/test_xlwings_face.py applies xlwings' Windows decorators to prove the face).
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import xlwings as xw

from roi_xl import CATALOGUE, OMITTED, XlError
from roi_xl.registry import ExcelFunction

# Excel's error numbers (the xlErr... constants, as in VBA's CVErr). A COM error value carries
# them as the SCODE 0x800A0000 + number: #DIV/0! (2007) is -2146826281, as in xlwings'
# _xlwindows.cell_errors.
XL_ERROR_NUMBERS: dict[XlError, int] = {
    XlError.NULL: 2000,
    XlError.DIV0: 2007,
    XlError.VALUE: 2015,
    XlError.REF: 2023,
    XlError.NAME: 2029,
    XlError.NUM: 2036,
    XlError.NA: 2042,
    XlError.GETTING_DATA: 2043,
    XlError.SPILL: 2045,
    XlError.CALC: 2050,
}
_SCODE_BASE = -2146828288  # 0x800A0000 as a signed 32-bit HRESULT
SCODES: dict[XlError, int] = {error: _SCODE_BASE + n for error, n in XL_ERROR_NUMBERS.items()}

# The text of each error, as xlwings hands over an error cell with err_to_str=True.
_ERRORS_BY_TEXT: dict[str, XlError] = {error.value: error for error in XlError}

ErrorValue = Callable[[XlError], Any]


def error_text(error: XlError) -> str:
    """An error as its text: what a cell shows without pywin32 (a string, not an error value)."""
    return error.value


def com_error_value() -> ErrorValue | None:
    """A maker of Excel's own error values through pywin32, or None where pywin32 is missing.

    `win32com.client.VARIANT(pythoncom.VT_ERROR, scode)` is what Excel receives as a true error
    value (ISERROR is TRUE, IFERROR catches it), not a string that looks like one.
    """
    try:
        import pythoncom
        from win32com.client import VARIANT
    except Exception:  # noqa: BLE001 - no pywin32 (Linux, macOS) or a broken install
        return None

    def error_value(error: XlError) -> Any:
        scode = SCODES.get(error)
        return error_text(error) if scode is None else VARIANT(pythoncom.VT_ERROR, scode)

    return error_value


def from_excel(value: Any) -> Any:
    """An argument as xlwings reads it, with error texts ("#DIV/0!") back as XlError members.

    A text typed into a cell that spells an error exactly ("#N/A") reads as that error too:
    xlwings hands both over as the same string.
    """
    if isinstance(value, str):
        return _ERRORS_BY_TEXT.get(value, value)
    if isinstance(value, (list, tuple)):
        return [from_excel(v) for v in value]
    return value


def to_excel(value: Any, error_value: ErrorValue | None = None) -> Any:
    """A catalogue result for xlwings: XlError members (also inside a 2-D result) become
    `error_value(error)`, or their text when no maker is given."""
    if isinstance(value, XlError):
        return (error_value or error_text)(value)
    if isinstance(value, (list, tuple)):
        return [to_excel(v, error_value) for v in value]
    return value


def _signature(fn: ExcelFunction) -> inspect.Signature:
    """The Excel function's arguments as Python parameters; an optional one defaults to None,
    which is what xlwings passes for an argument left out of the formula."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Signature([
        inspect.Parameter(a.name, kind, default=None if a.optional else inspect.Parameter.empty)
        for a in fn.args
    ])


def wrap(fn: ExcelFunction, error_value: ErrorValue | None = None) -> Callable[..., Any]:
    """One catalogue function as a Python function named and signed like the Excel function.

    Never raises: a wrong call (too many arguments, an unknown keyword) gives #VALUE!, as the
    catalogue answers a wrong argument count.
    """
    signature = _signature(fn)

    def udf(*args, **kwargs):  # unannotated: xlwings reads annotations as converters
        try:
            try:
                given = signature.bind(*args, **kwargs).arguments
            except TypeError:
                return to_excel(XlError.VALUE, error_value)
            raw = []
            for a in fn.args:
                value = given.get(a.name)
                raw.append(OMITTED if a.optional and value is None else from_excel(value))
            return to_excel(fn(*raw), error_value)
        except Exception:  # noqa: BLE001 - a cell gets an error, never a traceback
            return error_text(XlError.VALUE)

    udf.__name__ = udf.__qualname__ = fn.name
    udf.__module__ = __name__
    udf.__doc__ = fn.wizard_help
    udf.__signature__ = signature  # what inspect.signature, and so xlwings' xlfunc, reads
    udf.excel_function = fn
    return udf


def build(func: Callable[..., Any], arg: Callable[..., Any],
          error_value: ErrorValue | None = None) -> dict[str, Callable[..., Any]]:
    """One decorated wrapper per catalogue function, by Excel name.

    `func` and `arg` are xlwings' decorators: `xw.func`/`xw.arg` at import, or
    `xlwings.udfs.xlfunc`/`xlarg` in the tests. `arg` is applied before `func` because xlwings'
    `xlarg` re-runs `xlfunc` without options, which would reset the category.
    No `ret` options: Excel 365 spills a returned 2-D list (COST_ROLLUP's table) by itself.
    """
    udfs = {}
    for fn in CATALOGUE.values():
        udf = wrap(fn, error_value)
        for a in fn.args:
            udf = arg(a.name, doc=a.help, ndim=2, err_to_str=True)(udf)
        udfs[fn.name] = func(category=fn.category)(udf)
    return udfs


def _expose(udfs: dict[str, Callable[..., Any]]) -> list[str]:
    namespace = globals()
    # A name already bound to a wrapper is fine: xlwings reloads the module when its file changes.
    clash = sorted(name for name in udfs
                   if name in namespace and not hasattr(namespace[name], "excel_function"))
    if clash:
        raise RuntimeError(f"catalogue names clash with roi_xl_udfs helpers: {clash}")
    namespace.update(udfs)
    return sorted(udfs)


__all__ = _expose(build(xw.func, xw.arg, com_error_value()))
