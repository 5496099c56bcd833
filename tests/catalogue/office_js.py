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

import json
import math
import os
import subprocess
import sys
from pathlib import Path
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


# ---------------------------------------------------------------- xlwings Server's side of a call

# xlwings Server imports the functions from its custom_functions package, which the user's
# custom_functions/__init__.py fills with `from roi_xl.xlwings_udfs import *`.
_SERVER = r"""
import asyncio, json, sys, types
import xlwings
assert xlwings.func.__module__ == "xlwings.pro.udfs_officejs", xlwings.func.__module__
import xlwings.server
custom_functions = types.ModuleType("custom_functions")
exec("from roi_xl.xlwings_udfs import *", custom_functions.__dict__)
job = json.load(sys.stdin)

async def run(data):
    try:
        return {"value": await xlwings.server.custom_functions_call(data, custom_functions)}
    except Exception as exc:
        return {"exception": repr(exc)}

import roi_xl
json.dump({"meta": xlwings.server.custom_functions_meta(custom_functions),
           "results": [asyncio.run(run(data)) for data in job["calls"]],
           "roi_xl": roi_xl.__file__}, sys.stdout)
"""


def serve(calls: list[dict], python: str = sys.executable, pythonpath: list = (),
          cwd: Path | None = None) -> dict:
    """Run `calls` through xlwings' Office.js code in a child Python set up as xlwings Server
    sets itself up: XLWINGS_ON_SERVER=true before xlwings is imported (so `xw.func` is the
    Office.js decorator), and a licence key for xlwings' PRO code (free for non-commercial use
    with the key "noncommercial"; these tests are that)."""
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    run = subprocess.run([python, "-c", _SERVER], input=json.dumps({"calls": calls}),
                         capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


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
             [[45292]]] + [[[error_cell(text)]] for text in ERROR_TYPES],  # every error back
    CELLS: [[[1], [2], [3], [4], [5]], [[1, 2, 3, 4, 5]], [[1], [2]], [[None]], [[3]],
            [["Ads"], ["ads"], [None], [7], [True]], [[1], [error_cell("#REF!")], [3], [4], [5]],
            [[0.5], [0.5], [0.5], [0.5], [0.5]]],
    TEXT: [[["higher"]], [["HIGHER"]], [["sideways"]], [[None]], [[3]], [[error_cell("#N/A")]],
           [["lower", "higher"]]],
    KEY: [[["Ads"]], [["ADS"]], [[0.5]], [[None]], [[True]], [[error_cell("#NAME?")]]],
}
# A TRUE/FALSE switch (LOGICAL arguments); keyed by the kind's name, as registry.py spells it.
_BASE["logical"] = lambda i: [[False]]
_VARIANTS["logical"] = [[[True]], [[1]], [[0]], [[None]], [["TRUE"]], [["yes"]],
                        [[error_cell("#N/A")]], [[True, False]]]
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


# ---------------------------------------------------------------- documented examples

def _split(text: str, separators: str) -> list[str]:
    """Split at top-level separators, outside quotes and braces."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "{(":
            depth += 1
        elif not quoted and ch in "})":
            depth -= 1
        elif not quoted and depth == 0 and ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _constant(text: str) -> Any:
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1].replace('""', '"')
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    if text in ERROR_TYPES:
        return XlError.from_code(text)
    return float(text)


def _array(text: str) -> list[list]:
    """An array constant, {1,2;3,4}: commas between columns, semicolons between rows."""
    return [[_constant(c) for c in _split(row, ",")] for row in _split(text[1:-1], ";")]


def parse_example(formula: str) -> tuple[str, list]:
    """`=NAME(arg, ...)` as the Office.js call Excel makes for it: an array constant as a
    2-D array, a constant as a 1x1 one, an empty argument as null."""
    def cell(value):
        return error_cell(value.value) if isinstance(value, XlError) else value

    name, _, rest = formula.lstrip("=").partition("(")
    args = []
    for text in _split(rest[:-1], ","):
        if text == "":
            args.append(None)
        else:
            rows = _array(text) if text.startswith("{") else [[_constant(text)]]
            args.append([[cell(v) for v in row] for row in rows])
    return name.strip().upper(), args


def parse_result(text: str) -> list:
    """A documented result (a number, a "text", an error, an array) as Excel gets it back."""
    return office_result(_array(text) if text.startswith("{") else _constant(text))


def documented_examples(markdown: str) -> list[tuple[str, str, list, str]]:
    """The rows `| `=FORMULA` | `RESULT` |` of docs/excel.md's examples table, each as
    (formula, function name, Office.js arguments, documented result)."""
    import re

    return [(m.group(1), *parse_example(m.group(1)), m.group(2))
            for m in re.finditer(r"^\| `(=[A-Z_]+\(.*\))` \| `(.+)` \|", markdown, flags=re.M)]
