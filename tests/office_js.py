"""Office.js custom-function calls as Excel makes them, for the xlwings Server and Lite tests.

What Excel's Office.js runtime hands a custom function whose parameters are `matrix`/`any` (as
xlwings declares them, xlwings.pro.udfs_officejs.custom_functions_meta), and what the xlwings
client posts for it (xlwings-server's custom-functions-code.js, `base()`):

* every argument is a 2-D array, a single cell `[[value]]`; a number is a JSON number (a date is
  its serial number), a text a string, a bool true/false;
* a blank cell is `null` (`""` from older runtimes); an argument left out of the formula
  (`=KPI_ATTAINMENT(A1,B1,,,1.2)`, or a trailing optional one) is `null` in place of the array;
* an error cell is Excel's error object, `{"type": "Error", "basicType": "Error", "basicValue":
  "#DIV/0!", "errorType": "Div0"}` (the metadata's allowErrorForDataTypeAny lets it through).

A result goes back as a 2-D array; an error as the object `{"type": "Error", "errorType": ...}`
(CustomFunctionsRuntime 1.4 and later).

`excel_value` and `office_result` say, independently of the face's code, what the catalogue
sees for a payload and what Excel must get back for a catalogue result, so that a test can
compare a call through xlwings with the catalogue called directly.
"""
from __future__ import annotations

import math
from typing import Any

import roi_xl
from roi_xl import OMITTED, XlError
from roi_xl.registry import CELLS, KEY, NUMBER, TEXT

# Excel's names for its error values in Office.js (Excel.ErrorCellValueType).
ERROR_TYPES = {
    "#NULL!": "Null", "#DIV/0!": "Div0", "#VALUE!": "Value", "#REF!": "Ref", "#NAME?": "Name",
    "#NUM!": "Num", "#N/A": "NotAvailable", "#SPILL!": "Spill", "#CALC!": "Calc",
    "#GETTING_DATA": "GettingData",
}
assert set(ERROR_TYPES) == {e.value for e in XlError}


def error_cell(text: str) -> dict:
    """An error cell as Office.js passes it in an argument."""
    return {"type": "Error", "basicType": "Error", "basicValue": text,
            "errorType": ERROR_TYPES[text]}


def error_result(text: str) -> dict:
    """An error as a custom function's result must reach Excel."""
    return {"type": "Error", "errorType": ERROR_TYPES[text]}


def call_data(name: str, args: list) -> dict:
    """The body the xlwings Office.js client posts for one call (custom-functions-code.js)."""
    return {
        "client": "Office.js", "func_name": name, "args": args,
        "caller_address": "[roi_model.xlsx]Plan!B4", "session_id": "test-session",
        "culture_info_name": "en-US", "date_format": "M/d/yyyy", "version": "office.js",
        "runtime": "1.4",
    }


def excel_value(payload: Any) -> Any:
    """What the catalogue receives for one Office.js argument, by Excel's rules (not the face's)."""
    if payload is None:
        return OMITTED  # left out of the formula

    def cell(value):
        if value is None or value == "":
            return None  # a blank cell
        if isinstance(value, dict):
            return XlError.from_code(value["basicValue"])
        return value

    return [[cell(v) for v in row] for row in payload]


def office_result(value: Any) -> list:
    """A catalogue result as Excel must get it back: a 2-D array, errors as error objects."""
    def cell(v):
        if isinstance(v, XlError):
            return error_result(v.value)
        return "" if v is None else v

    if isinstance(value, list):
        rows = value if all(isinstance(row, list) for row in value) else [value]  # 1-D: a row
        return [[cell(v) for v in row] for row in rows]
    return [[cell(value)]]


def same(got: Any, expected: Any) -> bool:
    """Equal results, numbers within 1e-12 relative (JSON turns 125.0 into 125)."""
    if isinstance(expected, list):
        return (isinstance(got, list) and len(got) == len(expected)
                and all(same(g, e) for g, e in zip(got, expected)))
    if isinstance(expected, float) and not isinstance(got, bool) and isinstance(got, (int, float)):
        return math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-300)
    return type(got) is type(expected) and got == expected


def error_texts_in(result: Any) -> list[str]:
    """Result cells that are an error's text rather than an error object (must be none)."""
    if isinstance(result, list):
        return [t for item in result for t in error_texts_in(item)]
    return [result] if isinstance(result, str) and result in ERROR_TYPES else []


# ---------------------------------------------------------------- payloads for every function

# Per argument kind: a usable value, then the variants every function must take as Excel does.
_BASE = {
    NUMBER: lambda i: [[(i + 1) * 0.25]],
    CELLS: lambda i: [[0.5], [None], ["x"], [0.25], [1.0]],
    TEXT: lambda i: [["lower"]],
    KEY: lambda i: [["x"]],
}
_VARIANTS = {
    NUMBER: [[[150]], [[0]], [[-2.5]], [[100, None], ["text", 50]], [[None]], [[""]], [["abc"]],
             [[True]], [[False]], [[error_cell("#DIV/0!")]], [[1], [error_cell("#N/A")]],
             [[error_cell("#SPILL!")]], [[45292]]],
    CELLS: [[[1], [2], [3], [4], [5]], [[1, 2, 3, 4, 5]], [[1], [2]], [[None]], [[3]],
            [["Ads"], ["ads"], [None], [7], [True]], [[1], [error_cell("#REF!")], [3], [4], [5]],
            [[0.5], [0.5], [0.5], [0.5], [0.5]]],
    TEXT: [[["higher"]], [["HIGHER"]], [["sideways"]], [[None]], [[3]], [[error_cell("#N/A")]],
           [["lower", "higher"]]],
    KEY: [[["Ads"]], [["ADS"]], [[0.5]], [[None]], [[True]], [[error_cell("#NAME?")]]],
}
_FALLBACK_BASE = lambda i: [[1.0]]  # noqa: E731 - a kind added later still gets calls
_FALLBACK_VARIANTS = [[[2]], [[None]], [["abc"]], [[error_cell("#VALUE!")]]]


def cases() -> list[tuple[str, list]]:
    """Calls for every catalogue function, read from the registry: the base call, each argument
    in turn replaced by each variant of its kind, and each optional argument left out."""
    calls = []
    for name, fn in roi_xl.CATALOGUE.items():
        base = [_BASE.get(a.kind, _FALLBACK_BASE)(i) for i, a in enumerate(fn.args)]
        calls.append((name, base))
        for i, a in enumerate(fn.args):
            for variant in _VARIANTS.get(a.kind, _FALLBACK_VARIANTS):
                calls.append((name, base[:i] + [variant] + base[i + 1:]))
            if a.optional:
                calls.append((name, base[:i] + [None] + base[i + 1:]))
        optional = [a.optional for a in fn.args]
        if any(optional):  # every optional argument left out at once
            calls.append((name, [None if opt else v for opt, v in zip(optional, base)]))
    return calls


def expected(name: str, args: list) -> list:
    """The catalogue called directly on what Excel means by `args`, as Excel must get it back."""
    return office_result(roi_xl.CATALOGUE[name](*[excel_value(a) for a in args]))
