"""The one catalogue of Excel functions: each declared once with its name, arguments, help.

Everything that exposes a function reads `CATALOGUE`: the xlwings face (xlwings_udfs), the headless
engine, `roi-xl functions` and the docs. Declarations live in `roi_xl.catalogue`.
"""
from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import excel
from .errors import ArgumentError, BadChoice, NotReached, OutOfDomain
from .excel import XlError

CATEGORY = "Social ROI"

# How a raw argument becomes what the declaration's body receives.
NUMBER = "number"   # one number, SUM-style over a range (excel.number)
CELLS = "cells"     # a range kept cell by cell with its shape (excel.cells -> Grid)
TEXT = "text"       # a word such as a direction (excel.text)
KEY = "key"         # one cell of any type (excel.scalar)
LOGICAL = "logical" # one TRUE/FALSE switch (excel.logical)

_COERCE: dict[str, Callable[[Any], Any]] = {
    NUMBER: excel.number, CELLS: excel.cells, TEXT: excel.text, KEY: excel.scalar,
    LOGICAL: excel.logical,
}

REQUIRED = inspect.Parameter.empty

# Plain exceptions from the measures, as the Excel error a user expects.
_ERRORS: tuple[tuple[type[BaseException], XlError], ...] = (
    (ZeroDivisionError, XlError.DIV0),
    (OutOfDomain, XlError.NUM),
    (BadChoice, XlError.VALUE),
    (NotReached, XlError.NA),
    (OverflowError, XlError.NUM),
)


@dataclass(frozen=True)
class Arg:
    name: str
    kind: str
    help: str
    default: Any = REQUIRED  # REQUIRED, or the value an omitted/blank optional argument takes

    @property
    def optional(self) -> bool:
        return self.default is not REQUIRED

    def __post_init__(self):
        if self.kind not in _COERCE:
            raise ValueError(f"unknown argument kind {self.kind!r}")


@dataclass(frozen=True)
class ExcelFunction:
    name: str
    args: tuple[Arg, ...]
    body: Callable[..., Any]
    category: str = CATEGORY
    array: bool = False  # may return a 2-D array that spills
    help: str = field(default="")

    @property
    def summary(self) -> str:
        """The first sentence of the help: Excel's function wizard line."""
        return self.help.split("\n\n", 1)[0].replace("\n", " ").strip()

    @property
    def wizard_help(self) -> str:
        """What Excel's function wizard shows: the full help when it fits Excel's 255-character
        limit, else the summary, so that no description is cut mid-sentence."""
        return self.help if len(self.help) <= 255 else self.summary[:255]

    @property
    def signature(self) -> str:
        parts = [f"[{a.name}]" if a.optional else a.name for a in self.args]
        return f"{self.name}({', '.join(parts)})"

    def __call__(self, *raw: Any) -> Any:
        """Evaluate with Excel semantics: never raises; errors come back as XlError values."""
        try:
            return self._call(raw)
        except ArgumentError as exc:
            return exc.error
        except Exception as exc:  # noqa: BLE001 - a cell must get an error value, never a traceback
            for kind, error in _ERRORS:
                if isinstance(exc, kind):
                    return error
            return XlError.VALUE

    def _call(self, raw: tuple) -> Any:
        if len(raw) > len(self.args):
            return XlError.VALUE
        values = []
        for i, arg in enumerate(self.args):
            if i >= len(raw) and not arg.optional:
                return XlError.VALUE  # too few arguments, as a VBA UDF answers
            given = raw[i] if i < len(raw) else excel.OMITTED
            if given is excel.OMITTED and not arg.optional:
                given = None  # =COST_ROLLUP(,B2:B9): Excel hands a UDF's required argument Empty
            if arg.optional and excel.is_blank(given):
                values.append(arg.default)
            else:
                values.append(_COERCE[arg.kind](given))
        return _finish(self.body(*values))


def _finish(result: Any) -> Any:
    if isinstance(result, list):  # a spilled table: each cell as a single result
        return [_finish(item) for item in result]
    if isinstance(result, float) and not math.isfinite(result):
        return XlError.NUM
    if isinstance(result, int) and not isinstance(result, bool):
        return float(result)
    return result


CATALOGUE: dict[str, ExcelFunction] = {}


def excel_function(name: str, *args: Arg, array: bool = False):
    """Declare a catalogue function; the decorated body's docstring is its Excel help."""

    def register(body: Callable[..., Any]) -> ExcelFunction:
        if name in CATALOGUE:
            raise ValueError(f"{name} is declared twice")
        params = [a.name for a in args]
        if list(inspect.signature(body).parameters) != params:
            raise ValueError(f"{name}: body parameters must be {params}")
        fn = ExcelFunction(name=name, args=tuple(args), body=body, array=array,
                           help=inspect.cleandoc(body.__doc__ or ""))
        CATALOGUE[name] = fn
        return fn

    return register


def get(name: str) -> ExcelFunction | None:
    """A catalogue function by its Excel name, any letter case."""
    return CATALOGUE.get(name.upper())


def functions() -> list[ExcelFunction]:
    return list(CATALOGUE.values())
