"""roi-xl's Excel functions for xlwings: name this module, `roi_xl.xlwings_udfs`, to xlwings.

Every function of `roi_xl.CATALOGUE` is exposed under its Excel name (SOCIAL_ROI, COST_ROLLUP...)
with the catalogue's argument names, argument help, help text and category. There is no list of
functions here: `build` makes one wrapper per catalogue entry, and the module exposes what it
returns. It needs xlwings and the standard library only, so it runs inside Pyodide too. Set-up
for each Excel, and what a cell shows: docs/excel.md.

The decorators are xlwings' own (`xw.func`, `xw.arg`), so the one module serves three runtimes:

* the classic add-in (Windows desktop): `xw.func` is `xlwings.udfs.xlfunc`; error cells arrive
  as their text, and an `XlError` result goes back as a COM VT_ERROR variant (a true error
  value) when pywin32 is importable, else as its text;
* Office.js custom functions, xlwings Server and xlwings Lite (Windows, Mac, the web), where
  `XLWINGS_ON_SERVER=true` makes `xw.func` `xlwings.server.func`: error cells arrive as their text
  (Office.js error objects read with `err_to_str`), and an `XlError` result goes back as its text,
  which xlwings turns into an Excel error object (`office_error_value`);
* anywhere else (Linux, macOS without a server) `xw.func` attaches nothing and the functions
  are plain Python functions.

In every runtime each argument is read as a 2-D list (`ndim=2`), so a range keeps its shape and
a single cell arrives as ``[[value]]``; an omitted optional argument arrives as None and takes
the catalogue's default; the catalogue never raises.
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


# Office.js: xlwings turns the text of these seven errors into Excel's error object
# ({"type": "Error", "errorType": "Div0"}, xlwings.pro._xlofficejs.errorstr_to_errortype); the
# errors it does not know go as that object directly, which xlwings passes through untouched.
_OFFICE_ERRORS_XLWINGS_CONVERTS = frozenset({
    XlError.NULL, XlError.DIV0, XlError.VALUE, XlError.REF, XlError.NAME, XlError.NUM, XlError.NA,
})
OFFICE_ERROR_TYPES: dict[XlError, str] = {
    XlError.SPILL: "Spill", XlError.CALC: "Calc", XlError.GETTING_DATA: "GettingData",
}


def office_error_value(error: XlError) -> Any:
    """An error as an Office.js custom function returns it (xlwings Server and Lite)."""
    if error in _OFFICE_ERRORS_XLWINGS_CONVERTS:
        return error_text(error)
    return {"type": "Error", "errorType": OFFICE_ERROR_TYPES[error]}


def runtime_error_value() -> ErrorValue | None:
    """How errors go back in the runtime xlwings was imported for (see the module's help)."""
    if getattr(xw, "on_server", False):  # XLWINGS_ON_SERVER=true: xlwings Server and Lite
        return office_error_value
    return com_error_value()


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
    result = _to_excel(value, error_value or error_text)
    # A lone error object is a 1x1 range: xlwings would write a bare dict as a key/value table.
    return [[result]] if isinstance(result, dict) else result


def _to_excel(value: Any, error_value: ErrorValue) -> Any:
    if isinstance(value, XlError):
        return error_value(value)
    if isinstance(value, (list, tuple)):
        return [_to_excel(v, error_value) for v in value]
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
    udf.__signature__ = signature  # type: ignore[attr-defined]  # what inspect.signature, and so xlwings' xlfunc, reads
    udf.excel_function = fn  # type: ignore[attr-defined]
    return udf


def build(func: Callable[..., Any], arg: Callable[..., Any],
          error_value: ErrorValue | None = None) -> dict[str, Callable[..., Any]]:
    """One decorated wrapper per catalogue function, by Excel name.

    `func` and `arg` are xlwings' decorators: `xw.func`/`xw.arg` at import, whichever runtime
    they belong to (classic `xlwings.udfs.xlfunc`, Office.js `xlwings.server.func`). `arg` is applied
    before `func` because xlwings' `xlarg` re-runs `xlfunc` without options, which would reset the
    category.
    No `ret` options: Excel 365 and Office.js spill a returned 2-D list (COST_ROLLUP's table).
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
        raise RuntimeError(f"catalogue names clash with xlwings_udfs helpers: {clash}")
    namespace.update(udfs)
    return sorted(udfs)


__all__ = _expose(build(xw.func, xw.arg, runtime_error_value()))
